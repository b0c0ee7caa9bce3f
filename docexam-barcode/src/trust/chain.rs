//! How far the trust material vouches for a signer certificate: the chain a verifier builds
//! from the signer to an anchor, and what speaks against it.
//!
//! Anchors are the CA certificates of the trust folder (basic constraints cA and, where key
//! usage is present, keyCertSign): CSCAs, their link certificates, the CSCAs of a master list
//! whose signature held. A signer is vouched for when an anchor issued it, or when it is itself
//! in the trust folder (a list of document signers, as EU DCC trust lists are). A certificate
//! that is not a CA never makes a chain, whatever it signed.

use super::TrustStore;
use super::cert::Certificate;
use super::verdict::TrustStatus;
use docexam_base::date::CivilDate;

/// Longest chain followed above the issuer (link certificates, then a self-signed CSCA).
const MAX_DEPTH: usize = 4;

/// What the trust material says of a signer certificate.
#[derive(Debug)]
pub(crate) struct Vouching<'a> {
    /// The trust verdict.
    pub trust: TrustStatus,
    /// The CA certificates above the signer, nearest first.
    pub path: Vec<&'a Certificate>,
    /// What stands against the signer (each makes the seal unproven).
    pub problems: Vec<String>,
    /// What is worth saying but stands against nothing.
    pub warnings: Vec<String>,
}

/// The CA certificates of the store that issued `cert`, those valid on `date` first.
fn issuers<'a>(store: &'a TrustStore, cert: &Certificate, date: CivilDate) -> Vec<&'a Certificate> {
    let mut found: Vec<&Certificate> = store
        .certificates()
        .iter()
        .filter(|c| c.der != cert.der && c.is_certificate_authority() && cert.is_signed_by(c))
        .collect();
    found.sort_by_key(|c| !c.valid_on(date));
    found
}

fn validity(c: &Certificate) -> String {
    match (c.not_before, c.not_after) {
        (Some(a), Some(b)) => format!("valid {a} to {b}"),
        _ => "validity unreadable".into(),
    }
}

/// Judges `signer`: `in_store` says whether it is itself in the trust folder, `date` is the day
/// that counts (the signing date, else the as-of date), `as_of` the examination's date.
pub(crate) fn vouch<'a>(
    store: &'a TrustStore,
    signer: &'a Certificate,
    in_store: bool,
    date: CivilDate,
    as_of: CivilDate,
) -> Vouching<'a> {
    let mut v = Vouching {
        trust: TrustStatus::Untrusted,
        path: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let who = signer.who();
    let mut current = signer;
    // Up to a self-signed CSCA (a link certificate, self-issued under another key, goes on to
    // the CSCA that signed it), never through a certificate twice.
    while v.path.len() < MAX_DEPTH {
        if !v.path.is_empty() && current.is_signed_by(current) {
            break;
        }
        let Some(issuer) = issuers(store, current, date)
            .into_iter()
            .find(|c| !v.path.iter().any(|p| p.der == c.der))
        else {
            break;
        };
        v.path.push(issuer);
        current = issuer;
    }
    if let Some(anchor) = v.path.first() {
        v.trust = TrustStatus::Chain {
            anchor: anchor.summary(),
            anchor_valid: anchor.valid_on(date),
        };
    } else if in_store {
        v.trust = TrustStatus::Listed;
    } else {
        v.problems.push(unvouched(store, signer));
    }
    if !signer.valid_on(date) {
        v.problems.push(format!(
            "the signer {who} was not valid on {date} ({})",
            validity(signer)
        ));
    } else if date < as_of && !signer.valid_on(as_of) {
        v.warnings.push(format!(
            "the signer {who} was valid when it signed ({date}) and has expired since ({})",
            validity(signer)
        ));
    }
    if let Some(anchor) = v.path.first()
        && !anchor.valid_on(date)
    {
        v.problems.push(format!(
            "the issuer {} was not valid on {date} ({})",
            anchor.who(),
            validity(anchor)
        ));
    }
    if !signer.may_sign_documents() {
        v.problems.push(format!(
            "the signer {who}'s key usage does not include digitalSignature"
        ));
    }
    let mut checked = vec![signer];
    checked.extend(v.path.iter().copied());
    for (cert, issuer) in checked.iter().zip(v.path.iter()) {
        for crl in store.crls().iter().filter(|l| l.covers(cert)) {
            if let Some(on) = crl.revocation_of(cert) {
                v.problems.push(format!(
                    "{} was revoked on {on} by {}",
                    cert.who(),
                    issuer.who()
                ));
            }
            if crl.next_update.is_some_and(|n| n < as_of) {
                v.warnings.push(format!(
                    "the revocation list of {} was due to be replaced on {} (as of {as_of})",
                    issuer.who(),
                    crl.next_update.map(|d| d.to_string()).unwrap_or_default()
                ));
            }
        }
    }
    v
}

/// Why nothing vouches for `signer`: the closest explanation the store allows.
fn unvouched(store: &TrustStore, signer: &Certificate) -> String {
    let who = signer.who();
    let signed_by_non_ca = store
        .certificates()
        .iter()
        .find(|c| c.der != signer.der && !c.is_certificate_authority() && signer.is_signed_by(c));
    if let Some(c) = signed_by_non_ca {
        return format!(
            "the signer {who} was signed by {}, which is not a CA certificate and cannot vouch \
             for it",
            c.who()
        );
    }
    let namesake = store.certificates().iter().any(|c| {
        c.is_certificate_authority() && signer.issued_by_name(c.subject_name_der(), &c.subject)
    });
    if namesake {
        return format!(
            "the signer {who} names {} as its issuer, but no CA certificate of that name in the \
             trust material signed it",
            signer.issuer
        );
    }
    format!(
        "no CA certificate in the trust material issued the signer {who} (issuer {}), and it is \
         not itself in the trust material",
        signer.issuer
    )
}
