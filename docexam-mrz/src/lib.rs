//! The machine-readable zone: parse, validate and (on request) repair MRZ text.
//!
//! Handles the ICAO 9303 formats (TD1, TD2, TD3, MRV-A, MRV-B) and the national formats
//! examiners meet (French ID card and driving licence, Swiss driving licence, ISO/IEC 18013
//! driving licences). Every read returns a complete record, even for broken input: the format,
//! every field with its position, every check digit with the digit expected and the digit
//! found, and findings with a stable code, a severity and a sentence.
//!
//! ```
//! use docexam_base::date::CivilDate;
//! use docexam_mrz::{MrzFormat, MrzParser};
//!
//! let parser = MrzParser::builder().as_of(CivilDate::new(2026, 11, 24).unwrap()).build();
//! let mrz = parser.parse(
//!     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
//!      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
//! )?;
//! assert_eq!(mrz.format(), MrzFormat::Td3);
//! assert!(mrz.is_valid()); // every check digit and rule holds...
//! assert_eq!(mrz.findings()[0].code(), "specimen_state"); // ...but it is ICAO's specimen
//! assert_eq!(mrz.given_names().as_deref(), Some("ANNA MARIA"));
//! # Ok::<(), docexam_mrz::MrzInputError>(())
//! ```

mod batch;
mod charset;
mod check;
pub mod codes;
mod compose;
mod dates;
mod field;
mod finding;
mod format;
mod json;
mod layout;
mod names;
mod ocr_text;
pub mod read;
mod record;
mod repair;
mod span;
mod text;
mod validate;

pub use batch::{Block, BlockError, BlockResult, MrzBlocks};
pub use charset::{CONFUSABLE_PAIRS, CharClass, FILLER, char_value, check_digit, check_digit_of};
pub use check::{Check, CheckKind, CheckStatus, CheckVariant, Coverage};
pub use compose::{ComposeError, compose, name_field};
pub use dates::MrzDate;
pub use field::{Field, FieldKind};
pub use finding::{DateProblem, DocumentCodeRule, Finding, FindingKind, Severity};
pub use format::MrzFormat;
pub use json::MRZ_SCHEMA_VERSION;
pub use names::display as display_name;
pub use ocr_text::{OcrText, clean_ocr_text};
pub use record::{Mrz, Repair, RepairEvidence};
pub use span::Span;
pub use text::{MAX_LINE_CHARS, MAX_LINES, MrzInputError, MrzText};

use docexam_base::date::CivilDate;

/// Reads MRZ text into [`Mrz`] records. Cheap to copy; build one with [`MrzParser::builder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MrzParser {
    as_of: CivilDate,
    repair: bool,
}

/// Options of an [`MrzParser`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MrzParserBuilder {
    as_of: Option<CivilDate>,
    repair: bool,
}

impl MrzParserBuilder {
    /// Judges expiry and age as of `date` (default: today, UTC). Reports name the date used,
    /// so a run can be reproduced.
    pub fn as_of(mut self, date: CivilDate) -> Self {
        self.as_of = Some(date);
        self
    }

    /// Repairs OCR misreadings that check digits confirm (default: off). See the `repair`
    /// section of `docs/mrz.md`.
    pub fn repair(mut self, yes: bool) -> Self {
        self.repair = yes;
        self
    }

    /// The parser.
    pub fn build(self) -> MrzParser {
        MrzParser {
            as_of: self.as_of.unwrap_or_else(CivilDate::today_utc),
            repair: self.repair,
        }
    }
}

impl Default for MrzParser {
    fn default() -> Self {
        MrzParserBuilder::default().build()
    }
}

impl MrzParser {
    /// Options for a parser.
    pub fn builder() -> MrzParserBuilder {
        MrzParserBuilder::default()
    }

    /// The date expiry and age are judged against.
    pub fn as_of(&self) -> CivilDate {
        self.as_of
    }

    /// Reads 1–3 MRZ lines; surrounding whitespace and blank lines are ignored.
    ///
    /// Fails only when the text is not an MRZ at all (empty, more than three lines, binary,
    /// a line far longer than any MRZ line); everything else yields a record whose findings
    /// say what is wrong.
    pub fn parse(&self, input: &str) -> Result<Mrz, MrzInputError> {
        Ok(self.parse_text(MrzText::parse(input)?))
    }

    /// Like [`MrzParser::parse`], from bytes that must be UTF-8 text.
    pub fn parse_bytes(&self, input: &[u8]) -> Result<Mrz, MrzInputError> {
        Ok(self.parse_text(MrzText::parse_bytes(input)?))
    }

    /// Reads MRZ text that OCR produced, and repairs it (whatever this parser's repair
    /// option) using `alternatives`: for each listed position (line, column, 0-based), the
    /// other characters the OCR found likely, best first. Check digits decide, under the same
    /// rules as [`MrzParserBuilder::repair`].
    pub fn parse_ocr(&self, text: MrzText, alternatives: &[((u8, u8), Vec<u8>)]) -> Mrz {
        repair::repair_with(text, self.as_of, alternatives)
    }

    /// Reads raw OCR output: cleans it first ([`clean_ocr_text`]: lines that are no MRZ line,
    /// spaces, lower case, stray marks, trailing characters), then reads and repairs it
    /// (whatever this parser's repair option). Each clean-up step is a `text_cleaned` finding.
    pub fn parse_ocr_output(&self, raw: &str) -> Result<Mrz, MrzInputError> {
        let cleaned = clean_ocr_text(raw).ok_or(MrzInputError::NoMrzLines)?;
        let mut m = repair::repair(MrzText::parse(&cleaned.text)?, self.as_of);
        for (i, change) in cleaned.changes.into_iter().enumerate() {
            m.findings
                .insert(i, Finding::whole(FindingKind::TextCleaned { change }));
        }
        Ok(m)
    }

    /// Reads an already split text.
    pub fn parse_text(&self, text: MrzText) -> Mrz {
        if self.repair {
            repair::repair(text, self.as_of)
        } else {
            validate::build(text, self.as_of)
        }
    }
}
