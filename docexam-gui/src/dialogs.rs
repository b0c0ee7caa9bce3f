//! Native file dialogs (`rfd`: the desktop portal on Linux, the system dialogs on Windows and
//! macOS), run on a background thread so the window keeps drawing while one is open.

use std::path::PathBuf;

use crate::command::Command;
use crate::tasks::{TaskDone, Tasks};

/// Which dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// Pick the images or PDFs of one document or several.
    Files,
    /// Pick a folder of documents to import.
    Folder,
    /// Pick a case folder to open.
    Case,
    /// Pick an empty folder to create a case in.
    NewCase,
}

/// Opens `dialog` starting in `start`; the choice arrives as an [`TaskDone::Chosen`].
pub fn open(tasks: &mut Tasks, dialog: Dialog, start: Option<PathBuf>) {
    tasks.spawn(move || {
        let mut d = rfd::FileDialog::new();
        if let Some(dir) = start.filter(|d| d.is_dir()) {
            d = d.set_directory(dir);
        }
        let chosen = match dialog {
            Dialog::Files => d
                .set_title("Open the images or PDFs of one document or several")
                .add_filter(
                    "Scans and PDFs",
                    &["png", "jpg", "jpeg", "tif", "tiff", "bmp", "pdf"],
                )
                .pick_files()
                .map(Command::Import),
            Dialog::Folder => d
                .set_title("Import every document in a folder")
                .pick_folder()
                .map(|f| Command::Import(vec![f])),
            Dialog::Case => d
                .set_title("Open a case folder")
                .pick_folder()
                .map(Command::OpenCase),
            Dialog::NewCase => d
                .set_title("Choose an empty folder for the new case")
                .pick_folder()
                .map(Command::CreateCase),
        };
        chosen.map_or(TaskDone::Nothing, TaskDone::Chosen)
    });
}
