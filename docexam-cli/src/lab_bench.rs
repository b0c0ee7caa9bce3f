//! `docexam bench lab`: the comparison as a lab meets it. For each design (a Utopia design,
//! or randomised designs nobody tuned on): its specimen as declared (no limits), calibrated
//! with `specimen calibrate --genuine` on a few genuine exemplars captured as a lab captures
//! them, then tested on other genuine and forged documents captured the same way. Reports
//! per forgery kind the AUC of the calibrated document score, the true-positive rate at 1%
//! false positives, what the calibrated limits detect, and the genuine documents' false
//! alarms and inconclusive verdicts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use docexam_core::ingest::LightSource;
use docexam_core::mrz::MrzParser;
use docexam_core::register::prepare_all;
use docexam_core::specimen::{FolderSource, SpecimenSource};
use docexam_specimens::design::Design;
use docexam_specimens::synth::{CaptureStyle, ForgeryKind, SynthOptions};
use serde_json::{Value, json};

use crate::EXIT_VALID;
use crate::detect_bench::summary;
use crate::labelled::{Compared, compare_one, labels};

/// Arguments of `docexam bench lab`.
#[derive(Debug, Args)]
pub struct LabBenchArgs {
    /// A Utopia design to test (its id); may be repeated.
    #[arg(long, value_name = "ID")]
    specimen: Vec<String>,
    /// A randomised design to test (its seed); may be repeated.
    #[arg(long, value_name = "SEED")]
    random_design: Vec<u64>,
    /// Genuine exemplars the specimen is calibrated on.
    #[arg(long, default_value_t = 10)]
    exemplars: usize,
    /// Genuine test documents per design.
    #[arg(long, default_value_t = 60)]
    genuine: usize,
    /// Forged test documents per design (the kinds in turn).
    #[arg(long, default_value_t = 90)]
    forged: usize,
    /// Seed of the test documents (the exemplars use seed + 100000).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The lights captured, comma-separated (`white`, `white,uv,ir`).
    #[arg(long, default_value = "white", value_delimiter = ',')]
    lights: Vec<LightSource>,
    /// The document-level false-alarm rate the calibration is made for.
    #[arg(long, default_value_t = 0.01)]
    false_alarm_rate: f64,
    /// Keep the specimens, exemplars and test documents in this folder.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
    /// Also list every test document's score and worst feature.
    #[arg(long)]
    verbose: bool,
    /// Write every test document's feature results (one JSON line each) to this file.
    #[arg(long, value_name = "FILE")]
    dump: Option<PathBuf>,
}

/// The forgery kinds the comparison can show under `lights`. A barcode that does not match
/// the MRZ is left out: the barcode's cross-check finds it, not the comparison.
fn kinds_for(lights: &[LightSource]) -> Vec<ForgeryKind> {
    ForgeryKind::ALL
        .into_iter()
        .chain(ForgeryKind::EXTRA)
        .filter(|k| match k {
            ForgeryKind::UvMissing => lights.contains(&LightSource::Uv),
            ForgeryKind::IrWrong => lights.contains(&LightSource::Ir),
            ForgeryKind::BarcodeMismatch => false,
            _ => true,
        })
        .collect()
}

fn designs(a: &LabBenchArgs) -> Result<Vec<Design>> {
    let mut out = Vec::new();
    for id in &a.specimen {
        let d = docexam_specimens::design::utopia()
            .into_iter()
            .find(|d| &d.id == id)
            .with_context(|| format!("{id} is not a Utopia design"))?;
        out.push(d);
    }
    for s in &a.random_design {
        out.push(docexam_specimens::random_design::randomised(*s));
    }
    if out.is_empty() {
        bail!("name a design: --specimen ID or --random-design SEED");
    }
    Ok(out)
}

/// Copies the captures of `from` under `lights` into `to`: the exemplar folder a lab gives.
fn exemplar_folder(from: &Path, to: &Path, lights: &[LightSource]) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for l in labels(from)? {
        for f in l
            .get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let light: Option<LightSource> = f
                .get("light")
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok());
            let name = f.get("file").and_then(Value::as_str).unwrap_or("");
            if light.is_some_and(|l| lights.contains(&l)) && !name.is_empty() {
                std::fs::copy(from.join(name), to.join(name))
                    .with_context(|| format!("copying {name}"))?;
            }
        }
    }
    Ok(())
}

/// One design: calibrated on exemplars, compared on the test set.
fn run_design(a: &LabBenchArgs, d: &Design, root: &Path) -> Result<(Value, Vec<Compared>)> {
    let fonts = docexam_specimens::fonts::Fonts::load()
        .map_err(|e| anyhow::anyhow!("the vendored fonts: {e}"))?;
    let specimens = root.join("specimens");
    let folder = specimens.join(&d.folder);
    docexam_specimens::specimen::write(d, &folder, &fonts)
        .with_context(|| format!("writing the specimen of {}", d.id))?;
    let lib = crate::warnings::take(FolderSource::open(std::slice::from_ref(&specimens)));
    let t = Instant::now();
    let drawn = root.join(format!("{}-exemplars-drawn", d.folder));
    let opts = SynthOptions {
        genuine: a.exemplars,
        forged: 0,
        seed: a.seed + 100_000,
        dpi: None,
        style: CaptureStyle::Lab,
        kinds: None,
    };
    docexam_specimens::synth::synth(d, &opts, &drawn, &fonts)
        .with_context(|| format!("drawing exemplars of {}", d.id))?;
    let ex_dir = root.join(format!("{}-exemplars", d.folder));
    exemplar_folder(&drawn, &ex_dir, &a.lights)?;
    let specimen = lib.load(&d.id)?;
    let cal =
        crate::calibrate_genuine::calibrate(&lib, &specimen, &ex_dir, a.false_alarm_rate, false)?;
    let cal_s = t.elapsed().as_secs_f64();
    crate::calibrate_cmd::write_manifest(&folder, &cal.manifest)?;
    let lib = crate::warnings::take(FolderSource::open(&[specimens]));
    let specimen = lib.load(&d.id)?;
    let references = prepare_all(&specimen, &lib)?;
    let test = root.join(format!("{}-test", d.folder));
    let opts = SynthOptions {
        genuine: a.genuine,
        forged: a.forged,
        seed: a.seed,
        dpi: None,
        style: CaptureStyle::Lab,
        kinds: Some(kinds_for(&a.lights)),
    };
    docexam_specimens::synth::synth(d, &opts, &test, &fonts)
        .with_context(|| format!("drawing test documents of {}", d.id))?;
    let parser = MrzParser::default();
    let mut docs = Vec::new();
    for l in labels(&test)? {
        docs.push(compare_one(
            &specimen,
            &references,
            &test,
            &l,
            &parser,
            Some(&a.lights),
        )?);
    }
    if let Some(path) = &a.dump {
        dump_exemplars(path, d, &cal.results)?;
    }
    let out = report(d, &docs, cal.found.leave_one_out_false_alarms, cal_s, a);
    Ok((out, docs))
}

/// Appends the exemplars' feature results (as captured, then each simulated capture) to the
/// dump: what the calibration was fitted on.
fn dump_exemplars(
    path: &Path,
    d: &Design,
    results: &[docexam_core::compare::calibrate::Exemplar],
) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    for (i, e) in results.iter().enumerate() {
        let line = json!({
            "design": d.id,
            "document": format!("exemplar-{}", i + 1),
            "kind": "exemplar",
            "features": e.original,
            "augmented": e.augmented,
        });
        writeln!(f, "{}", serde_json::to_string(&line)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn report(d: &Design, docs: &[Compared], loo: usize, cal_s: f64, a: &LabBenchArgs) -> Value {
    let genuine: Vec<&Compared> = docs.iter().filter(|d| d.kind == "genuine").collect();
    let forged: Vec<&Compared> = docs.iter().filter(|d| d.kind != "genuine").collect();
    let mut kinds: BTreeMap<&str, Vec<&Compared>> = BTreeMap::new();
    for f in &forged {
        kinds.entry(f.kind.as_str()).or_default().push(f);
    }
    let inconclusive = docs.iter().filter(|d| d.inconclusive()).count();
    let mut ms: Vec<f64> = docs.iter().map(|d| d.ms).collect();
    ms.sort_by(f64::total_cmp);
    json!({
        "design": d.id,
        "layout": d.size.name(),
        "ghost_image": d.sides.iter().any(|s| s.ghost.is_some()),
        "exemplars": a.exemplars,
        "calibration_s": cal_s,
        "leave_one_out_false_alarms": loo,
        "genuine": genuine.len(),
        "false_alarms": genuine.iter().filter(|d| d.flagged()).count(),
        "inconclusive": inconclusive,
        "documents": docs.len(),
        "overall": summary(&forged, &genuine),
        "per_kind": kinds.iter().map(|(k, v)| (k.to_string(), summary(v, &genuine))).collect::<BTreeMap<_, _>>(),
        "ms_per_document_median": ms.get(ms.len() / 2).copied().unwrap_or(0.0),
    })
}

fn print_design(v: &Value) -> anyhow::Result<()> {
    let f = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let u = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    outln!(
        "{} ({} layout, ghost image: {}): calibrated on {} exemplars in {:.0} s \
         (leave-one-out flagged {}); genuine false alarms {} of {}, inconclusive {} of {} documents",
        v.get("design").and_then(Value::as_str).unwrap_or(""),
        v.get("layout").and_then(Value::as_str).unwrap_or(""),
        v.get("ghost_image")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        u("exemplars"),
        f(v, "calibration_s"),
        u("leave_one_out_false_alarms"),
        u("false_alarms"),
        u("genuine"),
        u("inconclusive"),
        u("documents"),
    )?;
    outln!(
        "  {:<22} {:>5} {:>7} {:>11} {:>10}",
        "kind",
        "docs",
        "AUC",
        "TPR@1%FPR",
        "detected"
    )?;
    let row = |name: &str, r: &Value| -> anyhow::Result<()> {
        outln!(
            "  {:<22} {:>5} {:>7.3} {:>10.1}% {:>9.1}%",
            name,
            r.get("documents").and_then(Value::as_u64).unwrap_or(0),
            f(r, "auc"),
            100.0 * f(r, "tpr_at_1pct_fpr"),
            100.0 * f(r, "detected_at_thresholds"),
        )?;
        Ok(())
    };
    if let Some(k) = v.get("per_kind").and_then(Value::as_object) {
        for (name, r) in k {
            row(name, r)?;
        }
    }
    if let Some(o) = v.get("overall") {
        row("overall", o)?;
    }
    outln!(
        "  median {:.0} ms per document (decoding excluded)",
        f(v, "ms_per_document_median")
    )?;
    Ok(())
}

/// Runs `docexam bench lab`.
pub fn run(a: &LabBenchArgs) -> Result<u8> {
    let temp;
    let root = match &a.keep {
        Some(k) => k.clone(),
        None => {
            temp = tempfile::tempdir().context("cannot make a temporary folder")?;
            temp.path().to_path_buf()
        }
    };
    let mut results = Vec::new();
    if let Some(path) = &a.dump {
        std::fs::write(path, "").with_context(|| format!("writing {}", path.display()))?;
    }
    for d in designs(a)? {
        let (v, docs) = run_design(a, &d, &root)?;
        if let Some(path) = &a.dump {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .with_context(|| format!("opening {}", path.display()))?;
            for doc in &docs {
                let line = json!({
                    "design": d.id,
                    "document": doc.document,
                    "kind": doc.kind,
                    "score": doc.score(),
                    "features": doc.features,
                });
                writeln!(f, "{}", serde_json::to_string(&line)?)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        if !a.json {
            print_design(&v)?;
        }
        if a.verbose {
            for doc in &docs {
                let worst = doc
                    .worst()
                    .map(|w| format!("{}: {}", w.feature, w.sentence))
                    .unwrap_or_default();
                errln!(
                    "{} {} score {:.2} {}",
                    doc.document,
                    doc.kind,
                    doc.score(),
                    worst
                );
            }
        }
        results.push(v);
    }
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({ "designs": results }))?
        )?;
    }
    Ok(EXIT_VALID)
}
