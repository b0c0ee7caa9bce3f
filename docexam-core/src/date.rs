//! Calendar dates without time zones, as printed on documents.
//!
//! Documents carry civil dates (birth, expiry, issue). [`CivilDate`] is a small proleptic
//! Gregorian date with exact validation; it avoids pulling a date-time library into the core.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A proleptic Gregorian calendar date (year, month 1–12, day 1–31), always valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

impl CivilDate {
    /// Builds a date, or `None` if the month or the day does not exist in that year.
    pub const fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        if month == 0 || month > 12 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// The year.
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Today's date in UTC, from the system clock (1970-01-01 if the clock is before 1970).
    pub fn today_utc() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    pub fn from_unix_days(days: i64) -> Self {
        // Civil-from-days over 400-year eras (H. Hinnant's public-domain algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Days since 1970-01-01 (negative: before).
    pub fn unix_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole years from `self` to `later` (an age, if `self` is a birth date); negative if
    /// `later` is earlier.
    pub fn years_until(self, later: CivilDate) -> i32 {
        let mut years = later.year - self.year;
        if (later.month, later.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }
}

/// Whether `year` is a Gregorian leap year.
pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Error from parsing a [`CivilDate`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {text:?}: expected YYYY-MM-DD naming a real calendar day")]
pub struct ParseDateError {
    /// The text that was not a date.
    pub text: String,
}

impl FromStr for CivilDate {
    type Err = ParseDateError;

    /// Parses an ISO 8601 calendar date, `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDateError { text: s.to_owned() };
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return Err(err());
        }
        let year = y.parse().map_err(|_| err())?;
        let month = m.parse().map_err(|_| err())?;
        let day = d.parse().map_err(|_| err())?;
        CivilDate::new(year, month, day).ok_or_else(err)
    }
}

impl serde::Serialize for CivilDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_calendar_days() {
        assert!(CivilDate::new(2024, 2, 29).is_some());
        assert!(CivilDate::new(2023, 2, 29).is_none());
        assert!(CivilDate::new(1900, 2, 29).is_none());
        assert!(CivilDate::new(2000, 2, 29).is_some());
        assert!(CivilDate::new(2024, 4, 31).is_none());
        assert!(CivilDate::new(2024, 13, 1).is_none());
        assert!(CivilDate::new(2024, 0, 1).is_none());
        assert!(CivilDate::new(2024, 1, 0).is_none());
    }

    #[test]
    fn unix_days_round_trip() {
        assert_eq!(
            CivilDate::from_unix_days(0),
            CivilDate::new(1970, 1, 1).unwrap()
        );
        assert_eq!(CivilDate::new(2000, 3, 1).unwrap().unix_days(), 11_017);
        for days in (-800_000..800_000).step_by(97) {
            assert_eq!(CivilDate::from_unix_days(days).unix_days(), days);
        }
    }

    #[test]
    fn parses_and_prints_iso() {
        let d: CivilDate = "1974-08-12".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1974, 8, 12));
        assert_eq!(d.to_string(), "1974-08-12");
        for bad in [
            "1974-8-12",
            "1974-02-30",
            "74-08-12",
            "1974-08-12x",
            "",
            "abcd-ef-gh",
        ] {
            assert!(bad.parse::<CivilDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_whole_years() {
        let birth = CivilDate::new(1974, 8, 12).unwrap();
        assert_eq!(birth.years_until(CivilDate::new(2026, 8, 11).unwrap()), 51);
        assert_eq!(birth.years_until(CivilDate::new(2026, 8, 12).unwrap()), 52);
    }
}
