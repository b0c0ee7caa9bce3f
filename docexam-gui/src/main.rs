//! `docexam-gui`: the examiner's workstation.

use docexam_gui::{DocexamApp, window_title};

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(window_title())
            .with_inner_size([900.0, 640.0]),
        ..Default::default()
    };
    eframe::run_native(
        "docexam",
        options,
        Box::new(|_cc| Ok(Box::new(DocexamApp::default()))),
    )
}
