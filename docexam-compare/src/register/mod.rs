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
//!    5 mm at 6 px/mm within ±0.3 mm, less than half a fine-line spacing, searched from
//!    both the medium and the coarse fit. Each must put nine in ten of the coarse matches
//!    where they were found.
//! 4. **Residual**: the inliers' RMS distance from the map, in mm. A registration whose
//!    residual exceeds what a comparator needs leaves that comparator inconclusive.
//!
//! Each light source of a document is registered on its own against its own reference
//! image.

pub mod identify;
pub mod locate;
pub mod prepared_cache;
pub mod reference;
pub mod refine;

use rayon::prelude::*;
use serde::Serialize;

use docexam_base::raster::{Homography, Pyramid, View, ncc};
use docexam_ingest::{LightSource, Side};
use docexam_mrz::read::ImageRead;

pub use identify::{Candidate, Identification, identify};
pub use prepared_cache::PreparedCache;
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
    /// Best placement's correlation minus that of the best placement elsewhere (more than
    /// 3 mm away), or its own correlation when there is none.
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
/// placement and rules out placements turned against it.
pub fn register(
    page: &Pyramid,
    reference: &ReferenceImage,
    mrz: Option<&ImageRead>,
) -> Result<Registration, RegisterError> {
    register_scored(page, reference, scored_placements(page, reference, mrz))
}

/// [`register`], given the placements [`scored_placements`] gave for `page`, `reference`
/// and the MRZ (identification scores them already).
pub fn register_scored(
    page: &Pyramid,
    reference: &ReferenceImage,
    scored: Vec<(f64, locate::Placement)>,
) -> Result<Registration, RegisterError> {
    let mut scored = scored;
    let mut hue_tried = false;
    if scored.is_empty() {
        scored = hue_placements(page, reference);
        hue_tried = true;
    }
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
    // The best placement elsewhere: the margin is measured against it, and it is refined
    // too when it scores close (placements of the same place do not count).
    let (w, h) = reference.size_mm;
    let elsewhere = scored
        .iter()
        .skip(1)
        .find(|(_, p)| !agrees(&placement.mm_to_px, &p.mm_to_px, (w, h), ELSEWHERE_MM));
    let mut margin = best - elsewhere.map_or(0.0, |s| s.0);
    let mut fitted = if best < MIN_PLACEMENT_NCC {
        // Something of the document's shape was found, or its MRZ, but the page does not
        // look like the reference at all (a UV capture of ordinary paper, say): only the
        // document's place on the page is known.
        let Some((_, outline)) = scored
            .iter()
            .find(|(_, p)| p.shape_matches)
            .or_else(|| scored.iter().find(|(_, p)| p.method == "mrz"))
        else {
            return Err(not_found(format!(
                "the best placement ({}) correlates {best:.2} with the reference, below \
                 {MIN_PLACEMENT_NCC}, and neither an outline of the document's shape nor its \
                 MRZ was found",
                placement.method
            )));
        };
        Fitted::outline(outline.mm_to_px, &outline.method)
    } else {
        // The best placement, and the runner-up when it scores close and lies elsewhere:
        // the one whose fit holds more of the reference wins.
        let mut tried: Vec<&locate::Placement> = vec![&placement];
        if let Some((s, p)) = elsewhere
            && best - s < RUNNER_UP_NCC
            && *s >= MIN_PLACEMENT_NCC
        {
            tried.push(p);
        }
        let fits: Vec<Fitted> = tried
            .into_par_iter()
            .map(|p| fit(page, reference, p))
            .collect();
        fits.into_iter()
            .max_by(|a, b| a.rank().total_cmp(&b.rank()))
            .unwrap_or_else(|| Fitted::outline(placement.mm_to_px, &placement.method))
    };
    if fitted.stage == "outline" && !hue_tried {
        // Neither the outline nor the MRZ let the content be placed: a shadow across the bed
        // can hide the document's edge from its levels, not from its hue. Only then (it
        // costs a third outline search) are the outlines by hue tried.
        let hue = hue_placements(page, reference);
        let fits: Vec<Fitted> = hue
            .iter()
            .take(2)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(_, p)| fit(page, reference, p))
            .collect();
        if let Some(f) = fits
            .into_iter()
            .filter(|f| f.stage != "outline")
            .max_by(|a, b| a.rank().total_cmp(&b.rank()))
        {
            if let Some((top, first)) = hue.first() {
                let other = hue
                    .iter()
                    .skip(1)
                    .find(|(_, p)| !agrees(&first.mm_to_px, &p.mm_to_px, (w, h), ELSEWHERE_MM));
                margin = top - other.map_or(0.0, |s| s.0);
            }
            fitted = f;
        }
        scored.extend(hue);
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    }
    let map = fitted.map;
    let (cx, cy) = (w / 2.0, h / 2.0);
    let angle_deg = along(&map, (w, h)).map_or(0.0, f64::to_degrees);
    Ok(Registration {
        side: reference.side,
        light: reference.light,
        mm_to_px: map,
        homography: map.0,
        px_per_mm: map.scale_at(cx, cy),
        angle_deg,
        residual_mm: fitted.residual_mm,
        inliers: fitted.inliers,
        patches: fitted.patches,
        stage: fitted.stage,
        method: fitted.method,
        placements: scored.iter().map(|(s, p)| (p.method.clone(), *s)).collect(),
        margin,
    })
}

/// How far apart (mm, at the document's inset corners and centre) two placements must lie to
/// be different places, not variants of one.
pub const ELSEWHERE_MM: f64 = 3.0;

/// How close (whole-document correlation) a second placement must score to the best to be
/// refined too.
pub const RUNNER_UP_NCC: f64 = 0.15;

/// Fewest patches a coarse fit must hold, and the share of the matched patches.
pub const MIN_COARSE_INLIERS: usize = 10;

/// Share of the coarse fit's matches a medium or fine fit must explain (put within the
/// coarse stage's inlier distance of where they were found) to be kept.
pub const MIN_COARSE_EXPLAINED: f64 = 0.9;

/// Whether fit `a` holds more anchors than `b` (at equal counts: the smaller residual).
fn holds_more(a: &refine::Fit, b: &refine::Fit) -> bool {
    a.inliers() > b.inliers() || (a.inliers() == b.inliers() && a.residual_mm < b.residual_mm)
}

/// Whether `finer` explains the matches of the `coarse` fit: puts at least
/// [`MIN_COARSE_EXPLAINED`] of them within [`refine::COARSE`]'s inlier distance of where
/// they were found on the page.
///
/// The test is against the matches, not the coarse map: those cover the whole document,
/// while the coarse homography, fitted to large patches that personalised content nudges,
/// can bend several millimetres away from a correct finer fit at the corners it
/// extrapolates to. A finer fit that locked onto a wrong alignment misses most of them.
fn explains(finer: &Homography, coarse: &refine::Fit, (w, h): (f64, f64)) -> bool {
    let limit = refine::COARSE.inlier_mm * coarse.mm_to_px.scale_at(w / 2.0, h / 2.0);
    let held = coarse
        .matches
        .iter()
        .filter(|(mm, px)| {
            finer
                .apply(mm.0, mm.1)
                .is_some_and(|q| (q.0 - px.0).hypot(q.1 - px.1) < limit)
        })
        .count();
    !coarse.matches.is_empty() && held as f64 >= MIN_COARSE_EXPLAINED * coarse.matches.len() as f64
}

/// The result of refining one placement.
struct Fitted {
    map: Homography,
    stage: &'static str,
    residual_mm: f64,
    inliers: usize,
    patches: usize,
    method: String,
}

impl Fitted {
    fn outline(map: Homography, method: &str) -> Fitted {
        Fitted {
            map,
            stage: "outline",
            residual_mm: f64::NAN,
            inliers: 0,
            patches: 0,
            method: method.to_string(),
        }
    }

    /// Higher is better: the stage reached, then the share of patches held.
    fn rank(&self) -> f64 {
        let stage = match self.stage {
            "fine" => 2.0,
            "coarse" => 1.0,
            _ => 0.0,
        };
        stage + self.inliers as f64 / self.patches.max(1) as f64 * 0.999
    }
}

/// Refines `placement` through the coarse, medium and fine stages; each stage's fit is
/// kept only when enough patches agree with it, and the medium and fine fits only when they
/// explain the coarse fit's matches ([`explains`]).
fn fit(page: &Pyramid, reference: &ReferenceImage, placement: &locate::Placement) -> Fitted {
    use refine::Patches;
    let (w, h) = reference.size_mm;
    let coarse = refine::refine(
        page,
        reference,
        placement.mm_to_px,
        refine::COARSE,
        Patches::Grid,
    )
    .filter(|f| f.inliers() >= MIN_COARSE_INLIERS && f.inliers() * 5 >= f.matched * 2);
    let start = coarse.as_ref().map_or(placement.mm_to_px, |f| f.mm_to_px);
    let agrees_with_coarse = |f: &refine::Fit| {
        coarse
            .as_ref()
            .is_none_or(|c| explains(&f.mm_to_px, c, (w, h)))
    };
    let medium = refine::refine(page, reference, start, refine::MEDIUM, Patches::Anchors)
        .filter(|f| f.inliers() >= 8)
        .filter(|f| agrees_with_coarse(f));
    // The fine stage searches only ±0.3 mm: it is run from the medium fit and from the
    // coarse one (when there are both), and the fit holding more anchors is kept. A medium
    // fit can explain the coarse matches and still lie off the fine one where its own
    // patches were few (glare across part of the page).
    let fine_from = |start: Homography| {
        refine::refine(page, reference, start, refine::FINE, Patches::Anchors).filter(|f| {
            f.inliers() >= 8 && f.inliers() * 10 >= f.tried * 3 && agrees_with_coarse(f)
        })
    };
    let (a, b) = match (&medium, &coarse) {
        (Some(m), Some(_)) => rayon::join(|| fine_from(m.mm_to_px), || fine_from(start)),
        (Some(m), None) => (fine_from(m.mm_to_px), None),
        (None, _) => (fine_from(start), None),
    };
    let fine = match (a, b) {
        (Some(a), Some(b)) => Some(if holds_more(&b, &a) { b } else { a }),
        (a, b) => a.or(b),
    };
    let method = placement.method.clone();
    match (fine, coarse) {
        (Some(f), _) => Fitted {
            map: f.mm_to_px,
            stage: "fine",
            residual_mm: f.residual_mm,
            inliers: f.inliers(),
            patches: f.tried,
            method,
        },
        (None, Some(c)) => Fitted {
            map: c.mm_to_px,
            stage: "coarse",
            residual_mm: c.residual_mm,
            inliers: c.inliers(),
            patches: c.tried,
            method,
        },
        (None, None) => Fitted::outline(placement.mm_to_px, &placement.method),
    }
}

/// Every placement of the document on `page` with its whole-document correlation with
/// `reference` at [`reference::COARSE_PX_MM`] (the better of the plain grey levels and local
/// contrast, where uneven light does not count), best first. When the MRZ was read, its
/// placement is tried at every pitch of [`MRZ_PITCHES_MM`] and the best kept; placements
/// turned more than [`MRZ_TURN_DEG`] from its lines are left out (they say which way up the
/// page is), unless one fits the reference better by [`MRZ_OVERRULE_NCC`] than all that are
/// not.
pub fn scored_placements(
    page: &Pyramid,
    reference: &ReferenceImage,
    mrz: Option<&ImageRead>,
) -> Vec<(f64, locate::Placement)> {
    let mut placements = locate::from_outline(page, reference.size_mm);
    // The MRZ's direction along its lines, when it was read: placements turned against it
    // are left out below unless they fit the reference far better.
    let mut mrz_along = None;
    if let (Some(read), Some(zone)) = (mrz, reference.mrz_zone) {
        let centre = reference
            .mrz_centre_mm
            .unwrap_or((zone[0] + zone[2] / 2.0, zone[1] + zone[3] / 2.0));
        let from_mrz: Vec<locate::Placement> = MRZ_PITCHES_MM
            .iter()
            .filter_map(|&pitch| locate::from_mrz(read, centre, pitch))
            .collect();
        mrz_along = from_mrz
            .first()
            .and_then(|p| along(&p.mm_to_px, reference.size_mm));
        placements.extend(from_mrz);
    }
    let (w, h) = reference.size_mm;
    let mut scored: Vec<(f64, locate::Placement)> = placements
        .into_par_iter()
        .filter_map(|p| score(page, reference, p))
        .collect();
    if let Some(a) = mrz_along {
        let with_mrz = |p: &locate::Placement| {
            along(&p.mm_to_px, (w, h)).is_some_and(|b| {
                let d = (b - a).rem_euclid(std::f64::consts::TAU);
                d.min(std::f64::consts::TAU - d).to_degrees() <= MRZ_TURN_DEG
            })
        };
        let best_with = scored
            .iter()
            .filter(|(_, p)| with_mrz(p))
            .map(|(s, _)| *s)
            .fold(f64::NEG_INFINITY, f64::max);
        // A placement against the MRZ's direction stays only when it fits the reference
        // far better than every placement along it: then the MRZ itself was misread (a
        // re-typed MRZ read upside down, say).
        scored.retain(|(s, p)| with_mrz(p) || *s >= best_with + MRZ_OVERRULE_NCC);
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Of the MRZ's pitches, the one that fits best stands for the MRZ (the others are the
    // same placement at a wrong scale, not worth refining as runners-up).
    let mut mrz_seen = false;
    scored.retain(|(_, p)| {
        let first = !(p.method == "mrz" && mrz_seen);
        mrz_seen |= p.method == "mrz";
        first
    });
    scored
}

/// `placement` with its whole-document correlation with `reference` at
/// [`reference::COARSE_PX_MM`]: the better of the plain grey levels and local contrast.
fn score(
    page: &Pyramid,
    reference: &ReferenceImage,
    placement: locate::Placement,
) -> Option<(f64, locate::Placement)> {
    let (w, h) = reference.size_mm;
    let q = View {
        pyramid: page,
        mm_to_px: placement.mm_to_px,
    }
    .sample([0.0, 0.0, w, h], reference::COARSE_PX_MM)
    .grey();
    let min = q.v.len() / 3;
    let plain = ncc(&reference.whole(reference::COARSE_PX_MM), &q, min);
    let q = q.local_contrast(reference::CONTRAST_RADIUS_PX, reference::CONTRAST_FLOOR);
    let contrast = ncc(reference.whole_contrast(), &q, min);
    // Either view may see the document where the other cannot: plain grey levels hold the
    // layout's large blocks, local contrast survives a shadow's edge.
    match (plain, contrast) {
        (Some(a), Some(b)) => Some((a.max(b), placement)),
        (a, b) => a.or(b).map(|s| (s, placement)),
    }
}

/// Placements from the document's outline by hue ([`locate::from_hue_outline`]), scored
/// as [`score`] does, best first.
fn hue_placements(page: &Pyramid, reference: &ReferenceImage) -> Vec<(f64, locate::Placement)> {
    let mut scored: Vec<(f64, locate::Placement)> =
        locate::from_hue_outline(page, reference.size_mm)
            .into_par_iter()
            .filter_map(|p| score(page, reference, p))
            .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
}

/// How much better (whole-document correlation) a placement turned against the MRZ read on
/// the page must fit the reference than every placement along it to be kept.
pub const MRZ_OVERRULE_NCC: f64 = 0.25;

/// The direction (radians) of the document's x axis on the page through `m`, at the centre
/// of a document of `size_mm`.
fn along(m: &Homography, (w, h): (f64, f64)) -> Option<f64> {
    match (m.apply(w / 2.0, h / 2.0), m.apply(w / 2.0 + 1.0, h / 2.0)) {
        (Some(a), Some(b)) => Some((b.1 - a.1).atan2(b.0 - a.0)),
        _ => None,
    }
}

/// The MRZ character pitches (mm) a placement from the MRZ is tried at: ICAO 9303's 2.54 mm
/// first, then pitches a re-typed or re-printed MRZ may have been set at (a forger's
/// printer rarely hits the pitch); the whole document's correlation picks the one that
/// fits, so a wrong MRZ does not pull the alignment off.
pub const MRZ_PITCHES_MM: [f64; 5] = [2.54, 2.38, 2.46, 2.62, 2.70];

/// How far inside the document's corners two maps are compared (mm).
pub const AGREE_INSET_MM: f64 = 10.0;

/// Largest angle (degrees) between a placement and the MRZ read on the page for the
/// placement to be kept.
pub const MRZ_TURN_DEG: f64 = 30.0;

/// Whether two maps put the document's corners and centre within `tol_mm` of each other
/// (measured on the document through `a`).
///
/// The points are the corners of the document inset by [`AGREE_INSET_MM`] (where its content
/// is, and both maps were fitted; the very corners are extrapolation) and its centre.
fn agrees(a: &Homography, b: &Homography, (w, h): (f64, f64), tol_mm: f64) -> bool {
    let scale = a.scale_at(w / 2.0, h / 2.0).max(1e-9);
    let (x0, y0) = (AGREE_INSET_MM.min(w / 4.0), AGREE_INSET_MM.min(h / 4.0));
    let (x1, y1) = (w - x0, h - y0);
    [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (w / 2.0, h / 2.0)]
        .iter()
        .all(|&(x, y)| match (a.apply(x, y), b.apply(x, y)) {
            (Some(p), Some(q)) => {
                ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() / scale <= tol_mm
            }
            _ => false,
        })
}
