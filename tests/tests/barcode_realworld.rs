//! Real licence payloads from other parsers' public test suites
//! (`tests/data/barcodes/aamva-real/`, sources and licences in its README): every one yields
//! the holder data its source's tests assert, or a finding that says why not.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

use docexam_core::barcode::{ParseOptions, Payload, PayloadKind, TrustStore, parse};
use docexam_core::date::CivilDate;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/barcodes/aamva-real")
}

fn cases() -> Vec<Value> {
    serde_json::from_slice::<Value>(&std::fs::read(dir().join("cases.json")).unwrap())
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn bytes(case: &Value) -> Option<Vec<u8>> {
    use base64::Engine;
    let file = case["payload_file"].as_str()?;
    let text: String = String::from_utf8(std::fs::read(dir().join(file)).unwrap())
        .unwrap()
        .split_whitespace()
        .collect();
    Some(
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap(),
    )
}

fn run(b: &[u8]) -> Payload {
    let trust = TrustStore::new();
    parse(
        b,
        &ParseOptions {
            kind: None,
            trust: &trust,
            as_of: CivilDate::new(2024, 1, 1).unwrap(),
        },
    )
}

/// What the payload gives for one expected key.
fn got(p: &Payload, key: &str) -> Option<String> {
    let i = &p.identity;
    match key {
        "surname" => i.surname.clone(),
        "given_names" => i.given_names.clone(),
        "document_number" => i.document_number.clone(),
        "birth_date" => i.birth_date.map(|d| d.to_string()),
        "expiry_date" => i.expiry_date.map(|d| d.to_string()),
        "issuer" => i.issuer.clone(),
        other => panic!("unknown expected key {other}"),
    }
}

#[test]
fn every_real_licence_payload_yields_the_holder_its_source_asserts() {
    let cases = cases();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for c in &cases {
        let id = c["id"].as_str().unwrap();
        let Some(b) = bytes(c) else {
            // The one payload whose scanner characters could not be transcribed byte for byte.
            assert_eq!(id, "idparser-ct-undefined-characters");
            continue;
        };
        let p = run(&b);
        if p.kind != PayloadKind::Aamva {
            wrong.push(format!("{id}: read as {:?}", p.kind));
            continue;
        }
        for (key, want) in c["expected"].as_object().unwrap() {
            checked += 1;
            let have = got(&p, key);
            if have.as_deref() != want.as_str() {
                wrong.push(format!("{id} {key}: want {want}, have {have:?}"));
            }
        }
    }
    assert!(checked >= 150, "only {checked} values checked");
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn vds_real() -> (PathBuf, Vec<Value>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/barcodes/vds-real");
    let v: Value = serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
    (dir, v["cases"].as_array().unwrap().clone())
}

fn vds_real_case(id: &str) -> Payload {
    use base64::Engine;
    let (dir, cases) = vds_real();
    let c = cases.iter().find(|c| c["id"] == id).unwrap();
    let text: String =
        String::from_utf8(std::fs::read(dir.join(c["payload_file"].as_str().unwrap())).unwrap())
            .unwrap()
            .split_whitespace()
            .collect();
    run(&base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap())
}

fn has(p: &Payload, code: &str) -> bool {
    p.findings.iter().any(|f| f.code == code)
}

#[test]
fn seal_headers_are_read_the_way_real_signers_write_them() {
    // BSI TR-03171: the certificate reference's length in decimal.
    let p = vds_real_case("vds-dezv-meldebescheinigung-decimal-certref-len");
    assert_eq!(
        p.value("certificate_reference"),
        Some("A41E7E495F0B4DE58AA0FE7C01D7FEA8")
    );
    assert_eq!(p.value("issue_date"), Some("2025-05-14"));
    assert!(has(&p, "vds.certificate_reference_decimal"));
    assert!(!p.has_errors(), "{:#?}", p.findings);
    // The same profile written as ICAO says: no finding about it.
    let p = vds_real_case("vds-dezv-hex-certref-len");
    assert_eq!(
        p.value("certificate_reference"),
        Some("00112233445566778899AABBCCDDEEFF")
    );
    assert!(!has(&p, "vds.certificate_reference_decimal"));
    // A German arrival attestation keeping version 3's fixed reference under version 4.
    let p = vds_real_case("vds-arrival-deme00-gaad-layout");
    assert_eq!(p.value("certificate_reference"), Some("00008"));
    assert_eq!(p.value("issue_date"), Some("2016-02-01"));
    assert!(has(&p, "vds.certificate_reference_fixed"));
    assert!(!p.has_errors(), "{:#?}", p.findings);
}

#[test]
fn idb_barcodes_say_what_they_are() {
    let p = vds_real_case("idb-visa");
    assert!(p.description.ends_with(": visa"), "{}", p.description);
    assert_eq!(p.value("message_types"), Some("visa"));
    let p = vds_real_case("idb-synthetic-unsigned-plain-ndb");
    assert!(
        p.description.contains("proof of recovery"),
        "{}",
        p.description
    );
}

#[test]
fn boarding_pass_security_sections_follow_resolution_792() {
    let p = vds_real_case("bcbp-792-zero-length-security");
    assert!(!p.has_errors(), "{:#?}", p.findings);
    let p = vds_real_case("bcbp-av-security-type4");
    assert_eq!(p.value("type_of_security_data"), Some("4"));
    assert_eq!(p.value("security_data").map(str::len), Some(96));
    assert!(!p.has_errors(), "{:#?}", p.findings);
    // Data after the security section, which ends the pass.
    let p = vds_real_case("bcbp-792-trailing-plus");
    assert!(has(&p, "bcbp.trailing_bytes"), "{:#?}", p.findings);
    assert_eq!(p.value("trailing_data"), Some("+"));
    // Real passes whose sizes overrun say so.
    for id in [
        "bcbp-airberlin-trailing-rest",
        "bcbp-latam-conditional-overrun",
    ] {
        assert!(has(&vds_real_case(id), "bcbp.field_size"), "{id}");
    }
}

#[test]
fn a_seal_whose_message_zone_breaks_keeps_its_signature_zone() {
    // A message length that runs past the end: the 64-byte signature zone is still found.
    use base64::Engine;
    let (dir, cases) = vds_real();
    let c = cases
        .iter()
        .find(|c| c["id"] == "vds-arrival-deme05-country-d")
        .unwrap();
    let text: String =
        String::from_utf8(std::fs::read(dir.join(c["payload_file"].as_str().unwrap())).unwrap())
            .unwrap()
            .split_whitespace()
            .collect();
    let mut b = base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap();
    let good = run(&b);
    assert!(!has(&good, "vds.unsigned"));
    // The first message's length byte made to claim more than the seal holds.
    let first_len = 20 + 1;
    b[first_len] = 0x7f;
    let p = run(&b);
    assert!(has(&p, "vds.signature_zone_recovered"), "{:#?}", p.findings);
    assert!(!has(&p, "vds.unsigned"));
}
