//! MRZ dates (YYMMDD): reading, unknown parts and the century.

use super::charset::FILLER;
use super::finding::DateProblem;
use docexam_base::date::{CivilDate, days_in_month};

/// A date field of an MRZ, after reading and century resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum MrzDate {
    /// A full calendar date.
    Full(CivilDate),
    /// Year and month known, day unknown (`YYMM<<`, or `YYMM00`).
    YearMonth {
        /// Resolved year.
        year: i32,
        /// Month, 1–12.
        month: u8,
    },
    /// Only the year known (`YY<<<<`, or `YY0000`).
    Year(i32),
    /// Entirely unknown (`<<<<<<`); for an expiry date, no expiry.
    Unknown,
    /// Not a date (letters, impossible month or day, or fillers in a pattern ICAO does not
    /// allow); the findings say why.
    Invalid,
    /// The format has no such field, or the line is too short to hold it.
    #[default]
    Absent,
}

impl MrzDate {
    /// The earliest and latest calendar days the date can denote, if it denotes any.
    pub fn range(self) -> Option<(CivilDate, CivilDate)> {
        match self {
            MrzDate::Full(d) => Some((d, d)),
            MrzDate::YearMonth { year, month } => Some((
                CivilDate::new(year, month, 1)?,
                CivilDate::new(year, month, days_in_month(year, month))?,
            )),
            MrzDate::Year(year) => {
                Some((CivilDate::new(year, 1, 1)?, CivilDate::new(year, 12, 31)?))
            }
            _ => None,
        }
    }

    /// The full date, if known to the day.
    pub fn full(self) -> Option<CivilDate> {
        match self {
            MrzDate::Full(d) => Some(d),
            _ => None,
        }
    }

    /// The resolved year, if known.
    pub fn year(self) -> Option<i32> {
        self.range().map(|(d, _)| d.year())
    }
}

/// A date field read without its century: two-digit year and the month and day as present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RawDate {
    /// Year (0–99), month (1–12 or None), day (None when unknown).
    Parts {
        yy: u8,
        month: Option<u8>,
        day: Option<u8>,
        zero_for_unknown: bool,
    },
    Unknown,
    NotNumeric,
    Invalid(DateProblem),
}

/// The number written by two ASCII digits, if `b` is exactly that.
pub(crate) fn two_digits(b: Option<&[u8]>) -> Option<u8> {
    match b? {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Some((a - b'0') * 10 + (b - b'0')),
        _ => None,
    }
}

fn is_fillers(b: &[u8]) -> bool {
    b.iter().all(|&c| c == FILLER)
}

/// Reads a six-character date field without resolving the century.
pub(crate) fn read(raw: &[u8]) -> RawDate {
    let (Some(yy_b), Some(mm_b), Some(dd_b)) = (raw.get(0..2), raw.get(2..4), raw.get(4..6)) else {
        return RawDate::Invalid(DateProblem::FillerPattern);
    };
    if raw.len() != 6 {
        return RawDate::Invalid(DateProblem::FillerPattern);
    }
    if raw.iter().any(|c| c.is_ascii_uppercase()) {
        return RawDate::NotNumeric;
    }
    if is_fillers(raw) {
        return RawDate::Unknown;
    }
    let Some(yy) = two_digits(Some(yy_b)) else {
        return RawDate::Invalid(DateProblem::FillerPattern);
    };
    let (month, day, zero) = match (two_digits(Some(mm_b)), two_digits(Some(dd_b))) {
        (Some(0), Some(0)) => (None, None, true),
        (Some(0), _) => return RawDate::Invalid(DateProblem::Month),
        (Some(m), Some(0)) => (Some(m), None, true),
        (Some(m), Some(d)) => (Some(m), Some(d), false),
        (Some(m), None) if is_fillers(dd_b) => (Some(m), None, false),
        (None, None) if is_fillers(mm_b) && is_fillers(dd_b) => (None, None, false),
        _ => return RawDate::Invalid(DateProblem::FillerPattern),
    };
    if let Some(m) = month
        && m > 12
    {
        return RawDate::Invalid(DateProblem::Month);
    }
    RawDate::Parts {
        yy,
        month,
        day,
        zero_for_unknown: zero,
    }
}

/// Builds the date for a full year, or `Invalid` if the day does not exist in that year.
fn with_year(year: i32, month: Option<u8>, day: Option<u8>) -> MrzDate {
    match (month, day) {
        (Some(m), Some(d)) => CivilDate::new(year, m, d).map_or(MrzDate::Invalid, MrzDate::Full),
        (Some(month), None) => MrzDate::YearMonth { year, month },
        _ => MrzDate::Year(year),
    }
}

/// Whether a day of `month`/`day` could exist in some year (29 February exists in leap years).
pub(crate) fn day_exists(month: u8, day: u8) -> bool {
    day >= 1 && day <= days_in_month(2000, month)
}

/// Resolves a date of birth (or issue): the latest century that puts it on or before `as_of`.
pub(crate) fn resolve_past(raw: RawDate, as_of: CivilDate) -> MrzDate {
    let RawDate::Parts { yy, month, day, .. } = raw else {
        return unresolved(raw);
    };
    let base = as_of.year() - as_of.year().rem_euclid(100);
    for year in [base + i32::from(yy), base - 100 + i32::from(yy)] {
        let d = with_year(year, month, day);
        match d.range() {
            Some((earliest, _)) if earliest <= as_of => return d,
            // 29 February of a year that is not a leap year: try the previous century.
            None if month.zip(day).is_some_and(|(m, d)| day_exists(m, d)) => continue,
            None => return MrzDate::Invalid,
            _ => continue,
        }
    }
    MrzDate::Invalid
}

/// How many years after the examination date an expiry date may lie; later readings take the
/// previous century. No travel document is valid for this long, while old, long-expired
/// documents are common among seized ones.
pub(crate) const EXPIRY_YEARS_AHEAD: i32 = 25;

/// Resolves a date of expiry: the latest century that puts its year no more than
/// [`EXPIRY_YEARS_AHEAD`] years after `as_of`.
pub(crate) fn resolve_expiry(raw: RawDate, as_of: CivilDate) -> MrzDate {
    let RawDate::Parts { yy, month, day, .. } = raw else {
        return unresolved(raw);
    };
    let base = as_of.year() - as_of.year().rem_euclid(100);
    let limit = as_of.year() + EXPIRY_YEARS_AHEAD;
    for year in [
        base + 100 + i32::from(yy),
        base + i32::from(yy),
        base - 100 + i32::from(yy),
    ] {
        if year > limit {
            continue;
        }
        match with_year(year, month, day) {
            // 29 February of a year that is not a leap year: try the previous century.
            MrzDate::Invalid if month.zip(day).is_some_and(|(m, d)| day_exists(m, d)) => continue,
            d => return d,
        }
    }
    MrzDate::Invalid
}

/// The same date one century earlier or later.
pub(crate) fn shift_century(d: MrzDate, years: i32) -> MrzDate {
    match d {
        MrzDate::Full(c) => with_year(c.year() + years, Some(c.month()), Some(c.day())),
        MrzDate::YearMonth { year, month } => MrzDate::YearMonth {
            year: year + years,
            month,
        },
        MrzDate::Year(year) => MrzDate::Year(year + years),
        other => other,
    }
}

fn unresolved(raw: RawDate) -> MrzDate {
    match raw {
        RawDate::Unknown => MrzDate::Unknown,
        _ => MrzDate::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> CivilDate {
        CivilDate::new(2026, 11, 24).unwrap()
    }

    fn past(s: &str) -> MrzDate {
        resolve_past(read(s.as_bytes()), as_of())
    }

    fn near(s: &str) -> MrzDate {
        resolve_expiry(read(s.as_bytes()), as_of())
    }

    fn full(y: i32, m: u8, d: u8) -> MrzDate {
        MrzDate::Full(CivilDate::new(y, m, d).unwrap())
    }

    #[test]
    fn birth_dates_resolve_into_the_past() {
        assert_eq!(past("740812"), full(1974, 8, 12));
        assert_eq!(past("250101"), full(2025, 1, 1));
        assert_eq!(past("261124"), full(2026, 11, 24));
        assert_eq!(past("261125"), full(1926, 11, 25));
        assert_eq!(past("990101"), full(1999, 1, 1));
    }

    #[test]
    fn leap_days_pick_a_century_where_they_exist() {
        // 2000-02-29 exists; 2100 is not in the past; 1900-02-29 does not exist.
        assert_eq!(past("000229"), full(2000, 2, 29));
        assert_eq!(near("000229"), full(2000, 2, 29));
        assert_eq!(past("010229"), MrzDate::Invalid);
    }

    #[test]
    fn expiry_dates_resolve_to_a_century_at_most_25_years_ahead() {
        assert_eq!(near("120415"), full(2012, 4, 15));
        assert_eq!(near("350101"), full(2035, 1, 1));
        assert_eq!(near("961210"), full(1996, 12, 10));
        assert_eq!(near("511231"), full(2051, 12, 31));
        assert_eq!(near("520101"), full(1952, 1, 1));
        assert_eq!(near("751231"), full(1975, 12, 31));
    }

    #[test]
    fn unknown_and_partial_dates() {
        assert_eq!(near("<<<<<<"), MrzDate::Unknown);
        assert_eq!(past("74<<<<"), MrzDate::Year(1974));
        assert_eq!(
            past("7408<<"),
            MrzDate::YearMonth {
                year: 1974,
                month: 8
            }
        );
        assert_eq!(past("740000"), MrzDate::Year(1974));
        assert_eq!(
            past("740800"),
            MrzDate::YearMonth {
                year: 1974,
                month: 8
            }
        );
        assert!(matches!(
            read(b"740000"),
            RawDate::Parts {
                zero_for_unknown: true,
                ..
            }
        ));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert_eq!(read(b"BB0911"), RawDate::NotNumeric);
        assert_eq!(read(b"741301"), RawDate::Invalid(DateProblem::Month));
        assert_eq!(read(b"740012"), RawDate::Invalid(DateProblem::Month));
        assert_eq!(
            read(b"<<0812"),
            RawDate::Invalid(DateProblem::FillerPattern)
        );
        assert_eq!(
            read(b"74<812"),
            RawDate::Invalid(DateProblem::FillerPattern)
        );
        assert_eq!(read(b"7408"), RawDate::Invalid(DateProblem::FillerPattern));
        assert_eq!(past("740230"), MrzDate::Invalid);
        assert_eq!(past("740431"), MrzDate::Invalid);
    }
}
