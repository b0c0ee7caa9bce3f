//! The verdicts of a signature check, kept apart so a report can say which step failed:
//! the signature itself, whether the certificate is the one the payload names, and whether a
//! trusted CSCA vouches for it.

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
    /// A CA certificate in the trust folder signed it.
    Chain {
        /// The CA.
        anchor: CertificateSummary,
        /// Whether the CA certificate was within its validity on the "as of" date.
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
    /// Whether the signer certificate was within its validity on the "as of" date.
    pub signer_valid: Option<bool>,
    /// A sentence for the report.
    pub detail: String,
}

impl SignatureCheck {
    /// The signature verified and the trust folder vouches for the key (listed, or a chain).
    pub fn trusted(&self) -> bool {
        self.status == SignatureStatus::Valid
            && matches!(self.trust, TrustStatus::Chain { .. } | TrustStatus::Listed)
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
    trusted: bool,
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
            trusted: self.trusted(),
            detail: &self.detail,
        }
        .serialize(serializer)
    }
}
