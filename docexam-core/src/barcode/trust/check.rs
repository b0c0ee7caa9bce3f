//! Verifying a payload's signature against the trust store (and a certificate the payload
//! may embed), with separate verdicts for the signature, the certificate match and the trust.

use num_bigint::BigUint;

use super::TrustStore;
use super::cert::{Certificate, PublicKey, digest_for};
use super::rsa::verify_ps256;
use super::verdict::{CertificateMatch, SignatureCheck, SignatureStatus, TrustStatus};
use crate::date::CivilDate;

const SHA224: &str = "2.16.840.1.101.3.4.2.4";
const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const SHA384: &str = "2.16.840.1.101.3.4.2.2";
const SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// How the payload was signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// ECDSA with `r‖s`; the hash is fixed (an OID) or follows the curve size (ICAO VDS).
    Ecdsa(Option<&'static str>),
    /// RSASSA-PSS with SHA-256 (COSE PS256).
    Ps256,
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
}

fn hash_name(oid: &str) -> &'static str {
    match oid {
        SHA224 => "SHA-224",
        SHA256 => "SHA-256",
        SHA384 => "SHA-384",
        _ => "SHA-512",
    }
}

/// Whether `cert`'s key verifies the signature; the algorithm's description if it could try.
fn try_key(cert: &Certificate, signed: &Signed<'_>) -> (bool, Option<String>) {
    match (&cert.key, signed.scheme) {
        (PublicKey::Ec { domain, point }, Scheme::Ecdsa(hash)) => {
            let hash = hash.unwrap_or(match domain.order_bits() {
                0..=224 => SHA224,
                225..=256 => SHA256,
                257..=384 => SHA384,
                _ => SHA512,
            });
            let half = signed.signature.len() / 2;
            let ok = signed.signature.len().is_multiple_of(2)
                && half == domain.scalar_len()
                && digest_for(hash, signed.data).is_some_and(|d| {
                    let (r, s) = signed.signature.split_at(half);
                    domain.verify(point, &d, r, s)
                });
            (
                ok,
                Some(format!("ECDSA {} {}", domain.name, hash_name(hash))),
            )
        }
        (PublicKey::Rsa { n, e }, Scheme::Ps256) => {
            let ok = verify_ps256(
                &BigUint::from_bytes_be(n),
                &BigUint::from_bytes_be(e),
                signed.data,
                signed.signature,
            );
            (ok, Some("RSASSA-PSS SHA-256".into()))
        }
        _ => (false, None),
    }
}

/// Checks `signed` with the candidate keys: the certificates the payload names first, then the
/// one it embeds, then the rest of the store; stops at the first key that verifies.
/// `matcher` says whether a certificate is the one the payload names.
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
    let mut verified = None;
    let mut named: Option<(&Certificate, Option<String>)> = None;
    let mut unsupported = None;
    for &(cert, in_store, is_named) in &candidates {
        let (ok, alg) = try_key(cert, signed);
        if ok {
            verified = Some((cert, in_store, alg.unwrap_or_default()));
            break;
        }
        if is_named && named.is_none() {
            named = Some((cert, alg.clone()));
        }
        if alg.is_none() && is_named {
            unsupported = Some(cert);
        }
    }
    if let Some((cert, in_store, alg)) = verified {
        let certificate_match = matcher(cert);
        let trust = store.trust_of(cert, in_store, as_of);
        let who = cert
            .common_name
            .clone()
            .unwrap_or_else(|| cert.subject.clone());
        let mut detail = format!("the signature verifies with the key of {who}");
        if certificate_match == CertificateMatch::Mismatch {
            detail.push_str(", but that certificate is not the one the payload names");
        }
        match &trust {
            TrustStatus::Chain { anchor, .. } => {
                detail.push_str(&format!(
                    "; the certificate was issued by {}",
                    anchor.subject
                ));
            }
            TrustStatus::Listed => detail.push_str("; the certificate is in the trust folder"),
            TrustStatus::Untrusted => {
                detail.push_str("; no certificate in the trust folder vouches for it");
            }
            TrustStatus::NotChecked => {}
        }
        return SignatureCheck {
            status: SignatureStatus::Valid,
            algorithm: Some(alg),
            signer: Some(cert.summary()),
            certificate_match,
            trust,
            signer_valid: Some(cert.valid_on(as_of)),
            detail,
        };
    }
    if let Some(cert) = unsupported {
        return SignatureCheck {
            status: SignatureStatus::Unsupported,
            algorithm: None,
            signer: Some(cert.summary()),
            certificate_match: matcher(cert),
            trust: TrustStatus::NotChecked,
            signer_valid: Some(cert.valid_on(as_of)),
            detail: "the signer's key type cannot be used with this payload's signature scheme"
                .into(),
        };
    }
    if let Some((cert, alg)) = named {
        return SignatureCheck {
            status: SignatureStatus::Invalid,
            algorithm: alg,
            signer: Some(cert.summary()),
            certificate_match: matcher(cert),
            trust: TrustStatus::NotChecked,
            signer_valid: Some(cert.valid_on(as_of)),
            detail: "the signature does not verify with the key of the certificate the payload \
                     names: the signed content or the signature was changed"
                .into(),
        };
    }
    SignatureCheck {
        status: SignatureStatus::NoKey,
        algorithm: None,
        signer: None,
        certificate_match: CertificateMatch::NotApplicable,
        trust: TrustStatus::NotChecked,
        signer_valid: None,
        detail: if store.is_empty() {
            "signed, but no trust material was supplied (--trust DIR)".into()
        } else {
            format!(
                "signed, but none of the {} certificates supplied verifies it or is the one it names",
                store.certificates().len()
            )
        },
    }
}
