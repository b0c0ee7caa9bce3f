//! One document opened at the workstation: its images read and examined against the specimen
//! library, kept with what the views need (image pyramids, the prepared specimen).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use docexam_core::barcode::TrustStore;
use docexam_core::date::CivilDate;
use docexam_core::evidence::{AddOptions, Case, Item, resolve_examiner};
use docexam_core::examine::casework;
use docexam_core::examine::{
    DocumentImage, ExamOptions, Library, LoadOptions, Prepared, Report, captures, examine_captures,
    load_files,
};
use docexam_core::ingest::{LightSource, Side};
use docexam_core::raster::Pyramid;
use docexam_core::register::ReferenceImage;

use crate::case::CaseSnapshot;

/// A document examined at the workstation.
#[derive(Debug)]
pub struct Examined {
    /// The files it was read from.
    pub files: Vec<PathBuf>,
    /// The examination.
    pub report: Report,
    /// Its images, in the report's input order.
    pub images: Vec<DocumentImage>,
    /// Each image's pyramid (for drawing at any zoom and sampling regions).
    pub pyramids: Vec<Pyramid>,
    /// The specimen compared with, its reference images prepared.
    pub prepared: Option<Arc<Prepared>>,
    /// Wall time from opening to the examination's end, in milliseconds.
    pub elapsed_ms: f64,
    /// The case items its images were read from, in the report's input order (empty when no
    /// case is open).
    pub items: Vec<Item>,
    /// The case after the examination was logged in it.
    pub case: Option<CaseSnapshot>,
}

impl Examined {
    /// The index of the capture of `side` under `light`.
    pub fn capture(&self, side: Side, light: LightSource) -> Option<usize> {
        self.images
            .iter()
            .position(|i| i.side == side && i.light == light)
    }

    /// The case item of capture `index`, when the document was received into a case.
    pub fn item(&self, index: usize) -> Option<&Item> {
        self.items.get(index)
    }

    /// The reference image of `side` under `light`.
    pub fn reference(&self, side: Side, light: LightSource) -> Option<&ReferenceImage> {
        self.prepared
            .as_ref()?
            .references
            .iter()
            .find(|r| r.side == side && r.light == light)
    }

    /// The sides captured, front first.
    pub fn sides(&self) -> Vec<Side> {
        let mut s: Vec<Side> = self.images.iter().map(|i| i.side).collect();
        s.sort_by_key(|x| *x == Side::Back);
        s.dedup();
        s
    }

    /// The lights captured of `side`, white then UV then IR.
    pub fn lights(&self, side: Side) -> Vec<LightSource> {
        [LightSource::White, LightSource::Uv, LightSource::Ir]
            .into_iter()
            .filter(|l| self.capture(side, *l).is_some())
            .collect()
    }
}

/// A stage of the work, for the progress bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// What is being done.
    pub stage: String,
    /// How far along, 0 to 1.
    pub fraction: f32,
}

/// Why a document could not be examined (or that the examiner stopped it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// The examiner cancelled.
    Cancelled,
    /// What went wrong, naming the file.
    Failed(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Cancelled => write!(f, "cancelled"),
            OpenError::Failed(m) => write!(f, "{m}"),
        }
    }
}

/// Reads and examines the images of one document, reporting each stage to `progress` and
/// stopping between stages once `cancel` is set. With a case, the files are first received
/// into it (hashed on arrival; a file received before is found again), the stored copies are
/// examined, and the examination is logged with its report.
pub fn open_document(
    files: &[PathBuf],
    library: &Library,
    as_of: CivilDate,
    case: Option<&Path>,
    cancel: &AtomicBool,
    progress: &dyn Fn(Progress),
) -> Result<Examined, OpenError> {
    let start = Instant::now();
    let stop = || {
        if cancel.load(Ordering::Relaxed) {
            Err(OpenError::Cancelled)
        } else {
            Ok(())
        }
    };
    let step = |stage: &str, fraction: f32| {
        progress(Progress {
            stage: stage.to_string(),
            fraction,
        })
    };
    let mut case = case
        .map(|dir| {
            step("opening the case", 0.02);
            Case::open_for_writing(dir).map_err(|e| OpenError::Failed(e.to_string()))
        })
        .transpose()?;
    let (images, items) = match &mut case {
        Some(case) => {
            let items = receive(case, files, &step)?;
            step("reading the stored copies", 0.15);
            let images =
                casework::images(case, &items).map_err(|e| OpenError::Failed(e.to_string()))?;
            (images, items)
        }
        None => {
            step("reading the images", 0.05);
            let images = load_files(files, &LoadOptions::default())
                .map_err(|e| OpenError::Failed(e.to_string()))?;
            (images, Vec::new())
        }
    };
    if images.is_empty() {
        return Err(OpenError::Failed("no image was given".into()));
    }
    stop()?;
    step("examining (MRZ, barcodes, every feature)", 0.25);
    let trust = TrustStore::new();
    let opts = ExamOptions {
        specimen: None,
        trust: &trust,
        as_of,
        record_run: true,
    };
    let document = docexam_core::ingest::naming::document_name(files);
    // The pyramids the examination builds are the ones the views draw from.
    let caps = captures(&images);
    let report = examine_captures(library, &document, &images, &caps, &opts)
        .map_err(|e| OpenError::Failed(e.to_string()))?;
    stop()?;
    step("preparing the views", 0.9);
    let pyramids = caps.into_iter().map(|c| c.pyramid).collect();
    let prepared = match &report.specimen {
        Some(s) => Some(
            library
                .prepared(&s.id)
                .map_err(|e| OpenError::Failed(format!("specimen {}: {e}", s.id)))?,
        ),
        None => None,
    };
    stop()?;
    let snapshot = match &mut case {
        Some(case) => {
            step("logging the examination in the case", 0.95);
            let examiner = resolve_examiner(None, Some(&case.manifest().examiner));
            casework::record(
                case,
                &examiner,
                &items,
                &report,
                &report.to_json_line(),
                None,
            )
            .map_err(|e| OpenError::Failed(format!("could not log the examination: {e}")))?;
            Some(CaseSnapshot::of(case))
        }
        None => None,
    };
    step("done", 1.0);
    Ok(Examined {
        files: files.to_vec(),
        report,
        images,
        pyramids,
        prepared,
        elapsed_ms: start.elapsed().as_secs_f64() * 1e3,
        items,
        case: snapshot,
    })
}

/// Receives `files` into `case` and returns the items to examine, one per file (a PDF or
/// multi-page file must have one page: the workstation examines one document at a time).
fn receive(
    case: &mut Case,
    files: &[PathBuf],
    step: &dyn Fn(&str, f32),
) -> Result<Vec<Item>, OpenError> {
    let examiner = resolve_examiner(None, Some(&case.manifest().examiner));
    let options = AddOptions::new(examiner);
    let mut out = Vec::new();
    for (n, f) in files.iter().enumerate() {
        let name = f
            .file_name()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        step(
            &format!("receiving {name} into the case"),
            0.02 + 0.12 * n as f32 / files.len().max(1) as f32,
        );
        let items =
            casework::receive(case, f, &options).map_err(|e| OpenError::Failed(e.to_string()))?;
        if items.len() > 1 {
            return Err(OpenError::Failed(format!(
                "{}: has {} pages; the workstation examines one page at a time \
                 (docexam batch examines every page)",
                f.display(),
                items.len()
            )));
        }
        out.extend(items);
    }
    Ok(out)
}

/// The documents in a folder: its image and PDF files grouped by name, in name order.
pub fn documents_in(dir: &std::path::Path) -> Vec<(String, Vec<PathBuf>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase())
                .is_some_and(|e| {
                    ["png", "jpg", "jpeg", "tif", "tiff", "bmp", "pdf"].contains(&e.as_str())
                })
        })
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    docexam_core::examine::group_by_document(&refs)
        .into_iter()
        .map(|(doc, members)| (doc, members.into_iter().map(PathBuf::from).collect()))
        .collect()
}

/// The bundled sample documents (`reference-specimens/samples`), if they are installed.
pub fn bundled_samples() -> Vec<(String, Vec<PathBuf>)> {
    docexam_core::specimen::bundled_dir()
        .map(|d| documents_in(&d.join("samples")))
        .unwrap_or_default()
}
