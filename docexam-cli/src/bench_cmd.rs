//! `docexam bench`: measure docexam on labelled documents from the specimen generator.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use docexam_core::date::CivilDate;
use docexam_core::ingest::{Limits, decode_page_file};
use docexam_core::mrz::MrzParser;
use docexam_core::mrz::read::{ReadOptions, read};
use docexam_core::specimen::{SpecimenSource, ZoneKind};
use serde::Serialize;
use serde_json::Value;

use crate::EXIT_VALID;
use crate::specimen_cmd::generate;
use crate::specimens::library;

/// Arguments of `docexam bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    command: BenchCommand,
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// MRZ reading from images: accuracy per capture condition, and time per page.
    Mrz(MrzBenchArgs),
    /// Security-feature comparison: ROC AUC, TPR at 1% FPR, false alarms and attribution
    /// per forgery kind.
    Detect(crate::detect_bench::DetectBenchArgs),
    /// The lab scenario: specimens as declared, calibrated on a few genuine exemplars,
    /// tested on other genuine and forged documents captured as labs capture them.
    Lab(crate::lab_bench::LabBenchArgs),
}

/// Arguments of `docexam bench mrz`.
#[derive(Debug, Args)]
struct MrzBenchArgs {
    /// Read this labelled folder (from `docexam specimen synth`) instead of generating one.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["specimen", "n", "forged"])]
    dir: Option<PathBuf>,
    /// Specimens to generate from (repeatable; default: every bundled Utopia specimen).
    #[arg(long, value_name = "ID")]
    specimen: Vec<String>,
    /// Genuine documents per specimen.
    #[arg(long, default_value_t = 25)]
    n: usize,
    /// Forged documents per specimen as well (every kind in turn; `mrz_retyped` measures the
    /// font evidence).
    #[arg(long, default_value_t = 0)]
    forged: usize,
    /// Seed of the generated set.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Capture resolution (default: 300, 400 or 600 dpi at random).
    #[arg(long)]
    dpi: Option<u32>,
    /// Clean flat scans instead of random capture conditions.
    #[arg(long)]
    clean: bool,
    /// Keep the generated set in this folder (default: a temporary folder, removed after).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print one JSON object (summary per condition and every image's reading).
    #[arg(long)]
    json: bool,
    /// A folder of specimens to search before the bundled library.
    #[arg(long = "specimens", value_name = "DIR")]
    specimens: Vec<PathBuf>,
}

/// Runs `docexam bench`.
pub fn run(args: &BenchArgs) -> Result<u8> {
    match &args.command {
        BenchCommand::Mrz(a) => mrz(a),
        BenchCommand::Detect(a) => crate::detect_bench::run(a),
        BenchCommand::Lab(a) => crate::lab_bench::run(a),
    }
}

/// One image read in the benchmark.
#[derive(Debug, Serialize)]
struct ImageResult {
    file: String,
    document: String,
    kind: String,
    /// Whether the image shows the side with the MRZ.
    has_mrz: bool,
    expected: Vec<String>,
    /// The lines as read before repair (`None`: no MRZ found).
    raw: Option<Vec<String>>,
    /// The lines after correction and repair.
    read: Option<Vec<String>>,
    error: Option<String>,
    exact: bool,
    exact_raw: bool,
    chars: usize,
    chars_ok: usize,
    font_score: Option<f32>,
    /// The reader's own verdict: the glyphs match OCR-B.
    font_consistent: Option<bool>,
    ms: f64,
    conditions: Vec<String>,
}

/// Accuracy and time over a set of images.
#[derive(Debug, Default, Serialize)]
struct Stats {
    images: usize,
    exact: usize,
    exact_raw: usize,
    chars: usize,
    chars_ok: usize,
    not_found: usize,
    ms: Vec<f64>,
}

impl Stats {
    fn add(&mut self, r: &ImageResult) {
        self.images += 1;
        self.exact += usize::from(r.exact);
        self.exact_raw += usize::from(r.exact_raw);
        self.chars += r.chars;
        self.chars_ok += r.chars_ok;
        self.not_found += usize::from(r.read.is_none());
        self.ms.push(r.ms);
    }

    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }

    fn summary(&self) -> Value {
        let mut ms = self.ms.clone();
        ms.sort_by(f64::total_cmp);
        let mean = ms.iter().sum::<f64>() / ms.len().max(1) as f64;
        let p95 = ms
            .get((ms.len() * 95 / 100).min(ms.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0);
        serde_json::json!({
            "images": self.images,
            "mrz_exact_pct": Self::pct(self.exact, self.images),
            "mrz_exact_before_repair_pct": Self::pct(self.exact_raw, self.images),
            "chars_pct": Self::pct(self.chars_ok, self.chars),
            "not_found": self.not_found,
            "ms_mean": mean,
            "ms_p95": p95,
        })
    }
}

/// The condition buckets an image's capture falls in.
fn buckets(c: &Value) -> Vec<String> {
    let f = |k: &str| c.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let mut out = vec![format!("{} dpi", f("dpi") as u32)];
    let mut add = |yes: bool, name: &str| {
        if yes {
            out.push(name.to_string());
        }
    };
    add(f("quarter_turns") > 0.0, "turned 90/180/270");
    add(f("skew_deg").abs() > 10.0, "skew 10-15 deg");
    add(f("perspective") > 0.0, "perspective");
    add(f("blur_px") > 0.8, "blur > 0.8 px");
    add(f("noise") >= 5.0, "noise >= 5");
    add(f("jpeg_quality") < 70.0, "jpeg < 70");
    add(f("lighting") > 0.15, "uneven light");
    add(f("curl") > 0.0, "curved page");
    add(f("shadow") > 0.0, "shadow");
    add(f("glare") > 0.0, "glare");
    add(f("reflection") > 0.0, "laminate reflection");
    add(f("moire") > 0.0, "moire");
    out
}

fn mrz(a: &MrzBenchArgs) -> Result<u8> {
    let lib = library(&a.specimens);
    let set = crate::labelled::set_dir(a.dir.as_deref(), a.out.as_deref(), |dir| {
        let ids: Vec<String> = if a.specimen.is_empty() {
            lib.ids()
                .into_iter()
                .filter(|i| i.starts_with("UTO-"))
                .collect()
        } else {
            a.specimen.clone()
        };
        let mut all = String::new();
        for id in &ids {
            let sub = dir.join(id);
            let opts = docexam_specimens::synth::SynthOptions {
                genuine: a.n,
                forged: a.forged,
                seed: a.seed,
                dpi: a.dpi,
                style: if a.clean {
                    docexam_specimens::synth::CaptureStyle::Clean
                } else {
                    docexam_specimens::synth::CaptureStyle::Mixed
                },
                kinds: None,
            };
            errln!("docexam: generating {} documents from {id}", a.n + a.forged);
            // One label file for the whole set, with paths relative to `dir`.
            for mut label in generate(&lib, id, &opts, &sub)? {
                for f in &mut label.files {
                    f.file = format!("{id}/{}", f.file);
                }
                all.push_str(&serde_json::to_string(&label)?);
                all.push('\n');
            }
        }
        fs::write(dir.join("labels.jsonl"), all)?;
        Ok(())
    })?;
    let dir = &set.path;
    let results = read_set(&lib, dir)?;
    report(&results, a.json)?;
    Ok(EXIT_VALID)
}

/// The side each specimen prints its MRZ on.
fn mrz_side(lib: &impl SpecimenSource, specimen: &str) -> Option<String> {
    let (path, bytes) = lib.manifest(specimen).ok()?;
    let m = docexam_core::specimen::parse_manifest(&path, &bytes).ok()?;
    m.zones
        .iter()
        .find(|z| z.kind == ZoneKind::Mrz)
        .map(|z| z.side.name().to_string())
}

fn read_set(lib: &impl SpecimenSource, dir: &Path) -> Result<Vec<ImageResult>> {
    let labels = dir.join("labels.jsonl");
    let file =
        fs::File::open(&labels).with_context(|| format!("cannot open {}", labels.display()))?;
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 1, 1).context("date")?)
        .build();
    let mut out = Vec::new();
    // The side each specimen prints its MRZ on, read from its manifest once.
    let mut sides: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let label: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not JSON", labels.display(), n + 1))?;
        let s = |k: &str| {
            label
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let expected: Vec<String> = label
            .get("mrz")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let specimen = s("specimen");
        let side = sides
            .entry(specimen.clone())
            .or_insert_with(|| mrz_side(lib, &specimen))
            .clone();
        let files = label
            .get("files")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for f in files {
            if f.get("light").and_then(Value::as_str) != Some("white") {
                continue;
            }
            let name = f
                .get("file")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let has_mrz = side
                .as_deref()
                .is_none_or(|sd| f.get("side").and_then(Value::as_str) == Some(sd));
            let conditions = buckets(f.get("conditions").unwrap_or(&Value::Null));
            let dpi = f
                .get("conditions")
                .and_then(|c| c.get("dpi"))
                .and_then(Value::as_f64);
            out.push(read_one(
                &parser,
                dir,
                &name,
                &s("document"),
                &s("kind"),
                has_mrz,
                &expected,
                conditions,
                dpi,
            )?);
        }
    }
    if out.is_empty() {
        bail!("{} lists no white-light images", labels.display());
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn read_one(
    parser: &MrzParser,
    dir: &Path,
    name: &str,
    document: &str,
    kind: &str,
    has_mrz: bool,
    expected: &[String],
    conditions: Vec<String>,
    dpi: Option<f64>,
) -> Result<ImageResult> {
    let path = dir.join(name);
    let page = decode_page_file(&path, 1, &Limits::DEFAULT)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let opts = ReadOptions {
        dpi: dpi.map(|d| d as f32),
        ..ReadOptions::default()
    };
    // Timed from the decoded pixels: the ink plane and the reading.
    let start = Instant::now();
    let gray = docexam_core::mrz::read::ink_plane(&page.image);
    let result = read(&gray, parser, &opts);
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let (raw, read_lines, error, font) = match &result {
        Ok(r) => (
            Some(
                r.source
                    .lines
                    .iter()
                    .map(|l| l.iter().map(|c| c.ch).collect())
                    .collect::<Vec<String>>(),
            ),
            Some(r.mrz.lines()),
            None,
            Some((r.source.font_score, r.source.font.consistent_with_ocr_b)),
        ),
        Err(e) => (None, None, Some(e.to_string()), None),
    };
    let expect: Vec<String> = if has_mrz {
        expected.to_vec()
    } else {
        Vec::new()
    };
    let chars: usize = expect.iter().map(String::len).sum();
    let chars_ok = read_lines.as_ref().map_or(0, |r| {
        expect
            .iter()
            .zip(r)
            .map(|(e, g)| e.bytes().zip(g.bytes()).filter(|(a, b)| a == b).count())
            .sum()
    });
    let exact = if has_mrz {
        read_lines.as_deref() == Some(&expect[..])
    } else {
        read_lines.is_none()
    };
    let exact_raw = if has_mrz {
        raw.as_deref() == Some(&expect[..])
    } else {
        raw.is_none()
    };
    Ok(ImageResult {
        file: name.to_string(),
        document: document.to_string(),
        kind: kind.to_string(),
        has_mrz,
        expected: expect,
        raw,
        read: read_lines,
        error,
        exact,
        exact_raw,
        chars,
        chars_ok,
        font_score: font.map(|f| f.0),
        font_consistent: font.map(|f| f.1),
        ms,
        conditions,
    })
}

/// The forgery kind whose MRZ is printed in another font: its reading is not an accuracy
/// target (the font evidence is what must catch it).
const RETYPED: &str = "mrz_retyped";

fn report(results: &[ImageResult], json: bool) -> anyhow::Result<()> {
    // Accuracy over MRZs printed in OCR-B, per capture condition; MRZs retyped in another
    // font are counted on their own.
    let mut per: BTreeMap<String, Stats> = BTreeMap::new();
    let (mut all, mut genuine, mut forged, mut retyped) = (
        Stats::default(),
        Stats::default(),
        Stats::default(),
        Stats::default(),
    );
    let mut no_mrz = (0usize, 0usize);
    for r in results {
        if !r.has_mrz {
            no_mrz.0 += 1;
            no_mrz.1 += usize::from(r.read.is_some());
            continue;
        }
        if r.kind == RETYPED {
            retyped.add(r);
            continue;
        }
        all.add(r);
        if r.kind == "genuine" {
            genuine.add(r);
        } else {
            forged.add(r);
        }
        for c in &r.conditions {
            per.entry(c.clone()).or_default().add(r);
        }
    }
    // Font evidence: genuine prints vs MRZs retyped in another font.
    let scores = |kind: &str| -> Vec<f32> {
        results
            .iter()
            .filter(|r| r.has_mrz && r.kind == kind)
            .filter_map(|r| r.font_score)
            .collect()
    };
    let genuine_fonts = scores("genuine");
    let retyped_fonts = scores(RETYPED);
    // Counted from the reader's own verdicts (the scores above are rounded for display).
    let flagged = |kind: &str| {
        results
            .iter()
            .filter(|r| r.has_mrz && r.kind == kind && r.font_consistent == Some(false))
            .count()
    };
    let (genuine_flagged, retyped_flagged) = (flagged("genuine"), flagged(RETYPED));
    let threshold = docexam_core::mrz::read::FONT_THRESHOLD;
    let min = |v: &[f32]| v.iter().copied().fold(f32::NAN, f32::min);
    let max = |v: &[f32]| v.iter().copied().fold(f32::NAN, f32::max);
    if json {
        let v = serde_json::json!({
            "all": all.summary(),
            "genuine": genuine.summary(),
            "forged": forged.summary(),
            "retyped_in_another_font": retyped.summary(),
            "per_condition": per.iter().map(|(k, s)| (k.clone(), s.summary())).collect::<BTreeMap<_, _>>(),
            "pages_without_mrz": {"images": no_mrz.0, "mrz_reported": no_mrz.1},
            "font": {
                "threshold": threshold,
                "genuine_min": min(&genuine_fonts),
                "genuine_below_threshold": genuine_flagged,
                "retyped_max": max(&retyped_fonts),
                "retyped_detected": retyped_flagged,
                "retyped": retyped_fonts.len(),
            },
            "images": results,
        });
        outln!("{v}")?;
        return Ok(());
    }
    outln!(
        "{:<22} {:>6} {:>10} {:>10} {:>9} {:>9} {:>8} {:>8}",
        "condition",
        "images",
        "exact",
        "exact raw",
        "chars",
        "notfound",
        "mean ms",
        "p95 ms"
    )?;
    let row = |name: &str, s: &Stats| -> anyhow::Result<()> {
        let v = s.summary();
        let g = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        outln!(
            "{:<22} {:>6} {:>9.2}% {:>9.2}% {:>8.3}% {:>9} {:>8.1} {:>8.1}",
            name,
            s.images,
            g("mrz_exact_pct"),
            g("mrz_exact_before_repair_pct"),
            g("chars_pct"),
            s.not_found,
            g("ms_mean"),
            g("ms_p95")
        )?;
        Ok(())
    };
    row("all (OCR-B MRZs)", &all)?;
    row("genuine", &genuine)?;
    row("forged", &forged)?;
    for (k, s) in &per {
        row(k, s)?;
    }
    if no_mrz.0 > 0 {
        outln!(
            "pages without an MRZ: {} read, {} reported an MRZ",
            no_mrz.0,
            no_mrz.1
        )?;
    }
    outln!(
        "font evidence (threshold {threshold:.3}): genuine min {:.3} ({} below); mrz_retyped max {:.3}, {}/{} detected",
        min(&genuine_fonts),
        genuine_flagged,
        max(&retyped_fonts),
        retyped_flagged,
        retyped_fonts.len()
    )?;
    if retyped.images > 0 {
        outln!(
            "MRZs retyped in another font (not in the rows above): {} images, {} read exactly",
            retyped.images,
            retyped.exact
        )?;
    }
    for r in results.iter().filter(|r| !r.exact && r.kind != RETYPED) {
        outln!("miss: {} {:?}", r.file, r.error.as_deref().unwrap_or(""))?;
        if let (Some(read), true) = (&r.read, r.has_mrz) {
            for (e, g) in r.expected.iter().zip(read) {
                if e != g {
                    outln!("  expected {e}\n  read     {g}")?;
                }
            }
        }
    }
    Ok(())
}
