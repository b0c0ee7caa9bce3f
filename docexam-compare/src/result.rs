//! What a comparator reports: status, measured scores with units, the thresholds they were
//! judged against and where those came from, the region, a heat map and a sentence.

use image::GrayImage;
use serde::Serialize;

use super::model::ScoreModel;
use docexam_ingest::{LightSource, Side};
use docexam_specimen::{Comparator, Feature, FeatureKind, RectMm};

/// The verdict on one feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every score is within its threshold.
    Pass,
    /// At least one score is beyond its threshold.
    Fail,
    /// The feature could not be judged (no alignment, region not captured, nothing to
    /// measure); the reason is in the sentence.
    Inconclusive,
    /// The feature does not apply to the material given (no capture under its light).
    NotApplicable,
}

impl Status {
    /// The status as a word (`pass`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inconclusive => "inconclusive",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// One measured value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// Name (`ncc`, `delta_e`).
    pub name: &'static str,
    /// Value.
    pub value: f64,
    /// Unit (`1` for plain ratios and correlations).
    pub unit: &'static str,
    /// Whether a higher value is more like the genuine document (else lower is).
    pub higher_is_better: bool,
    /// The genuine default threshold, used when the specimen names none.
    #[serde(skip)]
    pub default_threshold: f64,
    /// The least spread genuine documents show on this score in the world, whatever a few
    /// exemplars of one lab show (a personalisation printer's tolerance, a capture's colour
    /// error): a genuine model's scale is never below it.
    #[serde(skip)]
    pub spread_floor: f64,
    /// The probability that a genuine document of the design scores this or worse, under
    /// the score's genuine model ([`super::model`]); absent where the specimen has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

impl Score {
    /// A score where higher is better, with its default minimum.
    pub fn min(name: &'static str, value: f64, unit: &'static str, default: f64) -> Score {
        Score {
            name,
            value,
            unit,
            higher_is_better: true,
            default_threshold: default,
            spread_floor: 0.0,
            probability: None,
        }
    }

    /// A score where lower is better, with its default maximum.
    pub fn max(name: &'static str, value: f64, unit: &'static str, default: f64) -> Score {
        Score {
            name,
            value,
            unit,
            higher_is_better: false,
            default_threshold: default,
            spread_floor: 0.0,
            probability: None,
        }
    }

    /// The score with the least genuine spread `floor` ([`Score::spread_floor`]).
    pub fn spread_at_least(mut self, floor: f64) -> Score {
        self.spread_floor = floor;
        self
    }

    /// The threshold key in a specimen manifest (`ncc_min`, `delta_e_max`).
    pub fn threshold_key(&self) -> String {
        format!(
            "{}_{}",
            self.name,
            if self.higher_is_better { "min" } else { "max" }
        )
    }

    /// The key of the genuine documents' typical value (`ncc_typical`).
    pub fn typical_key(&self) -> String {
        format!("{}_typical", self.name)
    }
}

/// Where a threshold came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdSource {
    /// The specimen's manifest (calibrated on genuine documents).
    Specimen,
    /// The comparator's built-in default.
    Default,
}

/// A threshold a score was judged against.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Threshold {
    /// Key (`ncc_min`).
    pub name: String,
    /// Value.
    pub value: f64,
    /// Where it came from.
    pub source: ThresholdSource,
}

/// The result of comparing one feature with the reference.
#[derive(Clone, Debug, Serialize)]
pub struct FeatureResult {
    /// Feature id.
    pub feature: String,
    /// Feature kind.
    pub kind: FeatureKind,
    /// Comparator used.
    pub comparator: Comparator,
    /// Side.
    pub side: Side,
    /// Light.
    pub light: LightSource,
    /// Verdict.
    pub status: Status,
    /// Measured values.
    pub scores: Vec<Score>,
    /// Thresholds applied, one per score.
    pub thresholds: Vec<Threshold>,
    /// The region compared (mm on the document).
    pub region_mm: RectMm,
    /// How far the worst score lies beyond its threshold, in units of the distance between
    /// the threshold and the genuine documents' typical value: above 0 fails, −1 is typical.
    pub margin: f64,
    /// The smallest probability of the feature's scores under their genuine models (see
    /// [`Score::probability`]); absent where none has a model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// A sentence for the report.
    pub sentence: String,
    /// Where the questioned region departs from the reference (white: most), at the
    /// comparison resolution.
    #[serde(skip)]
    pub heat_map: Option<GrayImage>,
}

/// What a comparator measured, before judging.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// Scores.
    pub scores: Vec<Score>,
    /// Heat map.
    pub heat_map: Option<GrayImage>,
    /// Extra facts for the sentence (`ruling 6.0 lines/mm at 15°`).
    pub note: Option<String>,
}

/// A comparator's outcome: measured, or why it could not measure.
pub type Measurement = Result<Measured, String>;

/// A result that was not measured: `status` (inconclusive or not applicable) and why.
pub fn unjudged(feature: &Feature, status: Status, why: &str) -> FeatureResult {
    FeatureResult {
        feature: feature.id.clone(),
        kind: feature.kind,
        comparator: feature.comparator(),
        side: feature.side,
        light: feature.light,
        status,
        scores: Vec::new(),
        thresholds: Vec::new(),
        region_mm: feature.rect_mm,
        margin: f64::NAN,
        probability: None,
        sentence: format!("{}: {}: {why}.", feature.id, status.name()),
        heat_map: None,
    }
}

/// Judges `outcome` for `feature` against its thresholds.
pub fn judge(feature: &Feature, outcome: Measurement) -> FeatureResult {
    let what = feature.description.as_deref().unwrap_or(&feature.id);
    let mut m = match outcome {
        Ok(m) => m,
        Err(reason) => return unjudged(feature, Status::Inconclusive, &reason),
    };
    let mut thresholds = Vec::new();
    let mut margin = f64::NEG_INFINITY;
    let mut failing = Vec::new();
    let mut probability: Option<f64> = None;
    for s in &mut m.scores {
        s.probability = ScoreModel::stored(&feature.thresholds, s.name)
            .map(|model| model.tail(s.value, s.higher_is_better))
            .filter(|p| p.is_finite());
        if let Some(p) = s.probability {
            probability = Some(probability.map_or(p, |q| q.min(p)));
        }
        let key = s.threshold_key();
        let (value, source) = match feature.thresholds.get(&key) {
            Some(v) => (*v, ThresholdSource::Specimen),
            None => (s.default_threshold, ThresholdSource::Default),
        };
        let typical = feature.thresholds.get(&s.typical_key()).copied();
        let spread = typical
            .map(|t| (t - value).abs())
            .filter(|d| *d > 1e-9)
            .unwrap_or(0.1 * value.abs().max(1e-3));
        let beyond = if s.higher_is_better {
            (value - s.value) / spread
        } else {
            (s.value - value) / spread
        };
        if beyond > 0.0 {
            let p = s
                .probability
                .map(|p| format!(" (genuine: p = {})", super::model::fmt_p(p)))
                .unwrap_or_default();
            failing.push(format!(
                "{} {} {} {}{p}",
                s.name,
                fmt(s.value),
                if s.higher_is_better { "<" } else { ">" },
                fmt(value)
            ));
        }
        margin = margin.max(beyond);
        thresholds.push(Threshold {
            name: key,
            value,
            source,
        });
    }
    if m.scores.is_empty() {
        return unjudged(feature, Status::Inconclusive, "nothing measured");
    }
    let status = if failing.is_empty() {
        Status::Pass
    } else {
        Status::Fail
    };
    let measured = m
        .scores
        .iter()
        .map(|s| format!("{} {}{}", s.name, fmt(s.value), unit(s.unit)))
        .collect::<Vec<_>>()
        .join(", ");
    let note = m
        .note
        .as_deref()
        .map(|n| format!("; {n}"))
        .unwrap_or_default();
    let sentence = match status {
        Status::Fail => format!(
            "{} ({what}) departs from the reference: {}{note}.",
            feature.id,
            failing.join(", ")
        ),
        _ => format!(
            "{} ({what}) is consistent with the reference: {measured}{note}.",
            feature.id
        ),
    };
    FeatureResult {
        status,
        scores: m.scores,
        thresholds,
        margin,
        probability,
        sentence,
        heat_map: m.heat_map,
        ..unjudged(feature, status, "")
    }
}

fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn unit(u: &str) -> String {
    if u == "1" {
        String::new()
    } else {
        format!(" {u}")
    }
}
