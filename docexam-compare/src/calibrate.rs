//! Calibrating thresholds on genuine documents, two ways.
//!
//! **From a lab's genuine exemplars** ([`from_exemplars`]): every score of every feature gets
//! a genuine model ([`super::model`]) fitted to the exemplars and to augmented captures of
//! them (the capture variation labs see), and its limit is set at the per-score rate that
//! makes the document-level false-alarm rate the one the lab chose. Leaving each exemplar out
//! in turn and judging it by the limits the others give estimates that rate honestly.
//!
//! **From the generator's genuine documents** ([`thresholds`]), for specimens the generator
//! drew: for every score of every feature, the threshold lies beyond the worst genuine value by [`PAD`] times the genuine spread (the
//! distance from the median to that worst value), and the median is kept as the typical
//! value that margins are measured in. On a large set the most extreme values (one in
//! [`OUTLIER_EVERY`]) are left out first.
//!
//! Why a whole spread beyond the worst: a document is judged on some thirty scores, and a
//! genuine one must pass them all. The worst of a hundred calibration documents is only
//! about the 1% point of its score; the threshold has to sit near the 0.03% point for a
//! genuine document to fail fewer than one time in a hundred, and capture conditions give the
//! scores long tails. Forgeries land several spreads beyond the median on the scores they
//! touch, so the distance costs little of what the comparison finds.

use std::collections::BTreeMap;

use super::model::ScoreModel;
use super::result::{FeatureResult, Score, Status};
use docexam_specimen::Manifest;

/// How far beyond the worst genuine value the threshold lies, in genuine spreads.
pub const PAD: f64 = 1.0;

/// One value in this many is left out, the most extreme first, before the worst is taken: in
/// a few hundred genuine captures one score of one capture (a laminate reflection along a
/// narrow region, a fine-line border under heavy blur) can lie far out, and a threshold set
/// beyond it would let through most forgeries that the score is there to find. Measured on
/// the generator's sets (BENCHMARKS.md, issue 7): calibrated on 300 genuine documents,
/// leaving out one value per score cost 0.2% more false alarms on 500 other genuine
/// documents and raised the reprints found at the thresholds from 3 to 6–8 in 10. Sets of
/// fewer than this many documents leave nothing out.
pub const OUTLIER_EVERY: usize = 250;

/// Fewest genuine measurements a score is calibrated from.
pub const MIN_SAMPLES: usize = 8;

/// Calibrated thresholds: feature id → key (`ncc_min`, `ncc_typical`) → value.
pub type Thresholds = BTreeMap<String, BTreeMap<String, f64>>;

/// Thresholds from the feature results of genuine documents (one slice per document).
/// Scores measured on fewer than [`MIN_SAMPLES`] documents are left out.
pub fn thresholds(genuine: &[Vec<FeatureResult>]) -> Thresholds {
    // (feature, score name, higher is better) → values
    let mut values: BTreeMap<(String, &'static str, bool), Vec<f64>> = BTreeMap::new();
    for doc in genuine {
        for r in doc {
            if !matches!(r.status, Status::Pass | Status::Fail) {
                continue;
            }
            for s in &r.scores {
                if s.value.is_finite() {
                    values
                        .entry((r.feature.clone(), s.name, s.higher_is_better))
                        .or_default()
                        .push(s.value);
                }
            }
        }
    }
    let mut out: Thresholds = BTreeMap::new();
    for ((feature, name, higher), mut v) in values {
        if v.len() < MIN_SAMPLES {
            continue;
        }
        v.sort_by(f64::total_cmp);
        let median = v.get(v.len() / 2).copied().unwrap_or(0.0);
        let skip = v.len() / OUTLIER_EVERY;
        let worst = if higher {
            v.get(skip).copied().unwrap_or(median)
        } else {
            v.iter().rev().nth(skip).copied().unwrap_or(median)
        };
        let spread = (median - worst).abs().max(0.02 * median.abs() + 1e-3);
        let (key, thr) = if higher {
            (format!("{name}_min"), worst - PAD * spread)
        } else {
            (format!("{name}_max"), worst + PAD * spread)
        };
        let round = |x: f64| (x * 1e4).round() / 1e4;
        let entry = out.entry(feature).or_default();
        entry.insert(key, round(thr));
        entry.insert(format!("{name}_typical"), round(median));
    }
    out
}

/// One genuine exemplar examined against the specimen: its own feature results and those of
/// its augmented captures.
#[derive(Clone, Debug, Default)]
pub struct Exemplar {
    /// The exemplar as captured.
    pub original: Vec<FeatureResult>,
    /// The same exemplar under simulated capture variation.
    pub augmented: Vec<Vec<FeatureResult>>,
}

/// Compares one genuine exemplar (its `captures`) with `specimen`, as captured and through
/// every [`super::augment::VARIANTS`]. Fails when no capture of it registers onto the
/// specimen: it is not a document of this design, or not one the comparison can find.
pub fn examine_exemplar(
    specimen: &docexam_specimen::Specimen,
    references: &[crate::register::ReferenceImage],
    captures: &[super::Capture],
    parser: &docexam_mrz::MrzParser,
) -> Result<Exemplar, String> {
    let original = super::compare_document(specimen, references, captures, parser);
    if !original
        .registrations
        .iter()
        .any(|r| r.registration.is_some())
    {
        let why: Vec<String> = original
            .registrations
            .iter()
            .filter_map(|r| r.error.clone())
            .collect();
        return Err(format!(
            "no capture registers onto specimen {}: {}",
            specimen.id(),
            why.join("; ")
        ));
    }
    let augmented = super::augment::VARIANTS
        .iter()
        .map(|v| {
            let caps = super::augment::captures(captures, v);
            super::compare_document(specimen, references, &caps, parser).features
        })
        .collect();
    Ok(Exemplar {
        original: original.features,
        augmented,
    })
}

/// What a calibration from exemplars found.
#[derive(Clone, Debug)]
pub struct ExemplarCalibration {
    /// Models and limits per feature.
    pub thresholds: Thresholds,
    /// How many scores got a model.
    pub scores: usize,
    /// The rate each score's limit was set at.
    pub per_score_rate: f64,
    /// Exemplars that the limits fitted without them would flag.
    pub leave_one_out_false_alarms: usize,
    /// Scores measured on too few exemplars to be modelled (`feature score`).
    pub unmodelled: Vec<String>,
    /// Features that could not be judged on more than half the exemplars, with how many:
    /// on this design, as captured, they will mostly be inconclusive.
    pub seldom_judged: Vec<(String, usize)>,
}

/// One score's genuine measurements: the value of each exemplar, the augmented values of
/// each, and the score's spread floor.
#[derive(Clone, Debug, Default)]
struct Sample {
    values: Vec<Option<f64>>,
    augmented: Vec<Vec<f64>>,
    floor: f64,
}

/// Per score: (feature, name, higher is better) → its measurements.
type Samples = BTreeMap<(String, &'static str, bool), Sample>;

fn judged_scores(doc: &[FeatureResult]) -> impl Iterator<Item = (&str, &Score)> {
    doc.iter()
        .filter(|r| matches!(r.status, Status::Pass | Status::Fail))
        .flat_map(|r| {
            r.scores
                .iter()
                .filter(|s| s.value.is_finite())
                .map(move |s| (r.feature.as_str(), s))
        })
}

/// The sample of `s` in `out` (of `n` exemplars), made on first sight; its floor is the
/// largest any capture names.
fn slot<'a>(out: &'a mut Samples, n: usize, feature: &str, s: &Score) -> &'a mut Sample {
    let e = out
        .entry((feature.to_string(), s.name, s.higher_is_better))
        .or_insert_with(|| Sample {
            values: vec![None; n],
            augmented: vec![Vec::new(); n],
            floor: 0.0,
        });
    e.floor = e.floor.max(s.spread_floor);
    e
}

fn samples(ex: &[Exemplar]) -> Samples {
    let n = ex.len();
    let mut out: Samples = BTreeMap::new();
    for (i, e) in ex.iter().enumerate() {
        for (feature, s) in judged_scores(&e.original) {
            if let Some(v) = slot(&mut out, n, feature, s).values.get_mut(i) {
                *v = Some(s.value);
            }
        }
        for (feature, s) in e.augmented.iter().flat_map(|a| judged_scores(a)) {
            if let Some(v) = slot(&mut out, n, feature, s).augmented.get_mut(i) {
                v.push(s.value);
            }
        }
    }
    out
}

/// The model of one score fitted on every exemplar but `skip`.
fn fit_without(s: &Sample, skip: Option<usize>) -> Option<ScoreModel> {
    let keep = |i: &usize| Some(*i) != skip;
    let v: Vec<f64> = s
        .values
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(i))
        .filter_map(|(_, v)| *v)
        .collect();
    let a: Vec<f64> = s
        .augmented
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(i))
        .flat_map(|(_, a)| a.iter().copied())
        .collect();
    ScoreModel::fit(&v, &a, s.floor)
}

/// Calibrates from genuine exemplars for a document-level false-alarm rate `rate`.
pub fn from_exemplars(ex: &[Exemplar], rate: f64) -> ExemplarCalibration {
    let samples = samples(ex);
    let models: Vec<(&(String, &'static str, bool), ScoreModel)> = samples
        .iter()
        .filter_map(|(k, s)| fit_without(s, None).map(|m| (k, m)))
        .collect();
    let unmodelled = samples
        .keys()
        .filter(|k| !models.iter().any(|(m, _)| m == k))
        .map(|(f, name, _)| format!("{f} {name}"))
        .collect();
    let alpha = super::model::per_score_rate(rate, models.len());
    let mut out: Thresholds = BTreeMap::new();
    for ((feature, name, higher), m) in &models {
        m.store(
            out.entry(feature.clone()).or_default(),
            name,
            *higher,
            alpha,
        );
    }
    // Each exemplar judged by the limits of the others.
    let loo = (0..ex.len())
        .filter(|&i| {
            models.iter().any(|(k, _)| {
                let Some(sample) = samples.get(*k) else {
                    return false;
                };
                let (Some(Some(v)), Some(m)) = (sample.values.get(i), fit_without(sample, Some(i)))
                else {
                    return false;
                };
                let lim = m.limit(alpha, k.2);
                if k.2 { *v < lim } else { *v > lim }
            })
        })
        .count();
    let mut unjudged: BTreeMap<&str, usize> = BTreeMap::new();
    for e in ex {
        for r in e
            .original
            .iter()
            .filter(|r| r.status == Status::Inconclusive)
        {
            *unjudged.entry(r.feature.as_str()).or_default() += 1;
        }
    }
    let seldom_judged = unjudged
        .into_iter()
        .filter(|(_, n)| 2 * n > ex.len())
        .map(|(f, n)| (f.to_string(), n))
        .collect();
    ExemplarCalibration {
        thresholds: out,
        scores: models.len(),
        per_score_rate: alpha,
        leave_one_out_false_alarms: loo,
        unmodelled,
        seldom_judged,
    }
}

/// Writes `t` into the features of `m` (replacing their thresholds), declaring the checks
/// every specimen gets ([`super::implicit_features`]) that `t` has thresholds for; returns
/// how many features changed.
pub fn apply(m: &mut Manifest, t: &Thresholds) -> usize {
    // A check every specimen gets undeclared is declared once it has thresholds of its own.
    for f in super::implicit_features(m) {
        if t.contains_key(&f.id) {
            m.features.push(f);
        }
    }
    let mut changed = 0;
    for f in &mut m.features {
        if let Some(new) = t.get(&f.id)
            && &f.thresholds != new
        {
            f.thresholds = new.clone();
            changed += 1;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{Measured, Score, judge};
    use docexam_ingest::{LightSource, Side};
    use docexam_specimen::{Feature, FeatureKind};

    fn feature() -> Feature {
        Feature {
            id: "f".into(),
            kind: FeatureKind::Guilloche,
            side: Side::Front,
            light: LightSource::White,
            rect_mm: [0.0, 0.0, 10.0, 10.0],
            comparator: None,
            thresholds: BTreeMap::new(),
            mask_zones: Vec::new(),
            mask: None,
            description: None,
        }
    }

    #[test]
    fn thresholds_lie_beyond_the_worst_genuine_value_and_judge_by_them() {
        let f = feature();
        let docs: Vec<Vec<FeatureResult>> = (0..10)
            .map(|i| {
                vec![judge(
                    &f,
                    Ok(Measured {
                        scores: vec![Score::min("ncc", 0.8 + 0.01 * f64::from(i), "1", 0.1)],
                        ..Measured::default()
                    }),
                )]
            })
            .collect();
        let t = thresholds(&docs);
        let ft = &t["f"];
        // Worst 0.80, median 0.85: one spread (0.05) below the worst.
        let min = ft["ncc_min"];
        assert!((min - 0.75).abs() < 1e-9, "{min}");
        assert!((ft["ncc_typical"] - 0.85).abs() < 1e-9);
        let mut f2 = f.clone();
        f2.thresholds = ft.clone();
        let judged = |v: f64| {
            judge(
                &f2,
                Ok(Measured {
                    scores: vec![Score::min("ncc", v, "1", 0.1)],
                    ..Measured::default()
                }),
            )
        };
        assert_eq!(judged(0.8).status, Status::Pass);
        let fail = judged(0.5);
        assert_eq!(fail.status, Status::Fail);
        assert!(fail.margin > 0.0 && fail.sentence.contains("ncc 0.500 <"));
        assert!((judged(0.85).margin + 1.0).abs() < 1e-6);
    }

    fn docs_of(values: &[f64]) -> Vec<Vec<FeatureResult>> {
        let f = feature();
        values
            .iter()
            .map(|&v| {
                vec![judge(
                    &f,
                    Ok(Measured {
                        scores: vec![Score::max("lift", v, "grey levels", 60.0)],
                        ..Measured::default()
                    }),
                )]
            })
            .collect()
    }

    #[test]
    fn one_far_value_in_a_large_set_does_not_set_the_threshold_but_in_a_small_set_it_does() {
        // 300 values 0.00..2.99 (median 1.50) and one far out at 40: left out.
        let mut values: Vec<f64> = (0..300).map(|i| f64::from(i) * 0.01).collect();
        values.push(40.0);
        let t = thresholds(&docs_of(&values));
        let max = t["f"]["lift_max"];
        // Worst kept 2.99, spread 1.49: 4.48.
        assert!((max - 4.48).abs() < 1e-9, "{max}");
        // 100 values and the same far one: it is the worst and sets the threshold.
        let mut values: Vec<f64> = (0..100).map(|i| f64::from(i) * 0.01).collect();
        values.push(40.0);
        let max = thresholds(&docs_of(&values))["f"]["lift_max"];
        assert!(max > 40.0, "{max}");
    }

    fn exemplar(ncc: f64, aug: &[f64]) -> Exemplar {
        let f = feature();
        let judged = |v: f64| {
            vec![judge(
                &f,
                Ok(Measured {
                    scores: vec![Score::min("ncc", v, "1", 0.1).spread_at_least(0.005)],
                    ..Measured::default()
                }),
            )]
        };
        Exemplar {
            original: judged(ncc),
            augmented: aug.iter().map(|&v| judged(v)).collect(),
        }
    }

    #[test]
    fn exemplars_give_models_whose_limits_keep_genuine_documents_and_name_outliers() {
        let values = [0.80, 0.82, 0.81, 0.83, 0.79, 0.80, 0.82, 0.81];
        let ex: Vec<Exemplar> = values
            .iter()
            .map(|&v| exemplar(v, &[v - 0.02, v + 0.01]))
            .collect();
        let cal = from_exemplars(&ex, 0.01);
        assert_eq!(cal.scores, 1);
        assert!((cal.per_score_rate - 0.01).abs() < 1e-12);
        let t = &cal.thresholds["f"];
        assert_eq!(t["ncc_n"], 8.0);
        assert!(t["ncc_min"] < 0.79 && t["ncc_min"] > 0.5, "{t:?}");
        assert_eq!(cal.leave_one_out_false_alarms, 0);
        // Judged by the model: a genuine value gets a large probability, a far one a tiny one.
        let mut f = feature();
        f.thresholds = t.clone();
        let judged = |v: f64| {
            judge(
                &f,
                Ok(Measured {
                    scores: vec![Score::min("ncc", v, "1", 0.1)],
                    ..Measured::default()
                }),
            )
        };
        let ok = judged(0.81);
        assert_eq!(ok.status, Status::Pass);
        assert!(ok.probability.is_some_and(|p| p > 0.3));
        let bad = judged(0.3);
        assert_eq!(bad.status, Status::Fail);
        assert!(
            bad.probability.is_some_and(|p| p < 1e-4),
            "{:?}",
            bad.probability
        );
        assert!(bad.sentence.contains("genuine: p ="), "{}", bad.sentence);
        // One exemplar far from the rest is flagged by the others' limits.
        let mut ex = ex;
        ex.push(exemplar(0.40, &[]));
        assert_eq!(from_exemplars(&ex, 0.01).leave_one_out_false_alarms, 1);
        // Four exemplars model nothing.
        assert!(from_exemplars(&ex[..4], 0.01).thresholds.is_empty());
    }

    #[test]
    fn a_check_every_specimen_gets_is_declared_when_calibrated() {
        let mut m = docexam_specimen::parse_manifest(
            "specimen.toml",
            br#"format = "docexam-specimen/1"
[document]
id = "X"
name = "x"
issuing_state = "UTO"
document_code = "P"
size_class = "TD3"
sides = ["front"]
provenance = "test"
licence = "none"
[[image]]
side = "front"
light = "white"
file = "front_white.png"
dpi = 300
blake3 = "00"
"#,
        )
        .expect("manifest");
        let mut t = Thresholds::new();
        t.entry("front-duplicated-regions".into())
            .or_default()
            .insert("duplicated_mm2_max".into(), 3.0);
        assert_eq!(apply(&mut m, &t), 1);
        let f = m
            .features
            .iter()
            .find(|f| f.id == "front-duplicated-regions");
        assert_eq!(f.map(|f| f.thresholds["duplicated_mm2_max"]), Some(3.0));
        // Declared, it is no longer added.
        assert!(super::super::implicit_features(&m).is_empty());
    }
}
