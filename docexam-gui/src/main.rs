//! `docexam-gui`: the examiner's workstation.

use docexam_gui::{DocexamApp, window_title};

fn main() -> eframe::Result {
    // Reading a PDF happens in a worker process started from this binary.
    if let Some(code) = docexam_core::ingest::pdf::run_worker_if_requested() {
        std::process::exit(code);
    }
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
