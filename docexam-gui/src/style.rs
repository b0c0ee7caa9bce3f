//! Colours and fonts shared by the panels.

use std::sync::Arc;

use docexam_core::compare::Status;
use docexam_core::examine::{AnomalySeverity, Verdict};
use egui::{Color32, FontFamily, FontId};

/// The OCR-B font the MRZ is shown in (the subset the PDF report embeds).
const OCRB: &[u8] = include_bytes!("../../docexam-core/fonts/OCRB-report.ttf");

/// The font family name of OCR-B.
pub const OCRB_FAMILY: &str = "ocrb";

/// Adds OCR-B to egui's fonts (as the family [`OCRB_FAMILY`], falling back to monospace).
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        OCRB_FAMILY.into(),
        Arc::new(egui::FontData::from_static(OCRB)),
    );
    let mut family = vec![OCRB_FAMILY.to_string()];
    family.extend(
        fonts
            .families
            .get(&FontFamily::Monospace)
            .cloned()
            .unwrap_or_default(),
    );
    fonts
        .families
        .insert(FontFamily::Name(OCRB_FAMILY.into()), family);
    ctx.set_fonts(fonts);
}

/// The MRZ font at `size` points.
pub fn ocrb(size: f32) -> FontId {
    FontId::new(size, FontFamily::Name(OCRB_FAMILY.into()))
}

/// Green: passed.
pub const PASS: Color32 = Color32::from_rgb(30, 150, 70);
/// Red: failed.
pub const FAIL: Color32 = Color32::from_rgb(210, 40, 40);
/// Amber: could not be judged.
pub const UNJUDGED: Color32 = Color32::from_rgb(220, 140, 0);
/// Slate: does not apply.
pub const NOT_APPLICABLE: Color32 = Color32::from_rgb(120, 130, 145);

/// The colour of a feature's status.
pub fn status_colour(s: Status) -> Color32 {
    match s {
        Status::Pass => PASS,
        Status::Fail => FAIL,
        Status::Inconclusive => UNJUDGED,
        Status::NotApplicable => NOT_APPLICABLE,
    }
}

/// A status as the examiner reads it.
pub fn status_text(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "FAIL",
        Status::Inconclusive => "inconclusive",
        Status::NotApplicable => "not applicable",
    }
}

/// The colour of an anomaly's severity.
pub fn severity_colour(s: AnomalySeverity) -> Color32 {
    match s {
        AnomalySeverity::Critical => FAIL,
        AnomalySeverity::Major => Color32::from_rgb(225, 90, 30),
        AnomalySeverity::Minor => UNJUDGED,
    }
}

/// The overall assessment as a heading, and its colour.
pub fn verdict(v: Verdict) -> (&'static str, Color32) {
    match v {
        Verdict::NoAnomalyFound => ("No anomaly found", PASS),
        Verdict::AnomaliesFound => ("Anomalies found", FAIL),
        Verdict::Inconclusive => ("Inconclusive", UNJUDGED),
    }
}

/// The verdict of its name in a report or the audit log (`anomalies_found` …).
pub fn verdict_named(name: &str) -> Option<Verdict> {
    [
        Verdict::NoAnomalyFound,
        Verdict::AnomaliesFound,
        Verdict::Inconclusive,
    ]
    .into_iter()
    .find(|v| v.name() == name)
}
