//! Structural findings about a payload: what is wrong or notable, where, and how much it weighs.

use serde::Serialize;

use crate::mrz::Severity;

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable code (`aamva.offset_mismatch`, `vds.trailing_bytes`, …).
    pub code: &'static str,
    /// How much it weighs: `error` breaks the specification, `warning` is a deviation seen on
    /// genuine documents too, `info` is worth knowing.
    pub severity: Severity,
    /// Byte offset in the payload it is about, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// A sentence for the report.
    pub message: String,
}
