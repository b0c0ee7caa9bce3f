//! Examining from a case: files are received once (a file already received is found again by
//! its blake3 and name), documents are examined from the stored copies, never from the files
//! the examiner pointed at, and each examination is logged with its report stored under
//! `derived/`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::pdf::{PdfError, PdfMeta};
use super::{DocumentImage, PreparedSpecimen, Report};
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
    /// A file of several pages was received and no page was named: each page is a document
    /// of its own, examined one at a time.
    #[error("{}: has {pages} pages; name the one to examine", path.display())]
    PageNeeded {
        /// The file.
        path: PathBuf,
        /// Its pages.
        pages: usize,
    },
    /// The page named is not among the file's pages.
    #[error("{}: has {pages} pages, not page {page}", path.display())]
    NoSuchPage {
        /// The file.
        path: PathBuf,
        /// The page asked for, from 1.
        page: u32,
        /// The pages the file has.
        pages: usize,
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

/// Of the items one file was received as, those an examination of `page` takes: a single
/// image's item; of a PDF or a multi-page file, the item of `page`, or its only page. Used by
/// every front end, so that a page is chosen the same way everywhere.
pub fn choose_page(
    path: &Path,
    items: Vec<Item>,
    page: Option<u32>,
) -> Result<Vec<Item>, CaseworkError> {
    let pages = items.iter().filter(|i| i.page.is_some()).count();
    if pages == 0 {
        return Ok(items);
    }
    let want = match (page, pages) {
        (Some(p), _) => p,
        (None, 1) => items.iter().find_map(|i| i.page).unwrap_or(1),
        (None, n) => {
            return Err(CaseworkError::PageNeeded {
                path: path.to_path_buf(),
                pages: n,
            });
        }
    };
    let chosen: Vec<Item> = items.into_iter().filter(|i| i.page == Some(want)).collect();
    if chosen.is_empty() {
        return Err(CaseworkError::NoSuchPage {
            path: path.to_path_buf(),
            page: want,
            pages,
        });
    }
    Ok(chosen)
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

/// Receives the files of one document into `case` (each as [`receive`] does) and returns the
/// items to examine: of each file, the items [`choose_page`] takes for `page`. `before` is
/// called before each file with its position, for progress or to stop: an error it returns
/// ends the receiving, as does the first file that cannot be received. The CLI and the
/// workstation both take documents into a case so.
pub fn receive_document<E: From<CaseworkError>>(
    case: &mut Case,
    files: &[PathBuf],
    options: &AddOptions,
    page: Option<u32>,
    mut before: impl FnMut(usize, &Path) -> Result<(), E>,
) -> Result<Vec<Item>, E> {
    let mut out = Vec::new();
    for (n, f) in files.iter().enumerate() {
        before(n, f)?;
        let items = receive(case, f, options)?;
        out.extend(choose_page(f, items, page)?);
    }
    Ok(out)
}

/// The PDF report of an examination: the report (`line` is its JSON line, whose blake3 the PDF
/// states), its `images` and the specimen's reference images when one was identified, with
/// the case it is logged in, the `items` examined and the `examiner` on its first page. The
/// CLI and the workstation both render reports so; [`record`] then keeps it in the case.
pub fn render_pdf(
    report: &Report,
    line: &str,
    images: &[DocumentImage],
    prepared: Option<&PreparedSpecimen>,
    case_id: Option<String>,
    items: &[Item],
    examiner: String,
) -> Result<Vec<u8>, PdfError> {
    let meta = PdfMeta::for_report(line, case_id, items, examiner);
    let references = prepared.map_or(&[][..], |p| &p.references[..]);
    super::pdf::render(report, images, references, &meta)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{LightSource, MediaType, Side};

    fn item(id: u32, page: Option<u32>) -> Item {
        Item {
            id,
            document: "scan".into(),
            side: Side::Front,
            light: LightSource::White,
            source: "scan.pdf".into(),
            bytes: 10,
            media_type: MediaType::Pdf,
            original: EvidenceHash::of_bytes(b"scan"),
            page,
            extracted: None,
            width: 10,
            height: 10,
            dpi: None,
        }
    }

    #[test]
    fn a_page_is_chosen_the_same_way_for_every_front_end() {
        let p = Path::new("scan.pdf");
        let single = choose_page(p, vec![item(1, None)], Some(3)).unwrap();
        assert_eq!(
            single.len(),
            1,
            "a single image is its own page, whatever was asked"
        );
        let one = choose_page(p, vec![item(1, Some(1))], None).unwrap();
        assert_eq!(one[0].id, 1, "the only page of a one-page PDF");
        let three = || vec![item(1, Some(1)), item(2, Some(2)), item(3, Some(3))];
        assert_eq!(choose_page(p, three(), Some(2)).unwrap()[0].id, 2);
        assert!(matches!(
            choose_page(p, three(), None),
            Err(CaseworkError::PageNeeded { pages: 3, .. })
        ));
        assert!(matches!(
            choose_page(p, three(), Some(4)),
            Err(CaseworkError::NoSuchPage {
                page: 4,
                pages: 3,
                ..
            })
        ));
    }
}
