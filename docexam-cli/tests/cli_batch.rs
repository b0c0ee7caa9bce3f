//! `docexam batch` as a real process: the bundled samples into a case, one JSON line per
//! document with the expected findings, every examination logged and the case intact; a second
//! run examines nothing again; two shards split the documents without overlap; a damaged file
//! is reported and skipped while the rest is examined; each page of a PDF is a document.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{docexam, s};

use std::path::{Path, PathBuf};

use docexam_tests::pdf::{PageImage, scanned};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference-specimens/samples")
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `docexam case verify` finds the case at `case` intact.
fn assert_verifies(case: &Path) {
    let verify = docexam(&["case", "verify", s(case)]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn the_samples_are_examined_once_logged_and_split_by_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let (case, out) = (tmp.path().join("case"), tmp.path().join("results.jsonl"));
    let run = docexam(&[
        "batch",
        s(&samples()),
        "--case",
        s(&case),
        "--out",
        s(&out),
        "--jobs",
        "2",
        "--as-of",
        "2026-12-03",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("1 neither image nor PDF"), "{stderr}");
    let reports = lines(&out);
    let results: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r["document"].as_str().unwrap(),
                r["assessment"]["result"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        vec![
            ("idcard_barcode_mismatch", "anomalies_found"),
            ("idcard_genuine", "no_anomaly_found"),
            ("passport_genuine", "no_anomaly_found"),
            ("passport_ordinary_paper", "anomalies_found"),
            ("passport_photo_substituted", "anomalies_found"),
        ]
    );
    let failed = |doc: &str| -> Vec<String> {
        reports.iter().find(|r| r["document"] == doc).unwrap()["assessment"]["anomalies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["source"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(failed("passport_photo_substituted").contains(&"front-portrait-zone".to_string()));
    assert!(failed("passport_ordinary_paper").contains(&"front-uv-dull".to_string()));
    assert!(
        stdout.contains("2 no anomaly found, 3 anomalies found"),
        "{stdout}"
    );

    // Logged: one examination per document, each report stored; the case verifies.
    assert_verifies(&case);
    let log = docexam(&["case", "log", s(&case)]);
    let log = String::from_utf8_lossy(&log.stdout);
    assert_eq!(log.matches(" examine ").count(), 5, "{log}");

    // Again: nothing new to examine, nothing appended.
    let again = docexam(&[
        "batch",
        s(&samples()),
        "--case",
        s(&case),
        "--out",
        s(&out),
        "--as-of",
        "2026-12-03",
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 documents to examine (5 already"));
    assert_eq!(lines(&out).len(), 5);
    let log = docexam(&["case", "log", s(&case)]);
    assert_eq!(
        String::from_utf8_lossy(&log.stdout)
            .matches(" add ")
            .count(),
        21
    );

    // Two shards: every document in exactly one.
    let mut seen = Vec::new();
    for k in ["1/2", "2/2"] {
        let o = tmp.path().join(format!("shard{}.jsonl", &k[..1]));
        let c = tmp.path().join(format!("case{}", &k[..1]));
        let r = docexam(&[
            "batch",
            s(&samples()),
            "--case",
            s(&c),
            "--out",
            s(&o),
            "--shard",
            k,
            "--jobs",
            "1",
            "--as-of",
            "2026-12-03",
        ]);
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        seen.extend(
            lines(&o)
                .iter()
                .map(|r| r["document"].as_str().unwrap().to_string()),
        );
    }
    seen.sort();
    let all: Vec<String> = results.iter().map(|(d, _)| d.to_string()).collect();
    assert_eq!(seen, all);
}

#[test]
fn a_damaged_file_is_skipped_and_each_pdf_page_is_a_document() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seized");
    std::fs::create_dir(&input).unwrap();
    let genuine = std::fs::read(samples().join("passport-genuine_front_white.jpg")).unwrap();
    let card = std::fs::read(samples().join("idcard-genuine_front_white.jpg")).unwrap();
    // A JPEG cut short: recognised as a JPEG, but not decodable.
    std::fs::write(input.join("torn_front.jpg"), &genuine[..genuine.len() / 3]).unwrap();
    // A document whose UV capture is torn: that file is refused as it is received, the
    // document examined on its white capture.
    std::fs::write(input.join("bag_front_white.jpg"), &genuine).unwrap();
    std::fs::write(
        input.join("bag_front_uv.jpg"),
        &genuine[..genuine.len() / 3],
    )
    .unwrap();
    let size = |b: &[u8]| {
        let i = image::load_from_memory(b).unwrap();
        (i.width(), i.height())
    };
    let ((w1, h1), (w2, h2)) = (size(&genuine), size(&card));
    let pdf = scanned(&[
        PageImage::Jpeg {
            data: genuine.clone(),
            width: w1,
            height: h1,
        },
        PageImage::Jpeg {
            data: card,
            width: w2,
            height: h2,
        },
    ]);
    std::fs::write(input.join("scans.pdf"), pdf).unwrap();
    // Not documents: a note in a subfolder, set aside with its hash; a link to itself, which
    // cannot be read, reported without stopping the batch.
    std::fs::create_dir(input.join("bag4")).unwrap();
    std::fs::write(input.join("bag4/notes.txt"), b"seized 2026-12-01").unwrap();
    std::os::unix::fs::symlink("loop", input.join("loop")).unwrap();
    let (case, out) = (tmp.path().join("case"), tmp.path().join("r.jsonl"));
    let batch = || {
        docexam(&[
            "batch",
            s(&input),
            "--case",
            s(&case),
            "--out",
            s(&out),
            "--as-of",
            "2026-12-03",
        ])
    };
    let run = batch();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("torn_front.jpg"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("error: cannot read") && l.contains("loop")),
        "{stderr}"
    );
    // Every file found is accounted for in the case: the note and the two torn JPEGs set
    // aside with their blake3, once however often the batch is resumed.
    let set_aside = |case: &Path| -> Vec<(String, String, String)> {
        std::fs::read_to_string(case.join("audit.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|e| e["action"]["kind"] == "set_aside")
            .map(|e| {
                let a = &e["action"];
                (
                    a["source"].as_str().unwrap().to_string(),
                    a["blake3"].as_str().unwrap().to_string(),
                    a["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let aside = set_aside(&case);
    let sources: Vec<&str> = aside.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(
        sources,
        vec!["bag4/notes.txt", "bag_front_uv.jpg", "torn_front.jpg"]
    );
    assert_eq!(
        aside[0].1,
        blake3::hash(b"seized 2026-12-01").to_hex().to_string()
    );
    assert_eq!(aside[0].2, "neither an image nor a PDF");
    assert!(aside[2].2.starts_with("not received: "), "{}", aside[2].2);
    let again = batch();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(set_aside(&case), aside);
    assert_verifies(&case);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("bag_front_uv.jpg") && l.contains("skipped")),
        "{stderr}"
    );
    let mut reports = lines(&out);
    let docs: Vec<&str> = reports
        .iter()
        .map(|r| r["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, vec!["bag", "scans#1", "scans#2"]);
    let bag = reports.remove(0);
    let inputs: Vec<&str> = bag["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, vec!["bag_front_white.jpg"]);
    assert_eq!(bag["specimen"]["id"], "UTO-P-TD3");
    assert_eq!(reports[0]["inputs"][0]["page"], 1);
    assert_eq!(reports[0]["specimen"]["id"], "UTO-P-TD3");
    assert_eq!(reports[1]["specimen"]["id"], "UTO-I-TD1");
}

#[test]
fn an_unfinished_last_report_line_is_removed_on_resume_not_joined_to_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seized");
    std::fs::create_dir(&input).unwrap();
    for name in [
        "passport-genuine_front_white.jpg",
        "idcard-genuine_front_white.jpg",
    ] {
        std::fs::copy(samples().join(name), input.join(name)).unwrap();
    }
    let case = tmp.path().join("case");
    let out = tmp.path().join("reports.jsonl");
    let args = ["batch", s(&input), "--case", s(&case), "--out", s(&out)];
    let first = docexam(&args);
    assert!(first.status.code().is_some_and(|c| c <= 3), "{first:?}");
    let complete = lines(&out);
    assert_eq!(complete.len(), 2);
    // A kill in the middle of writing the second report: half its line, no newline.
    let text = std::fs::read_to_string(&out).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap() + 1;
    let half = cut + (text.len() - cut) / 2;
    std::fs::write(&out, &text[..half]).unwrap();
    let again = docexam(&args);
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("unfinished line"), "{err}");
    let now = lines(&out);
    assert_eq!(now.len(), 2, "every line is one report");
    assert_eq!(now[0], complete[0]);
    assert_verifies(&case);
}

#[test]
fn a_hash_sign_in_a_file_name_does_not_merge_it_with_a_pdf_page() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seized");
    std::fs::create_dir(&input).unwrap();
    let genuine = std::fs::read(samples().join("passport-genuine_front_white.jpg")).unwrap();
    let i = image::load_from_memory(&genuine).unwrap();
    let page = || PageImage::Jpeg {
        data: genuine.clone(),
        width: i.width(),
        height: i.height(),
    };
    std::fs::write(input.join("scan.pdf"), scanned(&[page(), page()])).unwrap();
    let card = std::fs::read(samples().join("idcard-genuine_front_white.jpg")).unwrap();
    std::fs::write(input.join("scan#2.jpg"), card).unwrap();
    let case = tmp.path().join("case");
    let out = tmp.path().join("reports.jsonl");
    let o = docexam(&["batch", s(&input), "--case", s(&case), "--out", s(&out)]);
    assert!(o.status.code().is_some_and(|c| c <= 3), "{o:?}");
    let reports = lines(&out);
    assert_eq!(
        reports.len(),
        3,
        "two PDF pages and the JPEG, each its own document"
    );
    for r in &reports {
        assert_eq!(r["inputs"].as_array().unwrap().len(), 1, "{r}");
    }
}
