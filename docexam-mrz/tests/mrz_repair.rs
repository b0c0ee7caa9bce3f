//! OCR repair: only what a check digit confirms is changed, and everything is reported.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;

use common::*;
use docexam_mrz::{CheckKind, FieldKind, FindingKind, MrzFormat, RepairEvidence};

#[test]
fn a_letter_in_a_date_is_repaired_when_its_check_digit_confirms_it() {
    let read = with_char(TD3, 1, 15, 'O'); // 740812 read as 74O812
    assert!(!parse(&read).is_valid());
    let m = repair(&read);
    assert!(m.is_valid(), "{:?}", codes(&m));
    assert_eq!(m.lines(), parse(TD3).lines());
    let [r] = m.repairs() else {
        panic!("{:?}", m.repairs())
    };
    assert_eq!((r.line, r.column, r.from, r.to), (1, 15, 'O', '0'));
    assert_eq!(r.confirmed_by, Some(CheckKind::BirthDate));
    assert_eq!(r.also_confirmed_by, Some(CheckKind::Composite));
    assert_eq!(r.evidence, RepairEvidence::CheckDigits);
    assert!(has(&m, "repair_applied"));
}

#[test]
fn a_misread_document_number_character_is_repaired_when_one_substitution_fits() {
    let read = with_char(TD3, 1, 5, 'O'); // L898902C3 read as L8989O2C3
    let m = repair(&read);
    assert!(m.is_valid(), "{:?}", codes(&m));
    let [r] = m.repairs() else {
        panic!("{:?}", m.repairs())
    };
    assert_eq!(
        (r.column, r.from, r.to, r.confirmed_by),
        (5, 'O', '0', Some(CheckKind::DocumentNumber))
    );
}

#[test]
fn a_letter_in_a_check_digit_position_is_repaired() {
    let read = with_char(TD3, 1, 43, 'O'); // composite 0 read as O
    let m = repair(&read);
    assert!(m.is_valid());
    assert_eq!(m.repairs()[0].confirmed_by, Some(CheckKind::Composite));
}

#[test]
fn fields_no_check_digit_covers_are_repaired_on_weaker_evidence_and_say_so() {
    let read = TD3
        .replacen("ERIKSSON", "ER1K55ON", 1)
        .replacen("P<UTO", "P<UT0", 1);
    let m = repair(&read);
    assert_eq!(m.lines(), parse(TD3).lines());
    let evidence: Vec<(char, char, RepairEvidence)> = m
        .repairs()
        .iter()
        .map(|r| (r.from, r.to, r.evidence))
        .collect();
    assert_eq!(
        evidence,
        [
            ('0', 'O', RepairEvidence::CodeList),
            ('1', 'I', RepairEvidence::FieldClass),
            ('5', 'S', RepairEvidence::FieldClass),
            ('5', 'S', RepairEvidence::FieldClass),
        ]
    );
    assert!(m.repairs().iter().all(|r| r.confirmed_by.is_none()));
    // Weaker than any check digit, and said so.
    assert!(RepairEvidence::FieldClass < RepairEvidence::CodeList);
    assert!(RepairEvidence::CodeList < RepairEvidence::CheckDigit);
    assert_eq!(m.repairs()[1].evidence.strength(), "weak");
    assert!(m.repairs()[1].basis().contains("no check digit covers it"));
}

#[test]
fn a_state_code_no_look_alike_reading_puts_on_a_list_is_left_and_reported() {
    let read = TD3.replacen("P<UTO", "P<Z9Z", 1);
    let m = repair(&read);
    assert!(m.repairs().iter().all(|r| r.line != 0 || r.column > 4));
    assert!(has(&m, "repair_code_unresolved"));
}

#[test]
fn a_document_code_read_with_a_digit_decides_the_format_after_repair() {
    // A French identity card whose I was read as 1 is not a TD2 document.
    let read = "1DFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02\n1710GVA123451ROBERTA<<<<<<<9112311F2";
    let m = repair(read);
    assert_eq!(m.format(), MrzFormat::FraId);
    assert!(m.is_valid(), "{:?}", codes(&m));
    assert_eq!(m.repairs()[0].evidence, RepairEvidence::CodeList);
}

#[test]
fn digits_in_a_russian_name_are_cyrillic_letters_not_misreadings() {
    let read = "PNRUSZDRIL7K<<SERGEQ<ANATOL9EVI3<<<<<<<<<<<<\n3919353498RUS7207233M<<<<<<<4151218910003<50";
    let m = repair(read);
    assert!(m.repairs().iter().all(|r| r.line != 0), "{:?}", m.repairs());
}

#[test]
fn letters_in_a_date_under_a_passing_check_digit_are_never_taken_for_digits() {
    // The forger's trick: BB0911 and 880911 share a check digit.
    let read = with_char(&with_char(TD3, 1, 13, 'B'), 1, 14, 'B');
    let read = with_char(&read, 1, 19, '1'); // the check digit of 880812, which BB0812 shares
    let m = repair(&read);
    assert!(
        m.repairs()
            .iter()
            .all(|r| !(r.line == 1 && (13..19).contains(&r.column))),
        "{:?}",
        m.repairs()
    );
    assert!(!m.is_valid());
}

#[test]
fn a_check_digit_that_covers_the_name_confirms_its_repair() {
    // French driving licence: the final check digit covers the surname and the expiry date.
    let m = repair("D1FRA13AA0000261B1231MART1N<<9");
    assert!(m.is_valid(), "{:?}", codes(&m));
    assert_eq!(m.lines(), ["D1FRA13AA000026181231MARTIN<<9"]);
    let changes: Vec<(u8, char, char)> = m
        .repairs()
        .iter()
        .map(|r| (r.column, r.from, r.to))
        .collect();
    assert_eq!(changes, [(16, 'B', '8'), (25, '1', 'I')]);
    assert!(
        m.repairs()
            .iter()
            .all(|r| r.confirmed_by == Some(CheckKind::Composite))
    );
}

#[test]
fn ambiguous_substitutions_change_nothing() {
    // Swiss licences have no check digit: nothing is confirmable.
    let swiss = "AAAOOID<<\nFACHE30514Z1ZB097<<B001Z6<<<<<\nMARCHAND<<FA81ENNE<<<<<<<<<<<<";
    let m = repair(swiss);
    assert_eq!(m.format(), MrzFormat::SwissDl);
    // The letters in its dates and digits in its name are taken on the field class alone;
    // its document number admits letters and digits, so it stays as read.
    assert!(
        m.repairs()
            .iter()
            .all(|r| r.evidence == RepairEvidence::FieldClass)
    );
    assert_eq!(m.lines()[0], "AAAOOID<<");
    assert_eq!(m.lines()[2], "MARCHAND<<FABIENNE<<<<<<<<<<<<");
    // Two substitutions in an alphanumeric field can satisfy one check digit.
    let mut found_ambiguous = false;
    for col in 0..9 {
        for c in ['O', 'I', 'S', 'B', 'Z', 'G'] {
            let read = with_char(TD2, 1, col, c);
            let m = repair(&read);
            if has(&m, "repair_ambiguous") {
                found_ambiguous = true;
                assert!(
                    m.repairs()
                        .iter()
                        .all(|r| r.confirmed_by != Some(CheckKind::DocumentNumber))
                );
                let f = m
                    .findings()
                    .iter()
                    .find(|f| f.code() == "repair_ambiguous")
                    .unwrap();
                assert!(f.message().contains("nothing was changed"));
            }
        }
    }
    assert!(
        found_ambiguous,
        "some single misreading leaves two candidate repairs"
    );
}

#[test]
fn check_digit_blind_spots_are_reported_not_hidden() {
    // "L898902C3": L and 1 have the same check-digit value, so the digit cannot tell them apart.
    let m = repair(TD3);
    assert!(m.repairs().is_empty());
    let blind: Vec<(u32, char, char)> = m
        .findings()
        .iter()
        .filter_map(|f| match f.kind {
            FindingKind::CheckDigitBlindSpot {
                ch, alternative, ..
            } => Some((f.span.unwrap().columns()[0], ch, alternative)),
            _ => None,
        })
        .collect();
    assert_eq!(blind, [(1, 'L', '1'), (31, '1', 'L'), (36, '6', 'G')]);
    // A G in the document number read where a 6 was printed passes the same check digit.
    let g = with_char(TD3, 1, 5, 'G');
    let six = with_char(TD3, 1, 5, '6');
    assert_eq!(
        parse(&g).check(CheckKind::DocumentNumber).unwrap().expected,
        parse(&six)
            .check(CheckKind::DocumentNumber)
            .unwrap()
            .expected
    );
}

#[test]
fn letters_the_check_digits_contradict_are_left_as_read() {
    // BB0911 passes its own check digit; the composite was computed over the letters too, and
    // the obvious reading 880911 breaks it.
    let text = format!("{TD3_L1}\nL898902C36UTOBB09117F3504152ZE184226B<<<<<16");
    assert!(parse(&text).checks().iter().all(|c| c.is_ok()));
    let m = repair(&text);
    assert!(m.repairs().is_empty());
    assert!(has(&m, "repair_contradicted"));
    assert!(!m.is_valid());
    assert_eq!(m.raw(FieldKind::BirthDate).as_deref(), Some("BB0911"));
}

#[test]
fn a_damaged_shape_is_not_repaired() {
    let m = repair(&TD3.replace("<<<<<10", "<<<<10"));
    assert!(has(&m, "repair_not_attempted"));
    assert!(m.repairs().is_empty());
}

#[test]
fn repair_leaves_valid_text_alone() {
    for text in [TD1, TD1_LONG, TD2, MRVA, MRVB] {
        let m = repair(text);
        assert!(m.repairs().is_empty(), "{text}");
        assert_eq!(m.is_valid(), parse(text).is_valid());
    }
}

#[test]
fn a_guess_needs_a_second_check_digit() {
    // A visa has no composite: an O read in the document number could be a 0, but only the
    // document number's own check digit speaks for it. Nothing changes.
    let read = with_char(MRVA, 1, 6, 'O'); // L8988901C read as L89889O1C
    let m = repair(&read);
    assert!(m.repairs().is_empty(), "{:?}", m.repairs());
    assert!(has(&m, "repair_candidate_unconfirmed"), "{:?}", codes(&m));
    assert!(!m.is_valid());
    // On a passport the composite confirms the same guess.
    let m = repair(&with_char(TD3, 1, 5, 'O'));
    assert_eq!(m.repairs()[0].also_confirmed_by, Some(CheckKind::Composite));
}

#[test]
fn a_check_digit_blind_to_the_replacement_confirms_nothing() {
    // Born 1976: a 6 read as G leaves the date of birth check digit unchanged.
    let line2 = TD3.lines().nth(1).unwrap().replacen("740812", "760812", 1);
    let text = format!("{TD3_L1}\n{}", td3_fix_checks(&line2));
    assert!(parse(&text).is_valid());
    let read = with_char(&text, 1, 14, 'G');
    assert!(parse(&read).check(CheckKind::BirthDate).unwrap().is_ok());
    let m = repair(&read);
    assert!(m.repairs().is_empty());
    assert!(
        has(&m, "repair_class_only") || has(&m, "repair_contradicted"),
        "{:?}",
        codes(&m)
    );
    assert!(!m.is_valid());
}

#[test]
fn lowercase_letters_become_uppercase_when_a_check_digit_confirms() {
    let read = TD3.replacen("L898902C3", "l898902c3", 1);
    let m = repair(&read);
    assert!(m.is_valid(), "{:?}", codes(&m));
    let changes: Vec<(u8, char, char)> = m
        .repairs()
        .iter()
        .map(|r| (r.column, r.from, r.to))
        .collect();
    assert_eq!(changes, [(0, 'l', 'L'), (7, 'c', 'C')]);
}

#[test]
fn a_reading_whose_check_digits_pass_over_an_impossible_date_is_not_taken() {
    // Expiry 360415 read 36OA15. With the OCR's runner-ups (3 for the O, 5 for the A), two
    // readings pass the expiry and composite check digits: 360415 and 363515. Month 35 is no
    // month, so only the first is a repair.
    let read = with_char(&with_char(TD3, 1, 23, 'O'), 1, 24, 'A');
    let parser = docexam_mrz::MrzParser::builder().as_of(as_of()).build();
    let text = docexam_mrz::MrzText::parse(&read).unwrap();
    let m = parser.parse_ocr(text, &[((1, 23), vec![b'3']), ((1, 24), vec![b'5'])]);
    assert_eq!(m.lines(), parse(TD3).lines(), "{:?}", codes(&m));
    assert_eq!(m.repairs().len(), 2);
    assert!(!has(&m, "repair_ambiguous"));
}
