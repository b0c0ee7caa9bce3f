//! Which specimen a page shows: from the MRZ (document code and issuing state) when it was
//! read, otherwise, and to confirm, by how well the page correlates with each specimen's
//! reference image.

use serde::Serialize;

use docexam_base::raster::Pyramid;
use docexam_mrz::FieldKind;
use docexam_mrz::read::ImageRead;

use super::reference::ReferenceImage;
use super::scored_placements;

/// One specimen considered.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// Specimen id.
    pub id: String,
    /// Whether the MRZ's document code and issuing state are the specimen's.
    pub mrz_agrees: bool,
    /// Best whole-document correlation with its reference (−1 when the document was not
    /// found at all).
    pub score: f64,
}

/// The ranking of the specimens for a page.
#[derive(Clone, Debug, Serialize)]
pub struct Identification {
    /// Candidates, best first: those the MRZ agrees with before the others, then by score.
    pub ranking: Vec<Candidate>,
    /// The best candidate's score minus the next one's.
    pub margin: f64,
    /// Each candidate's placements of the page, scored and best first (in the order of
    /// `known`), for registration to use instead of scoring them again.
    #[serde(skip)]
    pub placements: Vec<(String, Vec<(f64, super::locate::Placement)>)>,
}

impl Identification {
    /// The best candidate's id.
    pub fn best(&self) -> Option<&str> {
        self.ranking.first().map(|c| c.id.as_str())
    }
}

/// One specimen to consider: its id, MRZ document code and issuing state, and its reference
/// image of the side and light of the page.
pub struct Known<'a> {
    /// Specimen id.
    pub id: &'a str,
    /// MRZ document code (`P`, `I`, `AR`).
    pub document_code: &'a str,
    /// Issuing state.
    pub issuing_state: &'a str,
    /// The reference image to compare the page with.
    pub reference: &'a ReferenceImage,
}

/// Ranks `known` for `page`; `mrz` is the MRZ read on the page, if any.
pub fn identify(page: &Pyramid, known: &[Known<'_>], mrz: Option<&ImageRead>) -> Identification {
    let (code, state) = mrz.map_or((None, None), |r| {
        (
            r.mrz.raw(FieldKind::DocumentCode),
            r.mrz.raw(FieldKind::IssuingState),
        )
    });
    let mut placements = Vec::new();
    let mut ranking: Vec<Candidate> = known
        .iter()
        .map(|k| {
            let mrz_agrees = code
                .as_deref()
                .is_some_and(|c| c.trim_end_matches('<') == k.document_code.trim_end_matches('<'))
                && state.as_deref().map(|s| s.trim_end_matches('<')) == Some(k.issuing_state);
            let scored = scored_placements(page, k.reference, mrz);
            let score = scored.first().map_or(-1.0, |s| s.0);
            placements.push((k.id.to_string(), scored));
            Candidate {
                id: k.id.to_string(),
                mrz_agrees,
                score,
            }
        })
        .collect();
    ranking.sort_by(|a, b| {
        b.mrz_agrees
            .cmp(&a.mrz_agrees)
            .then(b.score.total_cmp(&a.score))
            .then(a.id.cmp(&b.id))
    });
    let margin = match (ranking.first(), ranking.get(1)) {
        (Some(a), Some(b)) => a.score - b.score,
        (Some(a), None) => a.score,
        _ => 0.0,
    };
    Identification {
        ranking,
        margin,
        placements,
    }
}
