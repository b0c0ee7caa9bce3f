//! `docexam examine` as a real process on the bundled sample documents: the exit code says
//! what was found (0 none, 1 anomalies, 3 inconclusive, 2 error), the text names the failing
//! feature, the JSON report is reproducible byte for byte, and bad input is an error naming
//! what was wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::command;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn docexam(args: &[&str], files: &[PathBuf]) -> Output {
    command().args(args).args(files).output().unwrap()
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
fn a_page_without_a_document_is_inconclusive_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank_front_white.png");
    image::RgbImage::from_pixel(1200, 900, image::Rgb([236, 236, 232]))
        .save(&blank)
        .unwrap();
    let out = docexam(&["examine", "--json"], std::slice::from_ref(&blank));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["assessment"]["result"], "inconclusive");
    let not_checked = report["assessment"]["not_checked"].as_array().unwrap();
    assert!(
        not_checked
            .iter()
            .any(|n| n["what"] == "identification" && n["blocking"] == true),
        "{not_checked:?}"
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

/// The report's result of feature `id`.
fn feature<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["feature"] == id)
        .unwrap_or_else(|| panic!("no feature {id}"))
}

#[test]
fn glare_over_most_of_the_uv_substrate_region_is_not_taken_for_glowing_paper() {
    let files = sample("passport-genuine");
    let args = ["examine", "--json", "--as-of", "2026-12-03"];
    let out = docexam(&args, &files);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uv = report["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["light"] == "uv")
        .unwrap();
    let h: Vec<f64> = uv["registration"]["homography"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let px_per_mm = uv["registration"]["px_per_mm"].as_f64().unwrap();
    let to_px = |x: f64, y: f64| {
        let w = h[6] * x + h[7] * y + h[8];
        (
            (h[0] * x + h[1] * y + h[2]) / w,
            (h[3] * x + h[4] * y + h[5]) / w,
        )
    };
    let r: Vec<f64> = feature(&report, "front-uv-dull")["region_mm"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // A glare spot a quarter of the way along the region, wide enough to lift most of its
    // cells (the median cell by 15 grey levels or more, checked below); the far end stays
    // nearly as it was.
    let (cx, cy) = to_px(r[0] + r[2] / 4.0, r[1] + r[3] / 2.0);
    let radius = 0.45 * r[2] * px_per_mm;
    let dir = tempfile::tempdir().unwrap();
    let mut glared = Vec::new();
    for f in &files {
        let to = dir.path().join(f.file_name().unwrap());
        if to.to_string_lossy().ends_with("_uv.jpg") {
            let mut img = image::open(f).unwrap().to_rgb8();
            for (x, y, p) in img.enumerate_pixels_mut() {
                let d2 =
                    ((f64::from(x) - cx).powi(2) + (f64::from(y) - cy).powi(2)) / radius.powi(2);
                let push = 0.55 * (-d2).exp();
                for c in &mut p.0 {
                    *c = (f64::from(*c) + (255.0 - f64::from(*c)) * push).round() as u8;
                }
            }
            img.save(&to).unwrap();
        } else {
            std::fs::copy(f, &to).unwrap();
        }
        glared.push(to);
    }
    let out = docexam(&args, &glared);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dull = feature(&report, "front-uv-dull");
    assert_eq!(dull["status"], "pass", "{dull}");
    // The glare did reach the region: the median cell is well above the reference's level.
    let sentence = dull["sentence"].as_str().unwrap();
    let level = |after: &str| -> f64 {
        let rest = &sentence[sentence.find(after).unwrap() + after.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (median, reference) = (level("substrate median "), level("reference "));
    assert!(median >= reference + 15.0, "{sentence}");
}

#[cfg(unix)]
#[test]
fn a_specimen_prepared_on_disk_gives_the_same_report_and_a_damaged_entry_is_made_again() {
    use std::os::unix::fs::MetadataExt;
    let files = sample("passport-genuine");
    let run = |cache: Option<&Path>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_docexam"));
        c.args([
            "examine",
            "--json",
            "--reproducible",
            "--as-of",
            "2026-12-03",
        ])
        .args(&files)
        .env_remove("DOCEXAM_SPECIMENS")
        .env_remove("DOCEXAM_NO_CACHE");
        match cache {
            Some(dir) => c.env("DOCEXAM_CACHE_DIR", dir),
            None => c.env("DOCEXAM_NO_CACHE", "1"),
        };
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
        out.stdout
    };
    let entries = |dir: &Path| {
        let mut e: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        e.sort();
        e
    };
    let dir = tempfile::tempdir().unwrap();
    let plain = run(None);
    assert!(entries(dir.path()).is_empty());
    // The first examination prepares the passport specimen's three images and keeps them.
    assert_eq!(run(Some(dir.path())), plain);
    let kept = entries(dir.path());
    let names: Vec<String> = kept
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "UTO-P-TD3-front-ir.prep",
            "UTO-P-TD3-front-uv.prep",
            "UTO-P-TD3-front-white.prep"
        ]
    );
    let bytes: Vec<Vec<u8>> = kept.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let inodes: Vec<u64> = kept.iter().map(|p| inode(p)).collect();
    // The next one reads them (nothing is written again) and reports the same, byte for byte.
    assert_eq!(run(Some(dir.path())), plain);
    assert_eq!(kept.iter().map(|p| inode(p)).collect::<Vec<_>>(), inodes);
    // A damaged entry is not trusted: the image is prepared again and the entry replaced.
    let white = &kept[2];
    let mut damaged = bytes[2].clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    std::fs::write(white, &damaged).unwrap();
    assert_eq!(run(Some(dir.path())), plain);
    assert_ne!(inode(white), inodes[2]);
    assert!(std::fs::read(white).unwrap() == bytes[2]);
    assert_eq!(
        entries(dir.path()),
        kept,
        "no temporary file is left behind"
    );
}

#[test]
fn a_greyscale_capture_of_a_genuine_passport_leaves_colour_unchecked_not_failed() {
    // The genuine passport's white-light capture scanned in grey (kept as an RGB JPEG, as
    // scanners in grey mode often write): its rainbow print and OVD cannot show their colour.
    let white = sample("passport-genuine")
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with("_front_white.jpg"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let grey = dir.path().join("passport-grey_front_white.jpg");
    let img = image::open(&white).unwrap().to_luma8();
    image::DynamicImage::ImageLuma8(img)
        .to_rgb8()
        .save(&grey)
        .unwrap();
    let out = docexam(&["examine", "--json", "--as-of", "2026-12-03"], &[grey]);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out).1));
    let colour_checks: Vec<&serde_json::Value> = report["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["comparator"] == "colour" || f["comparator"] == "ovd")
        .collect();
    assert!(!colour_checks.is_empty(), "the specimen has colour checks");
    for f in colour_checks {
        assert_eq!(f["status"], "inconclusive", "{f}");
        assert!(
            f.to_string().contains("no colour"),
            "the reason is given: {f}"
        );
    }
    assert_ne!(
        report["assessment"]["result"], "anomalies_found",
        "{}",
        report["assessment"]
    );
}
