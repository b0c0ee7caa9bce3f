//! `docexam bench detect`: how well the security-feature comparison tells forged documents
//! from genuine ones, per forgery kind: ROC AUC, true-positive rate at 1% false positives,
//! the false-alarm rate of genuine documents at the specimen's thresholds, and attribution
//! (the worst failing feature lies in the region the forgery touched).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use docexam_core::mrz::MrzParser;
use docexam_core::register::prepare_all;
use docexam_core::specimen::SpecimenSource;
use serde_json::{Value, json};

use crate::EXIT_VALID;
use crate::labelled::{Compared, compare_one, labels, set_dir};
use crate::specimen_cmd::generate;
use crate::specimens::library;

/// Arguments of `docexam bench detect`.
#[derive(Debug, Args)]
pub struct DetectBenchArgs {
    /// The specimen to generate documents of and compare with.
    #[arg(long, value_name = "ID")]
    specimen: String,
    /// Genuine documents.
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Forged documents (the forgery kinds in turn; default: as many as genuine).
    #[arg(long)]
    forged: Option<usize>,
    /// Seed of the generated set.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Capture resolution (default: 300, 400 or 600 dpi at random).
    #[arg(long)]
    dpi: Option<u32>,
    /// Read this labelled folder instead of generating one.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["forged", "dpi"])]
    dir: Option<PathBuf>,
    /// Keep the generated set in this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Also list every document's score and worst feature.
    #[arg(long)]
    verbose: bool,
    /// Write every document's feature results (one JSON line each) to this file.
    #[arg(long, value_name = "FILE")]
    dump: Option<PathBuf>,
    /// A folder of specimens to search before the bundled library.
    #[arg(long = "specimens", value_name = "DIR")]
    specimens: Vec<PathBuf>,
}

/// Area under the ROC curve of `pos` against `neg` (ties count half).
pub fn auc(pos: &[f64], neg: &[f64]) -> f64 {
    if pos.is_empty() || neg.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for p in pos {
        for n in neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()) as f64
}

/// The share of `pos` above the lowest threshold that at most 1% of `neg` exceed.
pub fn tpr_at_1pct_fpr(pos: &[f64], neg: &[f64]) -> f64 {
    if pos.is_empty() || neg.is_empty() {
        return f64::NAN;
    }
    let mut n = neg.to_vec();
    n.sort_by(|a, b| b.total_cmp(a));
    // Up to floor(1% of the genuine documents) may score above the threshold.
    let allowed = neg.len() / 100;
    let t = n.get(allowed).copied().unwrap_or(f64::NEG_INFINITY);
    pos.iter().filter(|p| **p > t).count() as f64 / pos.len() as f64
}

pub fn summary(docs: &[&Compared], genuine: &[&Compared]) -> Value {
    let pos: Vec<f64> = docs.iter().map(|d| d.score()).collect();
    let neg: Vec<f64> = genuine.iter().map(|d| d.score()).collect();
    let flagged: Vec<&&Compared> = docs.iter().filter(|d| d.flagged()).collect();
    let attributed = flagged.iter().filter(|d| d.attributed()).count();
    let false_alarms = genuine.iter().filter(|d| d.flagged()).count();
    json!({
        "auc": auc(&pos, &neg),
        "tpr_at_1pct_fpr": tpr_at_1pct_fpr(&pos, &neg),
        "false_alarm_rate": false_alarms as f64 / genuine.len().max(1) as f64,
        "attribution": if flagged.is_empty() { f64::NAN } else { attributed as f64 / flagged.len() as f64 },
        "detected_at_thresholds": flagged.len() as f64 / docs.len().max(1) as f64,
        "documents": docs.len(),
    })
}

/// Runs `docexam bench detect`.
pub fn run(a: &DetectBenchArgs) -> Result<u8> {
    let lib = library(&a.specimens);
    let specimen = lib.load(&a.specimen)?;
    let set = set_dir(a.dir.as_deref(), a.out.as_deref(), |dir| {
        let opts = docexam_specimens::synth::SynthOptions {
            genuine: a.n,
            forged: a.forged.unwrap_or(a.n),
            seed: a.seed,
            dpi: a.dpi,
            style: docexam_specimens::synth::CaptureStyle::Mixed,
            kinds: None,
        };
        let t = Instant::now();
        generate(&lib, &a.specimen, &opts, dir)?;
        if !a.json {
            errln!(
                "generated {} documents in {:.1} s",
                opts.genuine + opts.forged,
                t.elapsed().as_secs_f64()
            );
        }
        Ok(())
    })?;
    let dir = &set.path;
    let labels = labels(dir)?;
    let references = prepare_all(&specimen, &lib)?;
    let parser = MrzParser::default();
    let mut docs = Vec::new();
    for l in &labels {
        docs.push(compare_one(&specimen, &references, dir, l, &parser, None)?);
    }
    let genuine: Vec<&Compared> = docs.iter().filter(|d| d.kind == "genuine").collect();
    if genuine.is_empty() {
        bail!("the set holds no genuine documents to measure false alarms on");
    }
    let forged: Vec<&Compared> = docs.iter().filter(|d| d.kind != "genuine").collect();
    let mut kinds: BTreeMap<&str, Vec<&Compared>> = BTreeMap::new();
    for d in &forged {
        kinds.entry(d.kind.as_str()).or_default().push(d);
    }
    let per_kind: BTreeMap<&str, Value> = kinds
        .iter()
        .map(|(k, v)| (*k, summary(v, &genuine)))
        .collect();
    let mut ms: Vec<f64> = docs.iter().map(|d| d.ms).collect();
    ms.sort_by(f64::total_cmp);
    let out = json!({
        "overall": summary(&forged, &genuine),
        "per_kind": per_kind,
        "n": genuine.len(),
        "forged": forged.len(),
        // A set read from a folder was made by whatever seed made it.
        "seed": if a.dir.is_some() { Value::Null } else { json!(a.seed) },
        "specimen": a.specimen,
        "ms_per_document_median": ms.get(ms.len() / 2).copied().unwrap_or(0.0),
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        let source = match &a.dir {
            Some(d) => format!("set {}", d.display()),
            None => format!("seed {}", a.seed),
        };
        outln!(
            "{}: {} genuine, {} forged ({source})",
            a.specimen,
            genuine.len(),
            forged.len(),
        )?;
        outln!(
            "{:<22} {:>5} {:>7} {:>14} {:>12} {:>12}",
            "kind",
            "docs",
            "AUC",
            "TPR@1%FPR",
            "detected",
            "attribution"
        )?;
        let row = |name: &str, v: &Value| -> anyhow::Result<()> {
            let f = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
            outln!(
                "{:<22} {:>5} {:>7.3} {:>13.1}% {:>11.1}% {:>11.1}%",
                name,
                v.get("documents").and_then(Value::as_u64).unwrap_or(0),
                f("auc"),
                100.0 * f("tpr_at_1pct_fpr"),
                100.0 * f("detected_at_thresholds"),
                100.0 * f("attribution")
            )?;
            Ok(())
        };
        for (k, v) in &per_kind {
            row(k, v)?;
        }
        let overall = out.get("overall").cloned().unwrap_or_default();
        row("overall", &overall)?;
        let fa = overall
            .get("false_alarm_rate")
            .and_then(Value::as_f64)
            .unwrap_or(f64::NAN);
        outln!(
            "genuine false alarms: {:.1}% ({} of {}); median {:.0} ms per document (decoding excluded)",
            100.0 * fa,
            genuine.iter().filter(|d| d.flagged()).count(),
            genuine.len(),
            out.get("ms_per_document_median")
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
        )?;
    }
    if let Some(path) = &a.dump {
        let mut text = String::new();
        for d in &docs {
            text.push_str(&serde_json::to_string(&json!({
                "document": d.document,
                "kind": d.kind,
                "score": d.score(),
                "registrations": d.registrations,
                "features": d.features,
            }))?);
            text.push('\n');
        }
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    if a.verbose {
        for d in &docs {
            let worst = d
                .worst()
                .map(|w| format!("{} {:.2}: {}", w.feature, w.margin, w.sentence))
                .unwrap_or_default();
            let inconclusive: Vec<&str> = d
                .features
                .iter()
                .filter(|f| f.status == docexam_core::compare::Status::Inconclusive)
                .map(|f| f.feature.as_str())
                .collect();
            errln!(
                "{} {} score {:.2} registrations {:?} inconclusive {:?} worst {}",
                d.document,
                d.kind,
                d.score(),
                d.registrations,
                inconclusive,
                worst
            );
        }
    }
    Ok(EXIT_VALID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_and_tpr() {
        let neg: Vec<f64> = (0..100).map(f64::from).collect();
        assert_eq!(auc(&[200.0, 300.0], &neg), 1.0);
        assert_eq!(auc(&[-1.0], &neg), 0.0);
        assert!((auc(&[49.5], &neg) - 0.5).abs() < 1e-9);
        // One genuine in 100 may score above the threshold: 98 is it.
        assert_eq!(tpr_at_1pct_fpr(&[98.5, 99.5, 10.0, 200.0], &neg), 0.75);
    }
}
