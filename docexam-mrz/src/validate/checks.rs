//! Check digits: plain ones, long TD1/TD2 document numbers and the empty TD3 personal number.

use super::{Analysis, compute};
use crate::charset::{FILLER, is_mrz_char};
use crate::check::{Check, CheckKind, CheckSpec, CheckStatus, CheckVariant, Coverage};
use crate::field::{Field, FieldKind};
use crate::finding::FindingKind;
use crate::format::MrzFormat;
use crate::layout::Layout;
use crate::span::Span;

impl Analysis<'_> {
    pub(super) fn run_checks(&mut self, layout: &Layout) {
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

    pub(super) fn plain_check(&mut self, spec: &CheckSpec) -> Check {
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
    pub(super) fn judge_digit(&mut self, check: &mut Check, found: u8, expected: &[Option<u8>]) {
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
    pub(super) fn long_number_check(&mut self, spec: &CheckSpec) -> Check {
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
                // Report the reading that passed: its digit over what it covers.
                check.covers =
                    Coverage::new(&[Span::new(main.line, main.start, main.end + 1), overflow]);
                check.expected = with_filler;
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

    pub(super) fn check_passed(&self, kind: CheckKind) -> bool {
        self.checks
            .iter()
            .any(|c| c.kind == kind && c.status == CheckStatus::Pass)
    }
}
