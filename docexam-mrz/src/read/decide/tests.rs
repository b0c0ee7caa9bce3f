//! The reader's decisions on ranked characters made up to the shape a real reading has: one
//! clear match per position, and at the positions under test the close calls a real scan
//! gives (`MCO` read `PCO`, `ESP` read `FSP`, an expiry `0` read `6`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::super::classify::Scores;
use super::*;
use crate::{MrzParser, MrzText};

/// The ICAO specimen TD3, with the state codes replaced.
fn td3(state: &str, nationality: &str) -> [String; 2] {
    [
        format!("P<{state}ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"),
        format!("L898902C36{nationality}7408122F3604155ZE184226B<<<<<16"),
    ]
}

fn as_of() -> CivilDate {
    CivilDate::new(2026, 11, 25).unwrap()
}

/// A position's ranking as a real glyph gave it: line, column, characters best first.
type Close<'a> = (usize, usize, &'a [(u8, f32)]);

/// Every position matched clearly by the text's character, except where `close` gives the
/// ranking a real glyph had: (line, column, ranked characters).
fn ranked(text: &[String; 2], close: &[Close]) -> Vec<Vec<Scores>> {
    text.iter()
        .enumerate()
        .map(|(li, line)| {
            line.bytes()
                .enumerate()
                .map(|(col, ch)| {
                    let ranked = close
                        .iter()
                        .find(|(l, c, _)| *l == li && *c == col)
                        .map_or_else(|| vec![(ch, 0.95), (b'<', 0.3)], |(_, _, r)| r.to_vec());
                    Scores {
                        ranked,
                        shift: (0.0, 0.0),
                    }
                })
                .collect()
        })
        .collect()
}

fn decide_on(rows: &[Vec<Scores>]) -> Decision {
    let lines: Vec<&[Scores]> = rows.iter().map(Vec::as_slice).collect();
    decide(&lines, as_of())
}

fn line(d: &Decision, i: usize) -> String {
    String::from_utf8(d.text[i].clone()).unwrap()
}

#[test]
fn a_state_code_on_no_list_becomes_the_listed_code_that_matches_best() {
    let truth = td3("MCO", "MCO");
    // The issuing state's M matched P better; M is its runner-up.
    let rows = ranked(
        &truth,
        &[(0, 2, &[(b'P', 0.84), (b'M', 0.77), (b'R', 0.70)])],
    );
    let d = decide_on(&rows);
    assert_eq!(line(&d, 0), truth[0]);
    let c = d.corrections.first().expect("one correction");
    assert_eq!((c.line, c.column, c.read, c.to), (0, 2, 'P', 'M'));
    assert_eq!(c.basis, CorrectionBasis::CodeList);

    // Spain's E read as F, in the nationality.
    let truth = td3("ESP", "ESP");
    let rows = ranked(&truth, &[(1, 10, &[(b'F', 0.88), (b'E', 0.81)])]);
    let d = decide_on(&rows);
    assert_eq!(line(&d, 1), truth[1]);
    assert_eq!(d.corrections.len(), 1);
}

#[test]
fn a_listed_code_is_never_changed_and_a_far_candidate_is_not_taken() {
    // `D<<` is listed: a close O does not make it anything else.
    let truth = td3("D<<", "D<<");
    let rows = ranked(&truth, &[(0, 2, &[(b'D', 0.80), (b'O', 0.79)])]);
    let d = decide_on(&rows);
    assert_eq!(line(&d, 0), truth[0]);
    assert!(d.corrections.is_empty());

    // `PCO` with M far below P (beyond the margin) stays as read; the repair reports it.
    let read = td3("PCO", "MCO");
    let rows = ranked(&read, &[(0, 2, &[(b'P', 0.95), (b'M', 0.60)])]);
    let d = decide_on(&rows);
    assert_eq!(line(&d, 0), read[0]);
    assert!(d.corrections.is_empty());
}

#[test]
fn near_ties_between_listed_codes_follow_the_other_state_field_or_stay() {
    // `ESZ`: P and T match the last glyph equally well, ESP and EST are both listed.
    let tie: &[(u8, f32)] = &[(b'Z', 0.90), (b'P', 0.82), (b'T', 0.82)];
    let read = td3("ESZ", "EST");
    let d = decide_on(&ranked(&read, &[(0, 4, tie)]));
    assert_eq!(
        line(&d, 0),
        td3("EST", "EST")[0],
        "the nationality settles it"
    );

    let read = td3("ESZ", "ESZ");
    let d = decide_on(&ranked(&read, &[(0, 4, tie), (1, 12, tie)]));
    assert_eq!(line(&d, 0), read[0], "nothing settles it: left as read");
    assert!(d.corrections.is_empty());
}

#[test]
fn a_digit_the_font_ranked_lower_reaches_the_repair_under_a_failing_check_digit() {
    let truth = td3("UTO", "UTO");
    let mut read = truth.clone();
    // The expiry's 0 (line 1, column 23) read as 6, the 0 well below it.
    read[1].replace_range(23..24, "6");
    let zero_low: &[(u8, f32)] = &[(b'6', 0.86), (b'0', 0.66), (b'8', 0.62)];
    let d = decide_on(&ranked(&read, &[(1, 23, zero_low)]));
    assert_eq!(line(&d, 1), read[1], "the reader itself changes no digit");
    let alts = d
        .alternatives
        .iter()
        .find(|(p, _)| *p == (1, 23))
        .map(|(_, a)| a.clone())
        .expect("alternatives under the failing check digit");
    assert_eq!(alts, vec![b'0', b'8']);

    let parser = MrzParser::builder().as_of(as_of()).build();
    let text = MrzText::parse(&d.text_joined()).unwrap();
    let m = parser.parse_ocr(text, &d.alternatives);
    assert_eq!(
        m.lines(),
        truth,
        "the expiry and composite check digits confirm the 0"
    );
    let r = m.repairs().first().expect("a repair");
    assert_eq!((r.line, r.column, r.from, r.to), (1, 23, '6', '0'));
    assert!(r.also_confirmed_by.is_some());

    // Where every check digit holds, the same ranking offers nothing so far below.
    let d = decide_on(&ranked(
        &truth,
        &[(1, 23, &[(b'0', 0.86), (b'6', 0.66), (b'8', 0.62)])],
    ));
    assert!(!d.alternatives.iter().any(|(p, _)| *p == (1, 23)));
}

#[test]
fn a_digit_in_a_name_takes_the_letter_the_font_ranked_next() {
    let truth = td3("UTO", "UTO");
    let rows = ranked(&truth, &[(0, 9, &[(b'5', 0.90), (b'S', 0.85)])]);
    let d = decide_on(&rows);
    assert_eq!(line(&d, 0), truth[0]);
    let c = d.corrections.first().unwrap();
    assert_eq!(
        (c.read, c.to, c.basis),
        ('5', 'S', CorrectionBasis::FieldClass)
    );
}

#[test]
fn a_code_both_state_fields_read_alike_is_left_as_printed() {
    // A specimen of a fictional state: `EOL` is on no list, and B matches the E nearly as
    // well as E does; both fields read EOL, so neither becomes Bolivia.
    let read = td3("EOL", "EOL");
    let e_or_b: &[(u8, f32)] = &[(b'E', 0.93), (b'B', 0.79)];
    let d = decide_on(&ranked(&read, &[(0, 2, e_or_b), (1, 10, e_or_b)]));
    assert_eq!(line(&d, 0), read[0]);
    assert_eq!(line(&d, 1), read[1]);
    assert!(d.corrections.is_empty());
}
