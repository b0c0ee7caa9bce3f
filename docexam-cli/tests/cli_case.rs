//! `docexam case`, `hash`, `key`, `sign` as real processes: exit codes, crash safety under
//! random kills, two writers at once, PDFs read in the worker, and signatures that openssl
//! accepts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{code, command, docexam, s, text};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use docexam_tests::pdf::{self, PageImage};
use docexam_tests::scans::{jpeg, padded_jpeg};

fn init(root: &Path) -> PathBuf {
    let case = root.join("case");
    let o = docexam(&["case", "init", s(&case)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    case
}

/// The committed items of a case, as (id, source) pairs in log order.
fn committed_items(case: &Path) -> Vec<(u64, String)> {
    let o = docexam(&["case", "log", "--json", s(case)]);
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let item = &v["action"]["item"];
            Some((item["id"].as_u64()?, item["source"].as_str()?.to_owned()))
        })
        .collect()
}

#[test]
fn a_case_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let case = init(tmp.path());
    let scan = tmp.path().join("passport7_front_uv.jpg");
    fs::write(&scan, jpeg(50, 40, 1)).unwrap();
    let o = docexam(&["case", "add", s(&case), s(&scan)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let hash = docexam(&["hash", s(&scan)]);
    let hash_line = String::from_utf8(hash.stdout).unwrap();
    assert!(
        out.starts_with(hash_line.trim_end()),
        "add prints the b3sum line: {out} / {hash_line}"
    );
    assert!(out.contains("item 1 (passport7 front uv)"), "{out}");
    let o = docexam(&["case", "verify", s(&case)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).starts_with("INTACT"));
    let o = docexam(&["case", "verify", "--json", s(&case)]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"], 1);
    // Tamper with the log: verify exits 1 and says where.
    let log = case.join("audit.jsonl");
    let mut bytes = fs::read(&log).unwrap();
    let at = bytes.len() - 20;
    bytes[at] ^= 4;
    fs::write(&log, bytes).unwrap();
    let o = docexam(&["case", "verify", s(&case)]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("TAMPERED") && text(&o).contains("audit.jsonl"),
        "{}",
        text(&o)
    );
    // Not a case at all: exit 2.
    let o = docexam(&["case", "verify", s(tmp.path())]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("not a docexam case"));
}

#[test]
fn pdfs_are_read_in_the_worker_and_hostile_ones_cannot_hurt_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let case = init(tmp.path());
    let good = tmp.path().join("seized.pdf");
    let pages: Vec<PageImage> = (0..3)
        .map(|i| PageImage::Jpeg {
            data: jpeg(40, 60, i),
            width: 40,
            height: 60,
        })
        .collect();
    fs::write(&good, pdf::scanned(&pages)).unwrap();
    let o = docexam(&["case", "add", s(&case), s(&good)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("items 1,2,3 (3 pages of seized)"),
        "{}",
        text(&o)
    );
    let hostile = [
        (
            "self-reference.pdf",
            pdf::self_reference(),
            "stopped on this file",
        ),
        ("loop.pdf", pdf::reference_loop(), "corrupt PDF"),
        ("encrypted.pdf", pdf::encrypted(), "encrypted"),
    ];
    for (name, bytes, expect) in hostile {
        let p = tmp.path().join(name);
        fs::write(&p, bytes).unwrap();
        let o = docexam(&["case", "add", s(&case), s(&p)]);
        assert_eq!(code(&o), 2, "{name}: {}", text(&o));
        assert!(text(&o).contains(expect), "{name}: {}", text(&o));
        assert!(
            text(&o).contains(name),
            "the message names the file: {}",
            text(&o)
        );
    }
    let o = docexam(&["case", "verify", s(&case)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        !text(&o).contains("note"),
        "no trace of the refused files: {}",
        text(&o)
    );
}

#[test]
fn a_killed_add_leaves_a_case_that_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let case = init(tmp.path());
    let files: Vec<PathBuf> = (0..6)
        .map(|i| {
            let p = tmp.path().join(format!("scan{i}.jpg"));
            fs::write(&p, padded_jpeg(3_000_000 + i * 500_000, i as u32)).unwrap();
            p
        })
        .collect();
    // How long a full add takes here, to spread the kills over it.
    let probe_case = tmp.path().join("probe");
    docexam(&["case", "init", s(&probe_case)]);
    let start = std::time::Instant::now();
    let mut args = vec!["case", "add", s(&probe_case)];
    args.extend(files.iter().map(|p| s(p)));
    assert_eq!(code(&docexam(&args)), 0);
    let full = start.elapsed().as_micros().max(1000) as u64;

    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut interrupted = 0;
    let mut items_before = 0;
    for round in 0..25 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % (full * 11 / 10));
        let mut args = vec!["case", "add", s(&case)];
        args.extend(files.iter().map(|p| s(p)));
        let mut child = command()
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let o = docexam(&["case", "verify", "--json", s(&case)]);
        assert_eq!(
            code(&o),
            0,
            "round {round}, killed after {delay:?}: {}",
            text(&o)
        );
        // Every committed item names a stored original; nothing half-present.
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["problems"], serde_json::json!([]));
        let items = v["items"].as_u64().unwrap();
        let added = items - items_before;
        // A kill between the first and the last file of the batch.
        if added > 0 && added < 6 {
            interrupted += 1;
        }
        items_before = items;
    }
    assert!(
        interrupted >= 3,
        "the kills must land inside adds ({interrupted} of 25 did)"
    );
    // The case still takes files, and the log holds only whole adds.
    let o = docexam(&["case", "add", s(&case), s(&files[0])]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    // Items are numbered without gaps or repeats: a discarded add gave its number back.
    let items = committed_items(&case);
    let ids: Vec<u64> = items.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
    let o = docexam(&["case", "verify", "--json", s(&case)]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"].as_u64(), Some(ids.len() as u64));
    let o = docexam(&["case", "verify", s(&case)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

#[test]
fn two_processes_adding_at_once_do_not_corrupt_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let case = init(tmp.path());
    let batches: Vec<Vec<PathBuf>> = (0..2)
        .map(|b| {
            (0..10)
                .map(|i| {
                    let p = tmp.path().join(format!("b{b}-{i}.jpg"));
                    fs::write(&p, jpeg(30, 30, b * 100 + i)).unwrap();
                    p
                })
                .collect()
        })
        .collect();
    // Both start before either is waited for.
    let children: Vec<_> = batches
        .iter()
        .map(|files| {
            let mut args = vec!["case".to_owned(), "add".to_owned(), s(&case).to_owned()];
            args.extend(files.iter().map(|p| s(p).to_owned()));
            command()
                .args(&args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(code(&o), 0, "{}", text(&o));
    }
    let mut ids: Vec<u64> = committed_items(&case).iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=20).collect::<Vec<_>>());
    let o = docexam(&["case", "verify", "--json", s(&case)]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["items"], 20, "{v}");
    assert_eq!(code(&o), 0);
}

#[test]
fn hashes_are_b3sum_lines_and_check_files_work() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("abc.txt");
    fs::write(&f, b"abc").unwrap();
    let o = docexam(&["hash", s(&f)]);
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!(
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85  {}\n",
            s(&f)
        )
    );
    let sums = tmp.path().join("sums.b3");
    fs::write(&sums, docexam(&["hash", s(&f)]).stdout).unwrap();
    let o = docexam(&["hash", "--check", s(&sums)]);
    assert_eq!(
        (code(&o), String::from_utf8(o.stdout).unwrap()),
        (0, format!("{}: OK\n", s(&f)))
    );
    fs::write(&f, b"abd").unwrap();
    let o = docexam(&["hash", "--check", s(&sums)]);
    assert_eq!(code(&o), 1);
    assert!(text(&o).contains("FAILED"));
    let o = docexam(&["hash", s(tmp.path())]);
    assert_eq!(code(&o), 2, "a directory is not hashed: {}", text(&o));
}

#[test]
fn signatures_verify_with_docexam_and_with_openssl() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("lab.key");
    let o = docexam(&["key", "generate", s(&key)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let public = tmp.path().join("lab.key.pub");
    let report = tmp.path().join("report.json");
    fs::write(&report, b"{\"finding\": \"genuine\"}").unwrap();
    assert_eq!(code(&docexam(&["sign", s(&report), "--key", s(&key)])), 0);
    let o = docexam(&["verify-signature", s(&report), "--public-key", s(&public)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let sig = tmp.path().join("report.json.sig");
    let openssl = Command::new("openssl")
        .args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            s(&public),
            "-rawin",
            "-in",
            s(&report),
            "-sigfile",
            s(&sig),
        ])
        .output()
        .expect("openssl is installed by scripts/install-deps.sh");
    assert!(openssl.status.success(), "openssl: {}", text(&openssl));
    fs::write(&report, b"{\"finding\": \"forged\"}").unwrap();
    let o = docexam(&["verify-signature", s(&report), "--public-key", s(&public)]);
    assert_eq!(code(&o), 1, "{}", text(&o));
    // The head of a case, signed and checked.
    let case = init(tmp.path());
    assert_eq!(
        code(&docexam(&["case", "sign", s(&case), "--key", s(&key)])),
        0
    );
    let o = docexam(&["case", "verify", s(&case), "--public-key", s(&public)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("signed by key"), "{}", text(&o));
}

#[test]
fn export_and_import_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let case = init(tmp.path());
    let scan = tmp.path().join("a.jpg");
    fs::write(&scan, jpeg(20, 20, 5)).unwrap();
    docexam(&["case", "add", s(&case), s(&scan)]);
    let archive = tmp.path().join("case.tar");
    let o = docexam(&["case", "export", s(&case), s(&archive)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let copy = tmp.path().join("copy");
    let o = docexam(&["case", "import", s(&archive), s(&copy)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("it verifies"));
    let o = docexam(&["case", "import", s(&archive), s(&copy)]);
    assert_eq!(code(&o), 2, "{}", text(&o));
}
