//! The specimen library every command that compares opens: the folders given with
//! `--specimens`, then `DOCEXAM_SPECIMENS`, then the bundled library, its warnings printed.

use std::path::PathBuf;

use docexam_core::specimen::FolderSource;

/// The specimen library of these arguments, with its warnings printed to stderr.
pub fn library(extra: &[PathBuf]) -> FolderSource {
    let lib = FolderSource::open(&docexam_core::specimen::search_roots(extra));
    for w in lib.warnings() {
        errln!("docexam: warning: {w}");
    }
    lib
}
