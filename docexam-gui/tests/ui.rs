//! The workstation driven through its accessibility tree (no window, no GPU), on the bundled
//! sample documents.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;

use std::path::PathBuf;

use common::{harness, opened, sample, workstation};
use docexam_core::ingest::LightSource;
use docexam_gui::{AppState, Command, DetailMode, MrzPanelState, Tab, Workstation, mrz_panel_ui};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[test]
fn starts_with_the_version_and_the_bundled_samples() {
    let mut h = harness(workstation());
    h.run();
    h.get_by_label(&format!("version {}", docexam_gui::VERSION));
    h.get_by_label_contains("passport_photo_substituted (3 images)");
    h.get_by_label_contains("idcard_genuine (6 images)");
}

#[test]
fn opening_a_sample_shows_its_findings_and_a_click_opens_the_failing_feature() {
    let mut h = opened("passport-photo-substituted");
    h.get_by_label("Anomalies found");
    // The failing portrait zone is listed; clicking it selects it, brings the document to its
    // light and side, and opens the comparison with the reference.
    h.get_all_by_label("front-portrait-zone")
        .next()
        .unwrap()
        .click();
    h.run();
    let v = &h.state().state.view;
    assert_eq!(v.selected.as_deref(), Some("front-portrait-zone"));
    assert_eq!(v.light, LightSource::White);
    assert!(v.zoom.is_some(), "the view zooms to the region");
    h.get_by_label("Side by side");
    h.get_by_label_contains("Questioned (");
    h.get_by_label_contains("Reference UTO-P-TD3");
    h.get_by_label("Overlay").click();
    h.run();
    assert_eq!(h.state().state.view.detail, DetailMode::Overlay);
    h.get_by_label("Heat map").click();
    h.run();
    assert_eq!(h.state().state.view.detail, DetailMode::HeatMap);
    let has_heat = h
        .state()
        .document()
        .unwrap()
        .report
        .features
        .iter()
        .any(|f| f.feature == "front-portrait-zone" && f.heat_map.is_some());
    if has_heat {
        h.get_by_label_contains("Heat map of the compared region");
    } else {
        h.get_by_label("This comparator makes no heat map.");
    }
}

#[test]
fn the_flicker_comparison_alternates_at_the_rate_chosen() {
    let mut h = opened("passport-photo-substituted");
    h.get_all_by_label("front-portrait-zone")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_by_label("Flicker").click();
    h.step(); // the click's frame
    h.step(); // the flicker's first
    assert_eq!(h.state().state.view.detail, DetailMode::Flicker);
    assert!(h.query_all_by_label_contains("Changes per second").count() > 0);
    // Faster than the slider allows is held at its end.
    h.state_mut().apply(Command::FlickerRate(50.0));
    assert_eq!(h.state().state.view.flicker_hz, 8.0);
    // Frames 25 ms apart over a second: the questioned region and the reference in turn,
    // each for an eighth of a second (five frames), so the picture changes 7 times.
    let mut shown = Vec::new();
    for k in 0..40 {
        h.input_mut().time = Some(10.0 + f64::from(k) * 0.025);
        h.step();
        let questioned = h.query_by_label("Flicker: questioned").is_some();
        let reference = h
            .query_by_label_contains("Flicker: reference UTO-P-TD3")
            .is_some();
        assert!(questioned != reference, "frame {k}: one picture at a time");
        shown.push(reference);
    }
    let changes = shown.windows(2).filter(|w| w[0] != w[1]).count();
    assert_eq!(changes, 7, "{shown:?}");
}

#[test]
fn a_key_walks_through_the_failed_features() {
    let mut h = opened("passport-photo-substituted");
    h.key_press(egui::Key::N);
    h.run();
    let selected = h
        .state()
        .state
        .view
        .selected
        .clone()
        .expect("a feature selected");
    let doc = h.state().document().unwrap();
    let f = doc
        .report
        .features
        .iter()
        .find(|f| f.feature == selected)
        .unwrap();
    assert_eq!(f.status, docexam_core::compare::Status::Fail, "{selected}");
    h.get_by_label("Side by side");
}

#[test]
fn the_mrz_panel_shows_the_fields_read_from_the_image() {
    let mut h = opened("passport-genuine");
    h.get_by_label("No anomaly found");
    h.get_by_label("MRZ").click();
    h.run();
    assert_eq!(h.state().state.view.tab, Tab::Mrz);
    let doc = h.state().document().unwrap();
    let read = &doc.report.mrz[0].record;
    let surname = read.surname().unwrap();
    let number = read.document_number().unwrap();
    let first_line = read.lines()[0].clone();
    let read = read.clone();
    // Read twice (white and IR light): each read is shown.
    assert_eq!(h.get_all_by_label("VALID").count(), doc_reads(&h));
    h.get_all_by_label(&first_line).next().unwrap();
    h.get_by_label(&surname);
    h.get_by_label(&number);
    // Every check digit with its verdict: all pass on the genuine document.
    let checks = read.checks().len();
    assert!(checks >= 5, "{checks}");
    assert!(h.get_all_by_label("pass").count() >= checks);
    assert_eq!(h.query_all_by_label("FAIL").count(), 0);
    h.get_all_by_label_contains(read.checks()[0].kind.label())
        .next()
        .unwrap();
}

fn doc_reads(h: &Harness<'static, Workstation>) -> usize {
    h.state().document().unwrap().report.mrz.len()
}

#[test]
fn one_key_switches_the_light_and_the_reference() {
    let mut h = opened("passport-genuine");
    assert_eq!(h.state().state.view.light, LightSource::White);
    h.key_press(egui::Key::L);
    h.run();
    assert_eq!(h.state().state.view.light, LightSource::Uv);
    h.key_press(egui::Key::L);
    h.run();
    assert_eq!(h.state().state.view.light, LightSource::Ir);
    h.key_press(egui::Key::L);
    h.run();
    assert_eq!(h.state().state.view.light, LightSource::White);
    h.get_by_label("UV (2)").click();
    h.run();
    assert_eq!(h.state().state.view.light, LightSource::Uv);
    h.key_press(egui::Key::R);
    h.run();
    assert!(h.state().state.view.reference);
    h.get_by_label_contains("Reference UTO-P-TD3 — front uv light");
}

#[test]
fn the_barcode_panel_shows_the_mismatch_with_the_mrz() {
    let mut h = opened("idcard-barcode-mismatch");
    h.get_by_label("Barcodes").click();
    h.run();
    h.get_all_by_label("MISMATCH")
        .next()
        .expect("a field that disagrees");
}

#[test]
fn a_click_on_an_mrz_finding_brings_the_mrz_into_view() {
    let mut h = opened("idcard-barcode-mismatch");
    // The cross-check's anomaly names the MRZ it contradicts: a click shows that capture,
    // zoomed to the MRZ, outlined.
    h.get_by_label("mrz_vs_barcode.surname").click();
    h.run();
    let v = &h.state().state.view;
    let focus = v.focus.clone().expect("the MRZ outlined");
    assert_eq!(
        (v.side, v.light),
        (docexam_core::ingest::Side::Back, LightSource::White)
    );
    assert_eq!((focus.side, focus.light), (v.side, v.light));
    let mrz = h
        .state()
        .document()
        .unwrap()
        .report
        .mrz
        .iter()
        .find(|m| m.side == v.side && m.light == v.light)
        .unwrap();
    assert_eq!(focus.region_px, mrz.bbox);
    let [x, y, w, h_] = mrz.bbox;
    assert_eq!(v.centre, [x + w / 2.0, y + h_ / 2.0]);
    assert!(v.zoom.is_some(), "zoomed to the MRZ");
    // Escape clears it.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().state.view.focus.is_none());
}

#[test]
fn the_pdf_report_is_exported_and_never_overwrites() {
    let mut h = opened("passport-photo-substituted");
    h.get_by_label("Evidence").click();
    h.run();
    h.get_by_label("Export PDF report");
    let dir = std::env::temp_dir().join(format!("docexam-gui-pdf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("reports").join("photo.pdf");
    // The destination typed, the button clicked.
    h.state_mut().state.export_path = out.display().to_string();
    h.run();
    h.get_by_label("Export PDF report").click_accesskit();
    h.step(); // the click's frame: the task starts
    let ws = h.state_mut();
    ws.wait_tasks();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        ws.state.status.starts_with("PDF report written to"),
        "{}",
        ws.state.status
    );
    // A second export to the same file is refused and the first is left as it was.
    ws.apply(Command::ExportPdf(out.clone()));
    ws.wait_tasks();
    assert!(
        ws.state.status.starts_with("Could not write"),
        "{}",
        ws.state.status
    );
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_examination_can_be_cancelled() {
    let mut ws = workstation();
    ws.apply(Command::Open(sample("passport-genuine")));
    assert!(ws.busy());
    ws.apply(Command::Cancel);
    ws.wait();
    assert!(!ws.busy());
    assert!(ws.document().is_none());
    assert_eq!(ws.state.status, "Examination cancelled");
}

#[test]
fn a_file_that_is_not_an_image_is_reported_not_opened() {
    let dir = std::env::temp_dir().join(format!("docexam-gui-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("broken_front_white.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let mut ws = workstation();
    ws.apply(Command::Open(vec![bad.clone()]));
    ws.wait();
    assert!(ws.document().is_none());
    assert!(
        ws.state.status.starts_with("Could not examine:")
            && ws.state.status.contains("broken_front_white.png"),
        "{}",
        ws.state.status
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_state_survives_a_round_trip_through_json() {
    let mut s = AppState::default();
    s.view.light = LightSource::Ir;
    s.view.detail = DetailMode::Flicker;
    s.remember(&[PathBuf::from("a_front_white.png")]);
    let back: AppState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back.view.light, LightSource::Ir);
    assert_eq!(back.view.detail, DetailMode::Flicker);
    assert_eq!(back.recent, s.recent);
}

#[test]
fn the_ruler_measures_millimetres_through_the_registration() {
    let ten_px_per_mm = docexam_core::raster::Homography::similarity(10.0, 0.0, 5.0, 7.0);
    assert_eq!(
        docexam_gui::ruler_label(Some(&ten_px_per_mm), [5.0, 7.0], [65.0, 87.0]),
        "10.00 mm (100 px)"
    );
    assert!(docexam_gui::ruler_label(None, [0.0, 0.0], [3.0, 4.0]).starts_with("5 px"));
}

#[test]
fn judges_pasted_mrz_text() {
    let mut state = MrzPanelState::default();
    state.text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                  L898902C36UTO7408122F1204159ZE184226B<<<<<10"
        .to_owned();
    let mut harness = Harness::new_ui_state(|ui, s: &mut MrzPanelState| mrz_panel_ui(ui, s), state);
    harness.run();
    harness.get_by_label("VALID");
    harness.get_by_label("ERIKSSON");

    harness.state_mut().text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                                L898902C37UTO7408122F1204159ZE184226B<<<<<10"
        .to_owned();
    harness.run();
    harness.get_by_label("INVALID");

    // The date of birth's 0 read as O: repaired when asked, and said where and why.
    harness.state_mut().text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                                L898902C36UTO74O8122F1204159ZE184226B<<<<<10"
        .to_owned();
    harness.state_mut().repair = true;
    harness.run();
    harness.get_by_label("VALID");
    harness.get_by_label_contains("Repaired: line 2, position 16: read 'O', taken as '0'");
}

#[test]
fn a_case_receives_the_files_logs_the_examination_and_keeps_the_examiners_words() {
    use docexam_core::evidence::{Action, ExaminerFinding, verify};
    use docexam_gui::case::VerifyOutcome;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("case-2026-118");
    let mut ws = workstation();
    // Without a case the workstation says so, and there is nothing to annotate into.
    ws.apply(Command::CreateCase(dir.clone()));
    ws.wait_tasks();
    let case = ws.case().expect("the case opened");
    assert!(
        matches!(
            case.verification,
            Some(VerifyOutcome::Intact { entries: 1, .. })
        ),
        "{:?}",
        case.verification
    );
    assert_eq!(ws.state.recent_cases, vec![dir.clone()]);

    // Opening a document receives every file into the case, hashed on arrival.
    let files = sample("passport-photo-substituted");
    ws.apply(Command::Open(files.clone()));
    ws.wait();
    let doc = ws.document().expect("examined");
    assert_eq!(doc.items.len(), files.len());
    // The images examined were read from the case's copies, which hash to what was received.
    let stored = docexam_core::evidence::Case::open(&dir).unwrap();
    for item in &doc.items {
        let copy = std::fs::read(stored.original_path(&item.original)).unwrap();
        assert_eq!(
            blake3::hash(&copy).to_hex().as_str(),
            item.original.to_hex(),
            "item {}: the stored copy is the file received",
            item.id
        );
    }
    let case = ws.case().unwrap();
    let kinds: Vec<&str> = case.entries.iter().map(|e| e.action.name()).collect();
    assert_eq!(kinds, ["init", "add", "add", "add", "examine"]);

    let mut h = harness(ws);
    h.run();
    h.get_by_label("Case").click();
    h.run();
    h.get_by_label("not verified yet");
    h.get_by_label(&doc_hash(&h, 0));
    h.get_by_label("Verify again").click();
    h.step(); // the click's frame: the task starts (a spinner keeps it repainting)
    h.state_mut().wait_tasks();
    h.run();
    h.get_by_label_contains("INTACT — 5 entries, 3 items");

    // Annotate mode, a mark, a note: into the audit log.
    h.key_press(egui::Key::A);
    h.run();
    assert!(h.state().state.view.annotate);
    h.state_mut()
        .apply(Command::Mark(Some([120.0, 140.0, 80.0, 60.0])));
    h.run();
    h.get_by_label_contains("New mark on the front white capture");
    h.state_mut().state.note = "cut edge along the portrait".into();
    h.run();
    h.get_by_label("Record annotation").click();
    h.step(); // the click's frame: the task starts (a spinner keeps it repainting)
    h.state_mut().wait_tasks();
    h.run();
    // Listed with the document's annotations and in the audit log.
    assert_eq!(
        h.get_all_by_label_contains("cut edge along the portrait")
            .count(),
        2
    );

    // The examiner's conclusion.
    h.state_mut().state.conclusion.finding = Some(ExaminerFinding::Forged);
    h.state_mut().state.conclusion.note = "portrait substituted; see annotation".into();
    h.run();
    h.get_by_label("Record conclusion").click();
    h.step(); // the click's frame: the task starts (a spinner keeps it repainting)
    h.state_mut().wait_tasks();
    h.run();
    h.get_by_label_contains("Recorded: forged (altered genuine)");

    let report = verify(&dir, None).unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    let case = docexam_core::evidence::Case::open(&dir).unwrap();
    let a = case.annotations().next().expect("the annotation");
    assert_eq!(a.region_px, [120.0, 140.0, 80.0, 60.0]);
    let white = case
        .items()
        .find(|i| i.source.ends_with("_front_white.jpg"))
        .unwrap();
    assert_eq!(a.item, white.id, "the mark is on the capture shown");
    assert!(
        a.region_mm.is_some(),
        "registered: the mark in millimetres too"
    );
    assert!(matches!(
        case.entries().last().unwrap().action,
        Action::Conclude(_)
    ));
    // The originals the examiner pointed at are untouched.
    for (f, item) in files.iter().zip(case.items()) {
        let bytes = std::fs::read(f).unwrap();
        assert_eq!(
            blake3::hash(&bytes).to_hex().as_str(),
            item.original.to_hex()
        );
    }

    // The exported PDF report is stored in the case and logged.
    let out = tmp.path().join("report.pdf");
    h.state_mut().apply(Command::ExportPdf(out.clone()));
    h.state_mut().wait_tasks();
    let pdf = std::fs::read(&out).unwrap();
    let case = docexam_core::evidence::Case::open(&dir).unwrap();
    let last = case.examinations().last().unwrap();
    assert_eq!(
        last.pdf.map(|p| p.to_hex()),
        Some(blake3::hash(&pdf).to_hex().to_string())
    );
    assert!(verify(&dir, None).unwrap().is_intact());
}

fn doc_hash(h: &Harness<'static, Workstation>, i: usize) -> String {
    h.state().document().unwrap().items[i].original.to_string()
}

#[test]
fn annotating_needs_a_case() {
    let mut h = opened("passport-genuine");
    h.key_press(egui::Key::A);
    h.run();
    assert!(!h.state().state.view.annotate);
    assert!(
        h.state()
            .state
            .status
            .starts_with("Annotations go into a case"),
        "{}",
        h.state().state.status
    );
    h.state_mut()
        .apply(Command::Mark(Some([10.0, 10.0, 0.0, 0.0])));
    h.state_mut().apply(Command::Annotate("a note".into()));
    assert!(
        h.state().state.status.contains("not in a case"),
        "{}",
        h.state().state.status
    );
}
