//! The verdicts of a signature check, kept apart so a report can say which step failed:
//! the signature itself, whether the certificate is the one the payload names, whether a
//! trusted CSCA vouches for it, and, from all of them, the seal's authenticity.

use serde::Serialize;

use super::cert::CertificateSummary;

/// The outcome of the cryptographic check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// A supplied (or embedded) key verifies the signature.
    Valid,
    /// The signature does not verify with the key that should have made it, or is malformed.
    Invalid,
    /// The payload is signed but no key to check it was supplied.
    NoKey,
    /// The payload carries no signature.
    NotSigned,
    /// Signed with an algorithm docexam cannot verify (named in `detail`).
    Unsupported,
}

/// What the checks together establish about the seal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Authenticity {
    /// The signature verifies with the certificate the payload names, that certificate is
    /// vouched for by the trust material (issued by a CA certificate in it, or itself in it),
    /// was valid when it signed, may sign documents, and is not revoked.
    Proven,
    /// The signature verifies, but trust material was supplied and does not vouch for the
    /// seal: the signer does not chain to it or is not found in it, is not the certificate the
    /// payload names, was not valid, may not sign such documents, or was revoked
    /// (see `problems`).
    Unproven,
    /// The signature does not verify with the key of the certificate the payload names: the
    /// signed content or the signature was changed.
    False,
    /// Authenticity was not checked: no trust material was supplied, or the signature's
    /// algorithm is not one docexam verifies.
    NotChecked,
    /// The payload carries no signature.
    NotSigned,
}

impl Authenticity {
    /// The word used in reports (`proven`, `not_checked`, …).
    pub fn name(self) -> &'static str {
        match self {
            Authenticity::Proven => "proven",
            Authenticity::Unproven => "unproven",
            Authenticity::False => "false",
            Authenticity::NotChecked => "not_checked",
            Authenticity::NotSigned => "not_signed",
        }
    }

    /// A phrase for people (`authenticity not checked`).
    pub fn phrase(self) -> &'static str {
        match self {
            Authenticity::Proven => "authentic: signer vouched for by the trust material",
            Authenticity::Unproven => "NOT PROVEN: the trust material does not vouch for it",
            Authenticity::False => "FALSE: the signature does not verify",
            Authenticity::NotChecked => "authenticity not checked",
            Authenticity::NotSigned => "not signed",
        }
    }
}

/// Whether the certificate used is the one the payload refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateMatch {
    /// The certificate's country, signer and reference (or key id) agree with the payload.
    Matches,
    /// They do not agree (the signature may still verify: an examiner must look).
    Mismatch,
    /// The payload names no certificate, or the certificate carries nothing to compare.
    NotApplicable,
}

/// Whether the verifying certificate is trusted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TrustStatus {
    /// A CA certificate in the trust folder issued it (directly, or it is the nearest of a
    /// chain of CA certificates there).
    Chain {
        /// The CA.
        anchor: CertificateSummary,
        /// Whether the CA certificate was within its validity on the date that counts.
        anchor_valid: bool,
    },
    /// It is itself in the trust folder (a trust list of signers), with no CA above it there.
    Listed,
    /// Nothing in the trust folder vouches for it (e.g. a certificate embedded in the code).
    Untrusted,
    /// There was no certificate to check.
    NotChecked,
}

/// Everything checked about a payload's signature. Its JSON adds `trusted` (see
/// [`trusted`](Self::trusted)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureCheck {
    /// The cryptographic verdict.
    pub status: SignatureStatus,
    /// Signature algorithm, e.g. `ECDSA brainpoolP256r1 SHA-256`.
    pub algorithm: Option<String>,
    /// The certificate that verified it (or, when nothing verified, the one that should have).
    pub signer: Option<CertificateSummary>,
    /// Whether that certificate is the one the payload names.
    pub certificate_match: CertificateMatch,
    /// Whether the certificate is trusted.
    pub trust: TrustStatus,
    /// Whether the signer certificate was within its validity on the date that counts (the
    /// signing date the payload states, else the "as of" date).
    pub signer_valid: Option<bool>,
    /// The certificates above the signer that vouch for it, nearest first (the anchor last).
    pub chain: Vec<CertificateSummary>,
    /// What the checks together establish.
    pub authenticity: Authenticity,
    /// Why authenticity is not proven, one sentence each (empty when proven).
    pub problems: Vec<String>,
    /// Facts to weigh that do not stand against authenticity (a signer expired since it
    /// signed, a revocation list past its next update).
    pub warnings: Vec<String>,
    /// A sentence for the report.
    pub detail: String,
}

impl SignatureCheck {
    /// The seal's authenticity is proven: the signature verified and the trust material
    /// vouches for its signer with nothing against it.
    pub fn trusted(&self) -> bool {
        self.authenticity == Authenticity::Proven
    }

    /// The authenticity, the problems and the detail as one sentence for a report.
    pub fn sentence(&self) -> String {
        let mut s = self.detail.clone();
        for p in &self.problems {
            s.push_str("; ");
            s.push_str(p);
        }
        s
    }

    /// A signature whose algorithm docexam does not verify. With trust material supplied
    /// the seal is unproven (nothing vouches for what cannot be verified, and a forger chooses
    /// the algorithm); without, its authenticity was not checked.
    pub fn unsupported(detail: impl Into<String>, trust_supplied: bool) -> Self {
        let detail = detail.into();
        let mut c = Self {
            status: SignatureStatus::Unsupported,
            authenticity: Authenticity::NotChecked,
            ..Self::not_signed(detail.clone())
        };
        if trust_supplied {
            c.authenticity = Authenticity::Unproven;
            c.problems.push(format!(
                "the signature cannot be verified ({detail}), so the trust material cannot \
                 vouch for it"
            ));
        }
        c
    }

    /// A payload without a signature.
    pub fn not_signed(detail: impl Into<String>) -> Self {
        Self {
            status: SignatureStatus::NotSigned,
            algorithm: None,
            signer: None,
            certificate_match: CertificateMatch::NotApplicable,
            trust: TrustStatus::NotChecked,
            signer_valid: None,
            chain: Vec::new(),
            authenticity: Authenticity::NotSigned,
            problems: Vec::new(),
            warnings: Vec::new(),
            detail: detail.into(),
        }
    }
}

/// The JSON form of a [`SignatureCheck`]: its fields, with `trusted` derived.
#[derive(Serialize)]
struct Wire<'a> {
    status: SignatureStatus,
    algorithm: &'a Option<String>,
    signer: &'a Option<CertificateSummary>,
    certificate_match: CertificateMatch,
    trust: &'a TrustStatus,
    signer_valid: Option<bool>,
    chain: &'a [CertificateSummary],
    trusted: bool,
    authenticity: Authenticity,
    problems: &'a [String],
    warnings: &'a [String],
    detail: &'a str,
}

impl Serialize for SignatureCheck {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            status: self.status,
            algorithm: &self.algorithm,
            signer: &self.signer,
            certificate_match: self.certificate_match,
            trust: &self.trust,
            signer_valid: self.signer_valid,
            chain: &self.chain,
            trusted: self.trusted(),
            authenticity: self.authenticity,
            problems: &self.problems,
            warnings: &self.warnings,
            detail: &self.detail,
        }
        .serialize(serializer)
    }
}
