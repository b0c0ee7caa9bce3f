//! Finding the document on a page and mapping it onto its specimen's millimetre frame.
//!
//! 1. **Placements** ([`locate`]): the document's outline against the scanner bed or the
//!    background gives a rectangle, mapped onto the document both ways round; an MRZ read on
//!    the page gives rotation, scale and position. Each placement is scored by the
//!    correlation of the whole document with the reference at 2 px/mm; the best wins, and
//!    the ranking with its margin is reported.
//! 2. **Coarse fit** ([`refine::COARSE`]): large patches of the reference layout are found
//!    again within ±7 mm and a homography is fitted by RANSAC (mild perspective follows).
//! 3. **Medium and fine fits** ([`refine::MEDIUM`], [`refine::FINE`]): static patches
//!    (never a personalised zone: the portrait, data and MRZ cannot pull the alignment),
//!    first 8 mm at 3 px/mm within ±1.5 mm, where fine lines blur and cannot alias, then
//!    5 mm at 6 px/mm within ±0.3 mm, less than half a fine-line spacing.
//! 4. **Residual**: the inliers' RMS distance from the map, in mm. A registration whose
//!    residual exceeds what a comparator needs leaves that comparator inconclusive.
//!
//! Each light source of a document is registered on its own against its own reference
//! image.

pub mod identify;
pub mod locate;
pub mod reference;
pub mod refine;

use serde::Serialize;

use crate::ingest::{LightSource, Side};
use crate::mrz::read::ImageRead;
use crate::raster::{Homography, Pyramid, View, ncc};

pub use identify::{Candidate, Identification, identify};
pub use reference::{ReferenceImage, prepare_all};

/// Residual (mm) up to which a registration counts as fine enough for pattern comparison.
pub const MAX_FINE_RESIDUAL_MM: f64 = 0.3;

/// Lowest whole-document correlation at which a placement is taken for the document.
pub const MIN_PLACEMENT_NCC: f64 = 0.2;

/// How a page was mapped onto its reference.
#[derive(Clone, Debug, Serialize)]
pub struct Registration {
    /// Side.
    pub side: Side,
    /// Light.
    pub light: LightSource,
    /// Document millimetres → page pixels.
    #[serde(skip)]
    pub mm_to_px: Homography,
    /// The map's coefficients, row-major (for reports).
    pub homography: [f64; 9],
    /// Page pixels per document millimetre at the document's centre.
    pub px_per_mm: f64,
    /// Direction of the document's top edge on the page, degrees clockwise.
    pub angle_deg: f64,
    /// RMS distance of the matched patches from the map (mm).
    pub residual_mm: f64,
    /// Matched patches the map agrees with.
    pub inliers: usize,
    /// Patches tried.
    pub patches: usize,
    /// `fine`, `coarse` or `outline` (the last stage that succeeded; `outline`: only the
    /// document's place on the page is known, its content did not match the reference).
    pub stage: &'static str,
    /// The placement the fit started from.
    pub method: String,
    /// Every placement with its whole-document correlation, best first.
    pub placements: Vec<(String, f64)>,
    /// Best placement's correlation minus the second best's.
    pub margin: f64,
}

impl Registration {
    /// Whether the fine stage fitted with a residual of at most [`MAX_FINE_RESIDUAL_MM`].
    pub fn aligned(&self) -> bool {
        self.stage == "fine" && self.residual_mm <= MAX_FINE_RESIDUAL_MM
    }
}

/// Why a page could not be registered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// No placement of the document on the page matched the reference.
    #[error(
        "could not align the {side} ({light}) with the reference: {reason}",
        side = side.name(),
        light = light.name()
    )]
    NotFound {
        /// Side.
        side: Side,
        /// Light.
        light: LightSource,
        /// What was tried.
        reason: String,
    },
}

/// Registers `page` onto `reference`; `mrz`, when the MRZ was read on this page, adds its
/// placement.
pub fn register(
    page: &Pyramid,
    reference: &ReferenceImage,
    mrz: Option<&ImageRead>,
) -> Result<Registration, RegisterError> {
    let scored = scored_placements(page, reference, mrz);
    let (w, h) = reference.size_mm;
    let not_found = |reason: String| RegisterError::NotFound {
        side: reference.side,
        light: reference.light,
        reason,
    };
    let Some((best, placement)) = scored.first().cloned() else {
        return Err(not_found(
            "no document outline or MRZ was found on the page".into(),
        ));
    };
    let margin = best - scored.get(1).map_or(0.0, |s| s.0);
    let (map, stage, residual, inliers, patches) = if best < MIN_PLACEMENT_NCC {
        // Something of the document's shape was found but does not look like the reference
        // at all (a UV capture of ordinary paper, say): only its place on the page is known.
        let Some((_, outline)) = scored.iter().find(|(_, p)| p.shape_matches) else {
            return Err(not_found(format!(
                "the best placement ({}) correlates {best:.2} with the reference, below \
                 {MIN_PLACEMENT_NCC}, and no outline of the document's shape was found",
                placement.method
            )));
        };
        (outline.mm_to_px, "outline", f64::NAN, 0, 0)
    } else {
        use refine::Patches;
        let coarse = refine::refine(
            page,
            reference,
            placement.mm_to_px,
            refine::COARSE,
            Patches::Grid,
        );
        let start = coarse.as_ref().map_or(placement.mm_to_px, |f| f.mm_to_px);
        let medium = refine::refine(page, reference, start, refine::MEDIUM, Patches::Anchors)
            .filter(|f| f.inliers >= 8)
            .filter(|f| {
                coarse.as_ref().is_none_or(|c| {
                    agrees(
                        &c.mm_to_px,
                        &f.mm_to_px,
                        (w, h),
                        (3.0 * c.residual_mm).max(1.0),
                    )
                })
            });
        let start = medium.as_ref().map_or(start, |f| f.mm_to_px);
        let fine =
            refine::refine(page, reference, start, refine::FINE, Patches::Anchors).filter(|f| {
                f.inliers >= 8
                    && f.inliers * 10 >= f.tried * 3
                    && coarse.as_ref().is_none_or(|c| {
                        agrees(
                            &c.mm_to_px,
                            &f.mm_to_px,
                            (w, h),
                            (3.0 * c.residual_mm).max(1.0),
                        )
                    })
            });
        match (&fine, &coarse) {
            (Some(f), _) => (f.mm_to_px, "fine", f.residual_mm, f.inliers, f.tried),
            (None, Some(c)) => (c.mm_to_px, "coarse", c.residual_mm, c.inliers, c.tried),
            (None, None) => (placement.mm_to_px, "outline", f64::NAN, 0, 0),
        }
    };
    let (cx, cy) = (w / 2.0, h / 2.0);
    let angle_deg = match (map.apply(cx, cy), map.apply(cx + 1.0, cy)) {
        (Some(a), Some(b)) => (b.1 - a.1).atan2(b.0 - a.0).to_degrees(),
        _ => 0.0,
    };
    Ok(Registration {
        side: reference.side,
        light: reference.light,
        mm_to_px: map,
        homography: map.0,
        px_per_mm: map.scale_at(cx, cy),
        angle_deg,
        residual_mm: residual,
        inliers,
        patches,
        stage,
        method: placement.method.clone(),
        placements: scored.iter().map(|(s, p)| (p.method.clone(), *s)).collect(),
        margin,
    })
}

/// Every placement of the document on `page` with its whole-document correlation with
/// `reference` at [`reference::COARSE_PX_MM`], best first.
pub fn scored_placements(
    page: &Pyramid,
    reference: &ReferenceImage,
    mrz: Option<&ImageRead>,
) -> Vec<(f64, locate::Placement)> {
    let mut placements = locate::from_outline(page, reference.size_mm);
    if let (Some(read), Some(zone)) = (mrz, reference.mrz_zone)
        && let Some(p) = locate::from_mrz(read, zone)
    {
        placements.push(p);
    }
    let (w, h) = reference.size_mm;
    let mut scored: Vec<(f64, locate::Placement)> = placements
        .into_iter()
        .filter_map(|p| {
            let q = View {
                pyramid: page,
                mm_to_px: p.mm_to_px,
            }
            .sample([0.0, 0.0, w, h], reference::COARSE_PX_MM)
            .grey();
            let min = q.v.len() / 3;
            ncc(&reference.whole(reference::COARSE_PX_MM), &q, min).map(|s| (s, p))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
}

/// Whether two maps put the document's corners and centre within `tol_mm` of each other
/// (measured on the document through `a`).
fn agrees(a: &Homography, b: &Homography, (w, h): (f64, f64), tol_mm: f64) -> bool {
    let scale = a.scale_at(w / 2.0, h / 2.0).max(1e-9);
    [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h), (w / 2.0, h / 2.0)]
        .iter()
        .all(|&(x, y)| match (a.apply(x, y), b.apply(x, y)) {
            (Some(p), Some(q)) => {
                ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() / scale <= tol_mm
            }
            _ => false,
        })
}
