//! The docexam examiner's workstation (egui/eframe).
//!
//! The app state ([`AppState`]) is plain data free of egui types; panels are `*_ui` functions
//! that draw it. For now the workstation checks MRZ text typed or pasted by the examiner.

mod app;
mod mrz_panel;

pub use app::{AppState, DocexamApp, app_ui};
pub use mrz_panel::{MrzPanelState, mrz_panel_ui};

/// The version shown in the window title and header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The window title.
pub fn window_title() -> String {
    format!("docexam {VERSION}")
}
