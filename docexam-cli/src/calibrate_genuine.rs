//! `docexam specimen calibrate ID --genuine DIR`: limits from a lab's genuine exemplars.
//!
//! Each document of DIR is compared with the specimen as captured and through the simulated
//! captures of `compare::augment`; every score gets a genuine model and a limit at the
//! per-score rate that makes the document-level false-alarm rate the one asked for
//! (`compare::calibrate::from_exemplars`). The manifest records the calibration as evidence:
//! the exemplars and the blake3 of each file, the rate, the number of scores, and how many
//! exemplars the others' limits would flag.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use docexam_core::compare::calibrate::{Exemplar, apply, examine_exemplar, from_exemplars};
use docexam_core::compare::model::MIN_EXEMPLARS;
use docexam_core::date::CivilDate;
use docexam_core::examine::{LoadOptions, captures, group_by_document, load_files};
use docexam_core::ingest::MediaType;
use docexam_core::mrz::MrzParser;
use docexam_core::register::prepare_all;
use docexam_core::specimen::{Calibration, FolderSource, Specimen};

use crate::EXIT_VALID;
use crate::calibrate_cmd::write_manifest;

/// The files of `dir` that are images or PDFs, sorted by name.
fn exemplar_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let e = e.with_context(|| format!("reading {}", dir.display()))?;
        let path = e.path();
        // Regular files only: a FIFO or a device in the folder is not an exemplar.
        if !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let head = docexam_core::ingest::read_head(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        if MediaType::sniff(&head).is_some() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A calibration made: the manifest with its new limits and record, and what was found.
pub struct Calibrated {
    /// The specimen's manifest with the limits and the calibration record written in.
    pub manifest: docexam_core::specimen::Manifest,
    /// The models and figures.
    pub found: docexam_core::compare::calibrate::ExemplarCalibration,
    /// How many features' limits changed.
    pub changed: usize,
    /// Exemplars used.
    pub exemplars: usize,
    /// Each exemplar's feature results, as captured and simulated.
    pub results: Vec<Exemplar>,
}

/// Calibrates `specimen` on the genuine exemplars in `dir` for the document-level
/// false-alarm rate `rate`; `progress` reports each exemplar on stderr.
pub fn calibrate(
    lib: &FolderSource,
    specimen: &Specimen,
    dir: &Path,
    rate: f64,
    progress: bool,
) -> Result<Calibrated> {
    if !(rate > 0.0 && rate < 0.5) {
        bail!("--false-alarm-rate {rate}: give a rate between 0 and 0.5 (0.01 is 1%)");
    }
    let files = exemplar_files(dir)?;
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let documents = group_by_document(&refs);
    if documents.len() < MIN_EXEMPLARS {
        bail!(
            "{}: {} genuine documents found; calibration needs at least {MIN_EXEMPLARS} \
             (20 or more give tighter limits)",
            dir.display(),
            documents.len()
        );
    }
    let references = prepare_all(specimen, lib)?;
    let parser = MrzParser::default();
    // A specimen of one side: a name that names no side is a capture of that side.
    let sides = &specimen.manifest.document.sides;
    let side = (sides.len() == 1).then(|| sides.first().copied()).flatten();
    let start = Instant::now();
    let mut exemplars: Vec<Exemplar> = Vec::new();
    let mut records = Vec::new();
    for (i, (document, paths)) in documents.iter().enumerate() {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        let opts = LoadOptions {
            side,
            ..Default::default()
        };
        let images = load_files(&paths, &opts).with_context(|| format!("exemplar {document}"))?;
        let caps = captures(&images);
        let ex = examine_exemplar(specimen, &references, &caps, &parser)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("exemplar {document}"))?;
        // The hash of the bytes that were decoded, taken as they were read.
        let hashed = images
            .iter()
            .map(|i| {
                let name = i.name.rsplit(['/', '\\']).next().unwrap_or(&i.name);
                format!("{name}:{}", i.hash.to_hex())
            })
            .collect();
        records.push(docexam_core::specimen::Exemplar {
            document: document.clone(),
            files: hashed,
        });
        exemplars.push(ex);
        if progress {
            errln!(
                "[{}/{}] {document}: compared as captured and through {} simulated captures ({:.1} s)",
                i + 1,
                documents.len(),
                docexam_core::compare::augment::VARIANTS.len(),
                start.elapsed().as_secs_f64()
            );
        }
    }
    let found = from_exemplars(&exemplars, rate);
    let mut manifest = specimen.manifest.clone();
    let changed = apply_models(&mut manifest, &found.thresholds);
    manifest.calibration = Some(Calibration {
        method: "genuine-exemplars".into(),
        date: CivilDate::today_utc().to_string(),
        false_alarm_rate: rate,
        per_score_rate: found.per_score_rate,
        scores: found.scores,
        augmented_per_exemplar: docexam_core::compare::augment::VARIANTS.len(),
        leave_one_out_false_alarms: found.leave_one_out_false_alarms,
        exemplars: records,
    });
    Ok(Calibrated {
        manifest,
        found,
        changed,
        exemplars: exemplars.len(),
        results: exemplars,
    })
}

/// Runs `docexam specimen calibrate ID --genuine DIR`: calibrates, prints every limit, and
/// writes the manifest unless `dry_run`.
pub fn run(
    lib: &FolderSource,
    specimen: &Specimen,
    folder: &Path,
    dir: &Path,
    rate: f64,
    dry_run: bool,
) -> Result<u8> {
    let start = Instant::now();
    let c = calibrate(lib, specimen, dir, rate, true)?;
    for (feature, keys) in &c.found.thresholds {
        let shown: Vec<String> = keys.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        outln!("{feature}: {}", shown.join(", "))?;
    }
    if !c.found.unmodelled.is_empty() {
        outln!(
            "not modelled (measured on fewer than {MIN_EXEMPLARS} exemplars; judged on their \
             previous limits): {}",
            c.found.unmodelled.join(", ")
        )?;
    }
    for (feature, n) in &c.found.seldom_judged {
        outln!(
            "warning: {feature} could not be judged on {n} of {} exemplars: examinations will \
             mostly leave it inconclusive; check its region and masks",
            c.exemplars
        )?;
    }
    outln!(
        "{} exemplars, {} scores modelled, each limit at rate {:.2e} for a document-level \
         false-alarm rate of {rate}; leaving each exemplar out, the others' limits flag {} of {}",
        c.exemplars,
        c.found.scores,
        c.found.per_score_rate,
        c.found.leave_one_out_false_alarms,
        c.exemplars
    )?;
    if dry_run {
        return Ok(EXIT_VALID);
    }
    let path = write_manifest(folder, &c.manifest)?;
    outln!(
        "{}: limits of {} features calibrated on {} genuine exemplars in {:.1} s",
        path.display(),
        c.changed,
        c.exemplars,
        start.elapsed().as_secs_f64()
    )?;
    Ok(EXIT_VALID)
}

/// Writes the models into the manifest: a modelled feature's thresholds are replaced by its
/// models (a score left unmodelled keeps its earlier limit); returns how many features
/// changed.
fn apply_models(
    m: &mut docexam_core::specimen::Manifest,
    t: &docexam_core::compare::calibrate::Thresholds,
) -> usize {
    let mut merged = t.clone();
    for f in &m.features {
        if let Some(new) = merged.get_mut(&f.id) {
            for (k, v) in &f.thresholds {
                let score = k
                    .strip_suffix("_min")
                    .or_else(|| k.strip_suffix("_max"))
                    .or_else(|| k.strip_suffix("_typical"));
                let modelled = score.is_some_and(|s| new.contains_key(&format!("{s}_scale")));
                if !modelled && score.is_some() {
                    new.entry(k.clone()).or_insert(*v);
                }
            }
        }
    }
    apply(m, &merged)
}
