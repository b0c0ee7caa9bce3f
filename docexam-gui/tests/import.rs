//! Importing several documents at once: a folder or a multi-page PDF dropped on the
//! workstation is sorted into documents, each examined in turn and listed with its verdict;
//! with a case open each file is received into it first; the import can be cancelled.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;

use std::path::{Path, PathBuf};

use common::{harness, sample, workstation};
use docexam_core::evidence::{Action, Case, verify};
use docexam_core::examine::Verdict;
use docexam_gui::Command;
use docexam_gui::document::{Reading, Source};
use docexam_tests::pdf::{PageImage, scanned};
use egui_kittest::kittest::Queryable;

/// PDFs are read in a worker process: the workstation's own binary.
fn reading() -> Reading {
    Reading {
        pdf_worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_docexam-gui"))),
    }
}

/// A two-page PDF scan of two sample passports' white-light fronts.
fn two_page_pdf(path: &Path) {
    let page = |name: &str| {
        let f = sample(name)
            .into_iter()
            .find(|f| f.to_string_lossy().ends_with("_front_white.jpg"))
            .unwrap();
        let (width, height) = image::image_dimensions(&f).unwrap();
        PageImage::Jpeg {
            data: std::fs::read(&f).unwrap(),
            width,
            height,
        }
    };
    let pdf = scanned(&[page("passport-genuine"), page("passport-photo-substituted")]);
    std::fs::write(path, pdf).unwrap();
}

/// A file dropped on the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn copy(files: &[PathBuf], to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in files {
        std::fs::copy(f, to.join(f.file_name().unwrap())).unwrap();
    }
}

#[test]
fn a_dropped_folder_is_examined_document_by_document_into_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let seized = tmp.path().join("seized");
    copy(&sample("passport-photo-substituted"), &seized);
    copy(&sample("passport-genuine"), &seized.join("bag1"));
    std::fs::write(seized.join("bag1/notes.txt"), "found in the lining").unwrap();
    two_page_pdf(&seized.join("scan.pdf"));
    let dir = tmp.path().join("case");

    let mut ws = workstation().reading(reading());
    ws.apply(Command::CreateCase(dir.clone()));
    ws.wait_tasks();
    let mut h = harness(ws);
    h.run();
    // The folder dropped on the window.
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(seized.clone())));
    h.step();
    assert!(h.state().busy(), "{}", h.state().state.status);
    h.state_mut().wait_import();
    // Nothing was on screen: the first document with anomalies is shown.
    h.state_mut().wait();
    h.run();
    assert_eq!(
        h.state().document().map(|d| d.report.document.as_str()),
        Some("passport_photo_substituted")
    );

    let ws = h.state();
    let listed: Vec<(&str, Option<Verdict>)> = ws
        .imported()
        .iter()
        .map(|l| {
            (
                l.questioned.name.as_str(),
                l.outcome.as_ref().ok().map(|o| o.0),
            )
        })
        .collect();
    // The folder's own documents first, then its subfolder's; the PDF's pages in turn.
    assert_eq!(
        listed.iter().map(|l| l.0).collect::<Vec<_>>(),
        [
            "passport_photo_substituted",
            "scan#1",
            "scan#2",
            "bag1/passport_genuine"
        ],
        "{:?}",
        ws.import_problems()
    );
    assert_eq!(listed[0].1, Some(Verdict::AnomaliesFound));
    assert_eq!(listed[3].1, Some(Verdict::NoAnomalyFound));
    assert!(
        listed.iter().all(|l| l.1.is_some()),
        "every page examined: {listed:?}"
    );

    h.get_by_label("Documents (4)");
    h.get_by_label_contains("bag1/notes.txt: neither an image nor a PDF; set aside");
    h.get_by_label("Case").click();
    h.run();
    h.get_by_label("Documents in this case (4)");

    // Every file received (each PDF page an item), the note set aside, every document's
    // examination logged; the case verifies.
    let case = Case::open(&dir).unwrap();
    assert_eq!(case.items().count(), 3 + 3 + 2);
    let aside: Vec<&str> = case
        .entries()
        .iter()
        .filter_map(|e| match &e.action {
            Action::SetAside(s) => Some(s.source.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(aside, ["bag1/notes.txt"]);
    let examined: Vec<&str> = case.examinations().map(|x| x.document.as_str()).collect();
    assert_eq!(
        examined,
        [
            "passport_photo_substituted",
            "scan#1",
            "scan#2",
            "bag1/passport_genuine"
        ]
    );
    assert!(verify(&dir, None).unwrap().is_intact());

    // A click on a listed document opens it from the case's stored copies: nothing is
    // received again, one more examination is logged.
    let entries = case.entries().len();
    h.get_all_by_label("bag1/passport_genuine")
        .next()
        .unwrap()
        .click();
    h.step();
    h.state_mut().wait();
    h.run();
    let doc = h.state().document().expect("opened");
    assert_eq!(doc.report.document, "bag1/passport_genuine");
    assert!(matches!(doc.questioned.source, Source::Items(..)));
    assert_eq!(doc.report.assessment.result, Verdict::NoAnomalyFound);
    let case = Case::open(&dir).unwrap();
    let added: Vec<&str> = case.entries()[entries..]
        .iter()
        .map(|e| e.action.name())
        .collect();
    assert_eq!(added, ["examine"]);
}

#[test]
fn a_multi_page_pdf_is_examined_page_by_page_without_a_case() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("scan.pdf");
    two_page_pdf(&pdf);
    let mut h = harness(workstation().reading(reading()));
    h.state_mut().apply(Command::Import(vec![pdf.clone()]));
    // One file: opened as a document, found to have two pages, each examined in turn.
    h.state_mut().wait();
    assert!(
        h.state().state.status.contains("has 2 pages"),
        "{}",
        h.state().state.status
    );
    // The window polls the import frame by frame (then shows the first page examined).
    let start = std::time::Instant::now();
    while h.state().busy() {
        assert!(start.elapsed().as_secs() < 120, "the import never ended");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    let ws = h.state_mut();
    assert!(
        ws.import_problems().is_empty(),
        "{:?}",
        ws.import_problems()
    );
    assert!(
        ws.document()
            .is_some_and(|d| d.report.document.starts_with("scan#")),
        "{}",
        ws.state.status
    );
    let names: Vec<&str> = ws
        .imported()
        .iter()
        .map(|l| l.questioned.name.as_str())
        .collect();
    assert_eq!(names, ["scan#1", "scan#2"]);
    for l in ws.imported() {
        assert!(l.outcome.is_ok(), "{}: {:?}", l.questioned.name, l.outcome);
        assert_eq!(
            l.questioned.source,
            Source::Page(
                vec![pdf.clone()],
                1 + names.iter().position(|n| *n == l.questioned.name).unwrap() as u32
            )
        );
    }
    // A page opens on its own.
    let first = ws.imported()[0].questioned.clone();
    ws.apply(Command::OpenDocument(first));
    ws.wait();
    let doc = ws.document().expect("page 1 examined");
    assert_eq!(doc.report.document, "scan#1");
    assert_eq!(doc.images.len(), 1);
}

#[test]
fn an_import_can_be_cancelled_and_says_how_far_it_got() {
    let samples = sample("passport-genuine")[0]
        .parent()
        .unwrap()
        .to_path_buf();
    let documents = docexam_gui::document::bundled_samples().len();
    let mut ws = workstation();
    ws.apply(Command::Import(vec![samples]));
    assert!(ws.busy());
    ws.apply(Command::CancelImport);
    ws.wait_import();
    assert!(!ws.busy());
    assert!(ws.imported().len() < documents, "{}", ws.imported().len());
    assert!(
        ws.state.status.starts_with("Import cancelled: ")
            && ws
                .state
                .status
                .ends_with(&format!(" of {documents} documents examined")),
        "{}",
        ws.state.status
    );
    // The folder's README is named, not examined.
    assert!(
        ws.import_problems()
            .iter()
            .any(|p| p == "README.md: neither an image nor a PDF; skipped"),
        "{:?}",
        ws.import_problems()
    );
}

#[test]
fn closing_the_case_stops_its_import_and_the_case_stays_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("case");
    let samples = sample("passport-genuine")[0]
        .parent()
        .unwrap()
        .to_path_buf();
    let mut ws = workstation();
    ws.apply(Command::CreateCase(dir.clone()));
    ws.wait_tasks();
    ws.apply(Command::Import(vec![samples]));
    ws.apply(Command::CloseCase);
    ws.wait_import();
    assert!(ws.case().is_none(), "the import's case came back");
    assert!(
        ws.state.status.starts_with("Import cancelled: "),
        "{}",
        ws.state.status
    );
    // What it had received is in the case, which verifies.
    assert!(verify(&dir, None).unwrap().is_intact());
}
