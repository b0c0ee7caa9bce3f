//! Dates as documents print them: formats such as `DD MMM YYYY`, `DD.MM.YY` or
//! `YYYY-MM-DD`, written in a specimen's print specification and used to draw a date as the
//! page shows it.

use super::CivilDate;

/// The month abbreviations of `MMM`.
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Why a date format cannot be printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateFormatError {
    /// Longer than 32 characters.
    #[error("{0:?} is longer than 32 characters")]
    TooLong(String),
    /// No day, or no month.
    #[error("{0:?} needs a day (DD) and a month (MM or MMM) besides the year")]
    NoDayOrMonth(String),
    /// No year.
    #[error("{0:?} needs a year (YY or YYYY)")]
    NoYear(String),
}

/// Whether `f` is a date format this module can print (`DD MMM YYYY`, `DD.MM.YY`, …), and
/// if not, why.
pub fn check_date_format(f: &str) -> Result<(), DateFormatError> {
    let tokens = tokenize(f);
    let has = |t: &Token| tokens.contains(t);
    if f.len() > 32 {
        return Err(DateFormatError::TooLong(f.to_owned()));
    }
    if !(has(&Token::Day) && (has(&Token::Month) || has(&Token::MonthName))) {
        return Err(DateFormatError::NoDayOrMonth(f.to_owned()));
    }
    if !(has(&Token::Year2) || has(&Token::Year4)) {
        return Err(DateFormatError::NoYear(f.to_owned()));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Day,
    Month,
    MonthName,
    Year2,
    Year4,
    Literal(char),
}

fn tokenize(f: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = f;
    while let Some(c) = rest.chars().next() {
        let (t, n) = if rest.starts_with("YYYY") {
            (Token::Year4, 4)
        } else if rest.starts_with("YY") {
            (Token::Year2, 2)
        } else if rest.starts_with("MMM") {
            (Token::MonthName, 3)
        } else if rest.starts_with("MM") {
            (Token::Month, 2)
        } else if rest.starts_with("DD") {
            (Token::Day, 2)
        } else {
            (Token::Literal(c), c.len_utf8())
        };
        out.push(t);
        rest = rest.get(n..).unwrap_or("");
    }
    out
}

/// `d` printed in format `f` (see [`check_date_format`]).
pub fn format_date(f: &str, d: CivilDate) -> String {
    tokenize(f)
        .into_iter()
        .map(|t| match t {
            Token::Day => format!("{:02}", d.day()),
            Token::Month => format!("{:02}", d.month()),
            Token::MonthName => MONTHS
                .get(usize::from(d.month()).saturating_sub(1))
                .copied()
                .unwrap_or("")
                .to_string(),
            Token::Year2 => format!("{:02}", d.year().rem_euclid(100)),
            Token::Year4 => format!("{:04}", d.year()),
            Token::Literal(c) => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_in_their_format() {
        let d = CivilDate::new(1974, 8, 12);
        assert!(d.is_some());
        let Some(d) = d else { return };
        assert_eq!(format_date("DD MMM YYYY", d), "12 AUG 1974");
        assert_eq!(format_date("DD.MM.YY", d), "12.08.74");
        assert_eq!(format_date("YYYY-MM-DD", d), "1974-08-12");
        assert!(check_date_format("DD MMM YYYY").is_ok());
        assert_eq!(
            check_date_format("MMM YYYY"),
            Err(DateFormatError::NoDayOrMonth("MMM YYYY".into()))
        );
        assert_eq!(
            check_date_format("DD MM"),
            Err(DateFormatError::NoYear("DD MM".into()))
        );
    }
}
