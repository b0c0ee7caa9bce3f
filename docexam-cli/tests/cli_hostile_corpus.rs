//! The hostile-input campaign, kept as a test: every input of `docexam_tests::hostile::corpus`
//! (pixel and decompression bombs, loops, size lies, truncations, garbage, hostile names, in
//! JPEG, PNG, TIFF, BMP, WebP and PDF) is given to each command that reads a scan —
//! `examine`, `barcode`, `mrz --image`, `hash`, `case add` — as a separate process under a
//! memory cap (`prlimit --as`) and a time limit. Each run must end with success or a clear
//! refusal: no signal, no panic, no allocation abort, within the limit; a refusal names the
//! file. The case every input was added to must still verify.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{DOCEXAM, hermetic};

use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use docexam_tests::hostile::corpus;
use docexam_tests::process::finish_within;

/// Address space each run may use: room for the 1 GiB decoding budget and the threads'
/// reservations, far below what a bomb would take.
const MEMORY_CAP: &str = "6442450944";

/// Wall time each run may take.
const TIME_LIMIT: Duration = Duration::from_secs(90);

/// Runs docexam under the memory cap.
fn capped(args: &[&std::ffi::OsStr], what: &str) -> Output {
    let mut prlimit = Command::new("prlimit");
    let child = hermetic(&mut prlimit)
        .arg(format!("--as={MEMORY_CAP}"))
        .arg("--")
        .arg(DOCEXAM)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs");
    finish_within(child, TIME_LIMIT, what)
}

fn held(o: &Output, what: &str, name: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    let code = o.status.code();
    assert!(
        code.is_some_and(|c| c <= 3),
        "{what}: ended by {:?}: {err}",
        o.status
    );
    for sign in ["panicked", "memory allocation", "RUST_BACKTRACE", "Aborted"] {
        assert!(!err.contains(sign), "{what}: {err}");
    }
    if code == Some(2) {
        // The refusal names the file: its name as given, or escaped where it holds a control
        // character; the distinctive part of the name is enough.
        let part = name
            .split(['\n', '\u{202e}', '_'])
            .find(|p| p.len() > 2)
            .unwrap_or(name);
        assert!(
            err.contains(part),
            "{what}: the refusal does not name the file: {err}"
        );
    }
}

#[test]
fn every_hostile_input_ends_cleanly_in_every_command_that_reads_scans() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let case = dir.path().join("case");
    let o = capped(
        &["case".as_ref(), "init".as_ref(), case.as_os_str()],
        "case init",
    );
    assert_eq!(o.status.code(), Some(0));
    let mut outcomes: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut runs = 0;
    let corpus = corpus();
    for input in &corpus {
        let path = inputs.join(&input.name);
        std::fs::write(&path, &input.bytes).unwrap();
        let file = path.as_os_str();
        let commands: [(&str, Vec<&std::ffi::OsStr>); 5] = [
            ("examine", vec!["examine".as_ref(), "--json".as_ref(), file]),
            ("barcode", vec!["barcode".as_ref(), file]),
            (
                "mrz --image",
                vec!["mrz".as_ref(), "--image".as_ref(), file],
            ),
            ("hash", vec!["hash".as_ref(), file]),
            (
                "case add",
                vec!["case".as_ref(), "add".as_ref(), case.as_os_str(), file],
            ),
        ];
        for (command, args) in commands {
            let what = format!("{command} on {:?} ({})", input.name, input.class);
            let o = capped(&args, &what);
            held(&o, &what, &input.name);
            runs += 1;
            let code = o.status.code().unwrap_or(-1);
            *outcomes
                .entry((input.class, format!("exit {code}")))
                .or_default() += 1;
        }
        std::fs::remove_file(&path).unwrap();
    }
    let v = capped(
        &["case".as_ref(), "verify".as_ref(), case.as_os_str()],
        "case verify",
    );
    assert_eq!(
        v.status.code(),
        Some(0),
        "the case every input was offered to verifies: {}",
        String::from_utf8_lossy(&v.stdout)
    );
    eprintln!("{} inputs, {runs} runs, all held:", corpus.len());
    for ((class, outcome), n) in &outcomes {
        eprintln!("  {class}: {outcome} × {n}");
    }
}
