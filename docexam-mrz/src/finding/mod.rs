//! Findings: everything notable about an MRZ beyond its check digits, each with a stable code,
//! a severity, a position and a sentence for the report.

mod message;

use super::charset::CharClass;
use super::check::{CheckKind, CheckVariant};
use super::codes::{CodeClass, CodeInfo};
use super::field::FieldKind;
use super::format::MrzFormat;
use super::span::Span;
use docexam_base::date::CivilDate;

pub use docexam_base::severity::Severity;

/// Why a date field is not a calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateProblem {
    /// The month is not 01–12.
    Month,
    /// The day does not exist in that month.
    Day,
    /// Fillers are mixed with digits in a pattern ICAO does not allow (only a trailing day,
    /// or trailing month and day, may be unknown).
    FillerPattern,
}

/// Why a document code is not allowed for its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DocumentCodeRule {
    /// TD3 passports start with `P`.
    PassportP,
    /// TD1/TD2 cards start with `I`, `A` or `C`.
    CardIac,
    /// TD1/TD2 cards must not use `V` as the second character (reserved for visas).
    CardNotV,
    /// Visas start with `V`.
    VisaV,
    /// The second character must be a letter or a filler.
    SecondCharacter,
    /// The code this national format requires.
    National(&'static str),
}

/// What a finding is about, with the values it was measured on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FindingKind {
    /// No known format has this number and length of lines.
    UnknownFormat {
        /// Length of every line, in order.
        line_lengths: [usize; 3],
        /// Number of lines.
        lines: usize,
    },
    /// A line is longer or shorter than its format requires.
    LineLength {
        /// Format read.
        format: MrzFormat,
        /// Characters found on the line.
        found: usize,
        /// Characters the format requires.
        expected: usize,
    },
    /// A character outside the MRZ set (`A`–`Z`, `0`–`9`, `<`).
    InvalidCharacter {
        /// The character as it appeared in the input.
        ch: char,
    },
    /// A character of the MRZ set that the field does not admit (a digit in a name).
    WrongClass {
        /// The field.
        field: FieldKind,
        /// The character.
        ch: char,
        /// What the field admits.
        class: CharClass,
    },
    /// A check-digit position holds something other than a digit.
    CheckDigitNotDigit {
        /// Which check.
        check: CheckKind,
        /// The character found.
        ch: char,
    },
    /// A check digit does not match (also listed under the checks).
    CheckDigitMismatch {
        /// Which check.
        check: CheckKind,
        /// The digit computed.
        expected: u8,
        /// The character found.
        found: char,
    },
    /// A check passed under an accepted variant reading.
    CheckVariantUsed {
        /// Which check.
        check: CheckKind,
        /// The variant.
        variant: CheckVariant,
    },
    /// The document code is not allowed for the format.
    DocumentCode {
        /// The two characters.
        code: [u8; 2],
        /// The rule broken.
        rule: DocumentCodeRule,
    },
    /// An issuing-state or nationality code that is not a plain ICAO state code.
    Code {
        /// Issuing state or nationality.
        field: FieldKind,
        /// The three characters.
        code: [u8; 3],
        /// What the code is.
        info: CodeInfo,
    },
    /// The document number is empty.
    DocumentNumberEmpty,
    /// The document number has a filler followed by more characters.
    DocumentNumberInnerFiller,
    /// Long-number marker (`<` at the check position) with no overflow characters after it.
    OverflowEmpty,
    /// Long-number overflow that runs to the end of the optional data, leaving no room for its
    /// check digit.
    OverflowUnterminated,
    /// A date holds letters. Noted separately when the check digit passes anyway, since letters
    /// have values in check-digit arithmetic (`BB0911` and `880911` share a check digit).
    DateNotNumeric {
        /// Which date.
        field: FieldKind,
        /// Whether its check digit passed on the letters.
        check_digit_passes: bool,
    },
    /// A date that is not a calendar date.
    DateInvalid {
        /// Which date.
        field: FieldKind,
        /// What is wrong.
        problem: DateProblem,
    },
    /// A date entirely made of fillers: unknown (birth) or no expiry.
    DateUnknown {
        /// Which date.
        field: FieldKind,
    },
    /// A date with fillers for unknown day, or month and day.
    DatePartlyUnknown {
        /// Which date.
        field: FieldKind,
        /// The resolved year.
        year: i32,
        /// The month, when known.
        month: Option<u8>,
    },
    /// `00` used for an unknown month or day: seen on genuine documents, not ICAO 9303.
    DateZeroForUnknown {
        /// Which date.
        field: FieldKind,
    },
    /// The document expired before the date of examination.
    Expired {
        /// Date of expiry.
        expiry: CivilDate,
        /// Date of examination.
        as_of: CivilDate,
    },
    /// The date of expiry precedes the date of birth.
    ExpiryBeforeBirth {
        /// Date of birth.
        birth: CivilDate,
        /// Date of expiry.
        expiry: CivilDate,
    },
    /// The holder's age on the date of examination is implausible.
    ImplausibleAge {
        /// Whole years.
        years: i32,
    },
    /// The date (or month) of issue is before the date of birth.
    IssueDateImplausible {
        /// Which field.
        field: FieldKind,
    },
    /// Sex `X`: used by several states for unspecified sex, not in every edition of ICAO 9303.
    SexX,
    /// The sex field holds something other than `M`, `F`, `X` or `<`.
    SexInvalid {
        /// The character.
        ch: char,
    },
    /// The name field is empty.
    NameEmpty,
    /// The name starts with `<<`: no primary identifier.
    NamePrimaryEmpty,
    /// The name field is full to its last character: the name may be truncated.
    NameMayBeTruncated {
        /// Which name field.
        field: FieldKind,
    },
    /// Three or more fillers inside a name, or a name starting with a single filler.
    NameFillers {
        /// Which name field.
        field: FieldKind,
    },
    /// A position that must hold a filler holds something else.
    FillerExpected {
        /// The character found.
        ch: char,
    },
    /// A field value outside the values its format defines (Swiss language code, …).
    ValueNotAllowed {
        /// The field.
        field: FieldKind,
        /// What is allowed.
        allowed: &'static str,
    },
    /// Repair changed a character, confirmed by a check digit (also listed under repairs).
    Repaired {
        /// Original character.
        from: char,
        /// Replacement.
        to: char,
        /// What confirms it.
        basis: String,
    },
    /// Raw OCR output was cleaned before reading (a line dropped, spaces removed, …).
    TextCleaned {
        /// What was done, as a sentence.
        change: String,
    },
    /// A state code on no code list that repair could not resolve: none of its look-alike
    /// readings is listed, or several are. Left unchanged.
    RepairCodeUnresolved {
        /// The field (issuing state or nationality).
        field: FieldKind,
        /// The code as read.
        read: String,
        /// The listed codes its look-alike readings give.
        candidates: Vec<String>,
    },
    /// Several single substitutions satisfy a failing check digit: nothing was changed.
    RepairAmbiguous {
        /// The failing check.
        check: CheckKind,
        /// The candidate readings: (line, column, from, to), 0-based.
        candidates: Vec<(u8, u8, char, char)>,
    },
    /// No substitution of look-alike characters satisfies a failing check digit.
    RepairNotFound {
        /// The failing check.
        check: CheckKind,
    },
    /// A character whose look-alike has the same check-digit value: a misreading here cannot
    /// be detected.
    CheckDigitBlindSpot {
        /// The check that cannot tell them apart.
        check: CheckKind,
        /// The character read.
        ch: char,
        /// The look-alike that would pass the same check.
        alternative: char,
    },
    /// A check digit passes over characters its field cannot hold (letters in a date) and
    /// still passes with their look-alikes: it cannot confirm the replacement, so nothing
    /// changed.
    RepairClassOnly {
        /// The check that passes either way.
        check: CheckKind,
        /// The replacements it cannot confirm: (line, column, from, to), 0-based.
        candidates: Vec<(u8, u8, char, char)>,
    },
    /// One substitution would satisfy a failing check digit, but it replaces a character the
    /// field admits and no second check digit confirms it: nothing changed.
    RepairCandidateUnconfirmed {
        /// The failing check.
        check: CheckKind,
        /// The substitution(s) of the one candidate reading: (line, column, from, to), 0-based.
        candidates: Vec<(u8, u8, char, char)>,
    },
    /// Replacing characters a field cannot hold would make another check digit fail, so the
    /// text was left as read: the check digits contradict the obvious reading.
    RepairContradicted {
        /// The check whose covered characters hold the impossible characters.
        check: CheckKind,
        /// The check the replacement would break.
        by: CheckKind,
    },
    /// Repair was not attempted because the shape of the text is not a known format.
    RepairNotAttempted,
}

/// A finding with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// Where, if it has a place in the text.
    pub span: Option<Span>,
}

impl Finding {
    /// A finding at `span`.
    pub fn at(kind: FindingKind, span: Span) -> Self {
        Self {
            kind,
            span: Some(span),
        }
    }

    /// A finding about the whole MRZ.
    pub fn whole(kind: FindingKind) -> Self {
        Self { kind, span: None }
    }

    /// The stable code of this finding.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The severity of this finding.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// The sentence for the report.
    pub fn message(&self) -> String {
        self.kind.message()
    }
}

/// Sorts findings by position, whole-MRZ findings first; stable, so findings at one position
/// keep the order they were found in.
pub(crate) fn sort(findings: &mut [Finding]) {
    findings.sort_by_key(|f| f.span.map(|s| (s.line, s.start)));
}

impl FindingKind {
    /// The stable snake_case code, documented in `docs/mrz.md`.
    pub fn code(&self) -> &'static str {
        match self {
            FindingKind::UnknownFormat { .. } => "unknown_format",
            FindingKind::LineLength { .. } => "line_length",
            FindingKind::InvalidCharacter { .. } => "invalid_character",
            FindingKind::WrongClass { .. } => "wrong_character_class",
            FindingKind::CheckDigitNotDigit { .. } => "check_digit_not_digit",
            FindingKind::CheckDigitMismatch { .. } => "check_digit_mismatch",
            FindingKind::CheckVariantUsed { .. } => "check_digit_variant",
            FindingKind::DocumentCode { .. } => "document_code",
            FindingKind::Code { info, .. } => match info.class {
                CodeClass::NationalityOnly => "code_not_an_issuing_state",
                CodeClass::Specimen => "specimen_state",
                CodeClass::NonIcao => "code_not_icao",
                CodeClass::Withdrawn(_) => "code_withdrawn",
                CodeClass::KnownInvalid => "code_known_invalid",
                _ => "code_unknown",
            },
            FindingKind::DocumentNumberEmpty => "document_number_empty",
            FindingKind::DocumentNumberInnerFiller => "document_number_inner_filler",
            FindingKind::OverflowEmpty => "document_number_overflow_empty",
            FindingKind::OverflowUnterminated => "document_number_overflow_unterminated",
            FindingKind::DateNotNumeric { .. } => "date_not_numeric",
            FindingKind::DateInvalid { .. } => "date_invalid",
            FindingKind::DateUnknown { .. } => "date_unknown",
            FindingKind::DatePartlyUnknown { .. } => "date_partly_unknown",
            FindingKind::DateZeroForUnknown { .. } => "date_zero_for_unknown",
            FindingKind::Expired { .. } => "document_expired",
            FindingKind::ExpiryBeforeBirth { .. } => "expiry_before_birth",
            FindingKind::ImplausibleAge { .. } => "implausible_age",
            FindingKind::IssueDateImplausible { .. } => "issue_date_implausible",
            FindingKind::SexX => "sex_x",
            FindingKind::SexInvalid { .. } => "sex_invalid",
            FindingKind::NameEmpty => "name_empty",
            FindingKind::NamePrimaryEmpty => "name_primary_identifier_empty",
            FindingKind::NameMayBeTruncated { .. } => "name_possibly_truncated",
            FindingKind::NameFillers { .. } => "name_fillers",
            FindingKind::FillerExpected { .. } => "filler_expected",
            FindingKind::ValueNotAllowed { .. } => "value_not_allowed",
            FindingKind::Repaired { .. } => "repair_applied",
            FindingKind::RepairCodeUnresolved { .. } => "repair_code_unresolved",
            FindingKind::TextCleaned { .. } => "text_cleaned",
            FindingKind::RepairAmbiguous { .. } => "repair_ambiguous",
            FindingKind::RepairNotFound { .. } => "repair_not_found",
            FindingKind::CheckDigitBlindSpot { .. } => "check_digit_blind_spot",
            FindingKind::RepairClassOnly { .. } => "repair_class_only",
            FindingKind::RepairCandidateUnconfirmed { .. } => "repair_candidate_unconfirmed",
            FindingKind::RepairContradicted { .. } => "repair_contradicted",
            FindingKind::RepairNotAttempted => "repair_not_attempted",
        }
    }

    /// How much the finding weighs.
    pub fn severity(&self) -> Severity {
        use Severity::{Error, Info, Warning};
        match self {
            FindingKind::UnknownFormat { .. }
            | FindingKind::LineLength { .. }
            | FindingKind::InvalidCharacter { .. }
            | FindingKind::WrongClass { .. }
            | FindingKind::CheckDigitNotDigit { .. }
            | FindingKind::CheckDigitMismatch { .. }
            | FindingKind::DocumentCode { .. }
            | FindingKind::DocumentNumberEmpty
            | FindingKind::OverflowEmpty
            | FindingKind::DateNotNumeric { .. }
            | FindingKind::DateInvalid { .. }
            | FindingKind::ExpiryBeforeBirth { .. }
            | FindingKind::SexInvalid { .. }
            | FindingKind::NameEmpty
            | FindingKind::FillerExpected { .. }
            | FindingKind::ValueNotAllowed { .. } => Error,
            FindingKind::Code { info, .. } => match info.class {
                CodeClass::Specimen | CodeClass::NonIcao => Warning,
                _ => Error,
            },
            FindingKind::Expired { .. }
            | FindingKind::ImplausibleAge { .. }
            | FindingKind::IssueDateImplausible { .. }
            | FindingKind::DocumentNumberInnerFiller
            | FindingKind::OverflowUnterminated
            | FindingKind::RepairCandidateUnconfirmed { .. }
            | FindingKind::DateZeroForUnknown { .. }
            | FindingKind::SexX
            | FindingKind::NamePrimaryEmpty
            | FindingKind::NameFillers { .. }
            | FindingKind::RepairAmbiguous { .. }
            | FindingKind::RepairNotFound { .. }
            | FindingKind::CheckDigitBlindSpot { .. }
            | FindingKind::RepairClassOnly { .. }
            | FindingKind::RepairContradicted { .. } => Warning,
            FindingKind::CheckVariantUsed { variant, .. } => match variant {
                CheckVariant::LongNumberWithFiller => Warning,
                _ => Info,
            },
            FindingKind::DateUnknown { .. }
            | FindingKind::DatePartlyUnknown { .. }
            | FindingKind::NameMayBeTruncated { .. }
            | FindingKind::Repaired { .. }
            | FindingKind::RepairCodeUnresolved { .. }
            | FindingKind::TextCleaned { .. }
            | FindingKind::RepairNotAttempted => Info,
        }
    }
}
