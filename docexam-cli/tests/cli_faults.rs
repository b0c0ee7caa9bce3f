//! System-call faults at every step of the commands that store evidence: `case add` (images
//! and a PDF, whose pages a worker process writes), `batch --case`, `case export`, `case
//! import`, `case sign` and `sign`. Each command is first traced once to count its `write`,
//! `fsync`/`fdatasync` and `rename` calls; then it is run again from the same starting state
//! with one of those calls failing, through `strace -e inject` (a full disk: every `write` from
//! the chosen one on fails with ENOSPC; an I/O error: the chosen `fsync` or `rename` fails with
//! EIO). Whatever step fails, the command must end with an error or success, never a panic or a
//! signal; the case must still verify; what was reported must be recorded; an archive or a
//! signature left behind must be whole; and running the command again without the fault must
//! succeed.
//!
//! strace is installed by `scripts/install-deps.sh`; without it this test fails and says so.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{DOCEXAM, docexam, hermetic, s, text};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use docexam_tests::pdf::{PageImage, scanned};
use docexam_tests::sample_scan;
use docexam_tests::scans::jpeg;

/// The system calls faults are injected into, with the error each fails with and whether the
/// fault persists (a full disk stays full; an I/O error may be transient).
const FAULTS: [(&str, &str, bool); 3] = [
    ("write,pwrite64,writev", "ENOSPC", true),
    ("fsync,fdatasync", "EIO", false),
    ("rename,renameat,renameat2", "EIO", false),
];

/// Most fault points tried per system call and command (evenly spread over its calls).
const POINTS: usize = 8;

/// Runs docexam under strace: traces `calls` into `log`, injecting `inject` if given.
fn traced(args: &[&str], calls: &str, inject: Option<&str>, log: &Path) -> Output {
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "--seccomp-bpf", "-o", s(log), "-e"])
        .arg(format!("trace={calls}"));
    if let Some(i) = inject {
        c.args(["-e", i]);
    }
    c.arg(DOCEXAM).args(args);
    hermetic(&mut c);
    c.output()
        .expect("strace runs (scripts/install-deps.sh installs it)")
}

/// The most calls one thread made: strace counts `when=` per thread, so points past the
/// busiest thread's count would inject nothing.
fn calls_in(log: &Path) -> usize {
    let mut per_thread: std::collections::HashMap<String, usize> = Default::default();
    for line in fs::read_to_string(log).unwrap_or_default().lines() {
        if line.contains("resumed>") || line.contains("+++") || line.contains("---") {
            continue;
        }
        let pid = line.split_whitespace().next().unwrap_or("").to_owned();
        *per_thread.entry(pid).or_default() += 1;
    }
    per_thread.into_values().max().unwrap_or(0)
}

fn injected_in(log: &Path) -> bool {
    fs::read_to_string(log)
        .unwrap_or_default()
        .contains("(INJECTED)")
}

fn assert_verifies(case: &Path, what: &str) {
    let o = docexam(&["case", "verify", s(case)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{what}: the case must verify: {}",
        text(&o)
    );
}

/// One command under test: how to prepare its starting state in a fresh folder, its arguments
/// there, and what must hold after a run that may have failed.
struct Scenario {
    name: &'static str,
    prepare: fn(&Path),
    args: fn(&Path) -> Vec<String>,
    /// Checks what must hold after a run; says whether running the command again must
    /// succeed (not where a failed run already left its whole result in place).
    after: fn(&Path, &Output, &str) -> bool,
}

fn init_case(dir: &Path) -> PathBuf {
    let case = dir.join("case");
    let o = docexam(&["case", "init", s(&case)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    case
}

fn prepare_add(dir: &Path) {
    init_case(dir);
    fs::write(dir.join("a_front_white.jpg"), jpeg(64, 48, 1)).unwrap();
    let pages = [1u32, 2].map(|seed| PageImage::Jpeg {
        data: jpeg(40, 30, seed + 10),
        width: 40,
        height: 30,
    });
    fs::write(dir.join("seized.pdf"), scanned(&pages)).unwrap();
}

fn args_add(dir: &Path) -> Vec<String> {
    ["case", "add", s(&dir.join("case"))]
        .into_iter()
        .map(str::to_owned)
        .chain([dir.join("a_front_white.jpg"), dir.join("seized.pdf")].map(|p| s(&p).to_owned()))
        .collect()
}

fn after_add(dir: &Path, _: &Output, what: &str) -> bool {
    assert_verifies(&dir.join("case"), what);
    // Temporary files are named `.tmp-…` (incoming copies, PDF page images, atomic writes).
    let case = dir.join("case");
    let leftovers: Vec<_> = ["", "originals", "derived"]
        .iter()
        .filter_map(|area| fs::read_dir(case.join(area)).ok())
        .flat_map(|d| d.flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".tmp-"))
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "{what}: temporary files left in the case: {leftovers:?}"
    );
    true
}

fn prepare_batch(dir: &Path) {
    let input = dir.join("seized");
    fs::create_dir(&input).unwrap();
    let name = "passport-genuine_front_white.jpg";
    fs::copy(sample_scan(name), input.join(name)).unwrap();
    init_case(dir);
}

fn args_batch(dir: &Path) -> Vec<String> {
    [
        "batch".to_owned(),
        s(&dir.join("seized")).to_owned(),
        "--case".to_owned(),
        s(&dir.join("case")).to_owned(),
        "--out".to_owned(),
        s(&dir.join("reports.jsonl")).to_owned(),
    ]
    .into()
}

fn after_batch(dir: &Path, _: &Output, what: &str) -> bool {
    let case = dir.join("case");
    assert_verifies(&case, what);
    let reports = fs::read_to_string(dir.join("reports.jsonl")).unwrap_or_default();
    let o = docexam(&["case", "log", s(&case), "--json"]);
    let log = String::from_utf8_lossy(&o.stdout).into_owned();
    let examined = log.matches("\"kind\":\"examine\"").count();
    for line in reports.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| {
            panic!("{what}: a report line that is not one report ({e}): {line}")
        });
        assert!(v.is_object(), "{what}: {line}");
    }
    assert!(
        reports.lines().count() <= examined,
        "{what}: {} reports written but {examined} examinations recorded",
        reports.lines().count()
    );
    true
}

fn prepare_export(dir: &Path) {
    let case = init_case(dir);
    let scan = dir.join("a.jpg");
    fs::write(&scan, jpeg(64, 48, 3)).unwrap();
    let o = docexam(&["case", "add", s(&case), s(&scan)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn args_export(dir: &Path) -> Vec<String> {
    [
        "case",
        "export",
        s(&dir.join("case")),
        s(&dir.join("case.tar")),
    ]
    .map(str::to_owned)
    .into()
}

fn after_export(dir: &Path, o: &Output, what: &str) -> bool {
    let case = dir.join("case");
    assert_verifies(&case, what);
    let archive = dir.join("case.tar");
    if o.status.code() == Some(0) {
        assert!(
            archive.exists(),
            "{what}: an export that succeeded left no archive"
        );
    }
    if archive.exists() {
        // Whatever failed, an archive standing at the target is whole and the case logs it.
        let hash = blake3::hash(&fs::read(&archive).unwrap())
            .to_hex()
            .to_string();
        let log = docexam(&["case", "log", s(&case), "--json"]);
        assert!(
            String::from_utf8_lossy(&log.stdout).contains(&hash),
            "{what}: an archive stands at the target that the case never logged"
        );
        let copy = dir.join("check-import");
        let i = docexam(&["case", "import", s(&archive), s(&copy)]);
        assert_eq!(
            i.status.code(),
            Some(0),
            "{what}: the archive left must import: {}",
            text(&i)
        );
        fs::remove_dir_all(&copy).unwrap();
    }
    true
}

fn prepare_import(dir: &Path) {
    prepare_export(dir);
    let o = docexam(
        &args_export(dir)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn args_import(dir: &Path) -> Vec<String> {
    [
        "case",
        "import",
        s(&dir.join("case.tar")),
        s(&dir.join("imported")),
    ]
    .map(str::to_owned)
    .into()
}

fn after_import(dir: &Path, o: &Output, what: &str) -> bool {
    let imported = dir.join("imported");
    let left = fs::read_dir(&imported).map(|d| d.count()).unwrap_or(0);
    if o.status.code() == Some(0) || left > 0 {
        // A case at the target is whole: it verifies (a failure after it took its name,
        // syncing the folder, leaves it so).
        assert_verifies(&imported, what);
        return o.status.code() == Some(0);
    }
    true
}

fn prepare_sign(dir: &Path) {
    prepare_export(dir);
    let o = docexam(&["key", "generate", s(&dir.join("lab.key"))]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn args_case_sign(dir: &Path) -> Vec<String> {
    [
        "case",
        "sign",
        s(&dir.join("case")),
        "--key",
        s(&dir.join("lab.key")),
    ]
    .map(str::to_owned)
    .into()
}

fn after_case_sign(dir: &Path, o: &Output, what: &str) -> bool {
    let case = dir.join("case");
    if o.status.code() == Some(0) {
        let public = dir.join("lab.key.pub");
        let v = docexam(&["case", "verify", s(&case), "--public-key", s(&public)]);
        assert_eq!(
            v.status.code(),
            Some(0),
            "{what}: the signed head must verify: {}",
            text(&v)
        );
    } else {
        assert_verifies(&case, what);
    }
    true
}

fn args_sign(dir: &Path) -> Vec<String> {
    [
        "sign",
        s(&dir.join("a.jpg")),
        "--key",
        s(&dir.join("lab.key")),
    ]
    .map(str::to_owned)
    .into()
}

fn after_sign(dir: &Path, _: &Output, what: &str) -> bool {
    if dir.join("a.jpg.sig").exists() {
        let public = dir.join("lab.key.pub");
        let o = docexam(&[
            "verify-signature",
            s(&dir.join("a.jpg")),
            "--public-key",
            s(&public),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{what}: a signature left must be whole: {}",
            text(&o)
        );
    }
    true
}

/// Evenly spread points in 1..=n, at most [`POINTS`], always the first and the last.
fn points(n: usize) -> Vec<usize> {
    if n <= POINTS {
        return (1..=n).collect();
    }
    let mut p: Vec<usize> = (0..POINTS)
        .map(|i| 1 + i * (n - 1) / (POINTS - 1))
        .collect();
    p.dedup();
    p
}

/// Runs one scenario under every fault point; returns (points tried, faults injected).
fn exercise(sc: &Scenario) -> (usize, usize) {
    let (mut tried, mut injected) = (0, 0);
    for (calls, errno, persists) in FAULTS {
        let base = tempfile::tempdir().unwrap();
        (sc.prepare)(base.path());
        let args = (sc.args)(base.path());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let log = base.path().join("count.strace");
        let clean = traced(&args, calls, None, &log);
        assert_eq!(
            clean.status.code(),
            Some(0),
            "{} without faults: {}",
            sc.name,
            text(&clean)
        );
        let n = calls_in(&log);
        for k in points(n) {
            let dir = tempfile::tempdir().unwrap();
            (sc.prepare)(dir.path());
            let args = (sc.args)(dir.path());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let when = if persists {
                format!("{k}+")
            } else {
                k.to_string()
            };
            let inject = format!("inject={calls}:error={errno}:when={when}");
            let what = format!(
                "{} with {calls} call {when} of {n} failing ({errno})",
                sc.name
            );
            let log = dir.path().join("fault.strace");
            let o = traced(&args, calls, Some(&inject), &log);
            tried += 1;
            injected += usize::from(injected_in(&log));
            let code = o.status.code();
            assert!(
                code.is_some_and(|c| c <= 3),
                "{what}: ended by {:?}: {}",
                o.status,
                text(&o)
            );
            assert!(!text(&o).contains("panicked"), "{what}: {}", text(&o));
            let retry = (sc.after)(dir.path(), &o, &what);
            // Without the fault, the same command completes from whatever state was left.
            if code != Some(0) && retry {
                let again = docexam(&args);
                assert_eq!(
                    again.status.code(),
                    Some(0),
                    "{what}, then again without it: {}",
                    text(&again)
                );
                (sc.after)(dir.path(), &again, &format!("{what}, then again"));
            }
        }
    }
    (tried, injected)
}

fn run(sc: &Scenario) {
    let (tried, injected) = exercise(sc);
    eprintln!(
        "{}: {tried} fault points, {injected} faults injected",
        sc.name
    );
    assert!(
        injected * 2 >= tried,
        "{}: only {injected} of {tried} faults were injected",
        sc.name
    );
}

#[test]
fn case_add_survives_a_failing_write_fsync_or_rename_at_each_step() {
    run(&Scenario {
        name: "case add",
        prepare: prepare_add,
        args: args_add,
        after: after_add,
    });
}

#[test]
fn batch_survives_a_failing_write_fsync_or_rename_at_each_step() {
    run(&Scenario {
        name: "batch",
        prepare: prepare_batch,
        args: args_batch,
        after: after_batch,
    });
}

#[test]
fn case_export_and_import_survive_a_failing_write_fsync_or_rename_at_each_step() {
    run(&Scenario {
        name: "case export",
        prepare: prepare_export,
        args: args_export,
        after: after_export,
    });
    run(&Scenario {
        name: "case import",
        prepare: prepare_import,
        args: args_import,
        after: after_import,
    });
}

#[test]
fn signing_survives_a_failing_write_fsync_or_rename_at_each_step() {
    run(&Scenario {
        name: "case sign",
        prepare: prepare_sign,
        args: args_case_sign,
        after: after_case_sign,
    });
    run(&Scenario {
        name: "sign",
        prepare: prepare_sign,
        args: args_sign,
        after: after_sign,
    });
}
