//! `docexam examine` as a real process on the bundled sample documents: the exit code says
//! what was found (0 none, 1 anomalies, 2 error), the text names the failing feature, the JSON
//! report is reproducible byte for byte, and bad input is an error naming what was wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn docexam(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docexam"))
        .args(args)
        .args(files)
        .env_remove("DOCEXAM_SPECIMENS")
        .output()
        .unwrap()
}

fn sample(document: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference-specimens/samples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{document}_"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no sample {document}");
    files
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_genuine_passport_shows_no_anomaly_and_a_substituted_photo_is_found() {
    let out = docexam(
        &["examine", "--as-of", "2026-12-03"],
        &sample("passport-genuine"),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("passport_genuine: NO ANOMALY FOUND"),
        "{stdout}"
    );
    assert!(stdout.contains("specimen: UTO-P-TD3"), "{stdout}");

    let out = docexam(
        &["examine", "--as-of", "2026-12-03"],
        &sample("passport-photo-substituted"),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("ANOMALIES FOUND"), "{stdout}");
    assert!(stdout.contains("front-portrait-zone"), "{stdout}");
}

#[test]
fn the_json_report_of_a_card_with_another_persons_barcode_is_reproducible() {
    let args = [
        "examine",
        "--json",
        "--reproducible",
        "--as-of",
        "2026-12-03",
    ];
    let files = sample("idcard-barcode-mismatch");
    let first = docexam(&args, &files);
    let (stdout, stderr) = text(&first);
    assert_eq!(first.status.code(), Some(1), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["schema"], "docexam-report");
    assert_eq!(v["document"], "idcard_barcode_mismatch");
    assert_eq!(v["specimen"]["id"], "UTO-I-TD1");
    assert_eq!(v["assessment"]["result"], "anomalies_found");
    assert_eq!(v["assessment"]["anomalies"][0]["severity"], "critical");
    assert_eq!(v["inputs"].as_array().unwrap().len(), 6);
    assert!(v.get("run").is_none());
    let second = docexam(&args, &files);
    assert_eq!(
        first.stdout, second.stdout,
        "the same input gave another report"
    );
}

#[test]
fn bad_input_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("scan_front.png");
    std::fs::write(&junk, b"this is no image").unwrap();
    let out = docexam(&["examine"], std::slice::from_ref(&junk));
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("scan_front.png"), "{stderr}");

    let out = docexam(
        &["examine", "--specimen", "UTO-NOPE"],
        &sample("passport-genuine"),
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("UTO-NOPE"), "{stderr}");
}

#[test]
fn with_a_case_the_inputs_and_both_reports_are_kept_and_logged() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    let pdf = tmp.path().join("report.pdf");
    let out = docexam(
        &[
            "examine",
            "--as-of",
            "2026-12-03",
            "--case",
            case.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
        ],
        &sample("passport-ordinary-paper"),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pdf_hash = blake3::hash(&bytes).to_hex().to_string();
    let log = docexam(&["case", "log", case.to_str().unwrap()], &[]);
    let log = String::from_utf8_lossy(&log.stdout).into_owned();
    assert_eq!(log.matches(" add ").count(), 3, "{log}");
    assert!(
        log.contains("examined passport_ordinary_paper (items 1,2,3): anomalies_found"),
        "{log}"
    );
    assert!(log.contains(&format!("PDF blake3 {pdf_hash}")), "{log}");
    let verify = docexam(&["case", "verify", case.to_str().unwrap()], &[]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify).0);
}
