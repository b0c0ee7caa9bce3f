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
//! ## Crates and modules
//!
//! The layers are crates of their own (see ARCHITECTURE.md); this crate is the examination
//! that ties them and re-exports each under its module name, so `docexam_core::mrz` is
//! `docexam_mrz`, and so on.
//!
//! - [`mrz`] (`docexam-mrz`): parse and validate machine-readable zones of every common
//!   format, with positions, check digits, findings and evidence-based OCR repair; read them
//!   from images.
//! - [`barcode`] (`docexam-barcode`): decode barcodes from images (zxing-cpp), parse and
//!   verify their payloads (AAMVA, ICAO VDS and IDB, VDS-NC, EU DCC, IATA BCBP), cross-check
//!   them with the MRZ.
//! - [`specimen`] (`docexam-specimen`): the reference specimen format, its validation and the
//!   library sources.
//! - [`register`] (in `docexam-compare`): find the document on a page, identify its specimen,
//!   map it onto the specimen's millimetre frame (outline and MRZ placements, RANSAC
//!   homographies on static patches), with the residual in mm; [`register::PreparedCache`]
//!   keeps prepared specimens on disk between processes.
//! - [`compare`] (`docexam-compare`): one comparator per security-feature kind (pattern,
//!   microprint, halftone, colour, UV, IR, portrait, OVD, MRZ font) with scores, calibrated
//!   thresholds, heat maps and sentences; calibration from genuine documents.
//! - [`ingest`] (`docexam-ingest`): decode scans, photos and PDFs under limits; light source
//!   and side from names.
//! - [`evidence`] (`docexam-evidence`): cases, the hash-chained audit log, verification,
//!   archives and signatures.
//! - [`chip`] (`docexam-chip`): chip data as a reader dumps it (ICAO 9303-10): TLV under
//!   limits, the elementary files, EF.COM and DG1's MRZ.
//! - [`date`], [`hash`], [`raster`], [`severity`], [`untrusted_file`] (`docexam-base`): civil
//!   dates and printed date formats, [`hash::EvidenceHash`], planes and pyramids, the one
//!   severity scale, the rule every file from outside is read by.
//! - [`examine`] (this crate): one examination of one document: identification, comparison,
//!   barcodes, cross-checks and the assessment, as a versioned report. A
//!   [`examine::Library`] prepares each specimen once per process (and, given a cache, once
//!   per build of docexam).
//!
//! Each crate depends only on the layers below it: `docexam-base`; `docexam-mrz` and
//! `docexam-ingest`; `docexam-barcode` and `docexam-evidence`; `docexam-specimen`;
//! `docexam-compare`; this crate. `tests/layers.rs` enforces it.

pub use docexam_barcode as barcode;
pub use docexam_base::{date, hash, raster, severity, untrusted_file};
pub use docexam_chip as chip;
pub use docexam_compare as compare;
pub use docexam_compare::register;
pub use docexam_evidence as evidence;
pub use docexam_ingest as ingest;
pub use docexam_mrz as mrz;
pub use docexam_specimen as specimen;

pub mod examine;
pub mod settings;

pub use docexam_base::Warned;
pub use settings::Settings;

/// Entry points for the fuzz targets into code that is not public API (built only with
/// `--cfg fuzzing`, as cargo-fuzz does).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::ingest::pdf::fuzz_samples;
}
