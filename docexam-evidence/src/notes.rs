//! The examiner's own words in the case: annotations (a mark on an image with a note) and the
//! conclusion on a document. Both go into the audit log like every other action, naming the
//! items they concern, so they are hash-chained with the evidence they speak of.

use serde::{Deserialize, Serialize};

use super::audit::{Action, AuditEntry};
use super::case::Case;
use super::error::EvidenceError;
use super::hash::EvidenceHash;

/// The longest note kept, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;

/// A mark the examiner made on one item's image, with a note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The document the item belongs to.
    pub document: String,
    /// The item marked (its number in the case).
    pub item: u32,
    /// The marked region in the item's image pixels: x, y, width, height; a point has width
    /// and height 0.
    pub region_px: [f64; 4],
    /// The same region in the specimen's frame (mm), when the image was registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_mm: Option<[f64; 4]>,
    /// The security feature the mark concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// What the examiner saw.
    pub note: String,
}

impl Annotation {
    /// Whether the mark is a point rather than a rectangle.
    pub fn is_point(&self) -> bool {
        self.region_px[2] == 0.0 && self.region_px[3] == 0.0
    }
}

/// A marked region (image pixels: x, y, width, height) in words: `point 12,34` or
/// `region 12,34 56x78 px`.
pub fn region_text([x, y, w, h]: [f64; 4]) -> String {
    if w == 0.0 && h == 0.0 {
        format!("point {x:.0},{y:.0}")
    } else {
        format!("region {x:.0},{y:.0} {w:.0}x{h:.0} px")
    }
}

/// Every annotation `entries` record, oldest first.
pub fn annotations_in(entries: &[AuditEntry]) -> impl Iterator<Item = &Annotation> {
    entries.iter().filter_map(|e| match &e.action {
        Action::Annotate(a) => Some(a),
        _ => None,
    })
}

/// The latest conclusion on `document` that `entries` record, if any.
pub fn conclusion_in<'a>(entries: &'a [AuditEntry], document: &str) -> Option<&'a Conclusion> {
    entries.iter().rev().find_map(|e| match &e.action {
        Action::Conclude(c) if c.document == document => Some(c),
        _ => None,
    })
}

/// The examiner's finding on a document, in the terms document examiners report in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExaminerFinding {
    /// Genuine: made by the issuing authority, unaltered (the examiner's judgement; docexam
    /// itself never claims it).
    Genuine,
    /// A counterfeit: an imitation of the whole document.
    Counterfeit,
    /// A forgery: a genuine document altered (data changed, photo substituted, pages replaced).
    Forged,
    /// A pseudo-document: no such document is issued by any authority.
    PseudoDocument,
    /// Genuine, but obtained by fraud (false breeder documents, corrupt issuance).
    FraudulentlyObtained,
    /// Genuine and unaltered, but presented by someone other than its holder.
    Impostor,
    /// A genuine blank stolen and personalised without authority.
    StolenBlank,
    /// The examiner cannot decide (refer to a document expert, say why in the note).
    Inconclusive,
}

impl ExaminerFinding {
    /// Every finding, in the order an examiner is offered them.
    pub const ALL: [ExaminerFinding; 8] = [
        ExaminerFinding::Genuine,
        ExaminerFinding::Counterfeit,
        ExaminerFinding::Forged,
        ExaminerFinding::PseudoDocument,
        ExaminerFinding::FraudulentlyObtained,
        ExaminerFinding::Impostor,
        ExaminerFinding::StolenBlank,
        ExaminerFinding::Inconclusive,
    ];

    /// The finding in words.
    pub fn label(self) -> &'static str {
        match self {
            ExaminerFinding::Genuine => "genuine",
            ExaminerFinding::Counterfeit => "counterfeit",
            ExaminerFinding::Forged => "forged (altered genuine)",
            ExaminerFinding::PseudoDocument => "pseudo-document",
            ExaminerFinding::FraudulentlyObtained => "fraudulently obtained genuine",
            ExaminerFinding::Impostor => "impostor (genuine, not the holder's)",
            ExaminerFinding::StolenBlank => "stolen blank",
            ExaminerFinding::Inconclusive => "inconclusive",
        }
    }
}

/// The examiner's conclusion on one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conclusion {
    /// The document concluded on.
    pub document: String,
    /// Its items (their numbers in the case).
    pub items: Vec<u32>,
    /// The finding.
    pub finding: ExaminerFinding,
    /// The grounds, in the examiner's words.
    pub note: String,
}

fn rejected(what: impl Into<String>) -> EvidenceError {
    EvidenceError::Rejected { what: what.into() }
}

fn check_note(note: &str, required: bool) -> Result<(), EvidenceError> {
    if required && note.trim().is_empty() {
        return Err(rejected("the note is empty: say what was seen"));
    }
    let n = note.chars().count();
    if n > MAX_NOTE_CHARS {
        return Err(rejected(format!(
            "the note has {n} characters, more than the {MAX_NOTE_CHARS} kept"
        )));
    }
    Ok(())
}

impl Case {
    /// Records an annotation in the audit log. The item must be in the case and the region
    /// inside its image.
    pub fn annotate(&mut self, actor: &str, annotation: Annotation) -> Result<(), EvidenceError> {
        check_note(&annotation.note, true)?;
        let item = self.named_item(annotation.item)?;
        let [x, y, w, h] = annotation.region_px;
        let inside = [x, y, w, h].iter().all(|v| v.is_finite() && *v >= 0.0)
            && x + w <= f64::from(item.width)
            && y + h <= f64::from(item.height);
        if !inside {
            return Err(rejected(format!(
                "the region {x},{y} {w}x{h} is not inside item {}'s {}x{} image",
                item.id, item.width, item.height
            )));
        }
        if let Some(mm) = annotation.region_mm
            && !mm.iter().all(|v| v.is_finite())
        {
            return Err(rejected("the region in millimetres is not finite"));
        }
        let hashes = vec![item.original];
        self.commit_one(actor, Action::Annotate(annotation), hashes)
    }

    /// Records the examiner's conclusion on a document. Every item it names must be in the
    /// case.
    pub fn conclude(&mut self, actor: &str, conclusion: Conclusion) -> Result<(), EvidenceError> {
        check_note(&conclusion.note, false)?;
        if conclusion.items.is_empty() {
            return Err(rejected("a conclusion must name the document's items"));
        }
        let mut hashes: Vec<EvidenceHash> = Vec::new();
        for id in &conclusion.items {
            let item = self.named_item(*id)?;
            if !hashes.contains(&item.original) {
                hashes.push(item.original);
            }
        }
        self.commit_one(actor, Action::Conclude(conclusion), hashes)
    }

    /// The item `id` of the case, or a rejection naming it.
    fn named_item(&self, id: u32) -> Result<&super::item::Item, EvidenceError> {
        self.items()
            .find(|i| i.id == id)
            .ok_or_else(|| rejected(format!("item {id} is not in the case")))
    }

    /// Every annotation the log records, oldest first.
    pub fn annotations(&self) -> impl Iterator<Item = &Annotation> {
        annotations_in(self.entries())
    }

    /// The latest conclusion recorded on `document`, if any.
    pub fn conclusion(&self, document: &str) -> Option<&Conclusion> {
        conclusion_in(self.entries(), document)
    }
}
