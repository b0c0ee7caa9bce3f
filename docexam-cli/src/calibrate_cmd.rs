//! `docexam specimen calibrate ID`: thresholds written into the specimen's manifest, from a
//! lab's genuine exemplars (`--genuine DIR`: a genuine model per score, limits at the
//! false-alarm rate the lab sets) or, for specimens the generator drew, from genuine
//! documents of the generator in every capture condition.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use docexam_core::compare::calibrate::{apply, thresholds};
use docexam_core::mrz::MrzParser;
use docexam_core::register::prepare_all;
use docexam_core::specimen::{FolderSource, MANIFEST_FILE, Manifest, SpecimenSource};

use crate::EXIT_VALID;
use crate::labelled::{compare_one, labels, set_dir};
use crate::specimen_cmd::generate;

/// Arguments of `docexam specimen calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The specimen id.
    id: String,
    /// A folder of captures of genuine documents of this type, named as for `examine`
    /// (`p17_front.jpg`, `p17_front_uv.jpg`; a name that says nothing is a white-light
    /// capture). Works from 5 documents, better with 20 or more.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["n", "seed", "dir"])]
    genuine: Option<PathBuf>,
    /// The document-level false-alarm rate the limits are set for (with `--genuine`).
    #[arg(long, value_name = "R", default_value_t = docexam_core::compare::model::DEFAULT_FALSE_ALARM_RATE, requires = "genuine")]
    false_alarm_rate: f64,
    /// Genuine documents of the generator to calibrate on.
    #[arg(long, default_value_t = 300)]
    n: usize,
    /// Seed of the calibration set (keep it apart from the seeds sets are evaluated on).
    #[arg(long, default_value_t = 9001)]
    seed: u64,
    /// Calibrate on this labelled folder's genuine documents instead of generating.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Print the thresholds without writing the manifest.
    #[arg(long)]
    dry_run: bool,
}

/// Runs `docexam specimen calibrate`.
pub fn run(lib: &FolderSource, a: &CalibrateArgs) -> Result<u8> {
    let specimen = lib.load(&a.id)?;
    let Some(folder) = specimen.dir.clone() else {
        bail!(
            "specimen {} does not live in a folder: cannot write its manifest",
            a.id
        );
    };
    if let Some(dir) = &a.genuine {
        return crate::calibrate_genuine::run(
            lib,
            &specimen,
            &folder,
            dir,
            a.false_alarm_rate,
            a.dry_run,
        );
    }
    // A calibration set is never kept: it is regenerated from its seed.
    let set = set_dir(a.dir.as_deref(), None, |dir| {
        let opts = docexam_specimens::synth::SynthOptions {
            genuine: a.n,
            forged: 0,
            seed: a.seed,
            dpi: None,
            style: docexam_specimens::synth::CaptureStyle::Mixed,
            kinds: None,
        };
        let t = Instant::now();
        generate(lib, &a.id, &opts, dir)?;
        errln!(
            "generated {} genuine documents in {:.1} s",
            a.n,
            t.elapsed().as_secs_f64()
        );
        Ok(())
    })?;
    let dir = &set.path;
    let references = prepare_all(&specimen, lib)?;
    let parser = MrzParser::default();
    let mut genuine = Vec::new();
    for l in labels(dir)? {
        if l.get("kind").and_then(|k| k.as_str()) != Some("genuine") {
            continue;
        }
        genuine.push(compare_one(&specimen, &references, dir, &l, &parser, None)?.features);
    }
    if genuine.len() < docexam_core::compare::calibrate::MIN_SAMPLES {
        bail!(
            "{} genuine documents: calibration needs at least {}",
            genuine.len(),
            docexam_core::compare::calibrate::MIN_SAMPLES
        );
    }
    let t = thresholds(&genuine);
    for (feature, keys) in &t {
        let shown: Vec<String> = keys.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        outln!("{feature}: {}", shown.join(", "))?;
    }
    if a.dry_run {
        return Ok(EXIT_VALID);
    }
    let mut manifest = specimen.manifest.clone();
    let changed = apply(&mut manifest, &t);
    // Generator limits replace a lab calibration's: its record no longer says where they
    // came from.
    manifest.calibration = None;
    let path = write_manifest(&folder, &manifest)?;
    outln!(
        "{}: thresholds of {changed} features calibrated on {} genuine documents (seed {})",
        path.display(),
        genuine.len(),
        a.seed
    )?;
    Ok(EXIT_VALID)
}

/// Writes `manifest` into the specimen folder `folder`, keeping the comment lines the old
/// manifest opens with; the old one is replaced only once the new one is written whole.
pub fn write_manifest(folder: &std::path::Path, manifest: &Manifest) -> Result<PathBuf> {
    let path = folder.join(MANIFEST_FILE);
    let old =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let header: String = old
        .lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let body = toml::to_string_pretty(manifest).context("writing the manifest as TOML")?;
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, format!("{header}{body}"))
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(path)
}
