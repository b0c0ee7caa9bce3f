//! Reading a text as its format and judging every field and check digit.

use super::charset::{CharClass, CheckSum, FILLER, is_mrz_char};
use super::check::{Check, CheckKind, CheckSpec, CheckStatus, CheckVariant, Coverage};
use super::codes::{self, CodeClass};
use super::dates::{self, MrzDate, RawDate};
use super::field::{Field, FieldKind};
use super::finding::{self, DateProblem, DocumentCodeRule, Finding, FindingKind};
use super::format::{self, MrzFormat};
use super::layout::{self, Layout};
use super::names;
use super::record::Mrz;
use super::span::Span;
use super::text::{MAX_LINES, MrzText};
use crate::date::CivilDate;

/// Oldest age docexam accepts without a finding.
const MAX_PLAUSIBLE_AGE_YEARS: i32 = 110;

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

/// Whether every check digit of `format`'s layout passes on `text` (to choose between formats
/// of the same shape).
fn all_checks_pass(text: &MrzText, format: MrzFormat) -> bool {
    layout::layout(format, text.line(0))
        .checks
        .iter()
        .all(|spec| {
            let found = text.byte_at(spec.digit.line, spec.digit.start);
            let expected = compute(text, spec.covers.iter().copied());
            matches!((found, expected), (Some(f), Some(e)) if f == b'0' + e)
        })
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
            _ if detection.format == MrzFormat::FraId
                && all_checks_pass(text, MrzFormat::Td2)
                && !all_checks_pass(text, MrzFormat::FraId) =>
            {
                // A TD2 card of France whose code happens to be ID: its check digits say so.
                detection.format = MrzFormat::Td2;
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

    fn run_checks(&mut self, layout: &Layout) {
        self.checks.reserve_exact(layout.checks.len());
        for spec in layout.checks {
            // A filler at the check position after a full field marks a long number; after a
            // shorter number it is just a missing check digit.
            let long_number = spec.kind == CheckKind::DocumentNumber
                && matches!(self.format, MrzFormat::Td1 | MrzFormat::Td2)
                && self.text.byte_at(spec.digit.line, spec.digit.start) == Some(FILLER)
                && spec.covers.first().is_some_and(|&main| {
                    let b = self.bytes(main);
                    b.len() == main.len() && !b.contains(&FILLER)
                });
            let check = if long_number {
                self.long_number_check(spec)
            } else {
                self.plain_check(spec)
            };
            self.checks.push(check);
        }
    }

    fn plain_check(&mut self, spec: &CheckSpec) -> Check {
        let found = self.text.byte_at(spec.digit.line, spec.digit.start);
        let expected = compute(self.text, spec.covers.iter().copied());
        let mut check = Check {
            kind: spec.kind,
            status: CheckStatus::Fail,
            expected,
            found,
            at: spec.digit,
            covers: Coverage::new(spec.covers),
            variant: None,
        };
        let Some(found) = found else {
            return check;
        };
        let empty_personal_number = spec.kind == CheckKind::PersonalNumber
            && spec.covers.iter().all(|&s| {
                let b = self.bytes(s);
                b.len() == s.len() && b.iter().all(|&c| c == FILLER)
            });
        if empty_personal_number && found == FILLER {
            check.status = CheckStatus::NotApplicable;
            check.variant = Some(CheckVariant::EmptyPersonalNumberFiller);
            return check;
        }
        self.judge_digit(&mut check, found, &[expected]);
        if empty_personal_number && check.status == CheckStatus::Pass {
            check.variant = Some(CheckVariant::EmptyPersonalNumberZero);
        }
        check
    }

    /// Sets `check.status` from the digit `found` against the accepted `expected` digits, and
    /// reports a non-digit or a mismatch.
    fn judge_digit(&mut self, check: &mut Check, found: u8, expected: &[Option<u8>]) {
        let ch = char::from(found);
        if !found.is_ascii_digit() {
            if is_mrz_char(found) {
                self.push(
                    FindingKind::CheckDigitNotDigit {
                        check: check.kind,
                        ch,
                    },
                    check.at,
                );
            }
            return;
        }
        if expected.contains(&Some(found - b'0')) {
            check.status = CheckStatus::Pass;
        } else if let Some(Some(e)) = expected.first() {
            let kind = FindingKind::CheckDigitMismatch {
                check: check.kind,
                expected: *e,
                found: ch,
            };
            self.push(kind, check.at);
        }
    }

    /// A long TD1/TD2 document number: `<` at the check position, the rest of the number in the
    /// optional data, then its check digit, then fillers.
    fn long_number_check(&mut self, spec: &CheckSpec) -> Check {
        let main = spec.covers.first().copied().unwrap_or(spec.digit);
        let mut check = Check {
            kind: spec.kind,
            status: CheckStatus::Fail,
            expected: compute(self.text, [main]),
            found: Some(FILLER),
            at: spec.digit,
            covers: Coverage::new(&[main]),
            variant: None,
        };
        let Some(optional) = self.field(FieldKind::OptionalData) else {
            self.push(FindingKind::OverflowEmpty, spec.digit);
            return check;
        };
        let region = self.bytes(optional.span);
        let end = region
            .iter()
            .position(|&c| c == FILLER)
            .unwrap_or(region.len());
        if end < 2 {
            self.push(FindingKind::OverflowEmpty, spec.digit);
            return check;
        }
        if end == region.len() {
            self.push(FindingKind::OverflowUnterminated, optional.span);
        }
        let line = optional.span.line;
        let overflow = Span::new(
            line,
            optional.span.start,
            optional.span.start + end as u8 - 1,
        );
        let digit_at = Span::at(line, overflow.end);
        // A filler separates the check digit from any optional data that follows.
        let rest_start =
            digit_at.end + u8::from(self.bytes(Span::at(line, digit_at.end)) == [FILLER]);
        let rest = Span::new(line, rest_start.min(optional.span.end), optional.span.end);
        let class = optional.class;
        self.set_field(Field {
            kind: FieldKind::DocumentNumberOverflow,
            span: overflow,
            class,
        });
        if rest.is_empty() {
            self.clear_field(FieldKind::OptionalData);
        } else {
            self.set_field(Field {
                kind: FieldKind::OptionalData,
                span: rest,
                class,
            });
        }
        let icao = compute(self.text, [main, overflow]);
        let with_filler = compute(
            self.text,
            [Span::new(main.line, main.start, main.end + 1), overflow],
        );
        let found = self.bytes(digit_at).first().copied().unwrap_or(FILLER);
        check.expected = icao;
        check.found = Some(found);
        check.at = digit_at;
        check.covers = Coverage::new(&[main, overflow]);
        self.judge_digit(&mut check, found, &[icao, with_filler]);
        if check.status == CheckStatus::Pass {
            let variant = if icao == Some(found - b'0') {
                CheckVariant::LongNumberIcao
            } else {
                check.covers =
                    Coverage::new(&[Span::new(main.line, main.start, main.end + 1), overflow]);
                CheckVariant::LongNumberWithFiller
            };
            check.variant = Some(variant);
            self.push(
                FindingKind::CheckVariantUsed {
                    check: check.kind,
                    variant,
                },
                digit_at,
            );
        }
        check
    }

    fn check_passed(&self, kind: CheckKind) -> bool {
        self.checks
            .iter()
            .any(|c| c.kind == kind && c.status == CheckStatus::Pass)
    }

    fn document_code(&mut self) {
        let Some((span, code)) = self.field_bytes(FieldKind::DocumentCode) else {
            return;
        };
        let first = code.first().copied().unwrap_or(FILLER);
        let second = code.get(1).copied();
        let rule = match self.format {
            MrzFormat::Td3 if first != b'P' => Some(DocumentCodeRule::PassportP),
            MrzFormat::Td1 | MrzFormat::Td2 if !matches!(first, b'I' | b'A' | b'C') => {
                Some(DocumentCodeRule::CardIac)
            }
            MrzFormat::Td1 | MrzFormat::Td2 if second == Some(b'V') => {
                Some(DocumentCodeRule::CardNotV)
            }
            MrzFormat::MrvA | MrzFormat::MrvB if first != b'V' => Some(DocumentCodeRule::VisaV),
            MrzFormat::FraId if code != b"ID" => Some(DocumentCodeRule::National("ID")),
            MrzFormat::SwissDl if code != b"FA" => Some(DocumentCodeRule::National("FA")),
            MrzFormat::FraDl | MrzFormat::Idl if first != b'D' => {
                Some(DocumentCodeRule::National("D"))
            }
            MrzFormat::Td1
            | MrzFormat::Td2
            | MrzFormat::Td3
            | MrzFormat::MrvA
            | MrzFormat::MrvB
                if second.is_some_and(|c| !(c.is_ascii_uppercase() || c == FILLER)) =>
            {
                Some(DocumentCodeRule::SecondCharacter)
            }
            _ => None,
        };
        if let Some(rule) = rule {
            let mut pair = [FILLER; 2];
            for (slot, b) in pair.iter_mut().zip(code) {
                *slot = *b;
            }
            self.push(FindingKind::DocumentCode { code: pair, rule }, span);
        }
    }

    fn codes(&mut self) {
        for field in [FieldKind::IssuingState, FieldKind::Nationality] {
            let Some((span, bytes)) = self.field_bytes(field) else {
                continue;
            };
            let Ok(code) = <[u8; 3]>::try_from(bytes) else {
                continue; // a short line: the length finding says why
            };
            if !code.iter().all(|&c| is_mrz_char(c)) {
                continue;
            }
            let info = codes::lookup(code);
            let reportable = match info.class {
                CodeClass::State | CodeClass::Organisation => false,
                CodeClass::NationalityOnly => field == FieldKind::IssuingState,
                _ => true,
            };
            if reportable {
                self.push(FindingKind::Code { field, code, info }, span);
            }
        }
    }

    fn document_number(&mut self) {
        let Some((span, number)) = self.field_bytes(FieldKind::DocumentNumber) else {
            return;
        };
        let has_overflow = self.field(FieldKind::DocumentNumberOverflow).is_some();
        let value = names::trim_fillers(number);
        if value.is_empty() && !has_overflow {
            self.push(FindingKind::DocumentNumberEmpty, span);
        } else if number.first() == Some(&FILLER) || value.contains(&FILLER) {
            self.push(FindingKind::DocumentNumberInnerFiller, span);
        }
    }

    fn dates(&mut self) {
        let birth = self.read_date(FieldKind::BirthDate, CheckKind::BirthDate);
        let expiry = self.read_date(FieldKind::ExpiryDate, CheckKind::ExpiryDate);
        self.birth = birth.map_or(MrzDate::Absent, |raw| dates::resolve_past(raw, self.as_of));
        self.expiry = expiry.map_or(MrzDate::Absent, |raw| {
            dates::resolve_expiry(raw, self.as_of)
        });
        for (field, raw, resolved) in [
            (FieldKind::BirthDate, birth, self.birth),
            (FieldKind::ExpiryDate, expiry, self.expiry),
        ] {
            if let Some(RawDate::Parts { .. }) = raw
                && resolved == MrzDate::Invalid
                && let Some(f) = self.field(field)
            {
                self.push(
                    FindingKind::DateInvalid {
                        field,
                        problem: DateProblem::Day,
                    },
                    f.span,
                );
            }
        }
        self.date_relations();
        self.partly_unknown(FieldKind::BirthDate, self.birth);
        self.partly_unknown(FieldKind::ExpiryDate, self.expiry);
    }

    /// Reads one date field, reporting what makes it unreadable; `None` if absent.
    fn read_date(&mut self, field: FieldKind, check: CheckKind) -> Option<RawDate> {
        let (span, bytes) = self.field_bytes(field)?;
        if bytes.len() != 6 {
            return Some(RawDate::Invalid(DateProblem::FillerPattern)); // short line, reported
        }
        if bytes.iter().any(|&c| !is_mrz_char(c)) {
            return Some(RawDate::NotNumeric); // reported as invalid characters
        }
        let raw = dates::read(bytes);
        let kind = match raw {
            RawDate::NotNumeric => Some(FindingKind::DateNotNumeric {
                field,
                check_digit_passes: self.check_passed(check),
            }),
            RawDate::Invalid(problem) => Some(FindingKind::DateInvalid { field, problem }),
            RawDate::Unknown => Some(FindingKind::DateUnknown { field }),
            RawDate::Parts {
                zero_for_unknown: true,
                ..
            } => Some(FindingKind::DateZeroForUnknown { field }),
            RawDate::Parts { .. } => None,
        };
        if let Some(kind) = kind {
            self.push(kind, span);
        }
        Some(raw)
    }

    fn partly_unknown(&mut self, field: FieldKind, date: MrzDate) {
        let kind = match date {
            MrzDate::YearMonth { year, month } => FindingKind::DatePartlyUnknown {
                field,
                year,
                month: Some(month),
            },
            MrzDate::Year(year) => FindingKind::DatePartlyUnknown {
                field,
                year,
                month: None,
            },
            _ => return,
        };
        if let Some(f) = self.field(field) {
            self.push(kind, f.span);
        }
    }

    /// Expiry after birth (moving the birth a century back if that makes them consistent),
    /// expired documents and implausible ages.
    fn date_relations(&mut self) {
        if let (Some((birth_first, _)), Some((_, expiry_last))) =
            (self.birth.range(), self.expiry.range())
            && expiry_last < birth_first
        {
            let earlier = dates::shift_century(self.birth, -100);
            let plausible = earlier
                .range()
                .is_some_and(|(first, _)| first.years_until(self.as_of) <= MAX_PLAUSIBLE_AGE_YEARS);
            match (earlier.range(), self.birth.full(), self.expiry.full()) {
                (Some((first, _)), _, _) if plausible && first <= expiry_last => {
                    self.birth = earlier
                }
                (_, Some(birth), Some(expiry)) => {
                    let span = self.field(FieldKind::ExpiryDate).map(|f| f.span);
                    let kind = FindingKind::ExpiryBeforeBirth { birth, expiry };
                    self.findings.push(Finding { kind, span });
                }
                _ => {}
            }
        }
        if let Some((first, last)) = self.expiry.range()
            && last < self.as_of
            && let Some(f) = self.field(FieldKind::ExpiryDate)
        {
            let expiry = self.expiry.full().unwrap_or(first);
            self.push(
                FindingKind::Expired {
                    expiry,
                    as_of: self.as_of,
                },
                f.span,
            );
        }
        if let Some((first, _)) = self.birth.range()
            && let Some(f) = self.field(FieldKind::BirthDate)
        {
            let years = first.years_until(self.as_of);
            if years > MAX_PLAUSIBLE_AGE_YEARS {
                self.push(FindingKind::ImplausibleAge { years }, f.span);
            }
        }
    }

    fn sex(&mut self) {
        let Some((span, &[c])) = self.field_bytes(FieldKind::Sex) else {
            return;
        };
        match c {
            b'M' | b'F' | FILLER => {}
            b'X' => self.push(FindingKind::SexX, span),
            c if c.is_ascii_uppercase() => {
                self.push(FindingKind::SexInvalid { ch: char::from(c) }, span)
            }
            _ => {} // digit or invalid character: already reported
        }
    }

    fn names(&mut self, layout: &Layout) {
        if let Some((span, name)) = self.field_bytes(FieldKind::Name) {
            if name.iter().all(|&c| c == FILLER) {
                self.push(FindingKind::NameEmpty, span);
            } else {
                if name.starts_with(&[FILLER, FILLER]) {
                    self.push(FindingKind::NamePrimaryEmpty, span);
                }
                if names::has_odd_fillers(name) {
                    self.push(
                        FindingKind::NameFillers {
                            field: FieldKind::Name,
                        },
                        span,
                    );
                }
            }
        }
        for field in [FieldKind::Name, FieldKind::Surname, FieldKind::GivenNames] {
            let complete = |span: Span| {
                layout
                    .fields
                    .iter()
                    .any(|spec| spec.kind == field && spec.span == span)
            };
            if let Some((span, name)) = self.field_bytes(field)
                && complete(span)
                && name.last().is_some_and(|&c| c != FILLER)
            {
                self.push(FindingKind::NameMayBeTruncated { field }, span);
            }
        }
        if let Some((span, surname)) = self.field_bytes(FieldKind::Surname)
            && surname.iter().all(|&c| c == FILLER)
        {
            self.push(FindingKind::NameEmpty, span);
        }
    }

    /// Rules of the national formats beyond their layout.
    fn national_rules(&mut self) {
        match self.format {
            MrzFormat::SwissDl => {
                if let Some((span, lang)) = self.field_bytes(FieldKind::LanguageCode)
                    && !matches!(lang, b"D" | b"F" | b"I" | b"R")
                {
                    let kind = FindingKind::ValueNotAllowed {
                        field: FieldKind::LanguageCode,
                        allowed: "D, F, I or R",
                    };
                    self.push(kind, span);
                }
                if let Some((span, state)) = self.field_bytes(FieldKind::IssuingState)
                    && !matches!(state, b"CHE" | b"LIE")
                {
                    let kind = FindingKind::ValueNotAllowed {
                        field: FieldKind::IssuingState,
                        allowed: "CHE or LIE",
                    };
                    self.push(kind, span);
                }
            }
            MrzFormat::FraId => self.issue_month(),
            _ => {}
        }
    }

    /// The French ID card number starts with the year and month of issue.
    fn issue_month(&mut self) {
        let Some((span, b)) = self.field_bytes(FieldKind::IssueMonth) else {
            return;
        };
        let (Some(yy), Some(mm)) = (
            dates::two_digits(b.get(0..2)),
            dates::two_digits(b.get(2..4)),
        ) else {
            return; // letters: reported as wrong class
        };
        if !(1..=12).contains(&mm) {
            let kind = FindingKind::DateInvalid {
                field: FieldKind::IssueMonth,
                problem: DateProblem::Month,
            };
            self.push(kind, span);
            return;
        }
        let raw = RawDate::Parts {
            yy,
            month: Some(mm),
            day: None,
            zero_for_unknown: false,
        };
        self.issue_month = dates::resolve_past(raw, self.as_of);
        if let (Some((_, issued_last)), Some((birth_first, _))) =
            (self.issue_month.range(), self.birth.range())
            && issued_last < birth_first
        {
            self.push(
                FindingKind::IssueDateImplausible {
                    field: FieldKind::IssueMonth,
                },
                span,
            );
        }
    }

    fn sort_findings(&mut self) {
        finding::sort(&mut self.findings);
    }
}
