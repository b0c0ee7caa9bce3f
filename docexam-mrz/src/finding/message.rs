//! The sentence of every finding, for reports.

use super::{DateProblem, DocumentCodeRule, FindingKind};
use crate::charset::CharClass;
use crate::codes::CodeClass;
use crate::field::FieldKind;

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

fn code_str(code: &[u8]) -> String {
    String::from_utf8_lossy(code).into_owned()
}

impl FindingKind {
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
            FindingKind::Repaired { from, to, basis } => {
                format!("repaired {from:?} to {to:?}, {basis}")
            }
            FindingKind::TextCleaned { change } => format!("OCR text cleaned: {change}"),
            FindingKind::RepairCodeUnresolved {
                field,
                read,
                candidates,
            } => match candidates.as_slice() {
                [] => format!(
                    "the {} {read:?} is on no code list and no look-alike reading of it is; it \
                     was left unchanged",
                    field.label()
                ),
                many => format!(
                    "the {} {read:?} is on no code list and several look-alike readings are ({}); \
                     it was left unchanged",
                    field.label(),
                    many.join(", ")
                ),
            },
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
