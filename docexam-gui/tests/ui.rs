//! The workstation driven through its accessibility tree (no window, no GPU).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use docexam_gui::{AppState, app_ui};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[test]
fn shows_the_version() {
    let harness = Harness::new_ui_state(app_ui, AppState::default());
    harness.get_by_label(&format!("version {}", docexam_gui::VERSION));
}

#[test]
fn judges_pasted_mrz_text() {
    let mut state = AppState::default();
    state.mrz.text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                      L898902C36UTO7408122F1204159ZE184226B<<<<<10"
        .to_owned();
    let mut harness = Harness::new_ui_state(app_ui, state);
    harness.run();
    harness.get_by_label("VALID");
    harness.get_by_label("ERIKSSON");

    harness.state_mut().mrz.text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                                    L898902C37UTO7408122F1204159ZE184226B<<<<<10"
        .to_owned();
    harness.run();
    harness.get_by_label("INVALID");
}
