//! Calendar dates without time zones, as printed on documents.
//!
//! Documents carry civil dates (birth, expiry, issue). [`CivilDate`] is a small proleptic
//! Gregorian date with exact validation; it avoids pulling a date-time library into the core.

pub mod printed;

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
        // Four-digit years; longer ones are read too, as a clock past year 9999 once wrote them.
        if y.len() < 4 || m.len() != 2 || d.len() != 2 {
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

/// A moment in UTC with millisecond precision, written as RFC 3339 (`2026-11-24T22:07:01.123Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    unix_ms: i64,
}

impl Timestamp {
    /// The last moment RFC 3339 can write: 9999-12-31T23:59:59.999Z.
    pub const LATEST: Timestamp = Timestamp {
        unix_ms: 253_402_300_799_999,
    };

    /// The current time from the system clock, kept within what RFC 3339 can write: 1970-01-01
    /// if the clock is before 1970, [`Timestamp::LATEST`] if it is past year 9999 (a clock set
    /// that far is wrong, and a five-digit year would make the entry unreadable).
    pub fn now() -> Self {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Self::from_unix_ms(i64::try_from(ms).unwrap_or(i64::MAX)).min(Self::LATEST)
    }

    /// The moment `unix_ms` milliseconds after 1970-01-01T00:00:00Z.
    pub const fn from_unix_ms(unix_ms: i64) -> Self {
        Self { unix_ms }
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn unix_ms(self) -> i64 {
        self.unix_ms
    }

    /// The UTC calendar date of this moment.
    pub fn date(self) -> CivilDate {
        CivilDate::from_unix_days(self.unix_ms.div_euclid(86_400_000))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms_of_day = self.unix_ms.rem_euclid(86_400_000);
        let (h, m) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
        let (s, ms) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
        write!(f, "{}T{h:02}:{m:02}:{s:02}.{ms:03}Z", self.date())
    }
}

/// Error from parsing a [`Timestamp`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid timestamp {text:?}: expected YYYY-MM-DDTHH:MM:SS.mmmZ (UTC)")]
pub struct ParseTimestampError {
    /// The text that was not a timestamp.
    pub text: String,
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    /// Parses the form [`Timestamp`] writes: `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseTimestampError { text: s.to_owned() };
        let (date, rest) = s.split_once('T').ok_or_else(err)?;
        let date: CivilDate = date.parse().map_err(|_| err())?;
        let rest = rest.strip_suffix('Z').ok_or_else(err)?;
        let (hms, ms) = rest.split_once('.').ok_or_else(err)?;
        let mut parts = hms.split(':');
        let mut field = |max: i64| -> Result<i64, ParseTimestampError> {
            let p = parts.next().ok_or_else(err)?;
            if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            let v: i64 = p.parse().map_err(|_| err())?;
            if v > max { Err(err()) } else { Ok(v) }
        };
        let (h, m, sec) = (field(23)?, field(59)?, field(59)?);
        if parts.next().is_some() || ms.len() != 3 || !ms.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let ms: i64 = ms.parse().map_err(|_| err())?;
        let unix_ms = date.unix_days() * 86_400_000 + ((h * 60 + m) * 60 + sec) * 1000 + ms;
        Ok(Self { unix_ms })
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for CivilDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for CivilDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_past_year_9999_writes_a_timestamp_that_reads_back() {
        assert_eq!(Timestamp::LATEST.to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(
            "9999-12-31T23:59:59.999Z".parse::<Timestamp>(),
            Ok(Timestamp::LATEST)
        );
        // One written before the clamp (a five-digit year) still reads, so its log verifies.
        let far = Timestamp::from_unix_ms(Timestamp::LATEST.unix_ms() + 86_400_000);
        assert_eq!(far.to_string().parse::<Timestamp>(), Ok(far));
        assert!(Timestamp::now() <= Timestamp::LATEST);
    }

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
    fn timestamps_print_and_parse_rfc3339_utc() {
        let t = Timestamp::from_unix_ms(1_795_996_021_123);
        assert_eq!(t.to_string(), "2026-11-29T23:47:01.123Z");
        assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
        assert_eq!(
            Timestamp::from_unix_ms(0).to_string(),
            "1970-01-01T00:00:00.000Z"
        );
        for bad in [
            "2026-11-30T22:27:01Z",
            "2026-11-30 22:27:01.123Z",
            "2026-11-30T24:00:00.000Z",
            "",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_whole_years() {
        let birth = CivilDate::new(1974, 8, 12).unwrap();
        assert_eq!(birth.years_until(CivilDate::new(2026, 8, 11).unwrap()), 51);
        assert_eq!(birth.years_until(CivilDate::new(2026, 8, 12).unwrap()), 52);
    }
}
