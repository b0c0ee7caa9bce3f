//! What the workstation's tests share: a workstation over the bundled specimens, the bundled
//! samples, and a harness drawing it without a window.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure; not every test file uses every helper

use std::path::PathBuf;

use docexam_core::Settings;
use docexam_core::date::CivilDate;
use docexam_core::examine::Library;
use docexam_core::specimen::FolderSource;
use docexam_gui::{AppState, Command, Workstation};
use egui_kittest::Harness;

/// A workstation over the bundled specimens, judging validity as of 3 December 2026.
pub fn workstation() -> Workstation {
    let lib = Library::new(FolderSource::open(&Settings::new().specimen_roots(&[])).value);
    Workstation::new(AppState::default(), lib).as_of(CivilDate::new(2026, 12, 3).unwrap())
}

/// The files of the bundled sample `name` (`passport-genuine` …).
pub fn sample(name: &str) -> Vec<PathBuf> {
    // The start page's own listing of the bundled samples (document names use `_`).
    let wanted = name.replace('-', "_");
    docexam_gui::document::bundled_samples()
        .into_iter()
        .find(|(doc, _)| *doc == wanted)
        .map(|(_, files)| files)
        .unwrap_or_else(|| panic!("no sample {name}"))
}

/// A harness drawing `ws` at the default window size, without a window.
pub fn harness(ws: Workstation) -> Harness<'static, Workstation> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, ws: &mut Workstation| ws.ui(ui), ws)
}

/// The workstation with `name` examined.
pub fn opened(name: &str) -> Harness<'static, Workstation> {
    let mut ws = workstation();
    ws.apply(Command::Open(sample(name)));
    ws.wait();
    assert!(ws.document().is_some(), "{}", ws.state.status);
    let mut h = harness(ws);
    h.run();
    h
}
