//! `docexam mrz` driven as a real process: the documented contract, exit codes and bad inputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{code, docexam_stdin as docexam};

use std::process::Output;

const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10\n";

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_report_has_the_documented_keys() {
    let out = docexam(&["mrz", "--json", "--as-of", "2026-11-24"], TD3.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["format"], "TD3");
    assert_eq!(v["valid"], true);
    let f = &v["fields"];
    for (key, value) in [
        ("document_code", "P"),
        ("issuing_state", "UTO"),
        ("surname", "ERIKSSON"),
        ("given_names", "ANNA MARIA"),
        ("document_number", "L898902C3"),
        ("nationality", "UTO"),
        ("birth_date", "740812"),
        ("expiry_date", "120415"),
        ("birth_date_iso", "1974-08-12"),
        ("expiry_date_iso", "2012-04-15"),
        ("sex", "F"),
        ("optional_data", "ZE184226B"),
    ] {
        assert_eq!(f[key], value, "{key}");
    }
    assert!(f["optional_data_2"].is_null());
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 5);
    for c in checks {
        for key in ["name", "status", "expected", "found", "line", "columns"] {
            assert!(c.get(key).is_some(), "check lacks {key}: {c}");
        }
    }
    assert_eq!(checks[0]["name"], "document_number");
    assert_eq!(checks[0]["status"], "pass");
    assert_eq!(checks[0]["expected"], "6");
    assert_eq!(checks[0]["line"], 2);
    assert_eq!(checks[0]["columns"], serde_json::json!([10, 10]));
    for f in v["findings"].as_array().unwrap() {
        for key in ["code", "severity", "message", "line", "columns"] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
    assert_eq!(v["repairs"], serde_json::json!([]));
}

#[test]
fn every_format_reports_its_name() {
    for (text, format) in [
        (
            "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            "TD1",
        ),
        (
            "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
            "TD2",
        ),
        (TD3, "TD3"),
        (
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<",
            "MRVA",
        ),
        (
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<",
            "MRVB",
        ),
        (
            "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<\n8806923102858CORINNE<<<<<<<6512068F6",
            "FRA_ID",
        ),
        ("D1FRA13AA000026181231MARTIN<<9", "FRA_DL"),
        (
            "AAA001D<<\nFACHE305142128097<<800126<<<<<\nMARCHAND<<FABIENNE<<<<<<<<<<<<",
            "SWISS_DL",
        ),
        ("D1NLD15094962111659VW87Z78NB84", "IDL"),
        ("NOT<AN<MRZ", "unknown"),
    ] {
        let out = docexam(&["mrz", "--json", "--as-of", "2026-11-24"], text.as_bytes());
        let v = json(&out);
        assert_eq!(v["format"], format, "{text}");
        let expected_code = if format == "unknown" { 1 } else { 0 };
        assert_eq!(code(&out), expected_code, "{text}: {}", stdout(&out));
    }
}

#[test]
fn invalid_mrz_exits_1() {
    let altered = TD3.replace("L898902C36", "L898902C37");
    let out = docexam(&["mrz"], altered.as_bytes());
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("INVALID"));
    assert!(stdout(&out).contains("FAIL  document number check digit"));
}

#[test]
fn bad_inputs_exit_2_with_a_clear_message() {
    let ten_mb = vec![b'P'; 10 * 1024 * 1024];
    let five_lines = "A\nB\nC\nD\nE\n";
    let binary: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let cases: [(&[u8], &str); 5] = [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (five_lines.as_bytes(), "5 non-empty lines"),
        (binary, "binary"),
        (&ten_mb, "larger than"),
    ];
    for (input, needle) in cases {
        let out = docexam(&["mrz"], input);
        assert_eq!(code(&out), 2, "{needle}");
        let err = stderr(&out);
        assert!(err.contains(needle), "{needle}: {err}");
        assert!(err.starts_with("docexam: error:"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = docexam(&["mrz"], b"P<UTO\xff\xfe\n");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("invalid UTF-8"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        code(&docexam(&["mrz", "--as-of", "2026-02-30"], TD3.as_bytes())),
        2
    );
    assert_eq!(code(&docexam(&["mrz", "--no-such-flag"], b"")), 2);
    assert_eq!(code(&docexam(&["frobnicate"], b"")), 2);
    let out = docexam(&["mrz", "/no/such/file"], b"");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("/no/such/file"));
    assert_eq!(code(&docexam(&["--version"], b"")), 0);
}

#[test]
fn reads_files_and_dash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrz.txt");
    std::fs::write(&path, TD3).unwrap();
    let out = docexam(&["mrz", "--json", path.to_str().unwrap()], b"");
    assert_eq!(json(&out)["fields"]["surname"], "ERIKSSON");
    let out = docexam(&["mrz", "--json", "-"], TD3.as_bytes());
    assert_eq!(json(&out)["fields"]["surname"], "ERIKSSON");
}

#[test]
fn raw_ocr_output_is_cleaned_on_request_and_every_step_is_reported() {
    let raw = "\nuseless lines\n  P<UTO ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<extra \n  L898902c36UTO74O8122F1204159ZE184226B<<<<<1O  \n";
    let out = docexam(&["mrz", "--json"], raw.as_bytes());
    assert_eq!(
        code(&out),
        1,
        "without --ocr-text the junk line leaves no valid MRZ"
    );
    let out = docexam(&["mrz", "--json", "--ocr-text"], raw.as_bytes());
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let v = json(&out);
    assert_eq!(
        v["lines"][0],
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    );
    assert_eq!(
        v["lines"][1],
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    );
    let cleaned: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "text_cleaned")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        cleaned.iter().any(|m| m.contains("cut (\"EXTRA\")")),
        "{cleaned:?}"
    );
    assert!(
        cleaned.iter().any(|m| m.contains("lower-case")),
        "{cleaned:?}"
    );
}

#[test]
fn repair_is_reported() {
    let read = TD3.replace("7408122", "74O8122");
    let out = docexam(&["mrz", "--json", "--repair"], read.as_bytes());
    assert_eq!(code(&out), 0);
    let v = json(&out);
    assert_eq!(
        v["repairs"],
        serde_json::json!([{"line": 2, "column": 16, "from": "O", "to": "0", "confirmed_by": "birth_date", "also_confirmed_by": "composite", "evidence": "check_digits", "strength": "strong"}])
    );
    let out = docexam(&["mrz", "--json"], read.as_bytes());
    assert_eq!(code(&out), 1, "without --repair the misreading stands");
}

#[test]
fn batch_reads_many_and_keeps_going_past_bad_blocks() {
    let altered = TD3.replace("L898902C36", "L898902C37");
    let input = format!("{TD3}\n{altered}\nNOT\u{1}TEXT\n\n{TD3}");
    let out = docexam(&["mrz", "--batch", "--json"], input.as_bytes());
    assert_eq!(code(&out), 2, "a block that is not text");
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        (lines[0]["input_line"].as_u64(), lines[0]["valid"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(
        (lines[1]["input_line"].as_u64(), lines[1]["valid"].as_bool()),
        (Some(4), Some(false))
    );
    assert!(lines[2]["error"].as_str().unwrap().contains("binary"));
    assert_eq!(lines[3]["valid"], true);

    let out = docexam(&["mrz", "--batch"], format!("{TD3}\n{altered}").as_bytes());
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).ends_with("2 MRZs: 1 valid, 1 invalid, 0 not MRZ text\n"));
}

#[test]
fn bundled_samples_run() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/mrz/samples.txt");
    let out = docexam(&["mrz", "--batch", "--as-of", "2026-11-24", samples], b"");
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.ends_with("10 MRZs: 10 valid, 0 invalid, 0 not MRZ text\n"),
        "{text}"
    );
    let altered = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/mrz/altered.txt");
    let out = docexam(&["mrz", "--batch", "--as-of", "2026-11-24", altered], b"");
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).ends_with("3 MRZs: 0 valid, 3 invalid, 0 not MRZ text\n"));
}
