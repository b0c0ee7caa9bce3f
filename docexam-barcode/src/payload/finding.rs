//! Structural findings about a payload: what is wrong or notable, where, how much it weighs,
//! and what usually causes it.

use serde::Serialize;

use docexam_base::severity::Severity;

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable code (`aamva.offset_mismatch`, `vds.trailing_bytes`, …).
    pub code: &'static str,
    /// How much it weighs: `error` breaks the specification, `warning` is a deviation seen on
    /// genuine documents too, `info` is worth knowing.
    pub severity: Severity,
    /// What usually causes a deviation of this kind.
    pub cause: Cause,
    /// Byte offset in the payload it is about, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// A sentence for the report.
    pub message: String,
}

/// What usually causes a finding: whether an examiner should read it as an issuer's known
/// habit, as the capture's doing, or as a sign that the payload was made or altered by
/// someone other than its issuer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Genuine documents of real issuers show it (a directory offset off by a few bytes, a
    /// byte-order mark, a certificate reference length written in decimal).
    IssuerHabit,
    /// The scanner or reader put it there (control characters, a line ending after the code).
    Capture,
    /// Issuers do not make it: data that contradicts itself or its signature, dates out of
    /// order. Weigh it as evidence of alteration or counterfeit.
    Tampering,
    /// It breaks the specification and nothing tells where it came from.
    Nonconforming,
    /// No deviation: a fact worth weighing (an expired certificate, a holder whose address
    /// lies in another jurisdiction than the issuer's).
    Notable,
}

impl Cause {
    /// The cause findings with this code have.
    pub fn of(code: &str) -> Cause {
        match code {
            "aamva.bom"
            | "aamva.separators"
            | "aamva.segment_terminator"
            | "aamva.offset_mismatch"
            | "aamva.length_mismatch"
            | "aamva.no_jurisdiction_version"
            | "aamva.subfile_prefix"
            | "aamva.date_order"
            | "aamva.element_version"
            | "aamva.unknown_element"
            | "aamva.missing_element"
            | "aamva.name_punctuation"
            | "aamva.directory_offset"
            | "aamva.no_header"
            | "vds.certificate_reference_decimal"
            | "vds.certificate_reference_fixed"
            | "vds.signature_length"
            | "idb.old_identifier"
            | "bcbp.version_marker" => Cause::IssuerHabit,
            "aamva.control_characters" | "aamva.leading_bytes" | "payload.line_ending" => {
                Cause::Capture
            }
            "aamva.iin_jurisdiction" | "dcc.expired" | "vds.expired" | "idb.message_type" => {
                Cause::Notable
            }
            "aamva.iin_country"
            | "aamva.date_sequence"
            | "vds.signed_before_issue"
            | "dcc.not_yet_issued"
            | "dcc.key_usage" => Cause::Tampering,
            _ => Cause::Nonconforming,
        }
    }
}
