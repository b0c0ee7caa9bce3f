//! The overall assessment: what was found, by severity, and what could not be checked. It
//! never says "genuine": it says what was checked and what was found.

use serde::Serialize;

use crate::barcode::Authenticity;
use crate::compare::Status;
use crate::ingest::{LightSource, Side};
use crate::mrz::Severity;
use crate::specimen::ZoneKind;

use super::locus::{self, Locus};
use super::report::{CrossCheckStatus, Report};

/// The overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Everything that could be checked was checked and nothing departs from the specimen.
    NoAnomalyFound,
    /// At least one anomaly was found (listed by severity).
    AnomaliesFound,
    /// No anomaly was found, but something that should have been checked could not be.
    Inconclusive,
}

impl Verdict {
    /// The verdict as a word (`anomalies_found`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::NoAnomalyFound => "no_anomaly_found",
            Verdict::AnomaliesFound => "anomalies_found",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// How much an anomaly weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalySeverity {
    /// Contradicts the document itself: sources disagree (MRZ vs barcode, MRZ vs specimen),
    /// a signature does not verify.
    Critical,
    /// A security feature departs from the specimen, the MRZ breaks its format's rules, or a
    /// seal's signer is not vouched for by the trust material supplied.
    Major,
    /// A fact to weigh: expired, a conformance warning.
    Minor,
}

/// One anomaly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anomaly {
    /// Severity.
    pub severity: AnomalySeverity,
    /// What kind of check found it (`feature`, `mrz`, `barcode`, `cross_check`).
    pub kind: &'static str,
    /// Which one (a feature id, an MRZ finding code, a cross-check).
    pub source: String,
    /// A sentence for the report.
    pub sentence: String,
    /// Where on the document it is, when it has a place (a feature's region, the MRZ read,
    /// the barcode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Locus>,
}

/// Something that was not checked, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotChecked {
    /// What (`front-uv-emblem`, `mrz front`, `identification`).
    pub what: String,
    /// Why.
    pub why: String,
    /// Whether its absence leaves the examination inconclusive (it should have been
    /// checkable with the material given).
    pub blocking: bool,
}

/// The overall assessment.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    /// The verdict.
    pub result: Verdict,
    /// One paragraph for the report.
    pub summary: String,
    /// Anomalies, most severe first.
    pub anomalies: Vec<Anomaly>,
    /// What could not be checked.
    pub not_checked: Vec<NotChecked>,
    /// How many checks were made (features judged, MRZ reads, barcodes, cross-checks).
    pub checks_made: usize,
}

/// What the specimen says a document of its type carries, per side.
#[derive(Clone, Debug, Default)]
pub struct Expected {
    /// Sides with an MRZ.
    pub mrz_sides: Vec<Side>,
    /// Barcode zones: side and zone id.
    pub barcode_zones: Vec<(Side, String)>,
}

impl Expected {
    /// What `specimen` carries.
    pub fn of(specimen: &crate::specimen::Specimen) -> Expected {
        let zones = &specimen.manifest.zones;
        let mut mrz_sides: Vec<Side> = zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Mrz)
            .map(|z| z.side)
            .collect();
        mrz_sides.dedup();
        Expected {
            mrz_sides,
            barcode_zones: zones
                .iter()
                .filter(|z| z.kind == ZoneKind::Barcode)
                .map(|z| (z.side, z.id.clone()))
                .collect(),
        }
    }
}

/// Assesses everything `report` holds (its `assessment` is ignored); `expected` is what the
/// identified specimen carries.
pub fn assess(report: &Report, expected: &Expected) -> Assessment {
    let barcode_zones = &expected.barcode_zones;
    let mut anomalies = Vec::new();
    let mut not_checked = Vec::new();
    let mut checks = 0usize;
    let specimen_state = report.specimen.as_ref().map(|s| s.issuing_state.as_str());

    if report.identification.specimen.is_none() {
        not_checked.push(NotChecked {
            what: "identification".into(),
            why: report.identification.note.clone(),
            blocking: true,
        });
    }
    for f in &report.features {
        match f.status {
            Status::Pass => checks += 1,
            Status::Fail => {
                checks += 1;
                anomalies.push(Anomaly {
                    severity: AnomalySeverity::Major,
                    kind: "feature",
                    source: f.feature.clone(),
                    sentence: f.sentence.clone(),
                    at: locus::of_feature(report, f),
                });
            }
            Status::Inconclusive => not_checked.push(NotChecked {
                what: f.feature.clone(),
                why: f.sentence.clone(),
                blocking: true,
            }),
            Status::NotApplicable => not_checked.push(NotChecked {
                what: f.feature.clone(),
                why: f.sentence.clone(),
                blocking: false,
            }),
        }
    }
    // The MRZ: one finding is reported once, even when several captures read it.
    let mut seen: Vec<(&str, String)> = Vec::new();
    for m in &report.mrz {
        checks += 1;
        for finding in m.record.findings() {
            let code = finding.code();
            let message = finding.message();
            if seen.iter().any(|(c, msg)| *c == code && *msg == message) {
                continue;
            }
            seen.push((code, message.clone()));
            let expected_state = code == "specimen_state"
                && specimen_state.is_some_and(|s| {
                    m.record
                        .value(crate::mrz::FieldKind::IssuingState)
                        .as_deref()
                        == Some(s)
                });
            if reading_note(code) {
                continue;
            }
            let severity = match finding.severity() {
                Severity::Error => AnomalySeverity::Major,
                Severity::Warning if !expected_state => AnomalySeverity::Minor,
                _ => continue,
            };
            anomalies.push(Anomaly {
                severity,
                kind: "mrz",
                source: format!("{}: {code}", locus::mrz_label(m.side, m.light)),
                sentence: message,
                at: Some(locus::of_mrz(m)),
            });
        }
    }
    if let Some(spec) = &report.specimen {
        for side in report
            .inputs
            .iter()
            .filter(|i| i.light == LightSource::White)
            .map(|i| i.side)
        {
            let expects_mrz = expected.mrz_sides.contains(&side);
            let read = report.mrz.iter().any(|m| m.side == side);
            if expects_mrz
                && !read
                && !not_checked
                    .iter()
                    .any(|n| n.what == format!("mrz {}", side.name()))
            {
                not_checked.push(NotChecked {
                    what: format!("mrz {}", side.name()),
                    why: format!(
                        "the {} of {} carries an MRZ but none could be read on the white capture",
                        side.name(),
                        spec.id
                    ),
                    blocking: true,
                });
            }
        }
    }
    for b in &report.barcodes {
        for (i, c) in b.codes.iter().enumerate() {
            checks += 1;
            let source = format!("{} code {} ({})", b.input, i + 1, c.code.symbology);
            let at = locus::of_corners(report, &b.input, &c.code.position);
            let sig = &c.payload.signature;
            match sig.authenticity {
                Authenticity::False => anomalies.push(Anomaly {
                    severity: AnomalySeverity::Critical,
                    kind: "barcode",
                    source: source.clone(),
                    sentence: format!("the seal is false: {}", sig.sentence()),
                    at: at.clone(),
                }),
                Authenticity::Unproven => anomalies.push(Anomaly {
                    severity: AnomalySeverity::Major,
                    kind: "barcode",
                    source: source.clone(),
                    sentence: format!(
                        "the seal's authenticity is not proven by the trust material: {}",
                        sig.sentence()
                    ),
                    at: at.clone(),
                }),
                Authenticity::NotChecked => not_checked.push(NotChecked {
                    what: format!("authenticity of the seal in {source}"),
                    why: sig.sentence(),
                    blocking: false,
                }),
                Authenticity::Proven | Authenticity::NotSigned => {}
            }
            for f in c
                .payload
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
            {
                anomalies.push(Anomaly {
                    severity: AnomalySeverity::Major,
                    kind: "barcode",
                    source: format!("{source}: {}", f.code),
                    sentence: f.message.clone(),
                    at: at.clone(),
                });
            }
        }
        if let Some(e) = &b.error {
            not_checked.push(NotChecked {
                what: format!("barcodes in {}", b.input),
                why: e.clone(),
                blocking: true,
            });
        }
        for u in &b.undecodable {
            not_checked.push(NotChecked {
                what: format!("{} {} in {}", u.symbology, "code", b.input),
                why: format!("found but not decoded: {}", u.error),
                blocking: true,
            });
        }
    }
    for (side, zone) in barcode_zones {
        let captured = report
            .inputs
            .iter()
            .any(|i| i.side == *side && i.light == LightSource::White);
        let decoded = report.barcodes.iter().any(|b| {
            !b.codes.is_empty()
                && report
                    .inputs
                    .iter()
                    .any(|i| i.name == b.input && i.side == *side)
        });
        if captured && !decoded {
            not_checked.push(NotChecked {
                what: zone.clone(),
                why: format!(
                    "the specimen carries a barcode on the {} but none was decoded",
                    side.name()
                ),
                blocking: true,
            });
        }
    }
    for c in &report.cross_checks {
        match c.status {
            CrossCheckStatus::Agrees => checks += 1,
            CrossCheckStatus::Mismatch => {
                checks += 1;
                anomalies.push(Anomaly {
                    severity: AnomalySeverity::Critical,
                    kind: "cross_check",
                    source: c.check.clone(),
                    sentence: c.detail.clone(),
                    // Shown on the MRZ it contradicts, where one of the two is an MRZ read.
                    at: c
                        .between
                        .iter()
                        .find_map(|b| locus::of_mrz_label(report, b)),
                });
            }
            CrossCheckStatus::NotChecked => {}
        }
    }
    anomalies.sort_by_key(|a| a.severity);
    let blocking: Vec<&NotChecked> = not_checked.iter().filter(|n| n.blocking).collect();
    let result = if !anomalies.is_empty() {
        Verdict::AnomaliesFound
    } else if !blocking.is_empty() {
        Verdict::Inconclusive
    } else {
        Verdict::NoAnomalyFound
    };
    let summary = summary(result, &anomalies, &not_checked, checks);
    Assessment {
        result,
        summary,
        anomalies,
        not_checked,
        checks_made: checks,
    }
}

/// MRZ findings about the reading rather than the document (what OCR could not tell apart,
/// repairs), or facts that are no anomaly: kept in the MRZ record, not listed as anomalies.
fn reading_note(code: &str) -> bool {
    code.starts_with("repair_")
        || matches!(
            code,
            "check_digit_blind_spot" | "name_possibly_truncated" | "sex_x"
        )
}

fn summary(
    result: Verdict,
    anomalies: &[Anomaly],
    not_checked: &[NotChecked],
    checks: usize,
) -> String {
    let count = |s: AnomalySeverity| anomalies.iter().filter(|a| a.severity == s).count();
    let unchecked: Vec<&str> = not_checked
        .iter()
        .filter(|n| n.blocking)
        .map(|n| n.what.as_str())
        .collect();
    let optional = not_checked.len() - unchecked.len();
    let tail = if optional > 0 {
        format!(" {optional} other checks did not apply to the material given.")
    } else {
        String::new()
    };
    match result {
        Verdict::AnomaliesFound => {
            let parts: Vec<String> = [
                (AnomalySeverity::Critical, "critical"),
                (AnomalySeverity::Major, "major"),
                (AnomalySeverity::Minor, "minor"),
            ]
            .iter()
            .filter(|(s, _)| count(*s) > 0)
            .map(|(s, n)| format!("{} {n}", count(*s)))
            .collect();
            let first = anomalies.first().map(|a| a.sentence.as_str()).unwrap_or("");
            format!(
                "{} {} found in {checks} checks ({}). Most severe: {first}{}{tail}",
                anomalies.len(),
                if anomalies.len() == 1 {
                    "anomaly"
                } else {
                    "anomalies"
                },
                parts.join(", "),
                if unchecked.is_empty() {
                    String::new()
                } else {
                    format!(" Not checked: {}.", unchecked.join(", "))
                }
            )
        }
        Verdict::Inconclusive => format!(
            "No anomaly found in {checks} checks, but the examination is incomplete: {} could not be checked.{tail}",
            unchecked.join(", ")
        ),
        Verdict::NoAnomalyFound => format!(
            "No anomaly found in {checks} checks: every security feature, MRZ and cross-check that \
             applies to the material given is consistent with the specimen.{tail}"
        ),
    }
}
