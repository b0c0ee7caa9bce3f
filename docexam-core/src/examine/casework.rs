//! Examining from a case: files are received once (a file already received is found again by
//! its blake3 and name), documents are examined from the stored copies, never from the files
//! the examiner pointed at, and each examination is logged with its report stored under
//! `derived/`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{DocumentImage, Report};
use crate::evidence::{AddOptions, Case, EvidenceError, EvidenceHash, Examination, Item};
use crate::ingest::{IngestError, Limits};

/// Why a document could not be taken from a case.
#[derive(Debug, thiserror::Error)]
pub enum CaseworkError {
    /// The case refused or failed.
    #[error(transparent)]
    Evidence(#[from] EvidenceError),
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A stored copy could not be decoded.
    #[error("item {item} ({name}): cannot decode: {source}")]
    Decode {
        /// The item.
        item: u32,
        /// The name it was received under.
        name: String,
        /// Why.
        #[source]
        source: IngestError,
    },
    /// A multi-page file lacks the item's page.
    #[error("item {item} ({name}): page {page} is missing")]
    PageMissing {
        /// The item.
        item: u32,
        /// The name it was received under.
        name: String,
        /// The page, from 1.
        page: usize,
    },
}

/// Receives `path` into `case`, or finds the items it was received as before (same blake3,
/// same file name, same document).
pub fn receive(
    case: &mut Case,
    path: &Path,
    options: &AddOptions,
) -> Result<Vec<Item>, CaseworkError> {
    let hash = EvidenceHash::of_file(path).map_err(|source| CaseworkError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(crate::ingest::naming::file_name_text)
        .unwrap_or_default();
    let known: Vec<Item> = case
        .items_of(&hash)
        .into_iter()
        .filter(|i| i.source == name && options.document.as_ref().is_none_or(|d| *d == i.document))
        .cloned()
        .collect();
    if !known.is_empty() {
        return Ok(known);
    }
    Ok(case.add(path, options)?)
}

/// Where `case` stores the image of `item` (a PDF page: the image extracted when it was
/// received).
pub fn stored_path(case: &Case, item: &Item) -> PathBuf {
    match &item.extracted {
        Some(x) => case.derived_path(&x.hash),
        None => case.original_path(&item.original),
    }
}

/// The images of `items`, read from `case`'s stored copies.
pub fn images(case: &Case, items: &[Item]) -> Result<Vec<DocumentImage>, CaseworkError> {
    let stored: Vec<(Item, PathBuf)> = items
        .iter()
        .map(|i| (i.clone(), stored_path(case, i)))
        .collect();
    load(&stored)
}

/// The images of items read from their stored copies (in parallel).
pub fn load(stored: &[(Item, PathBuf)]) -> Result<Vec<DocumentImage>, CaseworkError> {
    stored
        .par_iter()
        .map(|(item, path)| load_one(item, path))
        .collect()
}

fn load_one(item: &Item, path: &Path) -> Result<DocumentImage, CaseworkError> {
    let bytes = std::fs::read(path).map_err(|source| CaseworkError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // A multi-page image file holds every page: only this item's is decoded.
    let page = match (item.extracted.is_some(), item.page) {
        (false, Some(p)) => p,
        _ => 1,
    };
    let decoded = DocumentImage::from_bytes_page(
        &item.source,
        &bytes,
        page,
        Some(item.side),
        Some(item.light),
        &Limits::DEFAULT,
    );
    let mut img = match decoded {
        Ok(img) => img,
        Err(IngestError::NoSuchPage { .. }) => {
            return Err(CaseworkError::PageMissing {
                item: item.id,
                name: item.source.clone(),
                page: usize::try_from(page).unwrap_or(usize::MAX),
            });
        }
        Err(source) => {
            return Err(CaseworkError::Decode {
                item: item.id,
                name: item.source.clone(),
                source,
            });
        }
    };
    img.name = match item.page {
        Some(p) => format!("{}#{p}", item.source),
        None => item.source.clone(),
    };
    img.hash = item.original;
    img.bytes = item.bytes;
    img.page = item.page;
    img.dpi = item.dpi.or(img.dpi);
    Ok(img)
}

/// Stores `line` (the report as one line of JSON) and, if given, the PDF report in `case`,
/// and logs the examination of `items`.
pub fn record(
    case: &mut Case,
    actor: &str,
    items: &[Item],
    report: &Report,
    line: &str,
    pdf: Option<&[u8]>,
) -> Result<Examination, CaseworkError> {
    let report_hash = case.store_derived(line.as_bytes())?;
    let pdf_hash = pdf.map(|p| case.store_derived(p)).transpose()?;
    let x = Examination {
        document: report.document.clone(),
        items: items.iter().map(|i| i.id).collect(),
        specimen: report.specimen.as_ref().map(|s| s.id.clone()),
        specimen_hash: report.specimen.as_ref().and_then(|s| s.blake3.parse().ok()),
        result: report.assessment.result.name().to_string(),
        report: report_hash,
        pdf: pdf_hash,
    };
    case.log_examination(actor, x.clone())?;
    Ok(x)
}
