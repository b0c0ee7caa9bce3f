//! The docexam examiner's workstation (egui/eframe).
//!
//! The examiner opens the images of a questioned document (dropped on the window, named on the
//! command line, or a bundled sample); a worker thread examines them with
//! [`docexam_core::examine`] while the window stays responsive; the workstation then shows the
//! document with every security feature outlined in the colour of its status, the findings by
//! severity, the MRZ with its check digits, the barcodes with their payloads and signatures,
//! the evidence (hashes, specimen, cross-checks), and any feature up close against the
//! reference: side by side, as an overlay, as a flicker, or as its heat map. With a case open,
//! every file is hashed into it as it arrives, every examination is logged with its report,
//! the examiner's annotations and conclusion go into its audit log, and its verification
//! status is shown.
//!
//! Structure: the state ([`AppState`]) is plain serialisable data free of egui types; panels
//! are `*_ui` functions that draw it and return [`Command`]s; [`Workstation::apply`] is the
//! one place that carries commands out; workers report over channels ([`worker::Job`]).

mod app;
mod barcode_panel;
pub mod case;
mod case_panel;
mod command;
mod dialogs;
pub mod document;
mod document_view;
mod documents_panel;
mod evidence_panel;
mod feature_detail;
mod findings_panel;
pub mod host;
pub mod import;
mod mrz_panel;
mod start_panel;
mod state;
mod style;
pub mod tasks;
mod tiles;
pub mod timing;
pub mod worker;

pub use app::{DocexamApp, SHORTCUTS, Workstation};
pub use command::Command;
pub use document_view::ruler_label;
pub use mrz_panel::{MrzPanelState, mrz_panel_ui};
pub use state::{AppState, ConclusionDraft, DetailMode, Tab, Theme, ViewState};

/// The version shown in the window title and header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The window title.
pub fn window_title() -> String {
    format!("docexam {VERSION} — examiner's workstation")
}
