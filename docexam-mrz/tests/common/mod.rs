//! Helpers shared by the MRZ tests.
#![allow(dead_code)]

use docexam_base::date::CivilDate;
use docexam_mrz::{CheckKind, CheckStatus, Mrz, MrzParser};

/// The examination date used throughout, so results do not depend on the clock.
pub fn as_of() -> CivilDate {
    CivilDate::new(2026, 11, 24).unwrap()
}

pub fn parse(text: &str) -> Mrz {
    MrzParser::builder()
        .as_of(as_of())
        .build()
        .parse(text)
        .unwrap()
}

pub fn repair(text: &str) -> Mrz {
    MrzParser::builder()
        .as_of(as_of())
        .repair(true)
        .build()
        .parse(text)
        .unwrap()
}

pub fn codes(m: &Mrz) -> Vec<&'static str> {
    m.findings().iter().map(|f| f.code()).collect()
}

pub fn has(m: &Mrz, code: &str) -> bool {
    m.findings().iter().any(|f| f.code() == code)
}

pub fn status(m: &Mrz, kind: CheckKind) -> CheckStatus {
    m.check(kind)
        .unwrap_or_else(|| panic!("no {kind:?} check"))
        .status
}

/// Replaces the character at 0-based `line`, `col`.
pub fn with_char(text: &str, line: usize, col: usize, c: char) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                l.chars()
                    .enumerate()
                    .map(|(j, x)| if j == col { c } else { x })
                    .collect()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<String>>()
        .join("\n")
}

/// Recomputes every ICAO check digit of a TD3 line 2 after an edit.
pub fn td3_fix_checks(line2: &str) -> String {
    use docexam_mrz::check_digit_of;
    let mut b = line2.as_bytes().to_vec();
    let cd = |s: &[u8]| b'0' + check_digit_of(s).unwrap();
    b[9] = cd(&b[0..9]);
    b[19] = cd(&b[13..19]);
    b[27] = cd(&b[21..27]);
    if b[28..42].iter().any(|&c| c != b'<') || b[42] != b'<' {
        b[42] = cd(&b[28..42]);
    }
    let composite: Vec<u8> = [&b[0..10], &b[13..20], &b[21..43]].concat();
    b[43] = cd(&composite);
    String::from_utf8(b).unwrap()
}

pub const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                       L898902C36UTO7408122F1204159ZE184226B<<<<<10";
pub const TD3_L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
pub const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                       7408122F1204159UTO<<<<<<<<<<<6\n\
                       ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
pub const TD1_LONG: &str = "I<UTOD23145890<7349<<<<<<<<<<<\n\
                            3407127M9507122UTO<<<<<<<<<<<2\n\
                            STEVENSON<<PETER<JOHN<<<<<<<<<";
pub const TD2: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
                       D231458907UTO7408122F1204159<<<<<<<6";
pub const MRVA: &str = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                        L8988901C4XXX4009078F96121096ZE184226B<<<<<<";
pub const MRVB: &str = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
                        L8988901C4XXX4009078F9612109<<<<<<<<";
