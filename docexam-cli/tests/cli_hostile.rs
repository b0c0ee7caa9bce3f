//! Hostile inputs and environments, as an adversary prepares them: a closed standard output,
//! named pipes and devices where files are expected (directly, through links, inside a trust
//! folder), a device given as a case archive. Each must end promptly with a clear refusal
//! (exit 2, the file and the reason named), never a panic or a hang, and leave stored evidence
//! as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{command, s};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use docexam_tests::process::finish_within;
use docexam_tests::sample_scan;
use std::time::{Duration, Instant};

/// Runs with a time limit, stdout and stderr collected.
fn run_limited(args: &[&str], what: &str) -> Output {
    let child = command()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    finish_within(child, Duration::from_secs(60), what)
}

fn refused(o: &Output, what: &str, reason: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(
        err.contains(reason),
        "{what}: the reason {reason:?} in {err}"
    );
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(ok.success(), "mkfifo (coreutils) made no FIFO");
}

#[test]
fn a_closed_standard_output_ends_case_add_with_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let o = command().args(["case", "init", s(&case)]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let files: Vec<PathBuf> = [
        "passport-genuine_front_white.jpg",
        "passport-genuine_front_uv.jpg",
        "passport-genuine_front_ir.jpg",
        "idcard-genuine_front_white.jpg",
    ]
    .iter()
    .map(|n| sample_scan(n))
    .collect();
    let mut args = vec!["case", "add", s(&case)];
    args.extend(files.iter().map(|p| s(p)));
    let mut child = command()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the first line.
    drop(child.stdout.take());
    let o = finish_within(child, Duration::from_secs(120), "case add");
    refused(&o, "case add onto a closed pipe", "standard output");
    // What was added before the pipe closed is intact.
    let v = command()
        .args(["case", "verify", s(&case)])
        .output()
        .unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
}

#[test]
fn named_pipes_are_refused_at_once_wherever_an_image_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("scan_front_white.jpg");
    mkfifo(&fifo);
    for args in [
        vec!["examine", s(&fifo)],
        vec!["barcode", s(&fifo)],
        vec!["mrz", "--image", s(&fifo)],
        vec!["hash", s(&fifo)],
    ] {
        let what = args.join(" ");
        let o = run_limited(&args, &what);
        refused(&o, &what, "named pipe");
    }
    let case = dir.path().join("case");
    command().args(["case", "init", s(&case)]).output().unwrap();
    let o = run_limited(&["case", "add", s(&case), s(&fifo)], "case add FIFO");
    assert_eq!(o.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

#[test]
fn a_link_to_a_device_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("scan_front_white.jpg");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for args in [
        vec!["examine", s(&zero)],
        vec!["barcode", s(&zero)],
        vec!["mrz", "--image", s(&zero)],
    ] {
        let what = args.join(" ");
        let start = Instant::now();
        let o = run_limited(&args, &what);
        refused(&o, &what, "character device");
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what}: refused only after {:?}",
            start.elapsed()
        );
    }
    // A device given as a case archive.
    let o = run_limited(
        &[
            "case",
            "import",
            "/dev/zero",
            s(&dir.path().join("imported")),
        ],
        "case import /dev/zero",
    );
    refused(&o, "case import /dev/zero", "character device");
    // A device or a pipe as a key, a file to sign or a signature.
    let key = dir.path().join("lab.key");
    let o = run_limited(&["key", "generate", s(&key)], "key generate");
    assert_eq!(o.status.code(), Some(0));
    let fifo = dir.path().join("key.fifo");
    mkfifo(&fifo);
    let report = dir.path().join("report.json");
    std::fs::write(&report, b"{}").unwrap();
    let public = dir.path().join("lab.key.pub");
    std::fs::write(dir.path().join("scan_front_white.jpg.sig"), [0u8; 64]).unwrap();
    for (args, reason) in [
        (vec!["sign", s(&zero), "--key", s(&key)], "character device"),
        (vec!["sign", s(&report), "--key", s(&fifo)], "named pipe"),
        (
            vec!["sign", s(&report), "--key", s(&zero)],
            "character device",
        ),
        (
            vec!["verify-signature", s(&zero), "--public-key", s(&public)],
            "character device",
        ),
        (
            vec!["verify-signature", s(&report), "--public-key", s(&fifo)],
            "named pipe",
        ),
    ] {
        let what = args.join(" ");
        let o = run_limited(&args, &what);
        refused(&o, &what, reason);
    }
}

#[test]
fn a_trust_folder_with_a_pipe_and_a_device_link_loads_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let trust = dir.path().join("trust");
    std::fs::create_dir(&trust).unwrap();
    mkfifo(&trust.join("waiting.pem"));
    std::os::unix::fs::symlink("/dev/zero", trust.join("endless.der")).unwrap();
    let payload = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/barcodes/aamva-ny.b64");
    let o = run_limited(
        &["payload", "--trust", s(&trust), s(&payload)],
        "payload --trust with a FIFO and /dev/zero",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{:?}: {err}",
        o.status
    );
}

#[test]
fn case_export_never_replaces_a_link_or_a_special_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    assert_eq!(
        command()
            .args(["case", "init", s(&case)])
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, b"keep me").unwrap();
    let link = dir.path().join("export.tar");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let fifo = dir.path().join("pipe.tar");
    mkfifo(&fifo);
    for target in [&link, &fifo] {
        let o = run_limited(&["case", "export", s(&case), s(target)], "case export");
        refused(
            &o,
            "case export onto a link or FIFO",
            "not exporting onto it",
        );
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&precious).unwrap(), b"keep me");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn names_that_are_not_utf8_are_recorded_apart() {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let o = run_limited(&["case", "init", s(&case)], "case init");
    assert_eq!(o.status.code(), Some(0));
    let jpeg = std::fs::read(sample_scan("passport-genuine_front_uv.jpg")).unwrap();
    let names = [&b"scan\xff_front.jpg"[..], &b"scan\xfe_front.jpg"[..]];
    let paths: Vec<PathBuf> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let p = dir.path().join(std::ffi::OsStr::from_bytes(n));
            // Different bytes, so that both are stored.
            let mut bytes = jpeg.clone();
            bytes.push(u8::try_from(i).unwrap());
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    let o = command()
        .arg("case")
        .arg("add")
        .arg(&case)
        .args(&paths)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let log = run_limited(&["case", "log", s(&case), "--json"], "case log");
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(text.contains(r#""source":"scan\\xff_front.jpg""#), "{text}");
    assert!(text.contains(r#""source":"scan\\xfe_front.jpg""#), "{text}");
}
