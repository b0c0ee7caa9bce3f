//! The images of one document read from files: image files (every page of a multi-page TIFF,
//! or the one asked for) and one page of a PDF, extracted in a worker process.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::evidence::EvidenceHash;
use crate::ingest::pdf::PdfReader;
use crate::ingest::{LightSource, Limits, MediaType, Side, read_head};

use super::input::DocumentImage;

/// How files are read.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// The side of every file, instead of the one its name gives.
    pub side: Option<Side>,
    /// The light of every file, instead of the one its name gives.
    pub light: Option<LightSource>,
    /// The page to take from a PDF or multi-page file (from 1); without it such a file must
    /// have one page.
    pub page: Option<u32>,
    /// Decoding limits for untrusted files.
    pub limits: Limits,
    /// The executable that extracts PDF pages in a worker process (a program that calls
    /// [`crate::ingest::pdf::run_worker_if_requested`] first thing); the running one if
    /// `None`.
    pub pdf_worker: Option<PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            side: None,
            light: None,
            page: None,
            limits: Limits::DEFAULT,
            pdf_worker: None,
        }
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A PDF or image file of several pages was given without naming the page.
    #[error("{}: has {pages} pages; name the one to examine", path.display())]
    PageNeeded {
        /// The file.
        path: PathBuf,
        /// How many pages it has.
        pages: usize,
    },
    /// The file could not be read or decoded.
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
}

fn fail(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::File {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Decodes `files` (each on its own core: a 600-dpi JPEG takes about 0.1 s), in order.
pub fn load_files(files: &[PathBuf], opts: &LoadOptions) -> Result<Vec<DocumentImage>, LoadError> {
    let per_file: Vec<Result<Vec<DocumentImage>, LoadError>> =
        files.par_iter().map(|f| load_file(f, opts)).collect();
    let mut images = Vec::new();
    for r in per_file {
        images.extend(r?);
    }
    Ok(images)
}

fn load_file(f: &Path, opts: &LoadOptions) -> Result<Vec<DocumentImage>, LoadError> {
    let head = read_head(f).map_err(|e| fail(f, format!("cannot read: {e}")))?;
    if MediaType::sniff(&head) == Some(MediaType::Pdf) {
        return Ok(vec![pdf_page(f, opts)?]);
    }
    let bytes = crate::untrusted_file::read_limited(f, opts.limits.max_file_bytes)
        .map_err(|e| fail(f, format!("cannot read: {e}")))?;
    // The pages are counted from their directories; only the page examined is decoded.
    let n = crate::ingest::probe(std::io::Cursor::new(&bytes[..]), &opts.limits)
        .map_err(|e| fail(f, format!("cannot decode: {e}")))?
        .pages
        .len();
    let page = match opts.page {
        Some(p) if usize::try_from(p).is_ok_and(|p| (1..=n).contains(&p)) => p,
        Some(p) if n > 1 => return Err(fail(f, format!("has {n} pages, not page {p}"))),
        // A single image is its own page, whatever page was asked.
        Some(_) => 1,
        // A multi-page TIFF, like a PDF, is examined one page at a time.
        None if n > 1 => {
            return Err(LoadError::PageNeeded {
                path: f.to_path_buf(),
                pages: n,
            });
        }
        None => 1,
    };
    let name = f.file_name().map_or_else(
        || f.display().to_string(),
        crate::ingest::naming::file_name_text,
    );
    let got =
        DocumentImage::from_bytes_page(&name, &bytes, page, opts.side, opts.light, &opts.limits)
            .map_err(|e| fail(f, format!("cannot decode: {e}")))?;
    Ok(vec![got])
}

/// One page of the PDF `path`, extracted in a worker process.
fn pdf_page(path: &Path, opts: &LoadOptions) -> Result<DocumentImage, LoadError> {
    let tmp = tempfile::tempdir().map_err(|e| fail(path, format!("no temporary folder: {e}")))?;
    let exe = match &opts.pdf_worker {
        Some(e) => e.clone(),
        None => std::env::current_exe()
            .map_err(|e| fail(path, format!("cannot find the running program: {e}")))?,
    };
    let pages = PdfReader::with_worker(exe)
        .extract(path, tmp.path(), &opts.limits)
        .map_err(|e| fail(path, format!("cannot read the PDF: {e}")))?;
    let wanted = match (opts.page, pages.len()) {
        (_, 0) => return Err(fail(path, "the PDF holds no page image")),
        (None, 1) => 1,
        (None, n) => {
            return Err(LoadError::PageNeeded {
                path: path.to_path_buf(),
                pages: n,
            });
        }
        (Some(p), _) => p,
    };
    let Some(p) = pages.iter().find(|p| p.page == wanted) else {
        return Err(fail(path, format!("the PDF has no page {wanted}")));
    };
    let bytes = std::fs::read(&p.temp)
        .map_err(|e| fail(path, format!("cannot read the image of page {wanted}: {e}")))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        crate::ingest::naming::file_name_text,
    );
    let mut got = DocumentImage::from_bytes(&name, &bytes, opts.side, opts.light, &opts.limits)
        .map_err(|e| {
            fail(
                path,
                format!("cannot decode the image of page {wanted}: {e}"),
            )
        })?;
    let Some(mut img) = got.pop() else {
        return Err(fail(path, format!("page {wanted} holds no image")));
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(path, e.to_string()))?;
    img.name = format!("{name}#{wanted}");
    img.hash = EvidenceHash::of_file(path).map_err(|e| fail(path, e.to_string()))?;
    img.bytes = meta.len();
    img.page = Some(wanted);
    img.dpi = p.dpi.or(img.dpi);
    Ok(img)
}
