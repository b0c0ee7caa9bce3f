//! One examination of one document: every check docexam has, tied together, explained and
//! written down.
//!
//! ```text
//!  images of one document (sides × lights, or a PDF page) ──┐
//!    │ identify: the specimen given, or from the MRZ (document code + issuing state),
//!    │           or by correlation with every specimen's reference image
//!    ▼                                                       │ barcodes: decode (zxing-cpp),
//!  compare (register each capture, read the MRZ, judge       │ parse, verify signatures
//!  every feature of the specimen)                            │
//!    ▼                                                       ▼
//!  cross-checks: MRZ vs specimen rules, MRZ vs other captures, MRZ vs barcode, printed data
//!    ▼
//!  assessment: no_anomaly_found | anomalies_found (by severity) | inconclusive (what, why)
//! ```
//!
//! The [`Report`] carries the evidence: the hash of every input, the specimen's id and hash,
//! the tool's version, every threshold, and (unless asked for a reproducible report) the
//! timings per stage. It never says "genuine".

pub mod assess;
pub mod barcodes;
pub mod casework;
pub mod crosscheck;
pub mod files;
pub mod identification;
pub mod input;
pub mod library;
pub mod locus;
pub mod pdf;
pub mod report;
pub mod views;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;

pub use assess::{Anomaly, AnomalySeverity, Assessment, Expected, NotChecked, Verdict, assess};
pub use files::{LoadError, LoadOptions, load_files};
pub use input::{DocumentImage, InputRecord, group_by_document};
pub use library::{Library, PreparedSpecimen};
pub use locus::Locus;
pub use report::{
    BarcodeRecord, CrossCheckRecord, CrossCheckStatus, IdentificationMethod, IdentificationRecord,
    MrzRecord, REPORT_SCHEMA, REPORT_SCHEMA_VERSION, Report, RunRecord, SpecimenRecord, Tool,
};

use crate::barcode::{ParseOptions, TrustStore, cross_check};
use crate::compare::{Capture, compare_document_with};
use crate::date::CivilDate;
use crate::date::Timestamp;
use crate::ingest::LightSource;
use crate::mrz::MrzParser;
use crate::raster::Pyramid;
use crate::specimen::SpecimenError;

/// How to examine.
#[derive(Clone, Debug)]
pub struct ExamOptions<'a> {
    /// The specimen to compare with (`None`: identify it).
    pub specimen: Option<String>,
    /// Certificates to verify barcode signatures with.
    pub trust: &'a TrustStore,
    /// The date validity and expiry are judged on.
    pub as_of: CivilDate,
    /// Whether to record when the examination ran and how long each stage took
    /// ([`Report::run`]); without it the same input gives byte-identical reports.
    pub record_run: bool,
    /// Once set, the examination stops at its next stage ([`ExamError::Cancelled`]): a
    /// workstation's cancel button, a batch being stopped.
    pub cancel: Option<&'a AtomicBool>,
}

/// Why an examination could not be made at all (anything less is a finding in the report).
#[derive(Debug, thiserror::Error)]
pub enum ExamError {
    /// No image was given.
    #[error("no image of the document was given")]
    NoImages,
    /// The specimen asked for could not be loaded.
    #[error("specimen {id}: {source}")]
    Specimen {
        /// Its id.
        id: String,
        /// Why.
        #[source]
        source: SpecimenError,
    },
    /// Stopped on request ([`ExamOptions::cancel`]).
    #[error("the examination was cancelled")]
    Cancelled,
}

/// The captures the examination works on: each image with its pyramid, built in parallel.
pub fn captures(images: &[DocumentImage]) -> Vec<Capture> {
    images
        .par_iter()
        .map(|i| Capture {
            side: i.side,
            light: i.light,
            pyramid: Pyramid::shared(i.image.clone()),
        })
        .collect()
}

/// Examines the `images` of one document named `document` against the specimens of
/// `library`.
pub fn examine(
    library: &Library,
    document: &str,
    images: &[DocumentImage],
    opts: &ExamOptions<'_>,
) -> Result<Report, ExamError> {
    let t = Instant::now();
    let caps = captures(images);
    let prepare_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut report = examine_captures(library, document, images, &caps, opts)?;
    if let Some(run) = &mut report.run {
        run.timings_ms.insert("prepare_ms".into(), prepare_ms);
    }
    Ok(report)
}

/// [`examine`] given the [`captures`] of `images` (in the same order), for a caller that
/// keeps them: a viewer draws from their pyramids.
pub fn examine_captures(
    library: &Library,
    document: &str,
    images: &[DocumentImage],
    captures: &[Capture],
    opts: &ExamOptions<'_>,
) -> Result<Report, ExamError> {
    if images.is_empty() {
        return Err(ExamError::NoImages);
    }
    let started = Timestamp::now();
    let mut timings: BTreeMap<String, f64> = BTreeMap::new();
    let mut lap = |name: &str, t: Instant| {
        timings.insert(name.to_string(), t.elapsed().as_secs_f64() * 1e3);
    };
    let parser = MrzParser::builder().as_of(opts.as_of).build();

    let parse_opts = ParseOptions {
        kind: None,
        trust: opts.trust,
        as_of: opts.as_of,
    };
    // The quick whole-page barcode search needs nothing identification finds: it runs beside
    // it, on the core that reading the specimen's prepared images from disk leaves idle.
    // Beside it on a thread of its own, not through `rayon::join`: identification stays on
    // the caller's thread. It may hold a specimen's lock while preparing it on the pool, and
    // a pool thread holding it could take up another examination's identification while it
    // waits, which waits for the same lock (a batch examining documents at once hung so).
    let t = Instant::now();
    let (chosen, (greys, quick_barcodes)) = std::thread::scope(|s| {
        let quick = s.spawn(|| {
            let greys = barcodes::GreyPages::of(images);
            let quick = barcodes::whole_pages(images, &greys, &parse_opts, true);
            (greys, quick)
        });
        let chosen = identification::choose(library, captures, opts.specimen.as_deref(), &parser);
        let quick = quick
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (chosen, quick)
    });
    let (identification, prepared, priors) = chosen?;
    let greys = greys.kept_for(prepared.as_ref().map(|p| &p.specimen));
    lap("identify_ms", t);
    let stop = || match opts.cancel {
        Some(c) if c.load(Ordering::Relaxed) => Err(ExamError::Cancelled),
        _ => Ok(()),
    };
    stop()?;

    // Without a specimen no zone says where a code is: every white page is searched
    // thoroughly instead, beside nothing (there is nothing to compare).
    let t = Instant::now();
    let comparison = prepared
        .as_ref()
        .map(|p| compare_document_with(&p.specimen, &p.references, captures, &parser, &priors));
    let mut barcodes = if prepared.is_some() {
        quick_barcodes
    } else {
        barcodes::whole_pages(images, &greys, &parse_opts, false)
    };
    lap("compare_ms", t);
    stop()?;
    let t = Instant::now();
    if let (Some(p), Some(c)) = (&prepared, &comparison) {
        barcodes::search_zones(
            &mut barcodes,
            &p.specimen,
            images,
            &greys,
            captures,
            &c.registrations,
            &parse_opts,
        );
    } else {
        barcodes.retain(|r| !r.codes.is_empty() || !r.undecodable.is_empty() || r.error.is_some());
    }
    lap("barcodes_ms", t);
    stop()?;

    let t = Instant::now();
    let (registrations, mrz_reads, features) = match comparison {
        Some(c) => (c.registrations, c.mrz, c.features),
        None => {
            // Without a specimen the MRZ is still read, on every white and IR capture.
            let reads = captures
                .par_iter()
                .filter(|c| c.light != LightSource::Uv)
                .filter_map(|c| {
                    crate::compare::read_mrz(&c.pyramid, &parser).map(|r| (c.side, c.light, r))
                })
                .collect();
            (Vec::new(), reads, Vec::new())
        }
    };
    let mrz: Vec<MrzRecord> = mrz_reads
        .into_iter()
        .map(|(side, light, r)| MrzRecord {
            side,
            light,
            input: images
                .iter()
                .find(|i| i.side == side && i.light == light)
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            bbox: r.source.bbox,
            angle_deg: r.source.angle_deg,
            pitch_mm: r.source.pitch_mm,
            font_score: r.source.font_score,
            char_confidence_min: r.source.char_confidence_min,
            record: r.mrz,
        })
        .collect();
    let main_identity = mrz
        .iter()
        .find(|m| m.light == LightSource::White)
        .or_else(|| mrz.first())
        .map(|m| crate::barcode::payload::identity_of(&m.record));
    let barcodes: Vec<BarcodeRecord> = barcodes
        .into_iter()
        .map(|mut b| {
            b.cross_checks = b
                .codes
                .iter()
                .map(|c| {
                    main_identity
                        .as_ref()
                        .map(|m| cross_check(&c.payload.identity, m))
                        .unwrap_or_default()
                })
                .collect();
            b
        })
        .collect();
    let specimen = prepared.as_ref().map(|p| &p.specimen);
    let cross_checks = crosscheck::cross_checks(specimen, &mrz, &barcodes, &features);
    let mut report = Report {
        schema: REPORT_SCHEMA,
        schema_version: REPORT_SCHEMA_VERSION,
        tool: Tool::this(),
        document: document.to_string(),
        as_of: opts.as_of.to_string(),
        inputs: images.iter().map(DocumentImage::record).collect(),
        identification,
        specimen: specimen.map(|s| SpecimenRecord {
            id: s.id().to_string(),
            name: s.manifest.document.name.clone(),
            blake3: s.hash.to_hex(),
            issuing_state: s.manifest.document.issuing_state.clone(),
            document_code: s.manifest.document.document_code.clone(),
            valid_from: s.manifest.document.valid_from.map(|d| d.to_string()),
            valid_to: s.manifest.document.valid_to.map(|d| d.to_string()),
            calibration: s
                .manifest
                .calibration
                .as_ref()
                .map(report::CalibrationRecord::of),
        }),
        mrz,
        barcodes,
        registrations,
        document_score: crate::compare::model::document_score(
            &features,
            specimen
                .and_then(|s| s.manifest.calibration.as_ref())
                .map_or(crate::compare::model::DEFAULT_FALSE_ALARM_RATE, |c| {
                    c.false_alarm_rate
                }),
        ),
        features,
        cross_checks,
        assessment: Assessment {
            result: Verdict::Inconclusive,
            summary: String::new(),
            anomalies: Vec::new(),
            not_checked: Vec::new(),
            checks_made: 0,
        },
        run: None,
    };
    let expected = specimen.map(Expected::of).unwrap_or_default();
    report.assessment = assess(&report, &expected);
    lap("assess_ms", t);
    if opts.record_run {
        report.run = Some(RunRecord {
            started: started.to_string(),
            timings_ms: timings,
        });
    }
    Ok(report)
}
