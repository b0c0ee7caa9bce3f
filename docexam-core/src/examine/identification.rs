//! Choosing the specimen to compare a document with: the one named, or the one its MRZ names
//! (document code and issuing state) confirmed by the content, or the one the page correlates
//! with best.

use std::sync::Arc;

use rayon::prelude::*;

use crate::compare::{Capture, Prior, read_mrz};
use crate::ingest::LightSource;
use crate::mrz::MrzParser;
use crate::mrz::read::ImageRead;
use crate::register::identify::Known;
use crate::register::{MIN_PLACEMENT_NCC, identify};

use super::ExamError;
use super::library::{Library, PreparedSpecimen};
use super::report::{IdentificationMethod, IdentificationRecord};

/// What identifying found of each capture (its MRZ read, its placements against the chosen
/// specimen), for the comparison to use instead of finding it again.
pub type Priors = Vec<Prior>;

/// The specimen for `captures`: `given`, or identified among every specimen of `library`.
pub fn choose(
    library: &Library,
    captures: &[Capture],
    given: Option<&str>,
    parser: &MrzParser,
) -> Result<(IdentificationRecord, Option<Arc<PreparedSpecimen>>, Priors), ExamError> {
    if let Some(id) = given {
        let p = library.prepared(id).map_err(|source| ExamError::Specimen {
            id: id.to_string(),
            source,
        })?;
        return Ok((
            IdentificationRecord {
                specimen: Some(id.to_string()),
                method: IdentificationMethod::Given,
                ranking: Vec::new(),
                margin: None,
                note: format!("specimen {id} was named by the examiner"),
            },
            Some(p),
            Vec::new(),
        ));
    }
    // The page to identify with: a white capture whose MRZ reads, else the first white one.
    let whites: Vec<(usize, &Capture)> = captures
        .iter()
        .enumerate()
        .filter(|(_, c)| c.light == LightSource::White)
        .collect();
    // With one white page, one core would idle while its MRZ is read: read the IR capture of
    // the same side beside it, a read the comparison makes anyway (the MRZ under IR).
    let ir_beside: Vec<(usize, &Capture)> = match whites.as_slice() {
        [(_, white)] => captures
            .iter()
            .enumerate()
            .filter(|(_, c)| c.light == LightSource::Ir && c.side == white.side)
            .take(1)
            .collect(),
        _ => Vec::new(),
    };
    let mut all_reads: Vec<Option<ImageRead>> = whites
        .iter()
        .chain(&ir_beside)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(_, c)| read_mrz(&c.pyramid, parser))
        .collect();
    let mut tried: Priors = vec![Prior::default(); captures.len()];
    for ((i, _), r) in whites.iter().chain(&ir_beside).zip(&all_reads) {
        if let Some(slot) = tried.get_mut(*i) {
            slot.mrz = Some(r.clone());
        }
    }
    all_reads.truncate(whites.len());
    let reads = all_reads;
    let whites: Vec<&Capture> = whites.iter().map(|(_, c)| *c).collect();
    let with_mrz = whites
        .iter()
        .zip(&reads)
        .find_map(|(c, r)| r.as_ref().map(|r| (*c, r)));
    let (page, mrz) = match with_mrz {
        Some((c, r)) => (c, Some(r)),
        None => match whites.first().copied().or_else(|| captures.first()) {
            Some(c) => (c, None),
            None => return Err(ExamError::NoImages),
        },
    };
    // Candidates are chosen on the manifests alone; only they are loaded and prepared.
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for id in library.ids() {
        match library.manifest(&id) {
            Ok(m) => loaded.push((id, m)),
            Err(e) => problems.push(format!("{id}: {e}")),
        }
    }
    let agrees = |m: &crate::specimen::Manifest| {
        mrz.is_some_and(|r| {
            let f = |k| {
                r.mrz
                    .raw(k)
                    .map(|v| v.trim_end_matches('<').to_string())
                    .unwrap_or_default()
            };
            let d = &m.document;
            f(crate::mrz::FieldKind::DocumentCode) == d.document_code.trim_end_matches('<')
                && f(crate::mrz::FieldKind::IssuingState) == d.issuing_state
        })
    };
    let by_mrz: Vec<String> = loaded
        .iter()
        .filter(|(_, m)| agrees(m))
        .map(|(id, _)| id.clone())
        .collect();
    let method = if by_mrz.is_empty() {
        IdentificationMethod::Content
    } else {
        IdentificationMethod::Mrz
    };
    let candidates: Vec<String> = if by_mrz.is_empty() {
        loaded
            .iter()
            .filter(|(_, m)| {
                m.images
                    .iter()
                    .any(|i| i.side == page.side && i.light == page.light)
            })
            .map(|(id, _)| id.clone())
            .collect()
    } else {
        by_mrz
    };
    let mut prepared = Vec::new();
    for id in &candidates {
        match library.prepared(id) {
            Ok(p) => prepared.push(p),
            Err(e) => problems.push(format!("{id}: {e}")),
        }
    }
    let known: Vec<Known<'_>> = prepared
        .iter()
        .filter_map(|p| {
            let reference = p
                .references
                .iter()
                .find(|r| r.side == page.side && r.light == page.light)?;
            Some(Known {
                id: p.specimen.id(),
                document_code: &p.specimen.manifest.document.document_code,
                issuing_state: &p.specimen.manifest.document.issuing_state,
                reference,
            })
        })
        .collect();
    let ident = identify(&page.pyramid, &known, mrz);
    let trouble = if problems.is_empty() {
        String::new()
    } else {
        format!(
            " (specimens that could not be loaded: {})",
            problems.join("; ")
        )
    };
    let best = ident.ranking.first().cloned();
    let chosen = best
        .as_ref()
        .filter(|b| b.mrz_agrees || b.score >= MIN_PLACEMENT_NCC);
    let record = |specimen: Option<String>, method, note: String| IdentificationRecord {
        specimen,
        method,
        ranking: ident.ranking.clone(),
        margin: (ident.ranking.len() > 1).then_some(ident.margin),
        note: format!("{note}{trouble}"),
    };
    let mrz_clause = if mrz.is_some() {
        "; the MRZ names no loaded specimen"
    } else {
        "; no MRZ could be read"
    };
    let Some(b) = chosen else {
        let note = match (&best, mrz) {
            (None, _) => format!(
                "no specimen has a {} reference of the {} to compare with",
                page.light.name(),
                page.side.name()
            ),
            (Some(b), _) => format!(
                "no specimen matches: the best, {}, correlates {:.2} with the page (needs {MIN_PLACEMENT_NCC}){}",
                b.id, b.score, mrz_clause
            ),
        };
        return Ok((record(None, IdentificationMethod::None, note), None, tried));
    };
    let p = prepared.iter().find(|p| p.specimen.id() == b.id).cloned();
    // The page's placements against the chosen specimen were scored while ranking it.
    let page_index = captures.iter().position(|c| std::ptr::eq(c, page));
    if let (Some(slot), Some((_, scored))) = (
        page_index.and_then(|i| tried.get_mut(i)),
        ident.placements.iter().find(|(id, _)| *id == b.id),
    ) {
        slot.placements = Some(scored.clone());
    }
    let note = match method {
        IdentificationMethod::Mrz => format!(
            "the MRZ's document code and issuing state name {}; the page correlates {:.2} with its reference",
            b.id, b.score
        ),
        _ => format!(
            "{} correlates best with the page ({:.2}){}",
            b.id, b.score, mrz_clause
        ),
    };
    Ok((record(Some(b.id.clone()), method, note), p, tried))
}
