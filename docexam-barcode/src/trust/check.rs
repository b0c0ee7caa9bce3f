//! Verifying a payload's signature against the trust store (and a certificate the payload
//! may embed), with separate verdicts for the signature, the certificate match and the trust,
//! and the seal's authenticity drawn from all of them.

use super::TrustStore;
use super::cert::Certificate;
use super::chain::vouch;
use super::hash::Hash;
use super::key::{EcSig, PublicKey, verify_ecdsa};
use super::rsa::verify_ps256;
use super::verdict::{
    Authenticity, CertificateMatch, SignatureCheck, SignatureStatus, TrustStatus,
};
use docexam_base::date::CivilDate;

/// How the payload was signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// ECDSA with `r‖s`; the hash is fixed (an OID) or follows the curve size (ICAO VDS).
    Ecdsa(Option<&'static str>),
    /// RSASSA-PSS with SHA-256 (COSE PS256).
    Ps256,
}

/// What the signer's certificate must allow, beyond a valid signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Usage {
    /// A document signer: key usage (where present) includes digitalSignature.
    DocumentSigner,
    /// An EU DCC signer for a certificate of this type (`v`, `t` or `r`): where the signer's
    /// extended key usages name DCC types, they must name this one.
    Dcc(Option<char>),
}

/// A signed payload ready to check.
pub(crate) struct Signed<'a> {
    /// The bytes the signature covers.
    pub data: &'a [u8],
    /// The signature bytes.
    pub signature: &'a [u8],
    /// The scheme.
    pub scheme: Scheme,
    /// A certificate carried in the payload itself.
    pub embedded: Option<Certificate>,
    /// When the payload says it was signed (the day the signer's validity is judged on).
    pub signed_on: Option<CivilDate>,
    /// What the signer must be allowed to sign.
    pub usage: Usage,
}

/// Whether `cert`'s key verifies the signature; the algorithm's description if it could try.
fn try_key(cert: &Certificate, signed: &Signed<'_>) -> (bool, Option<String>) {
    match (&cert.key, signed.scheme) {
        (PublicKey::Ec { curve, point }, Scheme::Ecdsa(hash)) => {
            let hash = hash
                .and_then(Hash::from_oid)
                .unwrap_or_else(|| Hash::for_order_bits(curve.order_bits()));
            let ok = verify_ecdsa(
                *curve,
                point,
                &hash.digest(signed.data),
                EcSig::Raw(signed.signature),
            );
            (ok, Some(format!("ECDSA {} {}", curve.name(), hash.name())))
        }
        (PublicKey::Rsa { n, e }, Scheme::Ps256) => (
            verify_ps256(n, e, signed.data, signed.signature),
            Some("RSASSA-PSS SHA-256".into()),
        ),
        _ => (false, None),
    }
}

/// The DCC extended key usages, in both forms found in signer certificates (the EU
/// specification's and the `1.3.6.1.4.1.0.1847…` form some states issued).
const DCC_EKU: [(&str, char); 6] = [
    ("1.3.6.1.4.1.1847.2021.1.1", 't'),
    ("1.3.6.1.4.1.1847.2021.1.2", 'v'),
    ("1.3.6.1.4.1.1847.2021.1.3", 'r'),
    ("1.3.6.1.4.1.0.1847.2021.1.1", 't'),
    ("1.3.6.1.4.1.0.1847.2021.1.2", 'v'),
    ("1.3.6.1.4.1.0.1847.2021.1.3", 'r'),
];

/// What a DCC entry of kind `v`, `t` or `r` certifies.
pub(crate) fn dcc_entry_name(kind: char) -> &'static str {
    match kind {
        'v' => "vaccination",
        't' => "test",
        _ => "recovery",
    }
}

/// Why the signer may not sign this kind of payload, if it may not.
fn usage_problem(cert: &Certificate, usage: Usage) -> Option<String> {
    let Usage::Dcc(Some(kind)) = usage else {
        return None;
    };
    let allowed: std::collections::BTreeSet<char> = cert
        .extended_key_usage
        .iter()
        .flatten()
        .filter_map(|o| DCC_EKU.iter().find(|(oid, _)| oid == o).map(|(_, k)| *k))
        .collect();
    (!allowed.is_empty() && !allowed.contains(&kind)).then(|| {
        let names: Vec<&str> = allowed.iter().map(|&k| dcc_entry_name(k)).collect();
        format!(
            "the signer {} may sign only {} certificates (extended key usage), not {}",
            cert.who(),
            names.join(" and "),
            dcc_entry_name(kind)
        )
    })
}

/// Checks `signed` with the candidate keys: the certificates the payload names first, then the
/// one it embeds, then the rest of the store; stops at the first key that verifies, then judges
/// how far the trust material vouches for it. `matcher` says whether a certificate is the one
/// the payload names.
pub(crate) fn check(
    store: &TrustStore,
    signed: &Signed<'_>,
    matcher: &dyn Fn(&Certificate) -> CertificateMatch,
    as_of: CivilDate,
) -> SignatureCheck {
    let embedded = signed.embedded.as_ref();
    let is_embedded = |c: &Certificate| embedded.is_some_and(|e| e.der == c.der);
    // (certificate, in the store, named by the payload)
    let mut candidates: Vec<(&Certificate, bool, bool)> = Vec::new();
    if let Some(e) = embedded {
        let in_store = store.certificates().iter().any(|c| c.der == e.der);
        candidates.push((e, in_store, true));
    }
    candidates.extend(
        store
            .certificates()
            .iter()
            .filter(|c| !is_embedded(c))
            .map(|c| (c, true, matcher(c) == CertificateMatch::Matches)),
    );
    candidates.sort_by_key(|&(c, _, named)| (!named, !is_embedded(c)));
    let mut named: Option<(&Certificate, Option<String>)> = None;
    let mut unsupported = None;
    for &(cert, in_store, is_named) in &candidates {
        let (ok, alg) = try_key(cert, signed);
        if ok {
            return verified(
                store,
                signed,
                cert,
                in_store,
                alg.unwrap_or_default(),
                matcher,
                as_of,
            );
        }
        if is_named && named.is_none() {
            named = Some((cert, alg.clone()));
        }
        if alg.is_none() && is_named {
            unsupported = Some(cert);
        }
    }
    let date = signed.signed_on.unwrap_or(as_of);
    let base = |status, authenticity, cert: Option<&Certificate>, detail: String| SignatureCheck {
        status,
        algorithm: None,
        signer: cert.map(Certificate::summary),
        certificate_match: cert.map_or(CertificateMatch::NotApplicable, matcher),
        trust: TrustStatus::NotChecked,
        signer_valid: cert.map(|c| c.valid_on(date)),
        chain: Vec::new(),
        authenticity,
        problems: Vec::new(),
        warnings: Vec::new(),
        detail,
    };
    if let Some(cert) = unsupported {
        let detail = format!(
            "the signer's key ({}) cannot be used with this payload's signature scheme",
            cert.key.describe()
        );
        return SignatureCheck {
            signer: Some(cert.summary()),
            certificate_match: matcher(cert),
            signer_valid: Some(cert.valid_on(date)),
            ..SignatureCheck::unsupported(detail, !store.is_empty())
        };
    }
    if let Some((cert, alg)) = named {
        return SignatureCheck {
            algorithm: alg,
            ..base(
                SignatureStatus::Invalid,
                Authenticity::False,
                Some(cert),
                "the signature does not verify with the key of the certificate the payload \
                 names: the signed content or the signature was changed"
                    .into(),
            )
        };
    }
    if store.is_empty() {
        return base(
            SignatureStatus::NoKey,
            Authenticity::NotChecked,
            None,
            "signed, but no trust material was supplied (--trust DIR): the seal's authenticity \
             was not checked"
                .into(),
        );
    }
    let mut c = base(
        SignatureStatus::NoKey,
        Authenticity::Unproven,
        None,
        format!(
            "signed, but none of the {} certificates supplied verifies it or is the one it names",
            store.certificates().len()
        ),
    );
    c.problems
        .push("the signer is not in the trust material, so the seal cannot be verified".into());
    c
}

/// The verdict once `cert` verified the signature.
fn verified(
    store: &TrustStore,
    signed: &Signed<'_>,
    cert: &Certificate,
    in_store: bool,
    alg: String,
    matcher: &dyn Fn(&Certificate) -> CertificateMatch,
    as_of: CivilDate,
) -> SignatureCheck {
    let certificate_match = matcher(cert);
    let date = signed.signed_on.unwrap_or(as_of);
    let v = vouch(store, cert, in_store, date, as_of);
    let mut problems = v.problems;
    if certificate_match == CertificateMatch::Mismatch {
        problems.push(format!(
            "{} is not the certificate the payload names as its signer",
            cert.who()
        ));
    }
    problems.extend(usage_problem(cert, signed.usage));
    let mut detail = format!("the signature verifies with the key of {}", cert.who());
    match &v.trust {
        TrustStatus::Chain { anchor, .. } => {
            detail.push_str(&format!(", issued by {}", anchor.subject));
        }
        TrustStatus::Listed => detail.push_str(", which is in the trust material"),
        TrustStatus::Untrusted | TrustStatus::NotChecked => {}
    }
    let authenticity = if store.is_empty() {
        detail.push_str(
            "; no trust material was supplied (--trust DIR), so the seal's authenticity was not \
             checked",
        );
        problems.clear();
        Authenticity::NotChecked
    } else if problems.is_empty() {
        Authenticity::Proven
    } else {
        Authenticity::Unproven
    };
    SignatureCheck {
        status: SignatureStatus::Valid,
        algorithm: Some(alg),
        signer: Some(cert.summary()),
        certificate_match,
        trust: v.trust,
        signer_valid: Some(cert.valid_on(date)),
        chain: v.path.iter().map(|c| c.summary()).collect(),
        authenticity,
        problems,
        warnings: v.warnings,
        detail,
    }
}
