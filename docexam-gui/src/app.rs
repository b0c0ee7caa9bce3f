//! The application: state and the top-level layout.

use crate::mrz_panel::{MrzPanelState, mrz_panel_ui};

/// Everything the workstation shows, free of egui types.
#[derive(Debug, Default, Clone)]
pub struct AppState {
    /// The MRZ check panel.
    pub mrz: MrzPanelState,
}

/// Draws the whole workstation.
pub fn app_ui(ui: &mut egui::Ui, state: &mut AppState) {
    ui.horizontal(|ui| {
        ui.heading("docexam");
        ui.label(format!("version {}", crate::VERSION));
    });
    ui.separator();
    mrz_panel_ui(ui, &mut state.mrz);
}

/// The eframe application.
#[derive(Debug, Default)]
pub struct DocexamApp {
    /// Its state.
    pub state: AppState,
}

impl eframe::App for DocexamApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| app_ui(ui, &mut self.state));
    }
}
