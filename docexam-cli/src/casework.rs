//! Examining from a case: files are received once (a file already received is found again by
//! its blake3 and name), documents are examined from the stored copies, and each examination
//! is logged with its report stored under `derived/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use docexam_core::evidence::{AddOptions, Case, EvidenceHash, Examination, Item};
use docexam_core::examine::{DocumentImage, Report};
use docexam_core::ingest::Limits;

/// Receives `path` into `case`, or finds the items it was received as before.
pub fn receive(case: &mut Case, path: &Path, options: &AddOptions) -> Result<Vec<Item>> {
    let hash =
        EvidenceHash::of_file(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
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

/// The images of `items` in `case`.
pub fn images(case: &Case, items: &[Item]) -> Result<Vec<DocumentImage>> {
    let stored: Vec<(Item, PathBuf)> = items
        .iter()
        .map(|i| (i.clone(), stored_path(case, i)))
        .collect();
    load(&stored)
}

/// The images of items read from their stored copies.
pub fn load(stored: &[(Item, PathBuf)]) -> Result<Vec<DocumentImage>> {
    use rayon::prelude::*;
    stored
        .par_iter()
        .map(|(item, path)| load_one(item, path))
        .collect()
}

fn load_one(item: &Item, path: &Path) -> Result<DocumentImage> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("item {}: cannot read {}", item.id, path.display()))?;
    let mut pages = DocumentImage::from_bytes(
        &item.source,
        &bytes,
        Some(item.side),
        Some(item.light),
        &Limits::DEFAULT,
    )
    .with_context(|| format!("item {} ({}): cannot decode", item.id, item.source))?;
    // A multi-page image file holds every page: keep this item's.
    let index = match (item.extracted.is_some(), item.page) {
        (false, Some(p)) => usize::try_from(p).unwrap_or(1).saturating_sub(1),
        _ => 0,
    };
    if index >= pages.len() {
        anyhow::bail!(
            "item {} ({}): page {} is missing",
            item.id,
            item.source,
            index + 1
        );
    }
    let mut img = pages.swap_remove(index);
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
) -> Result<Examination> {
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
