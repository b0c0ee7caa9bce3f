//! MRZ formats and how a text's shape selects one.

use serde::{Serialize, Serializer};

/// A machine-readable-zone format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MrzFormat {
    /// ICAO 9303-5 TD1 card: 3 lines of 30.
    Td1,
    /// ICAO 9303-6 TD2 card: 2 lines of 36.
    Td2,
    /// ICAO 9303-4 TD3 passport book: 2 lines of 44.
    Td3,
    /// ICAO 9303-7 MRV-A visa: 2 lines of 44.
    MrvA,
    /// ICAO 9303-7 MRV-B visa: 2 lines of 36.
    MrvB,
    /// French national identity card, 1988–2021 model: 2 lines of 36.
    FraId,
    /// French driving licence, EU model of 2013: 1 line of 30.
    FraDl,
    /// Swiss credit-card driving licence: lines of 9, 30 and 30.
    SwissDl,
    /// ISO/IEC 18013 driving licence (IDL): 1 line of 30.
    Idl,
    /// No known format has this shape.
    Unknown,
}

impl MrzFormat {
    /// Every known format, in a stable order.
    pub const ALL: [MrzFormat; 9] = [
        MrzFormat::Td1,
        MrzFormat::Td2,
        MrzFormat::Td3,
        MrzFormat::MrvA,
        MrzFormat::MrvB,
        MrzFormat::FraId,
        MrzFormat::FraDl,
        MrzFormat::SwissDl,
        MrzFormat::Idl,
    ];

    /// The stable name used in reports and on the command line (`TD1`, `MRVA`, `FRA_ID`, …).
    pub const fn name(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
            MrzFormat::MrvA => "MRVA",
            MrzFormat::MrvB => "MRVB",
            MrzFormat::FraId => "FRA_ID",
            MrzFormat::FraDl => "FRA_DL",
            MrzFormat::SwissDl => "SWISS_DL",
            MrzFormat::Idl => "IDL",
            MrzFormat::Unknown => "unknown",
        }
    }

    /// A description for humans, with the standard it comes from.
    pub const fn description(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "ICAO 9303 TD1 card (3 lines of 30)",
            MrzFormat::Td2 => "ICAO 9303 TD2 card (2 lines of 36)",
            MrzFormat::Td3 => "ICAO 9303 TD3 passport (2 lines of 44)",
            MrzFormat::MrvA => "ICAO 9303 MRV-A visa (2 lines of 44)",
            MrzFormat::MrvB => "ICAO 9303 MRV-B visa (2 lines of 36)",
            MrzFormat::FraId => "French national ID card, 1988-2021 (2 lines of 36)",
            MrzFormat::FraDl => "French driving licence (1 line of 30)",
            MrzFormat::SwissDl => "Swiss driving licence (lines of 9, 30 and 30)",
            MrzFormat::Idl => "ISO/IEC 18013 driving licence (1 line of 30)",
            MrzFormat::Unknown => "unknown format",
        }
    }

    /// The number of characters on each line.
    pub const fn line_lengths(self) -> &'static [usize] {
        match self {
            MrzFormat::Td1 => &[30, 30, 30],
            MrzFormat::Td2 | MrzFormat::MrvB | MrzFormat::FraId => &[36, 36],
            MrzFormat::Td3 | MrzFormat::MrvA => &[44, 44],
            MrzFormat::FraDl | MrzFormat::Idl => &[30],
            MrzFormat::SwissDl => &[9, 30, 30],
            MrzFormat::Unknown => &[],
        }
    }
}

impl std::fmt::Display for MrzFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for MrzFormat {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The most line-length difference per line still read as a damaged instance of a format.
const NEAR_MISS_CHARS: usize = 2;

/// The format a text's shape selects, and whether the shape matched exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Detection {
    pub format: MrzFormat,
    pub exact: bool,
}

/// Picks the format for `lines` from their number and lengths, using the document code to
/// separate formats of the same shape (the caller settles French ID card against TD2 by their
/// check digits). A shape within [`NEAR_MISS_CHARS`] characters per
/// line of exactly one family is read as that family (`exact: false`), so that a line that
/// lost or gained a character still yields every field that can be located.
pub(crate) fn detect(lines: &[&[u8]]) -> Detection {
    let first = lines.first().copied().unwrap_or_default();
    let mut best: Option<(usize, MrzFormat)> = None;
    for family in [
        MrzFormat::Td1,
        MrzFormat::Td2,
        MrzFormat::Td3,
        MrzFormat::SwissDl,
        MrzFormat::Idl,
    ] {
        let want = family.line_lengths();
        if want.len() != lines.len() {
            continue;
        }
        let diffs = || want.iter().zip(lines).map(|(w, l)| w.abs_diff(l.len()));
        if diffs().any(|d| d > NEAR_MISS_CHARS) {
            continue;
        }
        let total: usize = diffs().sum();
        if best.is_none_or(|(t, _)| total < t) {
            best = Some((total, family));
        }
    }
    let Some((total, family)) = best else {
        return Detection {
            format: MrzFormat::Unknown,
            exact: false,
        };
    };
    let code = first.get(..2).unwrap_or(first);
    let format = match family {
        MrzFormat::Td3 if code.first() == Some(&b'V') => MrzFormat::MrvA,
        MrzFormat::Td2 if first.starts_with(b"IDFRA") => MrzFormat::FraId,
        MrzFormat::Td2 if code.first() == Some(&b'V') => MrzFormat::MrvB,
        MrzFormat::Idl if first.get(2..5) == Some(b"FRA") => MrzFormat::FraDl,
        other => other,
    };
    Detection {
        format,
        exact: total == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt_of(lines: &[&str]) -> (MrzFormat, bool) {
        let bytes: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        let d = detect(&bytes);
        (d.format, d.exact)
    }

    #[test]
    fn picks_formats_by_shape_and_code() {
        let l30 = "I".repeat(30);
        let l36 = "I".repeat(36);
        let l44 = "P".repeat(44);
        let v36 = format!("V{}", "<".repeat(35));
        let v44 = format!("V{}", "<".repeat(43));
        let fra = format!("IDFRA{}", "<".repeat(31));
        assert_eq!(fmt_of(&[&l30, &l30, &l30]), (MrzFormat::Td1, true));
        assert_eq!(fmt_of(&[&l36, &l36]), (MrzFormat::Td2, true));
        assert_eq!(fmt_of(&[&v36, &l36]), (MrzFormat::MrvB, true));
        assert_eq!(fmt_of(&[&fra, &l36]), (MrzFormat::FraId, true));
        assert_eq!(fmt_of(&[&l44, &l44]), (MrzFormat::Td3, true));
        assert_eq!(fmt_of(&[&v44, &l44]), (MrzFormat::MrvA, true));
        assert_eq!(
            fmt_of(&["AAA001D<<", &l30, &l30]),
            (MrzFormat::SwissDl, true)
        );
        assert_eq!(
            fmt_of(&["D1FRA13AA000026181231MARTIN<<9"]),
            (MrzFormat::FraDl, true)
        );
        assert_eq!(
            fmt_of(&[&format!("D1NLD{}", "1".repeat(25))]),
            (MrzFormat::Idl, true)
        );
    }

    #[test]
    fn near_misses_keep_their_family() {
        let l43 = "P".repeat(43);
        let l44 = "P".repeat(44);
        assert_eq!(fmt_of(&[&l44, &l43]), (MrzFormat::Td3, false));
        assert_eq!(
            fmt_of(&[&"P".repeat(40), &l44]),
            (MrzFormat::Unknown, false)
        );
        assert_eq!(fmt_of(&[&l44]), (MrzFormat::Unknown, false));
        assert_eq!(fmt_of(&[&l44, &l44, &l44]), (MrzFormat::Unknown, false));
    }
}
