//! The leaves of docexam: what every layer shares and nothing above it defines.
//!
//! - [`date`]: civil dates as printed on documents, timestamps, printed date formats;
//! - [`hash`]: [`hash::EvidenceHash`], the blake3 hash that names every piece of evidence;
//! - [`raster`]: homographies, float planes, pyramids and grey-level tools for images;
//! - [`severity`]: the one scale findings are graded on;
//! - [`temp_name`]: names of temporary files, so that interrupted writes are recognised;
//! - [`untrusted_file`]: the one rule for opening a file that came from outside;
//! - [`warned`]: [`Warned`], a value with the warnings met making it.
//!
//! This crate depends on no other docexam crate. The MRZ engine, ingest, barcodes, the
//! evidence store, specimens and comparison build on it; `docexam-core` ties them together
//! (see ARCHITECTURE.md at the repository's root).

pub mod date;
pub mod hash;
pub mod raster;
pub mod severity;
pub mod temp_name;
pub mod untrusted_file;
pub mod warned;

pub use warned::Warned;
