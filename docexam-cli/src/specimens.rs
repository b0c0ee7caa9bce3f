//! The specimen library every command that compares opens: the folders given with
//! `--specimens`, then `DOCEXAM_SPECIMENS`, then the bundled library, its warnings printed.

use std::path::PathBuf;

use docexam_core::specimen::FolderSource;

/// The specimen library of these arguments, with its warnings printed to stderr.
pub fn library(extra: &[PathBuf]) -> FolderSource {
    crate::warnings::take(FolderSource::open(
        &crate::examiner::settings().specimen_roots(extra),
    ))
}
