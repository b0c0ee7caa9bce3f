//! Export and import of cases, and signed heads: an archive carries its own verification, and
//! import refuses anything outside the case layout or anything that does not verify.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use docexam_core::evidence::archive::{export, import};
use docexam_core::evidence::{AddOptions, Case, EvidenceError, LabKey, ProblemKind, verify};
use docexam_core::ingest::pdf::PdfReader;
use docexam_tests::scans::{encode, jpeg, pattern};
use image::ImageFormat;

fn case_with_items(root: &Path) -> PathBuf {
    let dir = root.join("case");
    let files = root.join("in");
    fs::create_dir_all(&files).unwrap();
    let mut case = Case::init(&dir, "Lab A").unwrap();
    let mut options = AddOptions::new("Lab A");
    options.pdf = PdfReader::in_process();
    for (i, bytes) in [
        encode(&pattern(20, 20, 1), ImageFormat::Png),
        jpeg(20, 20, 2),
    ]
    .iter()
    .enumerate()
    {
        let p = files.join(format!("doc_{i}.img"));
        fs::write(&p, bytes).unwrap();
        case.add(&p, &options).unwrap();
    }
    dir
}

/// An archive entry as the tests edit it: raw name, type, bytes.
type Entry = (Vec<u8>, tar::EntryType, Vec<u8>);

/// An edit of an archive's entries.
type Edit = Box<dyn Fn(Vec<Entry>) -> Vec<Entry>>;

/// Copies a tar archive, letting `edit` change or add entries.
fn rewrite(src: &Path, dst: &Path, edit: impl Fn(Vec<Entry>) -> Vec<Entry>) {
    let mut entries = Vec::new();
    let mut ar = tar::Archive::new(fs::File::open(src).unwrap());
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path_bytes().to_vec();
        let kind = e.header().entry_type();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        entries.push((name, kind, data));
    }
    let mut b = tar::Builder::new(fs::File::create(dst).unwrap());
    for (name, kind, data) in edit(entries) {
        let mut h = tar::Header::new_old();
        h.as_old_mut().name[..name.len()].copy_from_slice(&name);
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        if kind == tar::EntryType::Symlink {
            h.set_link_name("/etc/passwd").unwrap();
        }
        h.set_cksum();
        b.append(&h, &data[..]).unwrap();
    }
    b.finish().unwrap();
}

#[test]
fn a_case_survives_export_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = case_with_items(tmp.path());
    let archive = tmp.path().join("case.tar");
    export(&dir, &archive, "Lab A").unwrap();
    let copy = tmp.path().join("received");
    let imported = import(&archive, &copy, "Lab B").unwrap();
    assert_eq!(imported.items().count(), 2);
    let names: Vec<&str> = imported.entries().iter().map(|e| e.action.name()).collect();
    // The archive holds what was committed when it was written; the export entry follows it
    // in the exporting case, naming the archive's hash.
    assert_eq!(names, ["init", "add", "add", "import"]);
    assert_eq!(imported.entries()[3].actor, "Lab B");
    let r = verify(&copy, None).unwrap();
    assert!(
        r.is_intact() && r.notes.is_empty(),
        "{:?} {:?}",
        r.problems,
        r.notes
    );
    // The exporting case logged the export, with the archive's hash, and still verifies.
    let exporting = Case::open(&dir).unwrap();
    let last = exporting.entries().last().unwrap();
    assert_eq!(last.action.name(), "export");
    let archive_hash = docexam_core::evidence::EvidenceHash::of_file(&archive).unwrap();
    assert!(
        matches!(&last.action, docexam_core::evidence::Action::Export { archive_hash: h, .. } if *h == archive_hash)
    );
    assert!(verify(&dir, None).unwrap().is_intact());
}

#[test]
fn import_refuses_what_is_not_a_clean_case() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = case_with_items(tmp.path());
    let good = tmp.path().join("good.tar");
    export(&dir, &good, "Lab A").unwrap();
    let cases: Vec<(&str, Edit)> = vec![
        (
            "path traversal",
            Box::new(|mut e| {
                e.push((
                    b"../escaped.txt".to_vec(),
                    tar::EntryType::Regular,
                    b"x".to_vec(),
                ));
                e
            }),
        ),
        (
            "absolute path",
            Box::new(|mut e| {
                e.push((
                    b"/tmp/absolute.txt".to_vec(),
                    tar::EntryType::Regular,
                    b"x".to_vec(),
                ));
                e
            }),
        ),
        (
            "symlink",
            Box::new(|mut e| {
                e.push((
                    b"signatures/head-1.txt".to_vec(),
                    tar::EntryType::Symlink,
                    Vec::new(),
                ));
                e
            }),
        ),
        (
            "unknown file",
            Box::new(|mut e| {
                e.push((
                    b"run-me.sh".to_vec(),
                    tar::EntryType::Regular,
                    b"#!/bin/sh".to_vec(),
                ));
                e
            }),
        ),
        (
            "repeated entry",
            Box::new(|mut e| {
                let first_file = e
                    .iter()
                    .find(|x| x.1 == tar::EntryType::Regular)
                    .unwrap()
                    .clone();
                e.push(first_file);
                e
            }),
        ),
        (
            "changed original",
            Box::new(|e| {
                e.into_iter()
                    .map(|(n, k, mut d)| {
                        if n.starts_with(b"originals/") && !d.is_empty() {
                            d[0] ^= 1;
                        }
                        (n, k, d)
                    })
                    .collect()
            }),
        ),
    ];
    for (what, edit) in cases {
        let bad = tmp.path().join("bad.tar");
        rewrite(&good, &bad, edit);
        let target = tmp.path().join("target");
        let err = import(&bad, &target, "Lab B").unwrap_err();
        assert!(
            matches!(err, EvidenceError::Archive { .. }),
            "{what}: {err}"
        );
        assert!(!target.exists(), "{what}: nothing is left behind");
        assert!(!tmp.path().join("escaped.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{what}: {leftovers:?}");
    }
    // A non-empty destination is refused before anything is read.
    fs::create_dir_all(tmp.path().join("busy")).unwrap();
    fs::write(tmp.path().join("busy/x"), b"x").unwrap();
    assert!(matches!(
        import(&good, &tmp.path().join("busy"), "Lab B"),
        Err(EvidenceError::NotEmpty { .. })
    ));
}

#[test]
fn signed_heads_verify_with_the_public_key_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = case_with_items(tmp.path());
    let key = LabKey::generate().unwrap();
    let other = LabKey::generate().unwrap();
    let mut case = Case::open_for_writing(&dir).unwrap();
    let statement = case.sign_head(&key, "Lab A").unwrap();
    drop(case);
    let r = verify(&dir, Some(&key.public())).unwrap();
    assert!(r.is_intact(), "{:?}", r.problems);
    assert!(
        r.notes
            .iter()
            .any(|n| n.kind == ProblemKind::SignatureValid)
    );
    let r = verify(&dir, None).unwrap();
    assert!(
        r.notes
            .iter()
            .any(|n| n.kind == ProblemKind::SignatureUnchecked)
    );
    // Asked about another key, the case is not signed by it.
    let r = verify(&dir, Some(&other.public())).unwrap();
    let kinds: Vec<_> = r.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::NotSignedByKey]);
    // A statement edited to claim fewer entries is not the one the log records, and the case
    // no longer carries a signature by the key.
    let text = fs::read_to_string(&statement).unwrap();
    assert!(text.contains("entries 3"), "{text}");
    fs::write(&statement, text.replace("entries 3", "entries 2")).unwrap();
    let r = verify(&dir, Some(&key.public())).unwrap();
    let kinds: Vec<_> = r.problems.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [ProblemKind::ChangedFile, ProblemKind::NotSignedByKey]
    );
    // A deleted statement is missing, not silently unsigned.
    fs::remove_file(&statement).unwrap();
    let r = verify(&dir, None).unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::MissingFile && p.path.ends_with(".txt")),
        "{:?}",
        r.problems
    );
}
