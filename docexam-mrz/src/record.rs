//! The parsed and validated MRZ record.

use super::check::{Check, CheckKind};
use super::dates::MrzDate;
use super::field::{Field, FieldKind};
use super::finding::{Finding, Severity};
use super::format::MrzFormat;
use super::names;
use super::span::Span;
use super::text::MrzText;
use docexam_base::date::CivilDate;

/// What confirms a repair, weakest first: the evidence a repair rests on orders how far an
/// examiner may rely on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RepairEvidence {
    /// The field's character class alone: no check digit covers the position, and the
    /// character read is one the field cannot hold with a single look-alike it can (`5` in a
    /// name can only be `S`).
    FieldClass,
    /// A code list: the code read is on no list, and exactly one look-alike reading is (an
    /// issuing state `UT0` that can only be `UTO`; a document code `1D` that can only be `ID`).
    CodeList,
    /// One check digit that failed as read and passes after.
    CheckDigit,
    /// Two check digits, each failing as read and passing after.
    CheckDigits,
}

impl RepairEvidence {
    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::FieldClass => "field_class",
            Self::CodeList => "code_list",
            Self::CheckDigit => "check_digit",
            Self::CheckDigits => "check_digits",
        }
    }

    /// How far the repair may be relied on: `strong` (check digits), `moderate` (a code
    /// list), `weak` (the field class alone).
    pub fn strength(self) -> &'static str {
        match self {
            Self::FieldClass => "weak",
            Self::CodeList => "moderate",
            Self::CheckDigit | Self::CheckDigits => "strong",
        }
    }
}

/// A character changed by OCR repair, with the evidence that confirms it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repair {
    /// Line, 0-based.
    pub line: u8,
    /// Column, 0-based.
    pub column: u8,
    /// The character read.
    pub from: char,
    /// The character it was changed to.
    pub to: char,
    /// The check digit that passes with the change and failed without it (none for a repair
    /// a code list or the field class confirms).
    pub confirmed_by: Option<CheckKind>,
    /// A second check digit that also failed without the change and passes with it (required
    /// when the change replaced a character the field admits).
    pub also_confirmed_by: Option<CheckKind>,
    /// What confirms it.
    pub evidence: RepairEvidence,
}

impl Repair {
    /// What confirms the repair, as a phrase (`confirmed by the date of birth check digit and
    /// the composite check digit`, `the only state code a look-alike gives`).
    pub fn basis(&self) -> String {
        match (self.confirmed_by, self.also_confirmed_by) {
            (Some(a), Some(b)) => format!("confirmed by the {} and the {}", a.label(), b.label()),
            (Some(a), None) => format!("confirmed by the {}", a.label()),
            _ if self.evidence == RepairEvidence::CodeList => {
                "no check digit covers it; the only code on the list a look-alike gives".into()
            }
            _ => "no check digit covers it; the only character of the field's class a look-alike \
                  gives (weak)"
                .into(),
        }
    }
}

/// A machine-readable zone, read and judged: format, every field with its position, every
/// check digit, every finding, and (after repair) every change made.
///
/// A record is complete even for broken input: a failed check or a bad field is reported,
/// never a reason to stop.
#[derive(Clone, Debug)]
pub struct Mrz {
    pub(crate) format: MrzFormat,
    pub(crate) text: MrzText,
    pub(crate) fields: [Option<Field>; FieldKind::COUNT],
    pub(crate) checks: Vec<Check>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) repairs: Vec<Repair>,
    pub(crate) birth_date: MrzDate,
    pub(crate) expiry_date: MrzDate,
    pub(crate) issue_month: MrzDate,
    pub(crate) as_of: CivilDate,
}

impl Mrz {
    /// The format read (from the number and length of the lines and the document code).
    pub fn format(&self) -> MrzFormat {
        self.format
    }

    /// Whether every check digit passed and no finding is an error: line lengths, character
    /// set, dates, codes and field rules all hold. Warnings (expired, specimen state, sex X, …)
    /// do not affect validity.
    pub fn is_valid(&self) -> bool {
        self.checks.iter().all(Check::is_ok)
            && self.findings.iter().all(|f| f.severity() < Severity::Error)
    }

    /// The text the record was read from (after repair, if repair ran).
    pub fn text(&self) -> &MrzText {
        &self.text
    }

    /// The lines as strings.
    pub fn lines(&self) -> Vec<String> {
        (0..self.text.line_count())
            .map(|i| self.text.line_string(i))
            .collect()
    }

    /// The date used as "today" for expiry and age.
    pub fn as_of(&self) -> CivilDate {
        self.as_of
    }

    /// Every check digit of the format, in layout order.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The check of one kind, if the format has it.
    pub fn check(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }

    /// Every finding, sorted by position (whole-MRZ findings first).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Changes made by repair, in text order (empty unless repair ran).
    pub fn repairs(&self) -> &[Repair] {
        &self.repairs
    }

    /// Every located field, in field-kind order.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.fields.iter().flatten().copied()
    }

    /// The field of one kind, if the format has it and the text reaches it.
    pub fn field(&self, kind: FieldKind) -> Option<Field> {
        self.fields.get(kind as usize).copied().flatten()
    }

    /// The characters of a span as they appear in the text.
    pub fn span_text(&self, span: Span) -> String {
        (span.start..span.end)
            .filter_map(|c| self.text.char_at(span.line, c))
            .collect()
    }

    /// The raw characters of a field, fillers included.
    pub fn raw(&self, kind: FieldKind) -> Option<String> {
        self.field(kind).map(|f| self.span_text(f.span))
    }

    /// A field with trailing fillers removed (codes, numbers, optional data).
    pub fn value(&self, kind: FieldKind) -> Option<String> {
        let raw = self.raw(kind)?;
        Some(raw.trim_end_matches('<').to_owned())
    }

    /// The full document number: the field without trailing fillers, followed by the overflow
    /// of a long TD1/TD2 number.
    pub fn document_number(&self) -> Option<String> {
        let mut n = self.value(FieldKind::DocumentNumber)?;
        if let Some(overflow) = self.raw(FieldKind::DocumentNumberOverflow) {
            n.push_str(&overflow);
        }
        Some(n)
    }

    /// The surname (primary identifier), fillers shown as spaces.
    pub fn surname(&self) -> Option<String> {
        if let Some(s) = self.raw(FieldKind::Surname) {
            return Some(names::display(&s));
        }
        self.raw(FieldKind::Name)
            .map(|s| names::display(names::split(&s).0))
    }

    /// The given names (secondary identifier), fillers shown as single spaces.
    pub fn given_names(&self) -> Option<String> {
        if let Some(s) = self.raw(FieldKind::GivenNames) {
            return Some(names::display(&s));
        }
        self.raw(FieldKind::Name)
            .map(|s| names::display(names::split(&s).1))
    }

    /// The date of birth, century resolved.
    pub fn birth_date(&self) -> MrzDate {
        self.birth_date
    }

    /// The date of expiry (valid-until on visas), century resolved.
    pub fn expiry_date(&self) -> MrzDate {
        self.expiry_date
    }

    /// Month of issue, for formats that carry it (French ID card).
    pub fn issue_month(&self) -> MrzDate {
        self.issue_month
    }
}
