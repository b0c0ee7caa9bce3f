//! Every format on its published specimens: the documented fields, positions and checks.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;

use common::*;
use docexam_mrz::{CheckKind, CheckStatus, FieldKind, MrzDate, MrzFormat};

fn iso(d: MrzDate) -> Option<String> {
    d.full().map(|d| d.to_string())
}

fn all_checks_pass(m: &docexam_mrz::Mrz) -> bool {
    m.checks().iter().all(|c| c.status == CheckStatus::Pass)
}

#[test]
fn td3_icao_specimen() {
    let m = parse(TD3);
    assert_eq!(m.format(), MrzFormat::Td3);
    assert!(m.is_valid(), "{:?}", m.findings());
    assert!(all_checks_pass(&m));
    assert_eq!(m.value(FieldKind::DocumentCode).as_deref(), Some("P"));
    assert_eq!(m.value(FieldKind::IssuingState).as_deref(), Some("UTO"));
    assert_eq!(m.surname().as_deref(), Some("ERIKSSON"));
    assert_eq!(m.given_names().as_deref(), Some("ANNA MARIA"));
    assert_eq!(m.document_number().as_deref(), Some("L898902C3"));
    assert_eq!(m.value(FieldKind::Nationality).as_deref(), Some("UTO"));
    assert_eq!(iso(m.birth_date()).as_deref(), Some("1974-08-12"));
    assert_eq!(iso(m.expiry_date()).as_deref(), Some("2012-04-15"));
    assert_eq!(m.raw(FieldKind::Sex).as_deref(), Some("F"));
    assert_eq!(
        m.value(FieldKind::OptionalData).as_deref(),
        Some("ZE184226B")
    );
    assert_eq!(
        codes(&m),
        ["specimen_state", "specimen_state", "document_expired"]
    );
    let number = m.field(FieldKind::DocumentNumber).unwrap();
    assert_eq!(
        (number.span.line_number(), number.span.columns()),
        (2, [1, 9])
    );
    let composite = m.check(CheckKind::Composite).unwrap();
    assert_eq!((composite.expected, composite.found), (Some(0), Some(b'0')));
    assert_eq!(composite.at.columns(), [44, 44]);
    let covered: Vec<[u32; 2]> = composite.covers.spans().map(|s| s.columns()).collect();
    assert_eq!(covered, [[1, 10], [14, 20], [22, 43]]);
}

#[test]
fn td1_icao_specimen() {
    let m = parse(TD1);
    assert_eq!(m.format(), MrzFormat::Td1);
    assert!(m.is_valid());
    assert!(all_checks_pass(&m));
    assert_eq!(m.document_number().as_deref(), Some("D23145890"));
    assert_eq!(m.value(FieldKind::DocumentCode).as_deref(), Some("I"));
    assert_eq!(m.surname().as_deref(), Some("ERIKSSON"));
    assert_eq!(m.given_names().as_deref(), Some("ANNA MARIA"));
    assert_eq!(m.value(FieldKind::OptionalData).as_deref(), Some(""));
    assert_eq!(m.value(FieldKind::OptionalData2).as_deref(), Some(""));
    assert_eq!(m.checks().len(), 4);
}

#[test]
fn td1_long_document_number_icao_specimen() {
    let m = parse(TD1_LONG);
    assert!(m.is_valid(), "{:?}", m.findings());
    assert_eq!(m.document_number().as_deref(), Some("D23145890734"));
    let check = m.check(CheckKind::DocumentNumber).unwrap();
    assert_eq!(check.status, CheckStatus::Pass);
    assert_eq!(check.at.columns(), [19, 19]);
    assert_eq!(iso(m.birth_date()).as_deref(), Some("1934-07-12"));
    assert_eq!(iso(m.expiry_date()).as_deref(), Some("1995-07-12"));
    assert_eq!(m.surname().as_deref(), Some("STEVENSON"));
    assert_eq!(m.given_names().as_deref(), Some("PETER JOHN"));
}

#[test]
fn td2_icao_specimen() {
    let m = parse(TD2);
    assert_eq!(m.format(), MrzFormat::Td2);
    assert!(m.is_valid());
    assert!(all_checks_pass(&m));
    assert_eq!(m.document_number().as_deref(), Some("D23145890"));
    assert_eq!(iso(m.birth_date()).as_deref(), Some("1974-08-12"));
    assert_eq!(m.value(FieldKind::OptionalData).as_deref(), Some(""));
}

#[test]
fn visa_icao_specimens() {
    for (text, format, optional) in [
        (MRVA, MrzFormat::MrvA, "6ZE184226B"),
        (MRVB, MrzFormat::MrvB, ""),
    ] {
        let m = parse(text);
        assert_eq!(m.format(), format);
        assert!(m.is_valid(), "{format}: {:?}", m.findings());
        assert_eq!(m.checks().len(), 3, "visas have no composite check digit");
        assert!(all_checks_pass(&m));
        assert_eq!(m.document_number().as_deref(), Some("L8988901C"));
        assert_eq!(m.value(FieldKind::Nationality).as_deref(), Some("XXX"));
        assert_eq!(iso(m.birth_date()).as_deref(), Some("1940-09-07"));
        assert_eq!(iso(m.expiry_date()).as_deref(), Some("1996-12-10"));
        assert_eq!(m.value(FieldKind::OptionalData).as_deref(), Some(optional));
    }
}

#[test]
fn french_id_cards() {
    // Published specimens and examples; all three check digits pass on each.
    let cards = [
        (
            "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n8806923102858CORINNE<<<<<<<6512068F6",
            "BERTHIER",
            "CORINNE",
            "880692310285",
            "1965-12-06",
        ),
        (
            "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n9409923102854CORINNE<<<<<<<6512068F4",
            "BERTHIER",
            "CORINNE",
            "940992310285",
            "1965-12-06",
        ),
        (
            "IDFRAMEYER<<<<<<<<<<<<<<<<<<<<675034\n1305675007505MALO<<ALAIN<<J1212031M1",
            "MEYER",
            "MALO ALAIN J",
            "130567500750",
            "2012-12-03",
        ),
        (
            "IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013\n0506932020438CHRISTIANE<<NI2906209F3",
            "DOUEL",
            "CHRISTIANE NI",
            "050693202043",
            "1929-06-20",
        ),
        (
            "IDFRALOISEAU<<<<<<<<<<<<<<<<<<<<<<<<\n970675K002774HERVE<<DJAMEL<7303216M4",
            "LOISEAU",
            "HERVE DJAMEL",
            "970675K00277",
            "1973-03-21",
        ),
        (
            "IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02\n1710GVA123451ROBERTA<<<<<<<9112311F2",
            "TEST NAME",
            "ROBERTA",
            "1710GVA12345",
            "1991-12-31",
        ),
    ];
    for (text, surname, given, number, birth) in cards {
        let m = parse(text);
        assert_eq!(m.format(), MrzFormat::FraId, "{text}");
        assert!(m.is_valid(), "{text}: {:?}", m.findings());
        assert_eq!(m.checks().len(), 3);
        assert!(all_checks_pass(&m), "{text}");
        assert_eq!(m.surname().as_deref(), Some(surname));
        assert_eq!(m.given_names().as_deref(), Some(given));
        assert_eq!(m.document_number().as_deref(), Some(number));
        assert_eq!(iso(m.birth_date()).as_deref(), Some(birth));
        assert_eq!(m.value(FieldKind::Nationality), None);
        assert_eq!(m.expiry_date(), MrzDate::Absent);
    }
    let m = parse(cards[2].0);
    assert_eq!(
        m.value(FieldKind::AdministrativeCode).as_deref(),
        Some("675034")
    );
    assert_eq!(
        m.issue_month(),
        MrzDate::YearMonth {
            year: 2013,
            month: 5
        }
    );
}

#[test]
fn french_driving_licences() {
    for (text, number, surname, expiry) in [
        (
            "D1FRA13AA000026181231MARTIN<<9",
            "13AA00002",
            "MARTIN",
            "2018-12-31",
        ),
        (
            "D1FRA13BB148959280920BETTOLO<7",
            "13BB14895",
            "BETTOLO",
            "2028-09-20",
        ),
    ] {
        let m = parse(text);
        assert_eq!(m.format(), MrzFormat::FraDl);
        assert!(m.is_valid(), "{text}: {:?}", m.findings());
        assert_eq!(m.checks().len(), 2);
        assert!(all_checks_pass(&m));
        assert_eq!(m.document_number().as_deref(), Some(number));
        assert_eq!(m.surname().as_deref(), Some(surname));
        assert_eq!(iso(m.expiry_date()).as_deref(), Some(expiry));
        assert_eq!(m.raw(FieldKind::BapConfiguration).as_deref(), Some("1"));
    }
    // The first check digit covers the code and state too: over the number alone it fails.
    let wrong = with_char("D1FRA13AA000026181231MARTIN<<9", 0, 14, '8');
    assert_eq!(
        status(&parse(&wrong), CheckKind::DocumentNumber),
        CheckStatus::Fail
    );
}

#[test]
fn swiss_driving_licences() {
    for (text, number, pin, version, birth, surname, given) in [
        (
            "AAA001D<<\nFACHE305142128097<<800126<<<<<\nMARCHAND<<FABIENNE<<<<<<<<<<<<",
            "AAA001D",
            "305142128",
            "097",
            "1980-01-26",
            "MARCHAND",
            "FABIENNE",
        ),
        (
            "ABC123D<<\nFACHE123456789001<<410624<<<<<\nHUBER<<PETER<FRANZ<XAVER<<<<<<",
            "ABC123D",
            "123456789",
            "001",
            "1941-06-24",
            "HUBER",
            "PETER FRANZ XAVER",
        ),
    ] {
        let m = parse(text);
        assert_eq!(m.format(), MrzFormat::SwissDl);
        assert!(m.is_valid(), "{text}: {:?}", m.findings());
        assert!(
            m.checks().is_empty(),
            "the Swiss licence has no check digits"
        );
        assert_eq!(m.document_number().as_deref(), Some(number));
        assert_eq!(m.value(FieldKind::LanguageCode).as_deref(), Some("D"));
        assert_eq!(m.value(FieldKind::PinCode).as_deref(), Some(pin));
        assert_eq!(m.value(FieldKind::VersionNumber).as_deref(), Some(version));
        assert_eq!(iso(m.birth_date()).as_deref(), Some(birth));
        assert_eq!(m.surname().as_deref(), Some(surname));
        assert_eq!(m.given_names().as_deref(), Some(given));
    }
    let bad = parse("AAA001X<<\nFAFRA305142128097<<800126<<<<<\nMARCHAND<<FABIENNE<<<<<<<<<<<<");
    assert!(!bad.is_valid());
    assert_eq!(codes(&bad), ["value_not_allowed", "value_not_allowed"]);
    let bad = parse("AAA001D<X\nFACHE305142128097<<800126<<<<<\nMARCHAND<<FABIENNE<<<<<<<<<<<<");
    assert_eq!(codes(&bad), ["filler_expected"]);
}

#[test]
fn iso_driving_licences() {
    let m = parse("D1NLD15094962111659VW87Z78NB84");
    assert_eq!(m.format(), MrzFormat::Idl);
    assert!(m.is_valid(), "{:?}", m.findings());
    assert_eq!(m.document_number().as_deref(), Some("5094962111"));
    assert_eq!(m.value(FieldKind::VersionNumber).as_deref(), Some("1"));
    assert_eq!(status(&m, CheckKind::Composite), CheckStatus::Pass);
    let m = parse("D1NLD250949621112HF7W55VL42L21");
    assert!(m.is_valid());
    assert_eq!(m.document_number().as_deref(), Some("5094962111"));
    // Estonia: no chip (BAP '<'), issuer-defined data.
    let m = parse("D<ESTET000000<49307039909<<<<6");
    assert!(m.is_valid(), "{:?}", m.findings());
    assert_eq!(m.value(FieldKind::IssuingState).as_deref(), Some("EST"));
    assert_eq!(m.document_number(), None);
    assert_eq!(
        m.value(FieldKind::OptionalData).as_deref(),
        Some("ET000000<49307039909")
    );
    // A check digit over the document number alone (a bug seen in the wild) fails here.
    let m = parse("D1NLD11234567890ABCDEFGHIJKLM7");
    assert_eq!(status(&m, CheckKind::Composite), CheckStatus::Fail);
    assert!(!m.is_valid());
}

#[test]
fn unknown_shapes_say_so() {
    let m = parse("HELLO\nWORLD");
    assert_eq!(m.format(), MrzFormat::Unknown);
    assert!(!m.is_valid());
    assert_eq!(codes(&m), ["unknown_format"]);
    assert!(
        m.findings()[0]
            .message()
            .contains("2 line(s) of 5/5 characters")
    );
    assert!(m.checks().is_empty());
}

#[test]
fn a_damaged_line_keeps_its_format_and_the_fields_before_the_damage() {
    // The last character of line 2 lost.
    let text = TD3.strip_suffix('0').unwrap();
    let m = parse(text);
    assert_eq!(m.format(), MrzFormat::Td3);
    assert!(!m.is_valid());
    assert!(has(&m, "line_length"));
    assert_eq!(m.document_number().as_deref(), Some("L898902C3"));
    assert_eq!(status(&m, CheckKind::DocumentNumber), CheckStatus::Pass);
    let composite = m.check(CheckKind::Composite).unwrap();
    assert_eq!(
        (composite.status, composite.found),
        (CheckStatus::Fail, None)
    );
}
