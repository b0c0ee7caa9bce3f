//! Check digits: what each one covers and how it came out.

use serde::Serialize;

use super::span::Span;

/// Which check digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckKind {
    /// Over the document number (with its overflow on TD1/TD2; with the code and state on the
    /// French driving licence).
    DocumentNumber,
    /// Over the date of birth.
    BirthDate,
    /// Over the date of expiry.
    ExpiryDate,
    /// Over the personal number (TD3 optional data).
    PersonalNumber,
    /// Over several fields at once (composite, or the final check of national formats).
    Composite,
}

impl CheckKind {
    /// The stable snake_case name used in reports.
    pub const fn name(self) -> &'static str {
        match self {
            CheckKind::DocumentNumber => "document_number",
            CheckKind::BirthDate => "birth_date",
            CheckKind::ExpiryDate => "expiry_date",
            CheckKind::PersonalNumber => "personal_number",
            CheckKind::Composite => "composite",
        }
    }

    /// A label for humans.
    pub const fn label(self) -> &'static str {
        match self {
            CheckKind::DocumentNumber => "document number check digit",
            CheckKind::BirthDate => "date of birth check digit",
            CheckKind::ExpiryDate => "date of expiry check digit",
            CheckKind::PersonalNumber => "personal number check digit",
            CheckKind::Composite => "composite check digit",
        }
    }
}

/// Outcome of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The digit found equals the digit computed.
    Pass,
    /// The digit found differs from the digit computed, or could not be computed.
    Fail,
    /// The check does not apply (an empty TD3 personal number with a filler check digit).
    NotApplicable,
}

/// How a check was read, when there is more than one accepted reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckVariant {
    /// Long document number, digit over the number's characters only (ICAO 9303-5 §4.2.4).
    LongNumberIcao,
    /// Long document number, digit over the field, the filler at the check position and the
    /// overflow, as some issuers compute it.
    LongNumberWithFiller,
    /// Empty TD3 personal number with a `0` check digit.
    EmptyPersonalNumberZero,
    /// Empty TD3 personal number with a `<` check digit (check not applicable).
    EmptyPersonalNumberFiller,
}

impl CheckVariant {
    /// A sentence for humans.
    pub const fn describe(self) -> &'static str {
        match self {
            CheckVariant::LongNumberIcao => {
                "long document number: check digit over the number's characters (ICAO 9303)"
            }
            CheckVariant::LongNumberWithFiller => {
                "long document number: check digit over the field including the filler at \
                 the check position (issuer variant, not ICAO 9303)"
            }
            CheckVariant::EmptyPersonalNumberZero => "empty personal number: check digit 0",
            CheckVariant::EmptyPersonalNumberFiller => {
                "empty personal number: filler in place of the check digit"
            }
        }
    }
}

/// Up to four spans a check digit covers, in computation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Coverage {
    spans: [Option<Span>; 4],
}

impl Coverage {
    /// Coverage of the given spans (at most four are kept).
    pub fn new(spans: &[Span]) -> Self {
        let mut c = Self::default();
        for (slot, s) in c.spans.iter_mut().zip(spans) {
            *slot = Some(*s);
        }
        c
    }

    /// The covered spans in computation order.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.spans.iter().flatten().copied()
    }

    /// Whether `line`/`col` (0-based) is covered.
    pub fn contains(&self, line: u8, col: u8) -> bool {
        self.spans()
            .any(|s| s.line == line && s.start <= col && col < s.end)
    }
}

/// Where a check digit sits and what it covers in a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CheckSpec {
    pub kind: CheckKind,
    pub digit: Span,
    pub covers: &'static [Span],
}

/// The outcome of one check digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check {
    /// Which check digit.
    pub kind: CheckKind,
    /// Pass, fail or not applicable.
    pub status: CheckStatus,
    /// The digit computed from the covered characters (`None` if a covered character is not
    /// in the MRZ set, or lies beyond the end of a short line).
    pub expected: Option<u8>,
    /// The character found at the check position (`None` beyond the end of a short line).
    pub found: Option<u8>,
    /// The position of the check digit.
    pub at: Span,
    /// What the digit covers.
    pub covers: Coverage,
    /// Which accepted reading passed, when there is more than one.
    pub variant: Option<CheckVariant>,
}

impl Check {
    /// Whether the check passed or does not apply.
    pub fn is_ok(&self) -> bool {
        self.status != CheckStatus::Fail
    }
}
