//! # docexam-core
//!
//! Document-fraud examination for travel documents: passports, ID cards, residence permits,
//! visas and driving licences. Everything runs offline.
//!
//! ## The pipeline (data flows one way)
//!
//! ```text
//!  files (scans, photos, PDFs, raw barcode payloads)
//!    │ ingest: decode under limits, hash (blake3) into the case's evidence store
//!    ▼
//!  page images (per light source: white, UV, IR)
//!    │ locate + identify the document, register it onto its reference specimen
//!    ▼
//!  registered document
//!    ├─ MRZ: locate, read, parse, validate, repair only with check-digit evidence
//!    ├─ barcodes: decode, parse payload, verify signatures
//!    ├─ security features: compare with the specimen, per light source
//!    └─ cross-checks: MRZ vs barcode vs printed data vs specimen rules
//!    ▼
//!  findings → report (JSON, PDF), audit log entry, hashes of all inputs and outputs
//! ```
//!
//! ## Modules
//!
//! - [`mrz`]: parse and validate machine-readable zones of every common format, with
//!   positions, check digits, findings and check-digit-confirmed OCR repair.
//! - [`barcode`]: decode barcodes from images (zxing-cpp), parse and verify their payloads
//!   (AAMVA, ICAO VDS and IDB, VDS-NC, EU DCC, IATA BCBP), cross-check them with the MRZ.
//! - [`specimen`]: the reference specimen format, its validation and the library sources.
//! - [`register`]: find the document on a page, identify its specimen, map it onto the
//!   specimen's millimetre frame (outline and MRZ placements, RANSAC homographies on static
//!   patches), with the residual in mm; [`register::PreparedCache`] keeps prepared
//!   specimens on disk between processes.
//! - [`compare`]: one comparator per security-feature kind (pattern, microprint, halftone,
//!   colour, UV, IR, portrait, OVD, MRZ font) with scores, calibrated thresholds, heat maps
//!   and sentences; calibration from genuine documents.
//! - [`raster`]: homographies, float planes and image pyramids shared by the two.
//! - [`ingest`]: decode scans, photos and PDFs under limits; light source and side from names.
//! - [`examine`]: one examination of one document: identification, comparison, barcodes,
//!   cross-checks and the assessment, as a versioned report. A [`examine::Library`] prepares
//!   each specimen once per process (and, given a cache, once per build of docexam).
//! - [`evidence`]: cases, the hash-chained audit log, verification, archives and signatures.
//! - [`date`]: calendar dates, and dates as documents print them ([`date::printed`]).
//! - [`hash`]: [`hash::EvidenceHash`], the blake3 hash that names every file.
//! - [`untrusted_file`]: the rule every file from outside is read by (regular files only,
//!   opened without blocking, bounded reads).
//!
//! Each module uses only the modules below it: leaves (`date`, `hash`, `untrusted_file`,
//! `raster`), then `mrz` and `ingest`, `barcode` and `evidence`, `specimen`, `register`,
//! `compare`, `examine`. `tests/layers.rs` enforces it; ARCHITECTURE.md explains it.

pub mod barcode;
pub mod compare;
pub mod date;
pub mod evidence;
pub mod examine;
pub mod hash;
pub mod ingest;
pub mod mrz;
pub mod raster;
pub mod register;
pub mod specimen;
mod temp_name;
pub mod untrusted_file;

/// Entry points for the fuzz targets into code that is not public API (built only with
/// `--cfg fuzzing`, as cargo-fuzz does).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::ingest::pdf::fuzz_samples;
}
