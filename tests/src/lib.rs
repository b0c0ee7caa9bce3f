//! Shared helpers for docexam's end-to-end tests: where the test data lives, and generators of
//! test files (scans, PDFs) that are made on the fly rather than stored.

pub mod barcodes;
pub mod hostile;
pub mod pdf;
pub mod process;
pub mod scans;
pub mod seals;

use std::path::PathBuf;

/// A bundled sample scan (`reference-specimens/samples/NAME`).
pub fn sample_scan(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../reference-specimens/samples")
        .join(name)
}

/// The `tests/data` directory of the repository.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}
