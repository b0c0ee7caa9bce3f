//! Genuine models: what a score looks like on genuine documents of a design, and how
//! improbable a questioned document's value is under it.
//!
//! A score's genuine model is a location (the median of the genuine exemplars), a scale
//! (the larger of 1.4826 × the median absolute deviation of the exemplars and their augmented
//! captures around it, and their widest deviation over the normal quantile the most extreme
//! of that many values reaches; never below a floor) and the number of exemplars it came
//! from. A new genuine
//! value is modelled as Student's t with n − 1 degrees of freedom around the location, its
//! scale widened by √(1 + 1/n) for the uncertainty of the location itself: the prediction
//! interval of a new observation, which is wide with 5 exemplars and narrows towards the
//! normal with 20 or more. A thin sample therefore gives wide limits, not thin ones.
//!
//! A document is judged on every modelled score at once. For the document to raise a false
//! alarm at rate R, each of its m scores is given the rate 1 − (1 − R)^(1/m) (Šidák), and the
//! document's evidence is the smallest score probability p taken back to the document level:
//! 1 − (1 − p)^m. That figure is the probability that a genuine document of the design shows
//! a score at least this extreme somewhere; the verdict fails exactly when it is below R.
//!
//! The model's parameters are stored in the specimen's thresholds beside the limit they give
//! (`ncc_typical`, `ncc_scale`, `ncc_n`, `ncc_min`), so a manifest is self-contained and a
//! reader can recompute every limit.

use std::collections::BTreeMap;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::result::{FeatureResult, Status};

/// The document-level false-alarm rate calibrations are made for unless the lab sets another.
pub const DEFAULT_FALSE_ALARM_RATE: f64 = 0.01;

/// Fewest exemplars a score is modelled from.
pub const MIN_EXEMPLARS: usize = 5;

/// A score's genuine model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScoreModel {
    /// The genuine exemplars' median.
    pub typical: f64,
    /// Robust scale of genuine values around it.
    pub scale: f64,
    /// How many genuine exemplars it was fitted on.
    pub n: usize,
}

impl ScoreModel {
    /// Fits a model to the exemplars' `values` (one per exemplar) and the values of their
    /// augmented captures (`augmented`, any number): the location from the exemplars alone,
    /// the scale from both around it, never below `floor`. None with fewer than
    /// [`MIN_EXEMPLARS`] values.
    pub fn fit(values: &[f64], augmented: &[f64], floor: f64) -> Option<ScoreModel> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.len() < MIN_EXEMPLARS {
            return None;
        }
        let typical = median(&mut v)?;
        let mut dev: Vec<f64> = v
            .iter()
            .chain(augmented.iter().filter(|x| x.is_finite()))
            .map(|x| (x - typical).abs())
            .collect();
        let widest = dev.iter().copied().fold(0.0, f64::max);
        let mad = median(&mut dev)?;
        // The most extreme of N genuine values lies about Φ⁻¹(1 − 1/2N) scales out: a scale
        // smaller than that makes the calibration's own extreme capture improbable. Genuine
        // scores have long tails (a reflection, a worn edge), which the median absolute
        // deviation of a few exemplars does not see and the widest one does.
        let extreme = Normal::new(0.0, 1.0)
            .map(|z| z.inverse_cdf(1.0 - 0.5 / dev.len().max(2) as f64))
            .unwrap_or(2.0)
            .max(1.0);
        Some(ScoreModel {
            typical,
            scale: (1.4826 * mad)
                .max(widest / extreme)
                .max(scale_floor(typical))
                .max(floor),
            n: v.len(),
        })
    }

    /// The model stored in a feature's thresholds for the score `name`, when it has one.
    pub fn stored(thresholds: &BTreeMap<String, f64>, name: &str) -> Option<ScoreModel> {
        let typical = *thresholds.get(&format!("{name}_typical"))?;
        let scale = *thresholds.get(&format!("{name}_scale"))?;
        let n = *thresholds.get(&format!("{name}_n"))?;
        (scale > 0.0 && scale.is_finite() && n >= MIN_EXEMPLARS as f64).then_some(ScoreModel {
            typical,
            scale,
            n: n as usize,
        })
    }

    /// Writes the model and the limit it gives at the per-score rate `alpha` into
    /// `thresholds` (`name_typical`, `name_scale`, `name_n`, `name_min` or `name_max`).
    pub fn store(
        &self,
        thresholds: &mut BTreeMap<String, f64>,
        name: &str,
        higher_is_better: bool,
        alpha: f64,
    ) {
        let round = |x: f64| {
            if x == 0.0 {
                0.0
            } else {
                let digits = 5 - x.abs().log10().floor() as i32;
                let f = 10f64.powi(digits.clamp(0, 12));
                (x * f).round() / f
            }
        };
        thresholds.insert(format!("{name}_typical"), round(self.typical));
        thresholds.insert(format!("{name}_scale"), round(self.scale));
        thresholds.insert(format!("{name}_n"), self.n as f64);
        let (key, limit) = if higher_is_better {
            (format!("{name}_min"), self.limit(alpha, true))
        } else {
            (format!("{name}_max"), self.limit(alpha, false))
        };
        thresholds.insert(key, round(limit));
    }

    fn t(&self) -> Option<StudentsT> {
        let df = (self.n.saturating_sub(1)).max(1) as f64;
        let s = self.scale * (1.0 + 1.0 / self.n.max(1) as f64).sqrt();
        StudentsT::new(self.typical, s, df).ok()
    }

    /// The probability that a genuine document scores `value` or worse (lower where higher
    /// is better, higher otherwise).
    pub fn tail(&self, value: f64, higher_is_better: bool) -> f64 {
        let Some(t) = self.t() else {
            return f64::NAN;
        };
        if !value.is_finite() {
            return f64::NAN;
        }
        let p = if higher_is_better {
            t.cdf(value)
        } else {
            t.sf(value)
        };
        p.clamp(0.0, 1.0)
    }

    /// The value a genuine document scores worse than with probability `alpha`.
    pub fn limit(&self, alpha: f64, higher_is_better: bool) -> f64 {
        let Some(t) = self.t() else {
            return self.typical;
        };
        let alpha = alpha.clamp(1e-12, 0.5);
        if higher_is_better {
            t.inverse_cdf(alpha)
        } else {
            t.inverse_cdf(1.0 - alpha)
        }
    }
}

/// Smallest scale a model may have: genuine values that all agree to the last digit say
/// more about the sample than about the design.
fn scale_floor(typical: f64) -> f64 {
    0.01 * typical.abs() + 1e-3
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v.get(mid).copied()
    } else {
        Some((v.get(mid - 1)? + v.get(mid)?) / 2.0)
    }
}

/// The rate each of `m` scores may fail genuine documents at for a document to fail at
/// `document_rate` (Šidák).
pub fn per_score_rate(document_rate: f64, m: usize) -> f64 {
    let m = m.max(1) as f64;
    -((-document_rate.clamp(0.0, 1.0)).ln_1p() / m).exp_m1()
}

/// The probability that at least one of `m` genuine scores is as extreme as the most
/// extreme one, `p` (Šidák).
pub fn document_level(p: f64, m: usize) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    (-((m.max(1) as f64) * (-p.min(1.0)).ln_1p()).exp_m1()).clamp(0.0, 1.0)
}

/// How strong the evidence against a genuine document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Within what genuine documents of the design show.
    None,
    /// Beyond the false-alarm rate, within ten times below it.
    Weak,
    /// Between ten and a thousand times below the false-alarm rate.
    Moderate,
    /// More than a thousand times below it.
    Strong,
}

impl Evidence {
    /// From a document-level probability and the rate the lab set.
    pub fn of(p: f64, rate: f64) -> Evidence {
        if p.is_nan() || p >= rate {
            Evidence::None
        } else if p >= rate / 10.0 {
            Evidence::Weak
        } else if p >= rate / 1000.0 {
            Evidence::Moderate
        } else {
            Evidence::Strong
        }
    }

    /// In words.
    pub fn phrase(self) -> &'static str {
        match self {
            Evidence::None => "no evidence beyond genuine variation",
            Evidence::Weak => "weak evidence",
            Evidence::Moderate => "moderate evidence",
            Evidence::Strong => "strong evidence",
        }
    }
}

/// The document-level score of a comparison whose features carry genuine models.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentScore {
    /// The probability that a genuine document of the design shows a score at least as
    /// extreme as this document's most extreme one, all modelled scores taken into account.
    pub p_value: f64,
    /// How many modelled scores were tested.
    pub scores_tested: usize,
    /// Judged scores without a genuine model (default or generator thresholds): not in the
    /// probability.
    pub scores_unmodelled: usize,
    /// The feature and score of the most extreme value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub most_extreme: Option<String>,
    /// The false-alarm rate the calibration was made for.
    pub false_alarm_rate: f64,
    /// How strong the evidence is at that rate.
    pub evidence: Evidence,
    /// A sentence for the report.
    pub sentence: String,
}

/// The document score of `features` at `rate` (the calibration's false-alarm rate); None
/// when no judged score has a genuine model.
pub fn document_score(features: &[FeatureResult], rate: f64) -> Option<DocumentScore> {
    let mut tested = 0usize;
    let mut unmodelled = 0usize;
    let mut best: Option<(f64, String)> = None;
    for f in features {
        if !matches!(f.status, Status::Pass | Status::Fail) {
            continue;
        }
        for s in &f.scores {
            match s.probability {
                Some(p) if p.is_finite() => {
                    tested += 1;
                    if best.as_ref().is_none_or(|(b, _)| p < *b) {
                        best = Some((p, format!("{} {}", f.feature, s.name)));
                    }
                }
                _ => unmodelled += 1,
            }
        }
    }
    let (p_min, which) = best?;
    let p = document_level(p_min, tested);
    let evidence = Evidence::of(p, rate);
    let sentence = format!(
        "{}: a genuine document of this design shows a value as extreme as {which}'s on \
         one of {tested} calibrated scores with probability {}{}",
        capitalise(evidence.phrase()),
        fmt_p(p),
        if unmodelled > 0 {
            format!("; {unmodelled} scores without a genuine model are judged on their limits only")
        } else {
            String::new()
        }
    );
    Some(DocumentScore {
        p_value: p,
        scores_tested: tested,
        scores_unmodelled: unmodelled,
        most_extreme: Some(which),
        false_alarm_rate: rate,
        evidence,
        sentence,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A probability for a sentence (`0.034`, `2.1e-7`).
pub fn fmt_p(p: f64) -> String {
    if p >= 0.001 {
        format!("{p:.3}")
    } else {
        format!("{p:.1e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_split_and_combine_back() {
        let a = per_score_rate(0.01, 30);
        assert!((a - 3.35e-4).abs() < 1e-5, "{a}");
        assert!((document_level(a, 30) - 0.01).abs() < 1e-9);
        assert_eq!(document_level(0.0, 30), 0.0);
        assert!((document_level(1.0, 3) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn few_exemplars_give_wider_limits_than_many_with_the_same_spread() {
        let few: Vec<f64> = [0.80, 0.82, 0.84, 0.86, 0.88].to_vec();
        let many: Vec<f64> = (0..20)
            .map(|i| 0.80 + 0.08 * f64::from(i % 5) / 4.0)
            .collect();
        let (a, b) = (
            ScoreModel::fit(&few, &[], 0.0).expect("5 values"),
            ScoreModel::fit(&many, &[], 0.0).expect("20 values"),
        );
        let alpha = per_score_rate(0.01, 20);
        assert!(a.limit(alpha, true) < b.limit(alpha, true));
        // Both below every genuine value.
        assert!(b.limit(alpha, true) < 0.80);
        assert!(ScoreModel::fit(&few[..4], &[], 0.0).is_none());
    }

    #[test]
    fn the_tail_at_the_limit_is_the_rate_and_is_stored_and_read_back() {
        let m =
            ScoreModel::fit(&[1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.15], &[1.3, 0.7], 0.0).expect("7");
        let alpha = 1e-3;
        let lim = m.limit(alpha, false);
        assert!((m.tail(lim, false) - alpha).abs() < 1e-6);
        assert!(m.tail(m.typical, false) > 0.49);
        let mut t = BTreeMap::new();
        m.store(&mut t, "lift", false, alpha);
        let back = ScoreModel::stored(&t, "lift").expect("stored");
        assert_eq!(back.n, 7);
        assert!((t["lift_max"] - lim).abs() < 1e-4 * lim.abs());
        assert!((back.scale - m.scale).abs() < 1e-4 * m.scale);
    }

    #[test]
    fn augmented_captures_widen_the_scale() {
        let v = [0.5, 0.51, 0.49, 0.5, 0.52, 0.48];
        let tight = ScoreModel::fit(&v, &[], 0.0).expect("6");
        let wide = ScoreModel::fit(&v, &[0.40, 0.60, 0.42, 0.58, 0.45, 0.55], 0.0).expect("6");
        let floored = ScoreModel::fit(&v, &[], 0.2).expect("6");
        assert_eq!(floored.scale, 0.2);
        assert!(
            wide.scale > 2.0 * tight.scale,
            "{} {}",
            wide.scale,
            tight.scale
        );
        assert_eq!(wide.typical, tight.typical);
        // Mostly one value and one far out: the median absolute deviation is 0, the scale
        // is what the far one implies (it is the most extreme of ten).
        let mut spiky = vec![0.0; 9];
        spiky.push(2.0);
        let m = ScoreModel::fit(&spiky, &[], 0.0).expect("10");
        assert!((m.scale - 2.0 / 1.6449).abs() < 1e-3, "{}", m.scale);
    }

    #[test]
    fn evidence_grows_with_distance_below_the_rate() {
        assert_eq!(Evidence::of(0.5, 0.01), Evidence::None);
        assert_eq!(Evidence::of(0.005, 0.01), Evidence::Weak);
        assert_eq!(Evidence::of(1e-4, 0.01), Evidence::Moderate);
        assert_eq!(Evidence::of(1e-9, 0.01), Evidence::Strong);
        assert_eq!(Evidence::of(f64::NAN, 0.01), Evidence::None);
    }
}
