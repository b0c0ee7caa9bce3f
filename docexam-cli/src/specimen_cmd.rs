//! `docexam specimen`: list, show and validate reference specimens, and scaffold a new one
//! from a lab's own scans.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use docexam_core::ingest::{LightSource, Limits, Side, decode_page_file};
use docexam_core::specimen::{
    FolderSource, Manifest, ScaffoldOptions, SideImage, SizeClass, Specimen, SpecimenSource,
    parse_manifest, scaffold,
};
use serde_json::json;

use crate::specimens::library;
use crate::{EXIT_INVALID, EXIT_VALID};

/// Arguments of `docexam specimen`.
#[derive(Debug, Args)]
pub struct SpecimenArgs {
    /// A folder of specimens (or one specimen) to search before the bundled library; may be
    /// repeated. `DOCEXAM_SPECIMENS` adds more (separated like PATH).
    #[arg(long, value_name = "DIR", global = true)]
    specimens: Vec<PathBuf>,
    #[command(subcommand)]
    command: SpecimenCommand,
}

#[derive(Debug, Subcommand)]
enum SpecimenCommand {
    /// List every specimen found.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show one specimen: identity, images, zones and features (validating it).
    Show {
        /// The specimen id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate a specimen (by id, or a folder): manifest, hashes, resolutions, regions.
    Validate {
        /// A specimen id or a specimen folder.
        target: String,
    },
    /// Scaffold a specimen folder from scans of a genuine document.
    New(NewArgs),
    /// Generate labelled genuine and forged test documents from a specimen.
    Synth(SynthArgs),
    /// Recompute the specimen's feature thresholds from genuine documents of the generator
    /// (every capture condition) and write them into its manifest.
    Calibrate(crate::calibrate_cmd::CalibrateArgs),
}

/// Arguments of `docexam specimen synth`.
#[derive(Debug, Args)]
struct SynthArgs {
    /// The specimen id.
    id: String,
    /// Number of genuine documents.
    #[arg(long, default_value_t = 10)]
    genuine: usize,
    /// Number of forged documents (the forgery kinds in turn).
    #[arg(long, default_value_t = 10)]
    forged: usize,
    /// Seed: the same seed gives the same documents.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (images and labels.jsonl).
    #[arg(long)]
    out: PathBuf,
    /// Capture resolution (default: 300, 400 or 600 dpi per document).
    #[arg(long)]
    dpi: Option<u32>,
    /// Flat, clean scans instead of random capture conditions (as `--capture clean`).
    #[arg(long, conflicts_with = "capture")]
    clean: bool,
    /// How the documents are captured: `mixed` (scanners and phones, glare, shadows,
    /// reflections, quarter turns), `clean` (flat scans) or `lab` (half flatbed, half phone:
    /// ±5°, slight perspective, blur, noise, white balance ±7%, JPEG 60–95).
    #[arg(long, value_parser = parse_style)]
    capture: Option<docexam_specimens::synth::CaptureStyle>,
}

fn parse_style(s: &str) -> Result<docexam_specimens::synth::CaptureStyle, String> {
    s.parse()
}

/// Arguments of `docexam specimen new`.
#[derive(Debug, Args)]
struct NewArgs {
    /// The folder to create (must not exist or be empty).
    dir: PathBuf,
    /// ICAO size class: TD1, TD2, TD3, MRV-A or MRV-B.
    #[arg(long)]
    size: SizeClass,
    /// A white-light scan of a side: `front=IMG` or `back=IMG`.
    #[arg(long = "side", value_name = "SIDE=IMG", required = true)]
    sides: Vec<String>,
    /// A scan under another light: `uv=IMG` (front) or `back:ir=IMG`.
    #[arg(long = "light", value_name = "[SIDE:]LIGHT=IMG")]
    lights: Vec<String>,
    /// The specimen id (default: the folder name).
    #[arg(long)]
    id: Option<String>,
    /// Issuing state as in the MRZ.
    #[arg(long, default_value = "UTO")]
    state: String,
    /// MRZ document code.
    #[arg(long, default_value = "I")]
    code: String,
    /// Resolution of the written reference images.
    #[arg(long, default_value_t = 600)]
    dpi: u32,
    /// Where the scans come from (recorded in the manifest).
    #[arg(long, default_value = "scans of a genuine document")]
    provenance: String,
    /// The licence of the images.
    #[arg(long, default_value = "proprietary: for the lab's own use")]
    licence: String,
}

/// Runs `docexam specimen`.
pub fn run(args: &SpecimenArgs) -> Result<u8> {
    match &args.command {
        SpecimenCommand::List { json } => list(&library(&args.specimens), *json),
        SpecimenCommand::Show { id, json } => show(&library(&args.specimens), id, *json),
        SpecimenCommand::Validate { target } => validate(&args.specimens, target),
        SpecimenCommand::New(n) => new(n),
        SpecimenCommand::Synth(a) => synth(&library(&args.specimens), a),
        SpecimenCommand::Calibrate(a) => crate::calibrate_cmd::run(&library(&args.specimens), a),
    }
}

fn lights_of(m: &Manifest) -> Vec<&'static str> {
    m.lights().into_iter().map(LightSource::name).collect()
}

fn list(lib: &FolderSource, json: bool) -> Result<u8> {
    let mut rows = Vec::new();
    for id in lib.ids() {
        let (path, bytes) = lib.manifest(&id)?;
        let m = parse_manifest(&path, &bytes)?;
        let dir = lib.dir(&id).unwrap_or_default();
        rows.push((m, dir));
    }
    let mut out = std::io::stdout().lock();
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(m, dir)| {
                let d = &m.document;
                json!({
                    "id": d.id,
                    "name": d.name,
                    "issuing_state": d.issuing_state,
                    "document_code": d.document_code,
                    "size_class": d.size_class.name(),
                    "sides": d.sides.iter().map(|s| s.name()).collect::<Vec<_>>(),
                    "lights": lights_of(m),
                    "features": m.features.len(),
                    "path": dir.display().to_string(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        for (m, dir) in &rows {
            let d = &m.document;
            writeln!(
                out,
                "{:<14} {:<4} {:<3} {:<6} {:<11} {:<12} {}",
                d.id,
                d.issuing_state,
                d.document_code,
                d.size_class.name(),
                d.sides
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join("+"),
                lights_of(m).join(","),
                dir.display()
            )?;
        }
    }
    Ok(EXIT_VALID)
}

fn show(lib: &FolderSource, id: &str, json: bool) -> Result<u8> {
    let s = lib.load(id)?;
    let mut out = std::io::stdout().lock();
    if json {
        let v = json!({
            "hash": s.hash.to_hex(),
            "path": s.dir.as_ref().map(|d| d.display().to_string()),
            "manifest": s.manifest,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(EXIT_VALID);
    }
    let d = &s.manifest.document;
    let (w, h) = d.size_class.size_mm();
    writeln!(out, "{} — {}", d.id, d.name)?;
    writeln!(
        out,
        "  {} {} {} ({w} × {h} mm), sides {}",
        d.issuing_state,
        d.document_code,
        d.size_class,
        d.sides
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    let valid =
        |v: Option<docexam_core::date::CivilDate>| v.map_or("–".to_string(), |d| d.to_string());
    writeln!(
        out,
        "  issued from {} to {}",
        valid(d.valid_from),
        valid(d.valid_to)
    )?;
    writeln!(out, "  provenance: {}", d.provenance)?;
    writeln!(out, "  licence: {}", d.licence)?;
    writeln!(out, "  manifest blake3 {}", s.hash.to_hex())?;
    if let Some(dir) = &s.dir {
        writeln!(out, "  folder {}", dir.display())?;
    }
    writeln!(out, "images")?;
    for i in &s.manifest.images {
        writeln!(
            out,
            "  {:<5} {:<5} {} at {} dpi, blake3 {}",
            i.side.name(),
            i.light.name(),
            i.file,
            i.dpi,
            i.blake3
        )?;
    }
    writeln!(out, "zones")?;
    for z in &s.manifest.zones {
        let holds = z
            .holds
            .as_deref()
            .map(|h| format!(" holds {h}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<24} {:?} on the {} at {:?} mm{holds}",
            z.id,
            z.kind,
            z.side.name(),
            z.rect_mm
        )?;
    }
    writeln!(out, "features")?;
    for f in &s.manifest.features {
        writeln!(
            out,
            "  {:<24} {:?} under {} on the {} at {:?} mm, compared by {:?}",
            f.id,
            f.kind,
            f.light.name(),
            f.side.name(),
            f.rect_mm,
            f.comparator()
        )?;
    }
    Ok(EXIT_VALID)
}

fn validate(extra: &[PathBuf], target: &str) -> Result<u8> {
    let dir = PathBuf::from(target);
    let problems = if dir.is_dir() {
        Specimen::validate_dir(&dir)
    } else {
        let lib = library(extra);
        match lib.load(target) {
            Ok(_) => Vec::new(),
            Err(e @ docexam_core::specimen::SpecimenError::NotFound { .. }) => return Err(e.into()),
            Err(e) => e.into_problems(),
        }
    };
    if problems.is_empty() {
        outln!("{target}: valid")?;
        return Ok(EXIT_VALID);
    }
    for p in &problems {
        outln!("{p}")?;
    }
    outln!("{target}: {} problem(s)", problems.len())?;
    Ok(EXIT_INVALID)
}

/// `SIDE=IMG`, `LIGHT=IMG` or `SIDE:LIGHT=IMG`.
fn scan_arg(s: &str, white: bool) -> Result<(Side, LightSource, PathBuf)> {
    let Some((key, path)) = s.split_once('=') else {
        bail!(
            "{s:?}: expected {}=IMG",
            if white { "SIDE" } else { "[SIDE:]LIGHT" }
        );
    };
    let (side, light) = if white {
        (key.parse().map_err(anyhow::Error::msg)?, LightSource::White)
    } else if let Some((side, light)) = key.split_once(':') {
        (
            side.parse().map_err(anyhow::Error::msg)?,
            light.parse().map_err(anyhow::Error::msg)?,
        )
    } else {
        (Side::Front, key.parse().map_err(anyhow::Error::msg)?)
    };
    Ok((side, light, PathBuf::from(path)))
}

fn new(n: &NewArgs) -> Result<u8> {
    let mut scans = Vec::new();
    let args = n
        .sides
        .iter()
        .map(|s| (s, true))
        .chain(n.lights.iter().map(|s| (s, false)));
    for (arg, white) in args {
        let (side, light, path) = scan_arg(arg, white)?;
        let page = decode_page_file(&path, 1, &Limits::DEFAULT)
            .with_context(|| format!("cannot read the scan {}", path.display()))?;
        scans.push(SideImage {
            side,
            light,
            image: page.image,
        });
    }
    let id = match &n.id {
        Some(id) => id.clone(),
        None => n
            .dir
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .context("give --id: the folder has no name to take it from")?,
    };
    let opts = ScaffoldOptions {
        name: id.clone(),
        id,
        size: n.size,
        dpi: n.dpi,
        issuing_state: n.state.clone(),
        document_code: n.code.clone(),
        provenance: n.provenance.clone(),
        licence: n.licence.clone(),
    };
    let m = scaffold(&n.dir, &opts, &scans)?;
    let problems = Specimen::validate_dir(&n.dir);
    for p in &problems {
        errln!("docexam: {p}");
    }
    outln!(
        "{}: specimen {} with {} image(s); add [[zone]] and [[feature]] tables to {}",
        n.dir.display(),
        m.document.id,
        m.images.len(),
        n.dir.join(docexam_core::specimen::MANIFEST_FILE).display()
    )?;
    Ok(if problems.is_empty() {
        EXIT_VALID
    } else {
        EXIT_INVALID
    })
}

fn synth(lib: &FolderSource, a: &SynthArgs) -> Result<u8> {
    let opts = docexam_specimens::synth::SynthOptions {
        genuine: a.genuine,
        forged: a.forged,
        seed: a.seed,
        dpi: a.dpi,
        style: match (a.clean, a.capture) {
            (true, _) => docexam_specimens::synth::CaptureStyle::Clean,
            (false, c) => c.unwrap_or_default(),
        },
        kinds: None,
    };
    let start = std::time::Instant::now();
    let labels = generate(lib, &a.id, &opts, &a.out)?;
    let secs = start.elapsed().as_secs_f64();
    outln!(
        "{}: {} documents ({} images) and labels.jsonl in {secs:.1} s ({:.2} documents/s)",
        a.out.display(),
        labels.len(),
        labels.iter().map(|l| l.files.len()).sum::<usize>(),
        labels.len() as f64 / secs.max(1e-9)
    )?;
    Ok(EXIT_VALID)
}

/// Generates labelled test documents from specimen `id` into `out` (see `specimen synth`).
pub fn generate(
    lib: &FolderSource,
    id: &str,
    opts: &docexam_specimens::synth::SynthOptions,
    out: &Path,
) -> Result<Vec<docexam_specimens::synth::Label>> {
    use docexam_specimens::{design, fonts::Fonts, synth};

    // The specimen must exist and validate before documents are made from it.
    let specimen = lib.load(id)?;
    // The generator's own designs draw everything; any other specimen is printed onto its
    // reference images with the personalised zones blanked.
    let d = match design::utopia().into_iter().find(|d| d.id == specimen.id()) {
        Some(d) => d,
        None => {
            docexam_specimens::generic::from_specimen(&specimen, lib).map_err(anyhow::Error::msg)?
        }
    };
    if let Some(dpi) = opts.dpi
        && !(150..=1200).contains(&dpi)
    {
        bail!("--dpi {dpi}: choose 150 to 1200");
    }
    let fonts = Fonts::load().map_err(|e| anyhow::anyhow!("the vendored fonts: {e}"))?;
    synth::synth(&d, opts, out, &fonts).with_context(|| format!("writing to {}", out.display()))
}
