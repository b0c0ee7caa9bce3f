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
        let Some(b) = bytes(c) else { continue };
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
