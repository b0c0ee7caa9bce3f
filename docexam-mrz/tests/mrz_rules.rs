//! The rules of the MRZ engine, one concern at a time, on edited specimens.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;

use common::*;
use docexam_mrz::{
    CheckKind, CheckStatus, CheckVariant, FieldKind, MrzDate, MrzFormat, MrzInputError, MrzParser,
    Severity, check_digit_of, compose,
};

/// The ICAO TD3 specimen with line 2 replaced (check digits recomputed).
fn td3_line2(edit: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut l2 = TD3.lines().nth(1).unwrap().as_bytes().to_vec();
    edit(&mut l2);
    format!(
        "{TD3_L1}\n{}",
        td3_fix_checks(&String::from_utf8(l2).unwrap())
    )
}

/// The TD3 specimen with line 1 replaced by `prefix`, padded with fillers to 44 characters.
fn td3_line1(prefix: &str) -> String {
    format!("{prefix:<<44}\n{}", TD3.lines().nth(1).unwrap())
}

fn set(l: &mut [u8], at: usize, s: &str) {
    l[at..at + s.len()].copy_from_slice(s.as_bytes());
}

/// A TD1 with the given line 1 optional-data region (after a `<` at the check position) and
/// the composite recomputed.
fn td1_long(number9: &str, region: &str) -> String {
    let l1 = format!("I<UTO{number9}<{region:<<15}");
    let l2 = "3407127M9507122UTO<<<<<<<<<<<";
    let composite: String = [&l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]].concat();
    let c = check_digit_of(composite.as_bytes()).unwrap();
    format!("{l1}\n{l2}{c}\nSTEVENSON<<PETER<JOHN<<<<<<<<<")
}

#[test]
fn long_document_numbers_accept_both_check_digit_variants_and_say_which() {
    // Find an overflow whose two readings give different digits.
    let main = "AB1234567";
    let digits = |overflow: &str| {
        let icao = check_digit_of(format!("{main}{overflow}").as_bytes()).unwrap();
        let with_filler = check_digit_of(format!("{main}<{overflow}").as_bytes()).unwrap();
        (icao, with_filler)
    };
    let overflow = (10..100)
        .map(|n| n.to_string())
        .find(|o| digits(o).0 != digits(o).1)
        .unwrap();
    let overflow = overflow.as_str();
    let (icao, with_filler) = digits(overflow);

    let m = parse(&td1_long(main, &format!("{overflow}{icao}")));
    assert!(m.is_valid(), "{:?}", m.findings());
    assert_eq!(m.document_number(), Some(format!("{main}{overflow}")));
    let check = m.check(CheckKind::DocumentNumber).unwrap();
    assert_eq!(check.variant, Some(CheckVariant::LongNumberIcao));
    assert_eq!(check.at.columns(), [18, 18]);

    let m = parse(&td1_long(main, &format!("{overflow}{with_filler}")));
    assert!(m.is_valid(), "{:?}", m.findings());
    let check = m.check(CheckKind::DocumentNumber).unwrap();
    assert_eq!(check.variant, Some(CheckVariant::LongNumberWithFiller));
    assert_eq!(
        check.expected,
        Some(with_filler),
        "the digit of the reading that passed"
    );
    let covered: Vec<[u32; 2]> = check.covers.spans().map(|s| s.columns()).collect();
    assert_eq!(
        covered,
        [[6, 15], [16, 17]],
        "the field, its filler and the overflow"
    );
    let variant = m
        .findings()
        .iter()
        .find(|f| f.code() == "check_digit_variant")
        .unwrap();
    assert_eq!(variant.severity(), Severity::Warning);

    let neither = (0..10).find(|d| *d != icao && *d != with_filler).unwrap();
    let m = parse(&td1_long(main, &format!("{overflow}{neither}")));
    assert!(!m.is_valid());
    assert_eq!(status(&m, CheckKind::DocumentNumber), CheckStatus::Fail);
}

#[test]
fn long_number_optional_data_follows_the_overflow() {
    let (main, overflow) = ("AB1234567", "89");
    let icao = check_digit_of(b"AB123456789").unwrap();
    let m = parse(&td1_long(main, &format!("{overflow}{icao}<XYZ")));
    assert!(m.is_valid(), "{:?}", m.findings());
    assert_eq!(m.value(FieldKind::OptionalData).as_deref(), Some("XYZ"));
    assert_eq!(
        m.raw(FieldKind::DocumentNumberOverflow).as_deref(),
        Some("89")
    );
}

#[test]
fn an_empty_overflow_is_malformed() {
    for region in ["", "7"] {
        let m = parse(&td1_long("D23145890", region));
        assert!(!m.is_valid(), "{region:?}");
        assert!(
            has(&m, "document_number_overflow_empty"),
            "{region:?}: {:?}",
            codes(&m)
        );
        assert_eq!(status(&m, CheckKind::DocumentNumber), CheckStatus::Fail);
    }
}

#[test]
fn td2_long_document_number() {
    let lines = compose(
        MrzFormat::Td2,
        &[
            (FieldKind::DocumentCode, "I<"),
            (FieldKind::IssuingState, "UTO"),
            (FieldKind::Name, "ERIKSSON<<ANNA"),
            (FieldKind::DocumentNumber, "D231458907AB"),
            (FieldKind::Nationality, "UTO"),
            (FieldKind::BirthDate, "740812"),
            (FieldKind::Sex, "F"),
            (FieldKind::ExpiryDate, "300415"),
        ],
    )
    .unwrap();
    assert_eq!(&lines[1][9..10], "<");
    let m = parse(&lines.join("\n"));
    assert!(m.is_valid(), "{lines:?}: {:?}", m.findings());
    assert_eq!(m.document_number().as_deref(), Some("D231458907AB"));
}

#[test]
fn td3_personal_number_check_digit_may_be_filler_or_zero_only_when_empty() {
    let empty = |digit: &str| {
        let mut l2 = TD3.lines().nth(1).unwrap().as_bytes().to_vec();
        set(&mut l2, 28, "<<<<<<<<<<<<<<");
        set(&mut l2, 42, digit);
        let composite: Vec<u8> = [&l2[0..10], &l2[13..20], &l2[21..43]].concat();
        l2[43] = b'0' + check_digit_of(&composite).unwrap();
        format!("{TD3_L1}\n{}", String::from_utf8(l2).unwrap())
    };
    let m = parse(&empty("<"));
    assert!(m.is_valid(), "{:?}", m.findings());
    assert_eq!(
        status(&m, CheckKind::PersonalNumber),
        CheckStatus::NotApplicable
    );
    let m = parse(&empty("0"));
    assert!(m.is_valid());
    let check = m.check(CheckKind::PersonalNumber).unwrap();
    assert_eq!(
        (check.status, check.variant),
        (
            CheckStatus::Pass,
            Some(CheckVariant::EmptyPersonalNumberZero)
        )
    );
    let m = parse(&empty("3"));
    assert_eq!(status(&m, CheckKind::PersonalNumber), CheckStatus::Fail);
    // A filler after a non-empty personal number fails.
    let text = with_char(TD3, 1, 42, '<');
    let m = parse(&text);
    assert_eq!(status(&m, CheckKind::PersonalNumber), CheckStatus::Fail);
    assert!(has(&m, "check_digit_not_digit"));
}

#[test]
fn every_check_digit_failure_is_reported_with_expected_and_found() {
    for (col, kind) in [
        (9, CheckKind::DocumentNumber),
        (19, CheckKind::BirthDate),
        (27, CheckKind::ExpiryDate),
        (42, CheckKind::PersonalNumber),
        (43, CheckKind::Composite),
    ] {
        let original = TD3.lines().nth(1).unwrap().as_bytes()[col];
        let wrong = if original == b'9' { '8' } else { '9' };
        let m = parse(&with_char(TD3, 1, col, wrong));
        assert!(!m.is_valid());
        let check = m.check(kind).unwrap();
        assert_eq!(check.status, CheckStatus::Fail, "{kind:?}");
        assert_eq!(check.expected, Some(original - b'0'));
        assert_eq!(check.found, Some(wrong as u8));
        assert!(has(&m, "check_digit_mismatch"));
        // Never abort on the first error: everything else is still judged.
        assert_eq!(m.checks().len(), 5);
        assert_eq!(m.surname().as_deref(), Some("ERIKSSON"));
    }
}

#[test]
fn codes_against_the_icao_list() {
    let state = |code: &str| parse(&td3_line1(&format!("P<{code}ERIKSSON<<ANNA<MARIA")));
    let germany = state("D<<");
    assert!(germany.is_valid());
    assert!(
        !germany.findings().iter().any(|f| f.span.unwrap().line == 0),
        "{:?}",
        codes(&germany)
    );
    for (code, finding, valid) in [
        ("DEU", "code_known_invalid", false),
        ("GER", "code_known_invalid", false),
        ("WSA", "code_known_invalid", false),
        ("RKS", "code_not_icao", true),
        ("XXK", "code_not_icao", true),
        ("YUG", "code_withdrawn", false),
        ("XXA", "code_not_an_issuing_state", false),
        ("GBN", "code_not_an_issuing_state", false),
        ("QQQ", "code_unknown", false),
        ("D<D", "code_unknown", false),
    ] {
        let m = state(code);
        assert!(has(&m, finding), "{code}: {:?}", codes(&m));
        assert_eq!(m.is_valid(), valid, "{code}");
    }
    for code in ["UNO", "EUE", "XPO", "XOM", "GBR", "UNK"] {
        let m = state(code);
        assert!(
            m.is_valid() && !has(&m, "code_unknown"),
            "{code}: {:?}",
            codes(&m)
        );
    }
    // Nationality-only codes are fine as nationality.
    let m = parse(&td3_line2(|l| set(l, 10, "XXA")));
    assert!(m.is_valid(), "{:?}", codes(&m));
    let m = parse(&td3_line2(|l| set(l, 10, "GBD")));
    assert!(m.is_valid());
}

#[test]
fn letters_in_a_date_are_caught_even_when_the_check_digit_passes() {
    let m = parse(&td3_line2(|l| set(l, 13, "BB0911")));
    assert_eq!(status(&m, CheckKind::BirthDate), CheckStatus::Pass);
    assert!(!m.is_valid());
    let f = m
        .findings()
        .iter()
        .find(|f| f.code() == "date_not_numeric")
        .unwrap();
    assert!(f.message().contains("passes anyway"));
    assert_eq!(f.span.unwrap().columns(), [14, 19]);
    assert_eq!(m.birth_date(), MrzDate::Invalid);
}

#[test]
fn dates_must_be_calendar_dates() {
    for bad in ["741312", "740230", "740431", "<<0812", "74<812"] {
        let m = parse(&td3_line2(|l| set(l, 13, bad)));
        assert!(has(&m, "date_invalid"), "{bad}: {:?}", codes(&m));
        assert!(!m.is_valid(), "{bad}");
    }
    let m = parse(&td3_line2(|l| set(l, 13, "000229")));
    assert!(m.is_valid(), "2000-02-29 exists: {:?}", codes(&m));
}

#[test]
fn fillers_mean_unknown_dates_and_no_expiry() {
    let m = parse(&td3_line2(|l| set(l, 13, "<<<<<<")));
    assert!(m.is_valid(), "{:?}", codes(&m));
    assert!(has(&m, "date_unknown"));
    assert_eq!(m.birth_date(), MrzDate::Unknown);

    let m = parse(&td3_line2(|l| set(l, 13, "74<<<<")));
    assert!(m.is_valid());
    assert_eq!(m.birth_date(), MrzDate::Year(1974));
    assert!(has(&m, "date_partly_unknown"));

    let m = parse(&td3_line2(|l| set(l, 13, "7408<<")));
    assert_eq!(
        m.birth_date(),
        MrzDate::YearMonth {
            year: 1974,
            month: 8
        }
    );

    let m = parse(&td3_line2(|l| set(l, 13, "740800")));
    assert!(m.is_valid());
    assert!(has(&m, "date_zero_for_unknown"));

    let m = parse(&td3_line2(|l| set(l, 21, "<<<<<<")));
    assert!(m.is_valid(), "{:?}", codes(&m));
    assert_eq!(m.expiry_date(), MrzDate::Unknown);
    assert!(!has(&m, "document_expired"));
    let f = m
        .findings()
        .iter()
        .find(|f| f.code() == "date_unknown")
        .unwrap();
    assert_eq!(f.message(), "no date of expiry (all fillers)");
}

#[test]
fn centuries_are_resolved_in_context() {
    // Born "261125": one day after the examination date in 2026, so 1926.
    let m = parse(&td3_line2(|l| set(l, 13, "261125")));
    assert_eq!(m.birth_date().full().unwrap().to_string(), "1926-11-25");
    // Expiry "350415" lies ahead; "990101" lies behind.
    let m = parse(&td3_line2(|l| set(l, 21, "350415")));
    assert_eq!(m.expiry_date().full().unwrap().to_string(), "2035-04-15");
    assert!(!has(&m, "document_expired"));
    // Birth "200101" with expiry "150101": the holder was born in 1920, not 2020.
    let m = parse(&td3_line2(|l| {
        set(l, 13, "200101");
        set(l, 21, "150101");
    }));
    assert_eq!(m.birth_date().full().unwrap().to_string(), "1920-01-01");
    assert!(!has(&m, "expiry_before_birth"));
    assert!(has(&m, "document_expired"));
}

#[test]
fn expired_documents_and_impossible_dates_are_findings() {
    let m = parse(TD3);
    let f = m
        .findings()
        .iter()
        .find(|f| f.code() == "document_expired")
        .unwrap();
    assert_eq!(f.severity(), Severity::Warning);
    assert!(f.message().contains("2012-04-15"));
    // Not expired as of an earlier date.
    let parser = MrzParser::builder()
        .as_of("2010-01-01".parse().unwrap())
        .build();
    assert!(!has(&parser.parse(TD3).unwrap(), "document_expired"));
    // Born 2010 and expired 2005: a century earlier the holder would be 116. An error.
    let m = parse(&td3_line2(|l| {
        set(l, 13, "100101");
        set(l, 21, "050101");
    }));
    assert!(has(&m, "expiry_before_birth"), "{:?}", codes(&m));
    assert!(!m.is_valid());
}

#[test]
fn names_primary_secondary_and_their_troubles() {
    let m = parse(&td3_line1("P<UTOVAN<DER<BERG<<JAN<PIETER"));
    assert_eq!(m.surname().as_deref(), Some("VAN DER BERG"));
    assert_eq!(m.given_names().as_deref(), Some("JAN PIETER"));
    assert!(m.is_valid());

    let m = parse(&td3_line1("P<UTO<<ANNA"));
    assert_eq!(m.surname().as_deref(), Some(""));
    assert_eq!(m.given_names().as_deref(), Some("ANNA"));
    assert!(has(&m, "name_primary_identifier_empty"));
    assert!(m.is_valid(), "a warning, not an error");

    let m = parse(&td3_line1("P<UTO"));
    assert!(has(&m, "name_empty"));
    assert!(!m.is_valid());

    let full = format!("P<UTOERIKSSON<<{}", "A".repeat(29));
    let m = parse(&td3_line1(&full));
    assert!(has(&m, "name_possibly_truncated"));
    assert_eq!(m.given_names(), Some("A".repeat(29)));

    let m = parse(&td3_line1("P<UTOERIKSSON<<<ANNA"));
    assert!(has(&m, "name_fillers"));

    let m = parse(&td3_line1("P<UTOER1KSSON<<ANNA<MARIA"));
    assert!(has(&m, "wrong_character_class"));
    assert!(!m.is_valid());
}

#[test]
fn sex_values() {
    for (sex, valid, finding) in [
        ("M", true, None),
        ("<", true, None),
        ("X", true, Some("sex_x")),
        ("Q", false, Some("sex_invalid")),
    ] {
        let m = parse(&td3_line2(|l| set(l, 20, sex)));
        assert_eq!(m.is_valid(), valid, "{sex}");
        if let Some(code) = finding {
            assert!(has(&m, code), "{sex}: {:?}", codes(&m));
        }
    }
}

#[test]
fn document_codes_follow_the_format() {
    let m = parse(&td3_line1("I<UTOERIKSSON<<ANNA<MARIA"));
    assert!(has(&m, "document_code") && !m.is_valid());
    let m = parse(&td3_line1("PDUTOERIKSSON<<ANNA<MARIA"));
    assert!(m.is_valid(), "diplomatic passport: {:?}", codes(&m));
    let td1_code = |code: &str| parse(&format!("{code}{}", &TD1[2..]));
    assert!(td1_code("ID").is_valid());
    assert!(td1_code("AR").is_valid());
    assert!(td1_code("CR").is_valid());
    for bad in ["IV", "P<", "VI"] {
        let m = td1_code(bad);
        assert!(has(&m, "document_code"), "{bad}: {:?}", codes(&m));
        assert!(!m.is_valid());
    }
}

#[test]
fn characters_outside_the_set_are_reported_where_they_are() {
    let m = parse(&with_char(TD3, 0, 7, 'é'));
    let f = m
        .findings()
        .iter()
        .find(|f| f.code() == "invalid_character")
        .unwrap();
    assert_eq!(f.span.unwrap().columns(), [8, 8]);
    assert!(f.message().contains("'é'"));
    assert!(!m.is_valid());
    assert_eq!(m.lines()[0].chars().nth(7), Some('é'));
    let m = parse(&with_char(TD3, 1, 3, 'b'));
    assert!(has(&m, "invalid_character"));
    assert_eq!(m.check(CheckKind::DocumentNumber).unwrap().expected, None);
    let m = parse(&with_char(TD3, 1, 3, ' '));
    assert!(has(&m, "invalid_character"));
}

#[test]
fn input_that_is_not_an_mrz_is_an_error() {
    let p = MrzParser::builder().as_of(as_of()).build();
    assert_eq!(p.parse("").unwrap_err(), MrzInputError::Empty);
    assert_eq!(p.parse("  \n \n").unwrap_err(), MrzInputError::Empty);
    assert_eq!(
        p.parse("A\nB\nC\nD\nE").unwrap_err(),
        MrzInputError::TooManyLines { lines: 5 }
    );
    assert!(matches!(
        p.parse_bytes(b"\x00\x01\x02PNG"),
        Err(MrzInputError::Binary { .. })
    ));
    assert!(matches!(
        p.parse_bytes(b"P<UTO\xff\xfe"),
        Err(MrzInputError::NotUtf8 { offset: 5 })
    ));
    let huge = "P".repeat(10 * 1024 * 1024);
    let err = p.parse(&huge).unwrap_err();
    assert!(matches!(err, MrzInputError::LineTooLong { line: 1, .. }));
    assert!(err.to_string().contains("10485760 characters"));
}

#[test]
fn a_damaged_french_id_card_stays_a_french_id_card() {
    let card = "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n8806923102858CORINNE<<<<<<<6512068F6";
    for col in [12, 33, 35] {
        let m = parse(&with_char(card, 1, col, '0'));
        assert_eq!(m.format(), MrzFormat::FraId, "column {col}");
        assert!(!m.is_valid());
    }
}

#[test]
fn a_filler_after_a_short_document_number_is_a_missing_check_digit() {
    let m = parse(&td1_long("D2314<<<<", "1234"));
    assert_eq!(m.document_number().as_deref(), Some("D2314"));
    assert_eq!(m.value(FieldKind::OptionalData).as_deref(), Some("1234"));
    assert!(has(&m, "check_digit_not_digit"), "{:?}", codes(&m));
    assert!(!has(&m, "document_number_overflow_empty"));
}

#[test]
fn truncation_is_reported_on_national_formats_too() {
    let lines = compose(
        MrzFormat::FraDl,
        &[
            (FieldKind::DocumentCode, "D"),
            (FieldKind::BapConfiguration, "1"),
            (FieldKind::IssuingState, "FRA"),
            (FieldKind::DocumentNumber, "13AA00002"),
            (FieldKind::ExpiryDate, "281231"),
            (FieldKind::Surname, "MONTGOLF"),
        ],
    )
    .unwrap();
    let m = parse(&lines[0]);
    assert!(m.is_valid());
    assert!(has(&m, "name_possibly_truncated"), "{:?}", codes(&m));
}

#[test]
fn expiry_dates_lie_at_most_25_years_ahead() {
    let m = parse(&td3_line2(|l| set(l, 21, "751231")));
    assert_eq!(m.expiry_date().full().unwrap().to_string(), "1975-12-31");
    assert!(has(&m, "document_expired"));
    let m = parse(&td3_line2(|l| set(l, 21, "511231")));
    assert_eq!(m.expiry_date().full().unwrap().to_string(), "2051-12-31");
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let m = parse(&format!("\u{FEFF}{TD3}"));
    assert_eq!(m.format(), MrzFormat::Td3);
    assert!(m.is_valid());
}

#[test]
fn surrounding_whitespace_and_crlf_are_ignored() {
    let padded = format!(
        "\n\n   {}  \r\n  {}\r\n\n",
        TD3_L1,
        TD3.lines().nth(1).unwrap()
    );
    let m = parse(&padded);
    assert!(m.is_valid());
    assert_eq!(m.lines(), parse(TD3).lines());
}
