//! How much a finding weighs: one scale for MRZ findings, payload findings and cross-checks,
//! so that every layer grades what it finds alike.

use serde::Serialize;

/// How much a finding weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; does not affect validity.
    Info,
    /// A conformance problem or a fact an examiner must weigh (expired, specimen state, …);
    /// does not make the MRZ invalid.
    Warning,
    /// The MRZ breaks a rule of its format: it is not valid.
    Error,
}
