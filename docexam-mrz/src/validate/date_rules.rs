//! Dates: digits and calendar days, unknown parts, centuries, expiry and age.

use super::Analysis;
use crate::charset::is_mrz_char;
use crate::check::CheckKind;
use crate::dates::{self, MrzDate, RawDate};
use crate::field::FieldKind;
use crate::finding::{DateProblem, Finding, FindingKind};

/// Oldest age docexam accepts without a finding.
const MAX_PLAUSIBLE_AGE_YEARS: i32 = 110;

impl Analysis<'_> {
    pub(super) fn dates(&mut self) {
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
    pub(super) fn read_date(&mut self, field: FieldKind, check: CheckKind) -> Option<RawDate> {
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

    pub(super) fn partly_unknown(&mut self, field: FieldKind, date: MrzDate) {
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
    pub(super) fn date_relations(&mut self) {
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
}
