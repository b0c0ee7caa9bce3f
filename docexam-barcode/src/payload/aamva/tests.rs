//! The deviations real licence payloads show, each on an otherwise standard payload.

use super::super::{ParseOptions, Payload, PayloadKind, TrustStore, detect, parse};
use docexam_base::date::CivilDate;

const DL: &str =
    "DLDAQ123456789\nDCSSMITH\nDACJOHN\nDADQUINCY\nDBB01311980\nDBA01312030\nDBC1\nDAJNY\nDCGUSA\r";
const ZV: &str = "ZVZVA01\r";

/// A version-8 New York payload with a DL and a ZV subfile, offsets right.
fn standard() -> String {
    let header = 21 + 20;
    format!(
        "@\n\x1e\rANSI 636001080102DL{:04}{:04}ZV{:04}{:04}{DL}{ZV}",
        header,
        DL.len(),
        header + DL.len(),
        ZV.len()
    )
}

fn run(bytes: &[u8]) -> Payload {
    let trust = TrustStore::new();
    parse(
        bytes,
        &ParseOptions {
            kind: None,
            trust: &trust,
            as_of: CivilDate::new(2024, 1, 1).expect("date"),
        },
    )
}

fn codes(p: &Payload) -> Vec<&'static str> {
    p.findings.iter().map(|f| f.code).collect()
}

/// The holder is read in full and nothing is an error.
fn holder_read(p: &Payload) {
    assert_eq!(p.kind, PayloadKind::Aamva);
    assert_eq!(
        p.identity.surname.as_deref(),
        Some("SMITH"),
        "{:#?}",
        p.findings
    );
    assert_eq!(p.identity.given_names.as_deref(), Some("JOHN QUINCY"));
    assert_eq!(p.identity.document_number.as_deref(), Some("123456789"));
    assert_eq!(p.identity.birth_date, CivilDate::new(1980, 1, 31));
    assert!(!p.has_errors(), "{:#?}", p.findings);
}

#[test]
fn a_standard_payload_has_no_finding() {
    let p = run(standard().as_bytes());
    holder_read(&p);
    // Only the elements this short payload leaves out.
    assert_eq!(codes(&p), ["aamva.missing_element"], "{:#?}", p.findings);
}

#[test]
fn a_dl_subfile_without_its_type_prefix_is_found_by_its_elements() {
    let s = standard().replacen("DLDAQ", "DAQ", 1);
    let p = run(s.as_bytes());
    holder_read(&p);
    assert!(
        codes(&p).contains(&"aamva.subfile_prefix"),
        "{:#?}",
        p.findings
    );
}

#[test]
fn a_directory_offset_that_is_not_a_number_does_not_lose_the_subfile() {
    let s = standard().replacen("DL0041", "DLabac", 1);
    let p = run(s.as_bytes());
    holder_read(&p);
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "aamva.offset_mismatch")
        .expect("finding");
    assert!(f.message.contains("\"abac\""), "{}", f.message);
}

#[test]
fn a_directory_shorter_than_it_claims_does_not_lose_the_subfile() {
    // Two entries claimed, one written: the subfile follows at once.
    let s = standard();
    let zv_entry = s.find("ZV0").expect("entry");
    let s = format!("{}{}", &s[..zv_entry], &s[zv_entry + 10..]);
    let p = run(s.as_bytes());
    assert_eq!(
        p.identity.surname.as_deref(),
        Some("SMITH"),
        "{:#?}",
        p.findings
    );
}

#[test]
fn control_characters_a_scanner_inserts_are_removed_and_reported_where_they_stood() {
    let s = standard()
        .replacen("\n\x1e", "\n\u{90}\x1e", 1)
        .replacen("SMITH", "SMI\u{90}TH", 1);
    assert_eq!(detect(s.as_bytes()), PayloadKind::Aamva);
    let p = run(s.as_bytes());
    holder_read(&p);
    let f = p
        .findings
        .iter()
        .find(|f| f.code == "aamva.control_characters")
        .expect("finding");
    assert_eq!(f.offset, Some(2));
    assert_eq!(f.cause, super::super::Cause::Capture);
    // Latin-1 bytes, not UTF-8.
    let mut b = standard().into_bytes();
    b.insert(1, 0x90);
    b.push(0xe9);
    let p = run(&b);
    assert_eq!(p.identity.surname.as_deref(), Some("SMITH"));
}

#[test]
fn a_declared_element_separator_is_honoured() {
    let s = standard().replacen("@\n", "@|", 1);
    let body = s.split_at(41);
    let s = format!("{}{}", body.0, body.1.replace('\n', "|"));
    let p = run(s.as_bytes());
    holder_read(&p);
    assert!(codes(&p).contains(&"aamva.separators"));
}

#[test]
fn elements_ended_by_cr_lf_are_read() {
    let s = standard();
    let body = s.split_at(41);
    let dl = body.1.replace('\n', "\r\n");
    // Offsets now lie; the subfiles are found where they stand.
    let p = run(format!("{}{dl}", body.0).as_bytes());
    holder_read(&p);
}

#[test]
fn punctuation_left_at_a_name_end_is_removed_with_a_finding() {
    let s = standard().replacen("DCSSMITH", "DCSSMITH,", 1);
    let p = run(s.as_bytes());
    holder_read(&p);
    assert!(codes(&p).contains(&"aamva.name_punctuation"));
}

#[test]
fn a_header_whose_compliance_indicator_was_dropped_is_read() {
    let s = standard();
    let s = &s[4..];
    assert_eq!(detect(s.as_bytes()), PayloadKind::Aamva);
    let p = run(s.as_bytes());
    holder_read(&p);
    assert!(codes(&p).contains(&"aamva.no_header"));
    assert!(
        !codes(&p).contains(&"aamva.offset_mismatch"),
        "{:#?}",
        p.findings
    );
    // And with a byte-order mark before it.
    let p = run(format!("\u{feff}{s}").as_bytes());
    holder_read(&p);
    assert!(codes(&p).contains(&"aamva.bom"));
}

#[test]
fn hostile_bytes_never_panic() {
    let s = standard();
    for cut in 0..s.len() {
        let _ = run(&s.as_bytes()[..cut]);
        let mut b = s.clone().into_bytes();
        b[cut] = 0x90;
        let _ = run(&b);
    }
}
