//! What the workstation shows before a document is open: how to open one, the recent ones and
//! the bundled samples.

use std::path::PathBuf;

use egui::RichText;

use crate::command::Command;

/// Draws the start page.
pub fn start_ui(
    ui: &mut egui::Ui,
    recent: &[Vec<PathBuf>],
    documents: &[(String, Vec<PathBuf>)],
    documents_title: &str,
) -> Vec<Command> {
    let mut out = Vec::new();
    ui.heading("Open a questioned document");
    ui.label(
        "Drop the images of one document here (front.png, front_uv.png, back.png …: side and \
         light come from the names) or a PDF, pick them with Open files…, or pass them on the \
         command line. Drop several documents, a multi-page PDF or a folder to examine each \
         document in turn: they are listed with their verdicts as they come. With a case open \
         (right), each file is hashed into it as it arrives.",
    );
    ui.horizontal(|ui| {
        if ui.button("Open files… (Ctrl+O)").clicked() {
            out.push(Command::PickFiles);
        }
        if ui.button("Import a folder…").clicked() {
            out.push(Command::PickFolder);
        }
    });
    ui.add_space(8.0);
    if !recent.is_empty() {
        ui.label(RichText::new("Recent").strong());
        for files in recent {
            let name = docexam_core::ingest::naming::document_name(files);
            if ui
                .link(format!("{name} ({} files)", files.len()))
                .on_hover_text(
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
                .clicked()
            {
                out.push(Command::Open(files.clone()));
            }
        }
        ui.add_space(8.0);
    }
    if !documents.is_empty() {
        ui.label(RichText::new(documents_title).strong());
        for (name, files) in documents {
            if ui
                .button(format!("{name} ({} images)", files.len()))
                .clicked()
            {
                out.push(Command::Open(files.clone()));
            }
        }
    }
    out
}
