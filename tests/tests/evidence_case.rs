//! The case: originals stored once and read-only, one audit entry per item, and verification
//! that names exactly what was tampered with — down to a single flipped bit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::fs;
use std::path::{Path, PathBuf};

use docexam_core::evidence::{
    Action, AddOptions, CASE_FILE, Case, EvidenceError, EvidenceHash, LOG_FILE, LabKey,
    ProblemKind, verify,
};
use docexam_core::ingest::pdf::PdfReader;
use docexam_core::ingest::{LightSource, MediaType, Side};
use docexam_tests::pdf::{PageImage, scanned};
use docexam_tests::scans::{encode, jpeg, pattern};
use image::ImageFormat;

struct Fixture {
    _tmp: tempfile::TempDir,
    case: PathBuf,
    files: PathBuf,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    let files = tmp.path().join("in");
    fs::create_dir_all(&files).unwrap();
    Case::init(&case, "Examiner One").unwrap();
    Fixture {
        case,
        files,
        _tmp: tmp,
    }
}

fn options() -> AddOptions {
    let mut o = AddOptions::new("Examiner One");
    o.pdf = PdfReader::in_process();
    o
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

fn kinds(dir: &Path) -> Vec<ProblemKind> {
    verify(dir, None)
        .unwrap()
        .problems
        .iter()
        .map(|p| p.kind)
        .collect()
}

fn add_some(f: &Fixture) -> Vec<EvidenceHash> {
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let a = write(
        &f.files,
        "doc1_front.png",
        &encode(&pattern(40, 30, 1), ImageFormat::Png),
    );
    let b = write(&f.files, "doc1_back_uv.jpg", &jpeg(40, 30, 2));
    let items: Vec<_> = [a, b]
        .iter()
        .flat_map(|p| case.add(p, &options()).unwrap())
        .collect();
    items.iter().map(|i| i.original).collect()
}

#[test]
fn added_files_are_stored_once_read_only_and_logged() {
    let f = fixture();
    let hashes = add_some(&f);
    let case = Case::open(&f.case).unwrap();
    let items: Vec<_> = case.items().cloned().collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[0].id,
            items[0].document.as_str(),
            items[0].side,
            items[0].light
        ),
        (1, "doc1", Side::Front, LightSource::White)
    );
    assert_eq!(
        (
            items[1].id,
            items[1].side,
            items[1].light,
            items[1].media_type
        ),
        (2, Side::Back, LightSource::Uv, MediaType::Jpeg)
    );
    for h in &hashes {
        let stored = case.original_path(h);
        assert_eq!(EvidenceHash::of_file(&stored).unwrap(), *h);
        assert!(fs::metadata(&stored).unwrap().permissions().readonly());
    }
    let report = verify(&f.case, None).unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    assert_eq!(
        (report.entries, report.items, report.files_checked),
        (3, 2, 2)
    );
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

#[test]
fn the_same_file_twice_is_stored_once_and_logged_twice() {
    let f = fixture();
    let p = write(
        &f.files,
        "a.png",
        &encode(&pattern(10, 10, 3), ImageFormat::Png),
    );
    let copy = write(&f.files, "copy-of-a.png", &fs::read(&p).unwrap());
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let one = case.add(&p, &options()).unwrap();
    let two = case.add(&copy, &options()).unwrap();
    assert_eq!(one[0].original, two[0].original);
    assert_ne!(one[0].id, two[0].id);
    assert_eq!(fs::read_dir(f.case.join("originals")).unwrap().count(), 1);
    assert_eq!(case.entries().len(), 3);
    assert!(verify(&f.case, None).unwrap().is_intact());
}

#[test]
fn multipage_files_give_one_item_per_page() {
    let f = fixture();
    let pdf = scanned(&[
        PageImage::Jpeg {
            data: jpeg(30, 40, 1),
            width: 30,
            height: 40,
        },
        PageImage::Jpeg {
            data: jpeg(31, 40, 2),
            width: 31,
            height: 40,
        },
    ]);
    let p = write(&f.files, "seizure.pdf", &pdf);
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let items = case.add(&p, &options()).unwrap();
    assert_eq!(
        items.iter().map(|i| i.page).collect::<Vec<_>>(),
        [Some(1), Some(2)]
    );
    assert_eq!(items[1].width, 31);
    let extracted = items[1].extracted.as_ref().unwrap();
    assert_eq!(extracted.media_type, MediaType::Jpeg);
    assert_eq!(
        fs::read(case.derived_path(&extracted.hash)).unwrap(),
        jpeg(31, 40, 2)
    );
    assert!(verify(&f.case, None).unwrap().is_intact());
}

#[test]
fn bad_inputs_leave_the_case_as_it_was() {
    let f = fixture();
    add_some(&f);
    let before_log = fs::read(f.case.join(LOG_FILE)).unwrap();
    let png = encode(&pattern(64, 64, 1), ImageFormat::Png);
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let pdf = scanned(&[PageImage::Jpeg {
        data: jpeg(8, 8, 1),
        width: 8,
        height: 8,
    }]);
    let bad = [
        write(&f.files, "truncated.png", &png[..png.len() / 2]),
        write(&f.files, "truncated.jpg", &jpeg(64, 64, 1)[..500]),
        write(&f.files, "truncated.pdf", &pdf[..pdf.len() / 2]),
        write(&f.files, "bomb.png", &bomb),
        write(&f.files, "empty.png", b""),
        f.files.clone(),
        f.files.join("missing.png"),
    ];
    let mut case = Case::open_for_writing(&f.case).unwrap();
    for p in &bad {
        let err = case.add(p, &options()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&p.display().to_string()),
            "the message names the path: {text}"
        );
        if p.is_dir() {
            assert!(matches!(err, EvidenceError::NotAFile { .. }));
        }
    }
    assert_eq!(fs::read(f.case.join(LOG_FILE)).unwrap(), before_log);
    assert_eq!(fs::read_dir(f.case.join("originals")).unwrap().count(), 2);
    let report = verify(&f.case, None).unwrap();
    assert!(
        report.is_intact() && report.notes.is_empty(),
        "{:?} {:?}",
        report.problems,
        report.notes
    );
}

#[test]
fn tampering_is_named() {
    let f = fixture();
    let hashes = add_some(&f);
    let original = f.case.join("originals").join(hashes[0].to_hex());
    let log = f.case.join(LOG_FILE);
    let log_bytes = fs::read(&log).unwrap();
    let lines: Vec<&[u8]> = log_bytes.split_inclusive(|&b| b == b'\n').collect();
    let restore_log = || {
        fs::write(&log, &log_bytes).unwrap();
    };

    // Missing file.
    let saved = fs::read(&original).unwrap();
    let mut perms = fs::metadata(&original).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&original, perms.clone()).unwrap();
    fs::remove_file(&original).unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::MissingFile]);
    // Changed bytes.
    let mut changed = saved.clone();
    changed[10] ^= 1;
    fs::write(&original, &changed).unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::ChangedFile]);
    fs::write(&original, &saved).unwrap();
    assert!(verify(&f.case, None).unwrap().is_intact());
    // The same bytes, but reached through a link to a file outside the case.
    let outside = write(&f.files, "outside-copy", &saved);
    fs::remove_file(&original).unwrap();
    std::os::unix::fs::symlink(&outside, &original).unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::ChangedFile]);
    fs::remove_file(&original).unwrap();
    // A directory where the file was.
    fs::create_dir(&original).unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::ChangedFile]);
    fs::remove_dir(&original).unwrap();
    fs::write(&original, &saved).unwrap();
    let r = verify(&f.case, None).unwrap();
    assert!(r.is_intact(), "{:?}", r.problems);
    assert_eq!(
        r.notes.iter().map(|n| n.kind).collect::<Vec<_>>(),
        [ProblemKind::Writable],
        "a stored file put back writable is noted"
    );

    // Edited entry (the examiner's name changed in entry 1, the first add).
    let edited_line = String::from_utf8(lines[1].to_vec())
        .unwrap()
        .replace("Examiner One", "Examiner Two");
    fs::write(&log, [lines[0], edited_line.as_bytes(), lines[2]].concat()).unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::LogBroken]);
    // Removed entry.
    fs::write(&log, [lines[0], lines[2]].concat()).unwrap();
    let r = verify(&f.case, None).unwrap();
    assert_eq!(r.problems[0].kind, ProblemKind::LogBroken);
    assert!(
        r.problems[0].detail.contains("line 2"),
        "{}",
        r.problems[0].detail
    );
    // Reordered entries.
    fs::write(&log, [lines[0], lines[2], lines[1]].concat()).unwrap();
    assert_eq!(kinds(&f.case)[0], ProblemKind::LogBroken);
    // Truncated log.
    fs::write(&log, [lines[0], lines[1]].concat()).unwrap();
    assert_eq!(kinds(&f.case)[0], ProblemKind::LogTruncated);
    restore_log();
    // Edited manifest.
    let manifest = f.case.join(CASE_FILE);
    let m = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, m.replace("Examiner One", "Someone Else")).unwrap();
    assert!(kinds(&f.case).contains(&ProblemKind::ManifestMismatch));
    fs::write(&manifest, &m).unwrap();
    assert!(verify(&f.case, None).unwrap().is_intact());
}

#[test]
fn a_single_flipped_bit_anywhere_is_detected() {
    let f = fixture();
    let hashes = add_some(&f);
    // A PDF gives a derived page image; a signed head gives a statement and a signature.
    let pdf = write(
        &f.files,
        "seized.pdf",
        &scanned(&[PageImage::Jpeg {
            data: jpeg(12, 12, 5),
            width: 12,
            height: 12,
        }]),
    );
    let key = LabKey::generate().unwrap();
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let page = case.add(&pdf, &options()).unwrap();
    let statement = case.sign_head(&key, "Examiner One").unwrap();
    drop(case);
    let public = key.public();
    let check = |why: &str| {
        let r = verify(&f.case, Some(&public)).unwrap();
        assert!(r.is_intact(), "{why}: {:?}", r.problems);
    };
    check("before any flip");
    let mut files = vec![
        f.case.join(CASE_FILE),
        f.case.join(LOG_FILE),
        statement.clone(),
        statement.with_extension("sig"),
    ];
    files.extend(
        hashes
            .iter()
            .chain([&page[0].original])
            .map(|h| f.case.join("originals").join(h.to_hex())),
    );
    let derived = page[0].extracted.as_ref().unwrap().hash;
    files.push(f.case.join("derived").join(derived.to_hex()));
    for p in &files {
        assert!(p.is_file(), "{}", p.display());
    }
    let mut flips = 0;
    for path in files {
        let bytes = fs::read(&path).unwrap();
        let mut perms = fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(&path, perms).unwrap();
        // Every bit of the small files; a spread of positions in the images.
        let step = (bytes.len() / 97).max(1);
        for i in (0..bytes.len()).step_by(step) {
            for bit in [0, 3, 7] {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                fs::write(&path, &b).unwrap();
                let r = verify(&f.case, Some(&public)).unwrap();
                assert!(
                    !r.is_intact(),
                    "flip of bit {bit} at byte {i} of {} went unnoticed",
                    path.display()
                );
                flips += 1;
            }
        }
        fs::write(&path, &bytes).unwrap();
    }
    assert!(flips > 1500, "{flips}");
    check("after every flip was undone");
}

/// The case as a crash after the log was appended, before `case.json` moved, leaves it: adds
/// `names` (each a separate commit, by `actors`), then puts the old `case.json` back.
/// Returns the committed log and the bytes after it.
fn crash_before_commit(f: &Fixture, adds: &[(&str, &str)]) -> (Vec<u8>, Vec<u8>) {
    let committed_log = fs::read(f.case.join(LOG_FILE)).unwrap();
    let manifest = fs::read(f.case.join(CASE_FILE)).unwrap();
    for (i, (name, actor)) in adds.iter().enumerate() {
        let p = write(
            &f.files,
            name,
            &encode(&pattern(6, 6, 40 + i as u32), ImageFormat::Png),
        );
        let mut case = Case::open_for_writing(&f.case).unwrap();
        let mut o = options();
        o.actor = (*actor).into();
        case.add(&p, &o).unwrap();
    }
    let log = fs::read(f.case.join(LOG_FILE)).unwrap();
    fs::write(f.case.join(CASE_FILE), manifest).unwrap();
    (committed_log.clone(), log[committed_log.len()..].to_vec())
}

#[test]
fn interrupted_writes_leave_a_case_that_verifies_and_heals() {
    let f = fixture();
    add_some(&f);
    let (committed, tail) = crash_before_commit(&f, &[("late.png", "Examiner One")]);
    let log = f.case.join(LOG_FILE);
    // The write was cut short inside the next line, too.
    let mut crashed = [committed.as_slice(), &tail].concat();
    crashed.extend_from_slice(b"{\"seq\":4,\"ti");
    fs::write(&log, &crashed).unwrap();
    // ...and a temporary file of the interrupted copy.
    write(&f.case.join("originals"), ".tmp-incoming-1234", b"partial");
    let r = verify(&f.case, None).unwrap();
    assert!(r.is_intact(), "{:?}", r.problems);
    let notes: Vec<ProblemKind> = r.notes.iter().map(|n| n.kind).collect();
    assert!(notes.contains(&ProblemKind::UncommittedTail), "{notes:?}");
    assert!(notes.contains(&ProblemKind::UnrecordedFile), "{notes:?}");
    assert!(notes.contains(&ProblemKind::TempFile), "{notes:?}");
    assert_eq!(r.entries, 3);
    // The next writer sets the uncommitted tail aside, logs that it did, and carries on.
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let discarded = &crashed[committed.len()..];
    let hash = EvidenceHash::of_bytes(discarded);
    assert_eq!(
        fs::read(f.case.join("discarded").join(hash.to_hex())).unwrap(),
        discarded
    );
    assert!(fs::read(&log).unwrap().starts_with(&committed));
    assert!(matches!(
        case.entries().last().unwrap().action,
        Action::Discard { bytes, hash: h } if bytes == discarded.len() as u64 && h == hash
    ));
    // The killed writer's temporary copy is gone, and the discarded bytes are read-only.
    assert!(!f.case.join("originals").join(".tmp-incoming-1234").exists());
    let kept = f.case.join("discarded").join(hash.to_hex());
    assert!(fs::metadata(&kept).unwrap().permissions().readonly());
    let p = write(
        &f.files,
        "after.png",
        &encode(&pattern(5, 5, 9), ImageFormat::Png),
    );
    let item = case.add(&p, &options()).unwrap();
    assert_eq!(item[0].id, 3, "the discarded add gave up its number");
    let r = verify(&f.case, None).unwrap();
    assert!(r.is_intact(), "{:?}", r.problems);
    assert_eq!(r.entries, 5);
    assert!(
        !r.notes
            .iter()
            .any(|n| matches!(n.kind, ProblemKind::UncommittedTail | ProblemKind::TempFile))
    );
    // The discarded bytes are evidence too: changing them is detected.
    let mut perms = fs::metadata(&kept).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&kept, perms).unwrap();
    fs::write(&kept, b"nothing to see").unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::ChangedFile]);
}

#[test]
fn entries_past_the_head_that_no_crash_leaves_are_a_problem() {
    // Two commits after the head: case.json was moved back (or restored from a backup).
    let f = fixture();
    add_some(&f);
    let (committed, tail) = crash_before_commit(
        &f,
        &[("one.png", "Examiner One"), ("two.png", "Examiner Two")],
    );
    assert!(!tail.is_empty() && !committed.is_empty());
    assert_eq!(kinds(&f.case), [ProblemKind::UncommittedEntries]);
    // A writer refuses to build on it rather than set the entries aside.
    let before = fs::read(f.case.join(LOG_FILE)).unwrap();
    assert!(matches!(
        Case::open_for_writing(&f.case),
        Err(EvidenceError::Damaged { .. })
    ));
    assert_eq!(fs::read(f.case.join(LOG_FILE)).unwrap(), before);
    // Complete lines of junk after the head are no crash either.
    let f = fixture();
    add_some(&f);
    let log = f.case.join(LOG_FILE);
    let mut bytes = fs::read(&log).unwrap();
    bytes.extend_from_slice(b"not an entry\n{\"seq\":3");
    fs::write(&log, &bytes).unwrap();
    assert_eq!(kinds(&f.case), [ProblemKind::UncommittedEntries]);
}

#[test]
fn a_second_writer_waits_its_turn() {
    let f = fixture();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let case_dir = f.case.clone();
            let files = f.files.clone();
            std::thread::spawn(move || {
                for i in 0..5 {
                    let p = write(
                        &files,
                        &format!("w{w}-{i}.png"),
                        &encode(&pattern(8, 8, w * 10 + i), ImageFormat::Png),
                    );
                    let mut case = Case::open_for_writing(&case_dir).unwrap();
                    case.add(&p, &options()).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let case = Case::open(&f.case).unwrap();
    let mut ids: Vec<u32> = case.items().map(|i| i.id).collect();
    ids.sort();
    assert_eq!(ids, (1..=20).collect::<Vec<_>>());
    assert!(verify(&f.case, None).unwrap().is_intact());
}

#[test]
fn init_refuses_a_directory_in_use() {
    let f = fixture();
    assert!(matches!(
        Case::init(&f.case, "x"),
        Err(EvidenceError::NotEmpty { .. })
    ));
    assert!(matches!(
        Case::open(&f.files),
        Err(EvidenceError::NotACase { .. })
    ));
    let case = Case::open(&f.case).unwrap();
    assert!(matches!(case.entries()[0].action, Action::Init { .. }));
}

#[test]
fn an_examination_is_logged_with_its_stored_report_and_checked_by_verify() {
    let f = fixture();
    add_some(&f);
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let report = br#"{"schema":"docexam-report","document":"doc1"}"#;
    let hash = case.store_derived(report).unwrap();
    // Stored but not yet recorded: verify notes it.
    let notes = verify(&f.case, None).unwrap().notes;
    assert!(
        notes.iter().any(|n| n.kind == ProblemKind::UnrecordedFile),
        "{notes:?}"
    );
    let x = docexam_core::evidence::Examination {
        document: "doc1".into(),
        items: vec![1, 2],
        specimen: Some("UTO-P-TD3".into()),
        specimen_hash: None,
        result: "no_anomaly_found".into(),
        report: hash,
        pdf: None,
    };
    // An item the case does not hold, or a report never stored, is refused.
    let wrong = docexam_core::evidence::Examination {
        items: vec![1, 9],
        ..x.clone()
    };
    assert!(case.log_examination("Examiner One", wrong).is_err());
    let unstored = docexam_core::evidence::Examination {
        report: EvidenceHash::of_bytes(b"never stored"),
        ..x.clone()
    };
    assert!(case.log_examination("Examiner One", unstored).is_err());
    case.log_examination("Examiner One", x.clone()).unwrap();
    drop(case);
    assert_eq!(kinds(&f.case), []);
    let case = Case::open(&f.case).unwrap();
    assert_eq!(case.examinations().cloned().collect::<Vec<_>>(), vec![x]);
    let last = case.entries().last().unwrap();
    assert!(matches!(last.action, Action::Examine(_)));
    assert!(last.hashes.contains(&hash));
    // The report is evidence like the rest: altered or removed, verify names it.
    let stored = f.case.join("derived").join(hash.to_hex());
    let mut perms = fs::metadata(&stored).unwrap().permissions();
    assert!(perms.readonly(), "reports are stored read-only");
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&stored, perms).unwrap();
    fs::write(&stored, b"{}").unwrap();
    assert!(kinds(&f.case).contains(&ProblemKind::ChangedFile));
    fs::remove_file(&stored).unwrap();
    assert!(kinds(&f.case).contains(&ProblemKind::MissingFile));
}

#[test]
fn annotations_and_conclusions_are_logged_checked_and_chained() {
    use docexam_core::evidence::{Annotation, Conclusion, ExaminerFinding};
    let f = fixture();
    let hashes = add_some(&f);
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let mark = Annotation {
        document: "doc1".into(),
        item: 1,
        region_px: [4.0, 5.0, 10.0, 8.0],
        region_mm: Some([1.0, 1.2, 2.5, 2.0]),
        feature: Some("front-portrait-zone".into()),
        note: "cut edge along the portrait's left side".into(),
    };
    // Refused: no note, an item the case lacks, a region outside the 40x30 image.
    let refused = [
        Annotation {
            note: "  ".into(),
            ..mark.clone()
        },
        Annotation {
            item: 7,
            ..mark.clone()
        },
        Annotation {
            region_px: [35.0, 5.0, 10.0, 8.0],
            ..mark.clone()
        },
        Annotation {
            region_px: [f64::NAN, 0.0, 0.0, 0.0],
            ..mark.clone()
        },
    ];
    for a in refused {
        let e = case.annotate("Examiner One", a.clone()).unwrap_err();
        assert!(matches!(e, EvidenceError::Rejected { .. }), "{a:?}: {e}");
    }
    let entries = case.entries().len();
    assert_eq!(entries, 3, "refused marks leave no entry");
    case.annotate("Examiner One", mark.clone()).unwrap();
    let point = Annotation {
        region_px: [20.0, 10.0, 0.0, 0.0],
        region_mm: None,
        feature: None,
        note: "ink blot".into(),
        ..mark.clone()
    };
    assert!(point.is_point());
    case.annotate("Examiner One", point.clone()).unwrap();
    let conclusion = Conclusion {
        document: "doc1".into(),
        items: vec![1, 2],
        finding: ExaminerFinding::Forged,
        note: "photo substituted".into(),
    };
    assert!(
        case.conclude(
            "Examiner One",
            Conclusion {
                items: vec![],
                ..conclusion.clone()
            }
        )
        .is_err()
    );
    case.conclude("Examiner One", conclusion.clone()).unwrap();
    drop(case);
    assert_eq!(kinds(&f.case), [], "the case verifies");
    let case = Case::open(&f.case).unwrap();
    assert_eq!(
        case.annotations().cloned().collect::<Vec<_>>(),
        vec![mark, point]
    );
    assert_eq!(case.conclusion("doc1"), Some(&conclusion));
    assert_eq!(case.conclusion("doc2"), None);
    let last = case.entries().last().unwrap();
    assert_eq!(last.action.name(), "conclude");
    assert_eq!(
        last.hashes, hashes,
        "the conclusion names the items' originals"
    );
    let said = last.action.describe();
    assert!(
        said.contains("forged") && said.contains("photo substituted"),
        "{said}"
    );
    // The notes are chained like everything else: changing one breaks verification.
    let log = f.case.join(LOG_FILE);
    let text = fs::read_to_string(&log).unwrap();
    let mut perms = fs::metadata(&log).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&log, perms).unwrap();
    fs::write(&log, text.replace("ink blot", "ink spot")).unwrap();
    assert!(!verify(&f.case, None).unwrap().is_intact());
}

#[test]
fn two_writers_opening_or_creating_a_new_case_at_once_end_with_one_case() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("new-case");
    let barrier = std::sync::Barrier::new(2);
    let ids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let (dir, barrier) = (&dir, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let case = Case::open_or_init(dir, &format!("writer {i}"))
                        .unwrap_or_else(|e| panic!("writer {i}: {e}"));
                    let id = case.manifest().case_id.clone();
                    // Hold the case (and its lock) a moment, as a batch does.
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    id
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(ids[0], ids[1], "one case, opened by both");
    assert!(verify(&dir, None).unwrap().is_intact());
}

#[test]
fn a_png_whose_pixels_do_not_decode_is_refused_and_nothing_is_stored() {
    let f = fixture();
    let mut png = encode(&pattern(64, 48, 3), ImageFormat::Png);
    // Damage the compressed pixels in the middle of the IDAT chunk; the headers stay valid.
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    let len = u32::from_be_bytes(png[idat - 4..idat].try_into().unwrap()) as usize;
    for b in &mut png[idat + 4 + len / 3..idat + 4 + len / 3 + 16] {
        *b ^= 0x5a;
    }
    let p = write(&f.files, "scan.png", &png);
    let mut case = Case::open_for_writing(&f.case).unwrap();
    let before = case.entries().len();
    let e = case.add(&p, &options()).unwrap_err();
    assert!(e.to_string().contains("PNG"), "{e}");
    assert_eq!(case.entries().len(), before);
    assert_eq!(fs::read_dir(f.case.join("originals")).unwrap().count(), 0);
    assert!(verify(&f.case, None).unwrap().is_intact());
}
