//! Where every field and check digit sits in each format.
//!
//! Positions are 0-based and end-exclusive. Sources: ICAO Doc 9303 Parts 4–7 (TD3, TD1, TD2,
//! visas); the French ID card and driving licence, the Swiss driving licence and ISO/IEC 18013
//! driving licences as documented in `docs/mrz.md`.

use super::charset::CharClass::{self, Alpha, AlphaNumeric, Numeric, NumericOrFiller};
use super::check::{CheckKind, CheckSpec};
use super::field::{FieldKind, FieldSpec};
use super::format::MrzFormat;
use super::span::Span;

/// Fields and check digits of one format.
pub(crate) struct Layout {
    pub fields: &'static [FieldSpec],
    pub checks: &'static [CheckSpec],
}

const fn f(kind: FieldKind, line: u8, start: u8, end: u8, class: CharClass) -> FieldSpec {
    FieldSpec {
        kind,
        span: Span::new(line, start, end),
        class,
    }
}

const fn c(kind: CheckKind, line: u8, col: u8, covers: &'static [Span]) -> CheckSpec {
    CheckSpec {
        kind,
        digit: Span::at(line, col),
        covers,
    }
}

const fn s(line: u8, start: u8, end: u8) -> Span {
    Span::new(line, start, end)
}

use FieldKind as K;

const TD1: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 2, Alpha),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::DocumentNumber, 0, 5, 14, AlphaNumeric),
        f(K::OptionalData, 0, 15, 30, AlphaNumeric),
        f(K::BirthDate, 1, 0, 6, NumericOrFiller),
        f(K::Sex, 1, 7, 8, Alpha),
        f(K::ExpiryDate, 1, 8, 14, NumericOrFiller),
        f(K::Nationality, 1, 15, 18, Alpha),
        f(K::OptionalData2, 1, 18, 29, AlphaNumeric),
        f(K::Name, 2, 0, 30, Alpha),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 0, 14, &[s(0, 5, 14)]),
        c(CheckKind::BirthDate, 1, 6, &[s(1, 0, 6)]),
        c(CheckKind::ExpiryDate, 1, 14, &[s(1, 8, 14)]),
        c(
            CheckKind::Composite,
            1,
            29,
            &[s(0, 5, 30), s(1, 0, 7), s(1, 8, 15), s(1, 18, 29)],
        ),
    ],
};

/// TD2 line 2, shared with MRV-B up to the expiry check digit.
const TD2: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 2, Alpha),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::Name, 0, 5, 36, Alpha),
        f(K::DocumentNumber, 1, 0, 9, AlphaNumeric),
        f(K::Nationality, 1, 10, 13, Alpha),
        f(K::BirthDate, 1, 13, 19, NumericOrFiller),
        f(K::Sex, 1, 20, 21, Alpha),
        f(K::ExpiryDate, 1, 21, 27, NumericOrFiller),
        f(K::OptionalData, 1, 28, 35, AlphaNumeric),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 1, 9, &[s(1, 0, 9)]),
        c(CheckKind::BirthDate, 1, 19, &[s(1, 13, 19)]),
        c(CheckKind::ExpiryDate, 1, 27, &[s(1, 21, 27)]),
        c(
            CheckKind::Composite,
            1,
            35,
            &[s(1, 0, 10), s(1, 13, 20), s(1, 21, 35)],
        ),
    ],
};

const TD3: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 2, Alpha),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::Name, 0, 5, 44, Alpha),
        f(K::DocumentNumber, 1, 0, 9, AlphaNumeric),
        f(K::Nationality, 1, 10, 13, Alpha),
        f(K::BirthDate, 1, 13, 19, NumericOrFiller),
        f(K::Sex, 1, 20, 21, Alpha),
        f(K::ExpiryDate, 1, 21, 27, NumericOrFiller),
        f(K::OptionalData, 1, 28, 42, AlphaNumeric),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 1, 9, &[s(1, 0, 9)]),
        c(CheckKind::BirthDate, 1, 19, &[s(1, 13, 19)]),
        c(CheckKind::ExpiryDate, 1, 27, &[s(1, 21, 27)]),
        c(CheckKind::PersonalNumber, 1, 42, &[s(1, 28, 42)]),
        c(
            CheckKind::Composite,
            1,
            43,
            &[s(1, 0, 10), s(1, 13, 20), s(1, 21, 43)],
        ),
    ],
};

const MRVA: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 2, Alpha),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::Name, 0, 5, 44, Alpha),
        f(K::DocumentNumber, 1, 0, 9, AlphaNumeric),
        f(K::Nationality, 1, 10, 13, Alpha),
        f(K::BirthDate, 1, 13, 19, NumericOrFiller),
        f(K::Sex, 1, 20, 21, Alpha),
        f(K::ExpiryDate, 1, 21, 27, NumericOrFiller),
        f(K::OptionalData, 1, 28, 44, AlphaNumeric),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 1, 9, &[s(1, 0, 9)]),
        c(CheckKind::BirthDate, 1, 19, &[s(1, 13, 19)]),
        c(CheckKind::ExpiryDate, 1, 27, &[s(1, 21, 27)]),
    ],
};

const MRVB: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 2, Alpha),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::Name, 0, 5, 36, Alpha),
        f(K::DocumentNumber, 1, 0, 9, AlphaNumeric),
        f(K::Nationality, 1, 10, 13, Alpha),
        f(K::BirthDate, 1, 13, 19, NumericOrFiller),
        f(K::Sex, 1, 20, 21, Alpha),
        f(K::ExpiryDate, 1, 21, 27, NumericOrFiller),
        f(K::OptionalData, 1, 28, 36, AlphaNumeric),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 1, 9, &[s(1, 0, 9)]),
        c(CheckKind::BirthDate, 1, 19, &[s(1, 13, 19)]),
        c(CheckKind::ExpiryDate, 1, 27, &[s(1, 21, 27)]),
    ],
};

/// French ID card (1988–2021): no nationality or expiry in the MRZ; the card number starts
/// with the year and month of issue; the final check digit covers everything before it.
const FRA_ID: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 2, Alpha),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::Surname, 0, 5, 30, Alpha),
        f(K::AdministrativeCode, 0, 30, 36, AlphaNumeric),
        f(K::DocumentNumber, 1, 0, 12, AlphaNumeric),
        f(K::IssueMonth, 1, 0, 4, Numeric),
        f(K::GivenNames, 1, 13, 27, Alpha),
        f(K::BirthDate, 1, 27, 33, NumericOrFiller),
        f(K::Sex, 1, 34, 35, Alpha),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 1, 12, &[s(1, 0, 12)]),
        c(CheckKind::BirthDate, 1, 33, &[s(1, 27, 33)]),
        c(CheckKind::Composite, 1, 35, &[s(0, 0, 36), s(1, 0, 35)]),
    ],
};

/// French driving licence: the first check digit covers the code and state as well.
const FRA_DL: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 1, Alpha),
        f(K::BapConfiguration, 0, 1, 2, NumericOrFiller),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::DocumentNumber, 0, 5, 14, AlphaNumeric),
        f(K::ExpiryDate, 0, 15, 21, NumericOrFiller),
        f(K::Surname, 0, 21, 29, Alpha),
    ],
    checks: &[
        c(CheckKind::DocumentNumber, 0, 14, &[s(0, 0, 14)]),
        c(CheckKind::Composite, 0, 29, &[s(0, 0, 29)]),
    ],
};

/// Swiss driving licence: no check digits at all.
const SWISS_DL: Layout = Layout {
    fields: &[
        f(K::DocumentNumber, 0, 0, 7, AlphaNumeric),
        f(K::LanguageCode, 0, 6, 7, Alpha),
        f(K::Filler, 0, 7, 9, Alpha),
        f(K::DocumentCode, 1, 0, 2, Alpha),
        f(K::IssuingState, 1, 2, 5, Alpha),
        f(K::PinCode, 1, 5, 14, Numeric),
        f(K::VersionNumber, 1, 14, 17, Numeric),
        f(K::Filler, 1, 17, 19, Alpha),
        f(K::BirthDate, 1, 19, 25, NumericOrFiller),
        f(K::Filler, 1, 25, 30, Alpha),
        f(K::Name, 2, 0, 30, Alpha),
    ],
    checks: &[],
};

/// ISO/IEC 18013 driving licence: code, BAP configuration and state, then 24 characters the
/// issuer lays out, then a check digit over everything before it.
const IDL: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 1, Alpha),
        f(K::BapConfiguration, 0, 1, 2, NumericOrFiller),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::OptionalData, 0, 5, 29, AlphaNumeric),
    ],
    checks: &[c(CheckKind::Composite, 0, 29, &[s(0, 0, 29)])],
};

/// Netherlands driving licence: version digit, 10-digit document number, 13 random characters.
const IDL_NLD: Layout = Layout {
    fields: &[
        f(K::DocumentCode, 0, 0, 1, Alpha),
        f(K::BapConfiguration, 0, 1, 2, NumericOrFiller),
        f(K::IssuingState, 0, 2, 5, Alpha),
        f(K::VersionNumber, 0, 5, 6, AlphaNumeric),
        f(K::DocumentNumber, 0, 6, 16, Numeric),
        f(K::OptionalData, 0, 16, 29, AlphaNumeric),
    ],
    checks: &[c(CheckKind::Composite, 0, 29, &[s(0, 0, 29)])],
};

const UNKNOWN: Layout = Layout {
    fields: &[],
    checks: &[],
};

/// The layout of `format`; for IDL, the issuer's profile where docexam knows it.
pub(crate) fn layout(format: MrzFormat, first_line: &[u8]) -> &'static Layout {
    match format {
        MrzFormat::Td1 => &TD1,
        MrzFormat::Td2 => &TD2,
        MrzFormat::Td3 => &TD3,
        MrzFormat::MrvA => &MRVA,
        MrzFormat::MrvB => &MRVB,
        MrzFormat::FraId => &FRA_ID,
        MrzFormat::FraDl => &FRA_DL,
        MrzFormat::SwissDl => &SWISS_DL,
        MrzFormat::Idl if first_line.get(2..5) == Some(b"NLD") => &IDL_NLD,
        MrzFormat::Idl => &IDL,
        MrzFormat::Unknown => &UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_fits_its_lines_and_covers_each_position_once() {
        let profiles = MrzFormat::ALL
            .iter()
            .map(|&f| (f, &b"D1XXX"[..]))
            .chain([(MrzFormat::Idl, &b"D1NLD"[..])]);
        for (format, first_line) in profiles {
            let lengths = format.line_lengths();
            let l = layout(format, first_line);
            let mut owner: Vec<Vec<u8>> = lengths.iter().map(|&n| vec![0; n]).collect();
            let mut mark = |sp: Span| {
                for col in sp.start..sp.end {
                    owner[sp.line as usize][col as usize] += 1;
                }
            };
            for spec in l
                .fields
                .iter()
                .filter(|s| !matches!(s.kind, K::IssueMonth | K::LanguageCode))
            {
                assert!(
                    spec.span.end as usize <= lengths[spec.span.line as usize],
                    "{format}"
                );
                mark(spec.span);
            }
            for check in l.checks {
                mark(check.digit);
                for cov in check.covers {
                    assert!(cov.end as usize <= lengths[cov.line as usize], "{format}");
                }
            }
            for (line, cols) in owner.iter().enumerate() {
                for (col, n) in cols.iter().enumerate() {
                    assert_eq!(*n, 1, "{format} line {line} column {col} covered {n} times");
                }
            }
        }
    }
}
