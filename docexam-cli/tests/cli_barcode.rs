//! `docexam payload` and `docexam barcode` driven as real processes: JSON contract, trust
//! folder, exit codes, bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::docexam_stdin as docexam;

use std::path::PathBuf;
use std::process::Output;

use docexam_tests::barcodes::{Symbology, code, on_page};

fn data() -> PathBuf {
    docexam_tests::data_dir().join("barcodes")
}

/// The raw bytes of a sample stored as base64.
fn sample(name: &str) -> Vec<u8> {
    use base64::Engine;
    let t: String = std::fs::read_to_string(data().join(name))
        .unwrap()
        .split_whitespace()
        .collect();
    base64::engine::general_purpose::STANDARD.decode(t).unwrap()
}

/// The JSON a run that exited 0 printed.
fn ok_json(out: &Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn vds_bytes() -> Vec<u8> {
    sample("vds-arrival-attestation.b64")
}

#[test]
fn payload_json_names_kind_fields_and_a_trusted_signature() {
    let certs = data().join("certs");
    let out = docexam(
        &["payload", "--json", "--trust", certs.to_str().unwrap(), "-"],
        &vds_bytes(),
    );
    let v = ok_json(&out);
    assert_eq!(v["payload"]["kind"], "vds");
    assert_eq!(v["blake3"], blake3::hash(&vds_bytes()).to_hex().to_string());
    assert_eq!(v["payload"]["signature"]["status"], "valid");
    assert_eq!(v["payload"]["signature"]["trusted"], true);
    let fields = v["payload"]["fields"].as_array().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f["id"] == "0x03" && f["name"] == "azr" && f["value"] == "160113000085")
    );
}

#[test]
fn a_tampered_seal_exits_1_and_garbage_is_unknown_not_an_error() {
    let certs = data().join("certs");
    let mut b = vds_bytes();
    b[30] ^= 0x10;
    let out = docexam(&["payload", "--trust", certs.to_str().unwrap(), "-"], &b);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("signature: invalid"));
    let out = docexam(&["payload", "--json", "-"], b"hello, examiner");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["payload"]["kind"], "unknown");
    assert_eq!(v["payload"]["text"], "hello, examiner");
    let out = docexam(&["payload", "--kind", "qr", "-"], b"x");
    assert_eq!(out.status.code(), Some(2));
    let big = vec![b'A'; 70_000];
    let out = docexam(&["payload", "-"], &big);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("64 KiB"));
}

#[test]
fn barcode_reads_a_code_from_an_image_file() {
    let dir = tempfile::tempdir().unwrap();
    let c = code(Symbology::DataMatrix, &vds_bytes(), 5);
    let page = on_page(&c, c.width() + 200, c.height() + 200, 100, 100);
    let path = dir.path().join("seal.png");
    page.save(&path).unwrap();
    let certs = data().join("certs");
    let out = docexam(
        &[
            "barcode",
            "--json",
            "--trust",
            certs.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        b"",
    );
    let v = ok_json(&out);
    let codes = v[0]["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["symbology"], "Data Matrix");
    assert_eq!(codes[0]["payload"]["kind"], "vds");
    assert_eq!(codes[0]["payload"]["signature"]["status"], "valid");
    assert_eq!(codes[0]["position"].as_array().unwrap().len(), 4);
    let missing = docexam(
        &["barcode", dir.path().join("nope.png").to_str().unwrap()],
        b"",
    );
    assert_eq!(missing.status.code(), Some(2));
}

fn supplement_sheet() -> Vec<u8> {
    sample("vds-supplement-sheet.b64")
}

#[test]
fn payload_is_cross_checked_with_the_printed_mrz() {
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("same.txt");
    std::fs::write(
        &same,
        "ATD<<RESIDORCE<<ROLAND<<<<<<<<<<<<<<\n6525845096USA7008038M2201018<<<<<<06\n",
    )
    .unwrap();
    let out = docexam(
        &["payload", "--json", "--mrz", same.to_str().unwrap(), "-"],
        &supplement_sheet(),
    );
    let v = ok_json(&out);
    let checks = v["cross_checks"].as_array().unwrap();
    assert!(checks.iter().any(|c| c["field"] == "document_number"));
    assert!(checks.iter().all(|c| c["agrees"] == true), "{checks:?}");

    // The printed MRZ of another holder: the surname and birth date disagree with the seal's.
    let other = dir.path().join("other.txt");
    std::fs::write(
        &other,
        "ATD<<RESIDENCE<<ROLAND<<<<<<<<<<<<<<\n6525845096USA7108038M2201018<<<<<<06\n",
    )
    .unwrap();
    let out = docexam(
        &["payload", "--mrz", other.to_str().unwrap(), "-"],
        &supplement_sheet(),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cross-check surname: MISMATCH"), "{text}");
    assert!(text.contains("cross-check birth_date: MISMATCH"), "{text}");
    assert!(
        text.contains("cross-check document_number: agrees"),
        "{text}"
    );
}

#[test]
fn an_mrz_file_without_an_mrz_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "this is not a machine-readable zone\n").unwrap();
    let out = docexam(
        &["payload", "--mrz", bad.to_str().unwrap(), "-"],
        &supplement_sheet(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.txt") && err.contains("not an MRZ"),
        "{err}"
    );
}
