//! Reading a text as its format and judging every field and check digit.

mod checks;
mod date_rules;
mod name_rules;
mod rules;

use super::charset::{CharClass, CheckSum, FILLER, is_mrz_char};
use super::check::Check;
use super::dates::MrzDate;
use super::field::{Field, FieldKind};
use super::finding::{self, Finding, FindingKind};
use super::format::{self, MrzFormat};
use super::layout::{self, Layout};
use super::record::Mrz;
use super::span::Span;
use super::text::{MAX_LINES, MrzText};
use docexam_base::date::CivilDate;

/// Reads `text` as the format its shape selects and judges it as of `as_of`.
pub(crate) fn build(text: MrzText, as_of: CivilDate) -> Mrz {
    build_as(text, as_of, None)
}

/// Like [`build`], reading the text as `format` when its shape allows it (repair judges every
/// candidate in the format read before repair).
pub(crate) fn build_as(text: MrzText, as_of: CivilDate, format: Option<MrzFormat>) -> Mrz {
    let Analysis {
        format,
        fields,
        checks,
        findings,
        birth,
        expiry,
        issue_month,
        ..
    } = Analysis::run(&text, as_of, format);
    Mrz {
        format,
        text,
        fields,
        checks,
        findings,
        repairs: Vec::new(),
        birth_date: birth,
        expiry_date: expiry,
        issue_month,
        as_of,
    }
}

/// The lines of `text` as a slice of byte strings.
pub(crate) fn line_slices(text: &MrzText) -> ([&[u8]; MAX_LINES], usize) {
    let mut lines: [&[u8]; MAX_LINES] = [&[]; MAX_LINES];
    for (slot, line) in lines.iter_mut().zip(text.lines()) {
        *slot = line;
    }
    (lines, text.line_count())
}

/// The check digit over `covers`, or `None` if a span runs past its line or holds a character
/// outside the MRZ set.
pub(crate) fn compute(text: &MrzText, covers: impl IntoIterator<Item = Span>) -> Option<u8> {
    let mut sum = CheckSum::default();
    for s in covers {
        let bytes = text
            .line(usize::from(s.line))
            .get(usize::from(s.start)..usize::from(s.end))?;
        sum.push(bytes);
    }
    sum.digit()
}

struct Analysis<'t> {
    text: &'t MrzText,
    as_of: CivilDate,
    format: MrzFormat,
    fields: [Option<Field>; FieldKind::COUNT],
    checks: Vec<Check>,
    findings: Vec<Finding>,
    birth: MrzDate,
    expiry: MrzDate,
    issue_month: MrzDate,
}

impl<'t> Analysis<'t> {
    fn run(text: &'t MrzText, as_of: CivilDate, hint: Option<MrzFormat>) -> Self {
        let (lines, count) = line_slices(text);
        let lines = lines.get(..count).unwrap_or_default();
        let mut detection = format::detect(lines);
        match hint {
            Some(h) if h.line_lengths() == detection.format.line_lengths() => detection.format = h,
            None if detection.format == MrzFormat::FraId => {
                // A TD2 card of France whose code happens to be ID: its check digits say so.
                let all_ok = |a: &Analysis<'_>| a.checks.iter().all(Check::is_ok);
                let fra = Analysis::run(text, as_of, Some(MrzFormat::FraId));
                if all_ok(&fra) {
                    return fra;
                }
                let td2 = Analysis::run(text, as_of, Some(MrzFormat::Td2));
                return if all_ok(&td2) { td2 } else { fra };
            }
            _ => {}
        }
        let mut a = Analysis {
            text,
            as_of,
            format: detection.format,
            fields: [None; FieldKind::COUNT],
            checks: Vec::new(),
            findings: Vec::new(),
            birth: MrzDate::Absent,
            expiry: MrzDate::Absent,
            issue_month: MrzDate::Absent,
        };
        a.character_set();
        if detection.format == MrzFormat::Unknown {
            let mut line_lengths = [0; MAX_LINES];
            for (slot, l) in line_lengths.iter_mut().zip(lines) {
                *slot = l.len();
            }
            a.findings.push(Finding::whole(FindingKind::UnknownFormat {
                line_lengths,
                lines: count,
            }));
            a.sort_findings();
            return a;
        }
        if !detection.exact {
            a.line_lengths();
        }
        let layout = layout::layout(detection.format, lines.first().copied().unwrap_or_default());
        a.locate_fields(layout);
        a.run_checks(layout);
        a.document_code();
        a.codes();
        a.document_number();
        a.dates();
        a.sex();
        a.names(layout);
        a.national_rules();
        a.sort_findings();
        a
    }

    fn push(&mut self, kind: FindingKind, span: Span) {
        self.findings.push(Finding::at(kind, span));
    }

    fn bytes(&self, span: Span) -> &'t [u8] {
        let text: &'t MrzText = self.text;
        text.line(usize::from(span.line))
            .get(usize::from(span.start)..usize::from(span.end))
            .unwrap_or_default()
    }

    fn field(&self, kind: FieldKind) -> Option<Field> {
        self.fields.get(kind as usize).copied().flatten()
    }

    fn field_bytes(&self, kind: FieldKind) -> Option<(Span, &'t [u8])> {
        self.field(kind).map(|f| (f.span, self.bytes(f.span)))
    }

    fn set_field(&mut self, field: Field) {
        if let Some(slot) = self.fields.get_mut(field.kind as usize) {
            *slot = Some(field);
        }
    }

    fn clear_field(&mut self, kind: FieldKind) {
        if let Some(slot) = self.fields.get_mut(kind as usize) {
            *slot = None;
        }
    }

    fn character_set(&mut self) {
        if self
            .text
            .lines()
            .all(|l| CharClass::AlphaNumeric.allows_all(l))
        {
            return;
        }
        for (i, line) in self.text.lines().enumerate() {
            for (col, &b) in line.iter().enumerate() {
                if !is_mrz_char(b) {
                    let (l, c) = (i as u8, col as u8);
                    let ch = self
                        .text
                        .char_at(l, c)
                        .unwrap_or(char::REPLACEMENT_CHARACTER);
                    self.push(FindingKind::InvalidCharacter { ch }, Span::at(l, c));
                }
            }
        }
    }

    fn line_lengths(&mut self) {
        let format = self.format;
        for (i, &expected) in format.line_lengths().iter().enumerate() {
            let found = self.text.line(i).len();
            if found != expected {
                let span = Span::new(i as u8, 0, found as u8);
                self.push(
                    FindingKind::LineLength {
                        format,
                        found,
                        expected,
                    },
                    span,
                );
            }
        }
    }

    fn locate_fields(&mut self, layout: &Layout) {
        for spec in layout.fields {
            let len = self.text.line(usize::from(spec.span.line)).len() as u8;
            let end = spec.span.end.min(len);
            if end <= spec.span.start {
                continue;
            }
            let span = Span::new(spec.span.line, spec.span.start, end);
            if spec.kind != FieldKind::Filler {
                self.set_field(Field {
                    kind: spec.kind,
                    span,
                    class: spec.class,
                });
            }
            if spec.kind == FieldKind::Filler {
                for (col, &b) in (span.start..span.end).zip(self.bytes(span)) {
                    if b != FILLER && is_mrz_char(b) {
                        let kind = FindingKind::FillerExpected { ch: char::from(b) };
                        self.push(kind, Span::at(span.line, col));
                    }
                }
                continue;
            }
            if matches!(spec.kind, FieldKind::BirthDate | FieldKind::ExpiryDate)
                || spec.class.allows_all(self.bytes(span))
            {
                continue; // letters in dates get their own finding
            }
            for (col, &b) in (span.start..span.end).zip(self.bytes(span)) {
                if !is_mrz_char(b) || spec.class.allows(b) {
                    continue;
                }
                let ch = char::from(b);
                let kind = FindingKind::WrongClass {
                    field: spec.kind,
                    ch,
                    class: spec.class,
                };
                self.push(kind, Span::at(span.line, col));
            }
        }
    }

    fn sort_findings(&mut self) {
        finding::sort(&mut self.findings);
    }
}
