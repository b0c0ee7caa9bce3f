//! One document opened at the workstation: its images read and examined against the specimen
//! library, kept with what the views need (image pyramids, the prepared specimen).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use docexam_core::barcode::TrustStore;
use docexam_core::date::CivilDate;
use docexam_core::evidence::{AddOptions, Case, Item};
use docexam_core::examine::casework;
use docexam_core::examine::{
    DocumentImage, ExamOptions, Library, LoadOptions, PreparedSpecimen, Report, captures,
    examine_captures, load_files,
};
use docexam_core::examine::{ExamError, LoadError};
use docexam_core::ingest::pdf::PdfReader;
use docexam_core::ingest::{LightSource, Side};
use docexam_core::raster::Pyramid;
use docexam_core::register::ReferenceImage;
use serde::{Deserialize, Serialize};

use crate::case::CaseSnapshot;

/// A document examined at the workstation.
#[derive(Debug)]
pub struct ExaminedDocument {
    /// The document and where it was read from.
    pub questioned: DocumentRef,
    /// The examination.
    pub report: Report,
    /// Its images, in the report's input order.
    pub images: Vec<DocumentImage>,
    /// Each image's pyramid (for drawing at any zoom and sampling regions).
    pub pyramids: Vec<Pyramid>,
    /// The specimen compared with, its reference images prepared.
    pub prepared: Option<Arc<PreparedSpecimen>>,
    /// Wall time from opening to the examination's end, in milliseconds.
    pub elapsed_ms: f64,
    /// The case items its images were read from, in the report's input order (empty when no
    /// case is open).
    pub items: Vec<Item>,
    /// The case after the examination was logged in it.
    pub case: Option<CaseSnapshot>,
}

impl ExaminedDocument {
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

impl Progress {
    /// Before the worker's first report.
    pub fn starting() -> Progress {
        Progress {
            stage: "starting".into(),
            fraction: 0.0,
        }
    }
}

/// Why a document could not be examined (or that the examiner stopped it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// The examiner cancelled.
    Cancelled,
    /// A file holds several pages and no page was chosen: each page is a document.
    Pages {
        /// The file.
        file: PathBuf,
        /// How many pages it has.
        pages: u32,
    },
    /// What went wrong, naming the file.
    Failed(String),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Cancelled => write!(f, "cancelled"),
            OpenError::Pages { file, pages } => write!(
                f,
                "{}: has {pages} pages; each page is examined as a document",
                file.display()
            ),
            OpenError::Failed(m) => write!(f, "{m}"),
        }
    }
}

/// What a document is read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// The files the examiner gave (with a case open, received into it first).
    Files(Vec<PathBuf>),
    /// One page (from 1) of the files: a page of a multi-page PDF or TIFF.
    Page(Vec<PathBuf>, u32),
    /// Items of the case in this folder, read from their stored copies.
    Items(PathBuf, Vec<u32>),
}

/// A document to examine: its name and where it is read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    /// The document's name, as reports and lists show it.
    pub name: String,
    /// Where it is read from.
    pub source: Source,
}

impl DocumentRef {
    /// The document in `files` (named by the naming convention).
    pub fn files(files: Vec<PathBuf>) -> DocumentRef {
        DocumentRef {
            name: docexam_core::ingest::naming::document_name(&files),
            source: Source::Files(files),
        }
    }

    /// Each of its `pages` pages as a document of its own.
    pub fn pages(&self, pages: u32) -> Vec<DocumentRef> {
        let files = self.paths().to_vec();
        let name = self.document();
        (1..=pages)
            .map(|p| DocumentRef {
                name: format!("{name}#{p}"),
                source: Source::Page(files.clone(), p),
            })
            .collect()
    }

    /// The document's name without the page.
    pub fn document(&self) -> &str {
        match &self.source {
            Source::Page(_, p) => self
                .name
                .strip_suffix(&format!("#{p}"))
                .unwrap_or(&self.name),
            _ => &self.name,
        }
    }

    /// The files it is read from (none for case items).
    pub fn paths(&self) -> &[PathBuf] {
        match &self.source {
            Source::Files(f) | Source::Page(f, _) => f,
            Source::Items(..) => &[],
        }
    }
}

/// How the examination reads what it is given.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    /// The program that extracts PDF pages in a worker process (one that calls
    /// [`docexam_core::ingest::pdf::run_worker_if_requested`] first); the running one if `None`.
    pub pdf_worker: Option<PathBuf>,
}

/// Reads and examines one document, reporting each stage to `progress` and stopping at the
/// next stage (of the examination too, and between files received) once `cancel` is set.
/// With a case, the files are first received into it (hashed on arrival; a file received
/// before is found again), the stored copies are examined, and the examination is logged
/// with its report. The case is locked only while files are received and while the
/// examination is logged, not while it runs: other work on the case (an import beside it, an
/// annotation) waits for moments, not for examinations.
pub fn open_document(
    doc: &DocumentRef,
    library: &Library,
    as_of: CivilDate,
    case: Option<&Path>,
    reading: &Reading,
    cancel: &AtomicBool,
    progress: &dyn Fn(Progress),
) -> Result<ExaminedDocument, OpenError> {
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
    let failed = |e: &dyn std::fmt::Display| OpenError::Failed(e.to_string());
    let (images, items) = match (case, &doc.source) {
        (Some(dir), Source::Items(of, _)) if of != dir => {
            return Err(OpenError::Failed(format!(
                "{} is in the case in {}, not in the one open: open that case",
                doc.name,
                of.display()
            )));
        }
        (Some(dir), source) => {
            step("opening the case", 0.02);
            // Where the stored copies are, found under the lock; read after it is released.
            let stored: Vec<(Item, PathBuf)> = {
                let mut case = Case::open_for_writing(dir).map_err(|e| failed(&e))?;
                let items = match source {
                    Source::Files(files) => {
                        receive(&mut case, doc, files, None, reading, &step, &stop)?
                    }
                    Source::Page(files, page) => {
                        receive(&mut case, doc, files, Some(*page), reading, &step, &stop)?
                    }
                    Source::Items(_, ids) => stored_items(&case, ids)?,
                };
                items
                    .into_iter()
                    .map(|i| {
                        let path = casework::stored_path(&case, &i);
                        (i, path)
                    })
                    .collect()
            };
            stop()?;
            step("reading the stored copies", 0.15);
            let images = casework::load(&stored).map_err(|e| failed(&e))?;
            (images, stored.into_iter().map(|(i, _)| i).collect())
        }
        (None, Source::Items(..)) => {
            return Err(OpenError::Failed(format!(
                "{} is in a case: open the case first",
                doc.name
            )));
        }
        (None, Source::Files(files) | Source::Page(files, _)) => {
            step("reading the images", 0.05);
            let page = match &doc.source {
                Source::Page(_, p) => Some(*p),
                _ => None,
            };
            (read_files(files, page, reading)?, Vec::new())
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
        cancel: Some(cancel),
    };
    // The pyramids the examination builds are the ones the views draw from.
    let caps = captures(&images);
    let report =
        examine_captures(library, &doc.name, &images, &caps, &opts).map_err(|e| match e {
            ExamError::Cancelled => OpenError::Cancelled,
            e => OpenError::Failed(e.to_string()),
        })?;
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
    let snapshot = match case {
        Some(dir) => {
            step("logging the examination in the case", 0.95);
            let mut case = Case::open_for_writing(dir).map_err(|e| failed(&e))?;
            let case = &mut case;
            let examiner = crate::host::examiner(Some(&case.manifest().examiner));
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
    Ok(ExaminedDocument {
        questioned: doc.clone(),
        report,
        images,
        pyramids,
        prepared,
        elapsed_ms: start.elapsed().as_secs_f64() * 1e3,
        items,
        case: snapshot,
    })
}

/// The images of `files` read directly (no case); a multi-page file (PDF or TIFF) needs
/// `page`, else it is [`OpenError::Pages`].
fn read_files(
    files: &[PathBuf],
    page: Option<u32>,
    reading: &Reading,
) -> Result<Vec<DocumentImage>, OpenError> {
    let options = LoadOptions {
        page,
        pdf_worker: reading.pdf_worker.clone(),
        ..LoadOptions::default()
    };
    let images = load_files(files, &options).map_err(|e| match e {
        LoadError::PageNeeded { path, pages } => OpenError::Pages {
            file: path,
            pages: u32::try_from(pages).unwrap_or(u32::MAX),
        },
        e => OpenError::Failed(e.to_string()),
    })?;
    Ok(images)
}

/// Receives `files` (of `doc`) into `case` and returns the items to examine: one per file, or the items
/// of page `page` of files with several pages. A file with several pages and no page chosen
/// is [`OpenError::Pages`].
fn receive(
    case: &mut Case,
    doc: &DocumentRef,
    files: &[PathBuf],
    page: Option<u32>,
    reading: &Reading,
    step: &dyn Fn(&str, f32),
    stop: &dyn Fn() -> Result<(), OpenError>,
) -> Result<Vec<Item>, OpenError> {
    let examiner = crate::host::examiner(Some(&case.manifest().examiner));
    let mut options = AddOptions::new(examiner);
    if let Some(exe) = &reading.pdf_worker {
        options.pdf = PdfReader::with_worker(exe);
    }
    // A document found in a folder is received under its folder's name, as `docexam batch`
    // receives it.
    if doc.document() != docexam_core::ingest::naming::document_name(files) {
        options.document = Some(doc.document().to_string());
    }
    casework::receive_document(case, files, &options, page, |n, f| {
        stop()?;
        let name = f
            .file_name()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        step(
            &format!("receiving {name} into the case"),
            0.02 + 0.12 * n as f32 / files.len().max(1) as f32,
        );
        Ok(())
    })
}

impl From<casework::CaseworkError> for OpenError {
    fn from(e: casework::CaseworkError) -> OpenError {
        match e {
            casework::CaseworkError::PageNeeded { path, pages } => OpenError::Pages {
                file: path,
                pages: u32::try_from(pages).unwrap_or(u32::MAX),
            },
            other => OpenError::Failed(other.to_string()),
        }
    }
}

/// The items of `case` with these ids, in that order.
fn stored_items(case: &Case, ids: &[u32]) -> Result<Vec<Item>, OpenError> {
    ids.iter()
        .map(|id| {
            case.items()
                .find(|i| i.id == *id)
                .cloned()
                .ok_or_else(|| OpenError::Failed(format!("the case has no item {id}")))
        })
        .collect()
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests: a panic is a failure
mod tests {
    use super::*;

    /// A TIFF of `pages` small RGB pages.
    fn tiff(pages: u32) -> Vec<u8> {
        use tiff::encoder::{TiffEncoder, colortype};
        let mut out = std::io::Cursor::new(Vec::new());
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        for p in 0..pages {
            let rgb: Vec<u8> = (0..40 * 30 * 3)
                .map(|i| (i as u32 * 7 + p * 50) as u8)
                .collect();
            enc.write_image::<colortype::RGB8>(40, 30, &rgb).unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn each_page_of_a_multi_page_file_is_a_document_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let two = dir.path().join("scan_front.tif");
        std::fs::write(&two, tiff(2)).unwrap();
        let files = vec![two.clone()];
        match read_files(&files, None, &Reading::default()) {
            Err(OpenError::Pages { file, pages }) => assert_eq!((file, pages), (two.clone(), 2)),
            other => panic!("{other:?}"),
        }
        let page = read_files(&files, Some(2), &Reading::default()).unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].page, Some(2));
        // A one-page file is simply read.
        let one = dir.path().join("one_front.tif");
        std::fs::write(&one, tiff(1)).unwrap();
        assert_eq!(
            read_files(&[one], None, &Reading::default()).unwrap().len(),
            1
        );
        // Its pages, named after the document.
        let q = DocumentRef::files(files);
        let names: Vec<String> = q.pages(2).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["scan#1", "scan#2"]);
    }
}
