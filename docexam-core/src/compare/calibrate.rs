//! Calibrating thresholds on genuine documents: for every score of every feature, the
//! threshold lies beyond the worst genuine value by [`PAD`] times the genuine spread (the
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

use super::result::{FeatureResult, Status};
use crate::specimen::Manifest;

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

/// Writes `t` into the features of `m` (replacing their thresholds); returns how many
/// features changed.
pub fn apply(m: &mut Manifest, t: &Thresholds) -> usize {
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
    use crate::compare::result::{Measured, Score, judge};
    use crate::ingest::{LightSource, Side};
    use crate::specimen::{Feature, FeatureKind};

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
}
