//! Findings: everything notable about an MRZ beyond its check digits, each with a stable code,
//! a severity, a position and a sentence for the report.

use serde::Serialize;

use super::charset::CharClass;
use super::check::{CheckKind, CheckVariant};
use super::codes::{CodeClass, CodeInfo};
use super::field::FieldKind;
use super::format::MrzFormat;
use super::span::Span;
use crate::date::CivilDate;

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
        /// The check that confirms it.
        confirmed_by: CheckKind,
        /// A second check that confirms it, when one was required or available.
        also_confirmed_by: Option<CheckKind>,
    },
    /// Repair found a likely misreading that no check digit covers, and left it unchanged.
    RepairUnconfirmed {
        /// The field.
        field: FieldKind,
        /// The character found.
        from: char,
        /// The character it may stand for.
        to: char,
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

fn class_words(class: CharClass) -> &'static str {
    match class {
        CharClass::Alpha => "letters and fillers",
        CharClass::Numeric => "digits",
        CharClass::NumericOrFiller => "digits and fillers",
        CharClass::AlphaNumeric => "letters, digits and fillers",
    }
}

fn substitutions(list: &[(u8, u8, char, char)]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|(l, c, f, t)| format!("{f:?}->{t:?} at line {}, column {}", l + 1, c + 1))
        .collect();
    items.join("; ")
}

/// Sorts findings by position, whole-MRZ findings first; stable, so findings at one position
/// keep the order they were found in.
pub(crate) fn sort(findings: &mut [Finding]) {
    findings.sort_by_key(|f| f.span.map(|s| (s.line, s.start)));
}

fn code_str(code: &[u8]) -> String {
    String::from_utf8_lossy(code).into_owned()
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
            FindingKind::RepairUnconfirmed { .. } => "repair_unconfirmed",
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
            | FindingKind::RepairUnconfirmed { .. }
            | FindingKind::RepairNotAttempted => Info,
        }
    }

    /// The sentence for the report.
    pub fn message(&self) -> String {
        match self {
            FindingKind::UnknownFormat {
                line_lengths,
                lines,
            } => {
                let lens: Vec<String> = line_lengths
                    .iter()
                    .take(*lines)
                    .map(|n| n.to_string())
                    .collect();
                format!(
                    "unknown MRZ format: {lines} line(s) of {} characters; known formats are \
                     TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44), MRV-B (2x36), French ID \
                     (2x36), French or ISO driving licence (1x30), Swiss driving licence (9+30+30)",
                    lens.join("/")
                )
            }
            FindingKind::LineLength {
                format,
                found,
                expected,
            } => format!(
                "line has {found} characters where {} requires {expected}; fields after the \
                 missing or extra characters are misplaced",
                format.name()
            ),
            FindingKind::InvalidCharacter { ch } => format!(
                "{ch:?} (U+{:04X}) is not in the MRZ character set (A-Z, 0-9, <)",
                u32::from(*ch)
            ),
            FindingKind::WrongClass { field, ch, class } => format!(
                "{ch:?} in the {}, which holds only {}",
                field.label(),
                class_words(*class)
            ),
            FindingKind::CheckDigitNotDigit { check, ch } => {
                format!("the {} position holds {ch:?}, not a digit", check.label())
            }
            FindingKind::CheckDigitMismatch {
                check,
                expected,
                found,
            } => {
                format!(
                    "{} is {found:?} but the covered characters give {expected}",
                    check.label()
                )
            }
            FindingKind::CheckVariantUsed { check, variant } => {
                format!("{} passed as {}", check.label(), variant.describe())
            }
            FindingKind::DocumentCode { code, rule } => {
                let code = code_str(code);
                match rule {
                    DocumentCodeRule::PassportP => {
                        format!("document code {code:?}: passports (TD3) must start with P")
                    }
                    DocumentCodeRule::CardIac => {
                        format!("document code {code:?}: TD1/TD2 cards must start with I, A or C")
                    }
                    DocumentCodeRule::CardNotV => format!(
                        "document code {code:?}: V as second character is reserved for visas \
                         and not allowed on TD1/TD2 cards"
                    ),
                    DocumentCodeRule::VisaV => {
                        format!("document code {code:?}: visas must start with V")
                    }
                    DocumentCodeRule::SecondCharacter => format!(
                        "document code {code:?}: the second character must be a letter or <"
                    ),
                    DocumentCodeRule::National(want) => {
                        format!("document code {code:?}: this format requires {want}")
                    }
                }
            }
            FindingKind::Code { field, code, info } => {
                let c = code_str(code);
                let what = field.label();
                match info.class {
                    CodeClass::NationalityOnly => format!(
                        "{what} {c:?} ({}) denotes a nationality class, not an issuing state",
                        info.name
                    ),
                    CodeClass::Specimen => format!(
                        "{what} {c:?} is ICAO's specimen state Utopia: no genuine document \
                         bears it"
                    ),
                    CodeClass::NonIcao => format!(
                        "{what} {c:?} ({}) is used on real documents but is not on ICAO Doc \
                         9303's list",
                        info.name
                    ),
                    CodeClass::Withdrawn(year) => format!(
                        "{what} {c:?} ({}) was withdrawn from ISO 3166 in {year} and is not \
                         a current code",
                        info.name
                    ),
                    CodeClass::KnownInvalid => {
                        format!("{what} {c:?} is not a valid MRZ code: {}", info.name)
                    }
                    _ => format!("{what} {c:?} is not on ICAO Doc 9303's list of codes"),
                }
            }
            FindingKind::DocumentNumberEmpty => "the document number is empty".to_owned(),
            FindingKind::DocumentNumberInnerFiller => {
                "the document number has a filler followed by more characters".to_owned()
            }
            FindingKind::OverflowEmpty => "the document number check position holds < (long \
                number marker) but no overflow characters follow in the optional data: \
                malformed long document number"
                .to_owned(),
            FindingKind::OverflowUnterminated => "the long document number overflow fills the \
                optional data with no filler after its check digit"
                .to_owned(),
            FindingKind::DateNotNumeric {
                field,
                check_digit_passes,
            } => {
                let mut m = format!("the {} holds letters, not a date", field.label());
                if *check_digit_passes {
                    m.push_str(
                        "; its check digit passes anyway, because letters count in \
                         check-digit arithmetic (B=11, so BB0911 and 880911 share a digit)",
                    );
                }
                m
            }
            FindingKind::DateInvalid { field, problem } => {
                let why = match problem {
                    DateProblem::Month => "the month is not 01-12",
                    DateProblem::Day => "that day does not exist in that month",
                    DateProblem::FillerPattern => {
                        "fillers may only replace the day, or the month and day, or the whole date"
                    }
                };
                format!("the {} is not a calendar date: {why}", field.label())
            }
            FindingKind::DateUnknown { field } => match field {
                FieldKind::ExpiryDate => "no date of expiry (all fillers)".to_owned(),
                _ => format!("the {} is unknown (all fillers)", field.label()),
            },
            FindingKind::DatePartlyUnknown { field, year, month } => match month {
                Some(m) => format!(
                    "the {} is known to the month only: {year}-{m:02}",
                    field.label()
                ),
                None => format!("the {} is known to the year only: {year}", field.label()),
            },
            FindingKind::DateZeroForUnknown { field } => format!(
                "the {} uses 00 for an unknown month or day; ICAO 9303 uses fillers",
                field.label()
            ),
            FindingKind::Expired { expiry, as_of } => {
                format!("the document expired on {expiry} (examined as of {as_of})")
            }
            FindingKind::ExpiryBeforeBirth { birth, expiry } => {
                format!("the date of expiry {expiry} is before the date of birth {birth}")
            }
            FindingKind::ImplausibleAge { years } => {
                format!("the holder would be {years} years old")
            }
            FindingKind::IssueDateImplausible { field } => {
                format!("the {} is before the date of birth", field.label())
            }
            FindingKind::SexX => "sex X (unspecified): used by several issuers, flagged for \
                conformance with the issuer's specimen"
                .to_owned(),
            FindingKind::SexInvalid { ch } => format!("sex {ch:?} is not M, F, X or <"),
            FindingKind::NameEmpty => "the name field is empty".to_owned(),
            FindingKind::NamePrimaryEmpty => {
                "the name starts with <<: no primary identifier (surname)".to_owned()
            }
            FindingKind::NameMayBeTruncated { field } => format!(
                "the {} field is full to its last character: the name may be truncated",
                field.label()
            ),
            FindingKind::NameFillers { field } => format!(
                "the {} has a leading filler or three or more fillers between components",
                field.label()
            ),
            FindingKind::FillerExpected { ch } => {
                format!("{ch:?} where the format requires a filler <")
            }
            FindingKind::ValueNotAllowed { field, allowed } => {
                format!("the {} must be {allowed}", field.label())
            }
            FindingKind::Repaired {
                from,
                to,
                confirmed_by,
                also_confirmed_by,
            } => {
                let mut m = format!(
                    "repaired {from:?} to {to:?}, confirmed by the {}",
                    confirmed_by.label()
                );
                if let Some(also) = also_confirmed_by {
                    m.push_str(" and the ");
                    m.push_str(also.label());
                }
                m
            }
            FindingKind::RepairUnconfirmed { field, from, to } => format!(
                "{from:?} in the {} is probably a misread {to:?}; no check digit covers it, so \
                 it was left unchanged",
                field.label()
            ),
            FindingKind::RepairAmbiguous { check, candidates } => format!(
                "{} fails and several readings would satisfy it ({}); nothing was changed",
                check.label(),
                substitutions(candidates)
            ),
            FindingKind::RepairCandidateUnconfirmed { check, candidates } => format!(
                "{} fails; one reading would satisfy it ({}), but it changes characters the \
                 field admits and no second check digit confirms it, so nothing was changed",
                check.label(),
                substitutions(candidates)
            ),
            FindingKind::RepairNotFound { check } => format!(
                "{} fails and no substitution of look-alike characters satisfies it",
                check.label()
            ),
            FindingKind::CheckDigitBlindSpot {
                check,
                ch,
                alternative,
            } => format!(
                "{ch:?} could be a misread {alternative:?}: both give the same {}, so it cannot \
                 tell them apart",
                check.label()
            ),
            FindingKind::RepairClassOnly { check, candidates } => format!(
                "the {} passes on characters its field cannot hold and would pass on their \
                 look-alikes too ({}), so it cannot confirm a repair; nothing was changed",
                check.label(),
                substitutions(candidates)
            ),
            FindingKind::RepairContradicted { check, by } => format!(
                "replacing the characters under the {} that its field cannot hold by their \
                 look-alikes would make the {} fail, so nothing was changed",
                check.label(),
                by.label()
            ),
            FindingKind::RepairNotAttempted => {
                "repair was not attempted: the text does not have the shape of a known format"
                    .to_owned()
            }
        }
    }
}
