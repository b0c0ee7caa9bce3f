//! Warnings the core hands back with a value ([`Warned`]): printed to stderr one way,
//! whichever layer they came from, before the value is used.

use std::fmt::Display;
use std::path::Path;

use anyhow::Result;
use docexam_core::Warned;
use docexam_core::barcode::TrustStore;

/// The value, its warnings printed as `docexam: warning: …`.
pub fn take<T, W: Display>(w: Warned<T, W>) -> T {
    for x in &w.warnings {
        errln!("docexam: warning: {x}");
    }
    w.value
}

/// The trust store of `--trust` (empty without it), the files it could not use printed.
pub fn trust_store(dir: Option<&Path>) -> Result<TrustStore> {
    match dir {
        Some(dir) => Ok(take(TrustStore::load_dir(dir)?)),
        None => Ok(TrustStore::new()),
    }
}
