//! The report of one examination: what was examined, with which tool and specimen, what every
//! check found, and the assessment. Its JSON form is documented in `docs/report-schema.json`
//! and versioned by [`REPORT_SCHEMA_VERSION`].
//!
//! The same input gives byte-identical JSON: every list has a fixed order and maps are
//! sorted. Only [`Report::run`] (when the examination ran, how long each stage took) differs
//! between runs; leave it out ([`super::ExamOptions::record_run`]) for reproducible output.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::barcode::{CrossCheck, LocatedCode, ReadCode};
use crate::compare::{CaptureRegistration, FeatureResult};
use crate::ingest::{LightSource, Side};
use crate::mrz::Mrz;
use crate::register::Candidate;

use super::assess::Assessment;
use super::input::InputRecord;

/// Version of the report schema; increased when a key changes meaning (keys may be added
/// without a new version).
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The report's schema name.
pub const REPORT_SCHEMA: &str = "docexam-report";

/// The report of one examination.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tool that examined.
    pub tool: Tool,
    /// The document's name (from its files' names).
    pub document: String,
    /// The date validity and expiry were judged on (ISO 8601).
    pub as_of: String,
    /// The images examined, in the order given.
    pub inputs: Vec<InputRecord>,
    /// Which specimen the document was compared with, and why.
    pub identification: IdentificationRecord,
    /// That specimen, when one was identified.
    pub specimen: Option<SpecimenRecord>,
    /// The MRZ as read on each capture it was read on.
    pub mrz: Vec<MrzRecord>,
    /// Every barcode found, per input.
    pub barcodes: Vec<BarcodeRecord>,
    /// How each capture was registered onto the specimen.
    pub registrations: Vec<CaptureRegistration>,
    /// Every security feature of the specimen, in manifest order.
    pub features: Vec<FeatureResult>,
    /// The calibrated document score, when judged scores carry genuine models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_score: Option<crate::compare::model::DocumentScore>,
    /// MRZ against barcode, printed data, the other captures and the specimen's rules.
    pub cross_checks: Vec<CrossCheckRecord>,
    /// The overall assessment.
    pub assessment: Assessment,
    /// When the examination ran and how long each stage took (absent in reproducible
    /// reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunRecord>,
}

/// The tool and its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tool {
    /// `docexam`.
    pub name: &'static str,
    /// The version of `docexam-core`.
    pub version: &'static str,
}

impl Tool {
    /// This build.
    pub fn this() -> Tool {
        Tool {
            name: "docexam",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// How the specimen was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentificationMethod {
    /// The caller named it.
    Given,
    /// The MRZ's document code and issuing state, confirmed by the content.
    Mrz,
    /// The page's correlation with each specimen's reference image.
    Content,
    /// No specimen could be identified.
    None,
}

/// Which specimen the document was compared with.
#[derive(Clone, Debug, Serialize)]
pub struct IdentificationRecord {
    /// The specimen's id, when one was chosen.
    pub specimen: Option<String>,
    /// How.
    pub method: IdentificationMethod,
    /// The specimens considered, best first (empty when the caller named one).
    pub ranking: Vec<Candidate>,
    /// The best candidate's score minus the next one's (absent without a ranking).
    pub margin: Option<f64>,
    /// A sentence for the report.
    pub note: String,
}

/// The specimen compared with.
#[derive(Clone, Debug, Serialize)]
pub struct SpecimenRecord {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// blake3 of its manifest, which holds the hash of each of its files (hex).
    pub blake3: String,
    /// Issuing state.
    pub issuing_state: String,
    /// MRZ document code.
    pub document_code: String,
    /// First day documents of this design were issued.
    pub valid_from: Option<String>,
    /// Last day they were issued.
    pub valid_to: Option<String>,
    /// The calibration its limits come from, when a lab calibrated it on genuine exemplars.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationRecord>,
}

/// The calibration a specimen's limits come from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationRecord {
    /// How (`genuine-exemplars`).
    pub method: String,
    /// When.
    pub date: String,
    /// How many genuine exemplars.
    pub exemplars: usize,
    /// The document-level false-alarm rate it was made for.
    pub false_alarm_rate: f64,
    /// How many scores have a genuine model.
    pub scores: usize,
    /// Exemplars the others' limits flagged (leave-one-out).
    pub leave_one_out_false_alarms: usize,
}

impl CalibrationRecord {
    /// The record of `c`.
    pub fn of(c: &crate::specimen::Calibration) -> CalibrationRecord {
        CalibrationRecord {
            method: c.method.clone(),
            date: c.date.clone(),
            exemplars: c.exemplars.len(),
            false_alarm_rate: c.false_alarm_rate,
            scores: c.scores,
            leave_one_out_false_alarms: c.leave_one_out_false_alarms,
        }
    }
}

/// The MRZ as read on one capture.
#[derive(Clone, Debug, Serialize)]
pub struct MrzRecord {
    /// Side.
    pub side: Side,
    /// Light.
    pub light: LightSource,
    /// The input it was read on.
    pub input: String,
    /// Bounding box on that image: x, y, width, height in pixels.
    pub bbox: [f32; 4],
    /// Direction of the lines, degrees clockwise.
    pub angle_deg: f32,
    /// Character pitch in mm, when the resolution is known.
    pub pitch_mm: Option<f32>,
    /// How well the glyphs match OCR-B (0–1).
    pub font_score: f32,
    /// The lowest character confidence.
    pub char_confidence_min: f32,
    /// The record: lines, fields, check digits, findings, repairs (`docs/mrz.md`).
    pub record: Mrz,
}

/// The barcodes of one input.
#[derive(Clone, Debug, Serialize)]
pub struct BarcodeRecord {
    /// The input.
    pub input: String,
    /// Decoded codes with their payloads and signature verdicts.
    pub codes: Vec<ReadCode>,
    /// The payloads' identities compared with the MRZ, one list per code (empty without an
    /// MRZ).
    pub cross_checks: Vec<Vec<CrossCheck>>,
    /// Codes located but not decoded.
    pub undecodable: Vec<LocatedCode>,
    /// Why the image could not be searched for codes at all, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of one cross-check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossCheckStatus {
    /// The two sources agree.
    Agrees,
    /// They disagree.
    Mismatch,
    /// One of them was not available.
    NotChecked,
}

/// One cross-check between two sources.
#[derive(Clone, Debug, Serialize)]
pub struct CrossCheckRecord {
    /// What was compared (`mrz_vs_specimen.document_code`, `mrz_vs_barcode.birth_date`).
    pub check: String,
    /// The two sources (`mrz front/white`, `specimen UTO-P-TD3`).
    pub between: [String; 2],
    /// Whether the two agree.
    pub status: CrossCheckStatus,
    /// A sentence for the report.
    pub detail: String,
}

/// When the examination ran and how long it took.
#[derive(Clone, Debug, Serialize)]
pub struct RunRecord {
    /// When it started (UTC, RFC 3339).
    pub started: String,
    /// Milliseconds per stage.
    pub timings_ms: BTreeMap<String, f64>,
}

impl Report {
    /// The report as pretty-printed JSON (stable: see the module documentation).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Serialising plain data to a string cannot fail; keep a trace if it ever does.
            format!("{{\"schema\":\"{REPORT_SCHEMA}\",\"error\":\"{e}\"}}")
        })
    }

    /// The report as one line of JSON (for JSON Lines).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!("{{\"schema\":\"{REPORT_SCHEMA}\",\"error\":\"{e}\"}}"))
    }
}
