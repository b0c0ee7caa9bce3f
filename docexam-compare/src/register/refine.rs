//! Refining a placement: reference patches are found again on the page by normalised
//! cross-correlation within a search window, and a homography is fitted to the matches by
//! RANSAC and least squares. Personalised content is left out of the fine stage.

use docexam_base::raster::{Homography, Plane, Pyramid, View, mean_std, ncc_shifts};

use super::reference::{FINE_PATCH_MM, FINE_PX_MM, ReferenceImage};

/// One refinement stage.
#[derive(Clone, Copy, Debug)]
pub struct Stage {
    /// Resolution (px/mm).
    pub px_mm: f64,
    /// Patch side (mm).
    pub patch_mm: f64,
    /// Search distance each way (mm).
    pub search_mm: f64,
    /// Correlation a match must reach.
    pub min_ncc: f64,
    /// Inlier distance for RANSAC (mm).
    pub inlier_mm: f64,
}

/// The coarse stage: large patches on a 10 mm grid, the whole layout (personalised zones
/// too: at this scale they are blocks at fixed places), a wide search.
pub const COARSE: Stage = Stage {
    px_mm: 1.5,
    patch_mm: 14.0,
    search_mm: 7.0,
    min_ncc: 0.45,
    inlier_mm: 1.5,
};

/// The medium stage: larger patches around the static anchors at 3 px/mm, where fine-line
/// backgrounds blur into tints and cannot alias, within ±1.5 mm.
pub const MEDIUM: Stage = Stage {
    px_mm: 3.0,
    patch_mm: 8.0,
    search_mm: 1.5,
    min_ncc: 0.5,
    inlier_mm: 0.5,
};

/// The fine stage: the reference's static anchors within ±0.3 mm, less than half the
/// spacing of fine-line backgrounds (about 0.5 mm), so a match cannot jump a line.
pub const FINE: Stage = Stage {
    px_mm: FINE_PX_MM,
    patch_mm: FINE_PATCH_MM,
    search_mm: 0.3,
    min_ncc: 0.5,
    inlier_mm: 0.3,
};

/// Radius (mm) of the high-pass patches are matched through.
pub const HIGH_PASS_MM: f64 = 1.5;

/// Which patches a stage matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Patches {
    /// A 10 mm grid over the whole document.
    Grid,
    /// The reference's static anchors.
    Anchors,
}

/// A fitted map and how well it fits.
#[derive(Clone, Debug)]
pub struct Fit {
    /// Document millimetres → page pixels.
    pub mm_to_px: Homography,
    /// Root-mean-square distance of the inlier matches from the map (mm on the document).
    pub residual_mm: f64,
    /// Patches matched at all.
    pub matched: usize,
    /// Patches tried.
    pub tried: usize,
    /// The matches RANSAC kept as inliers, before the least-squares refit of the map:
    /// document millimetres → where they were found on the page (px).
    pub matches: Vec<((f64, f64), (f64, f64))>,
}

impl Fit {
    /// Matches the map agrees with.
    pub fn inliers(&self) -> usize {
        self.matches.len()
    }
}

/// Refines `start` by `stage`; `None` when too few patches match for a homography.
pub fn refine(
    page: &Pyramid,
    reference: &ReferenceImage,
    start: Homography,
    stage: Stage,
    patches: Patches,
) -> Option<Fit> {
    let px = stage.px_mm;
    let whole = reference.whole(px);
    let centres: Vec<(f64, f64)> = match patches {
        Patches::Anchors => reference.anchors.clone(),
        Patches::Grid => {
            let (w, h) = reference.size_mm;
            let half = stage.patch_mm / 2.0;
            let mut c = Vec::new();
            let mut y = half + 1.0;
            while y + half <= h - 1.0 {
                let mut x = half + 1.0;
                while x + half <= w - 1.0 {
                    c.push((x, y));
                    x += 10.0;
                }
                y += 10.0;
            }
            c
        }
    };
    let view = View {
        pyramid: page,
        mm_to_px: start,
    };
    let p = (stage.patch_mm * px).round().max(4.0) as usize;
    let s = (stage.search_mm * px).ceil() as usize;
    // Matched on their structure only: a shadow's edge or a glare spot across a patch has
    // no counterpart in the reference and must not pull the match.
    let hp = (HIGH_PASS_MM * px).round().max(1.0) as usize;
    use rayon::prelude::*;
    let pairs: Vec<((f64, f64), (f64, f64))> = centres
        .par_iter()
        .filter_map(|&(cx, cy)| {
            let ix = ((cx - stage.patch_mm / 2.0) * px).round().max(0.0) as usize;
            let iy = ((cy - stage.patch_mm / 2.0) * px).round().max(0.0) as usize;
            let a = whole.crop(ix, iy, p, p);
            if a.width < p || a.height < p || mean_std(&a).is_none_or(|(_, sd)| sd < 3.0) {
                return None;
            }
            let a = a.high_pass(hp);
            let n = p + 2 * s;
            let b = view.sample_grid(
                [
                    (ix as f64 - s as f64) / px,
                    (iy as f64 - s as f64) / px,
                    n as f64 / px,
                    n as f64 / px,
                ],
                n,
                n,
            );
            let b = b.grey().high_pass(hp);
            let (best, dx, dy) = best_shift(&a, &b, s, p * p / 2)?;
            if best < stage.min_ncc {
                return None;
            }
            let c = (
                (ix as f64 + p as f64 / 2.0) / px,
                (iy as f64 + p as f64 / 2.0) / px,
            );
            let moved = (c.0 + (dx - s as f64) / px, c.1 + (dy - s as f64) / px);
            Some((c, start.apply(moved.0, moved.1)?))
        })
        .collect();
    let tried = centres.len();
    let scale = start.scale_at(reference.size_mm.0 / 2.0, reference.size_mm.1 / 2.0);
    ransac(&pairs, stage.inlier_mm * scale).map(|(h, matches, rms_px)| Fit {
        mm_to_px: h,
        residual_mm: rms_px / scale.max(1e-9),
        matched: pairs.len(),
        tried,
        matches,
    })
}

/// The shift of `a` within `b` (`b` larger by `s` on each side) with the highest
/// correlation, refined to a fraction of a pixel: (ncc, dx, dy).
pub(crate) fn best_shift(a: &Plane, b: &Plane, s: usize, min_px: usize) -> Option<(f64, f64, f64)> {
    let n = 2 * s + 1;
    let scores: Vec<f64> = ncc_shifts(a, b, n, n, min_px)
        .into_iter()
        .map(|v| v.unwrap_or(f64::MIN))
        .collect();
    let (i, &best) = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    if best == f64::MIN {
        return None;
    }
    let (bx, by) = (i % n, i / n);
    let at = |x: usize, y: usize| scores.get(y * n + x).copied().filter(|v| *v > f64::MIN);
    let sub = |l: Option<f64>, r: Option<f64>| match (l, r) {
        (Some(l), Some(r)) => {
            let d = l - 2.0 * best + r;
            if d < -1e-12 {
                (0.5 * (l - r) / d).clamp(-0.5, 0.5)
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    let ox = sub(bx.checked_sub(1).and_then(|x| at(x, by)), at(bx + 1, by));
    let oy = sub(by.checked_sub(1).and_then(|y| at(bx, y)), at(bx, by + 1));
    Some((best, bx as f64 + ox, by as f64 + oy))
}

/// RANSAC over `pairs` (deterministic sampling), then least squares on the inliers:
/// the map, the inliers and their RMS distance in page pixels.
#[allow(clippy::type_complexity)] // point pairs, as Homography::fit takes them
fn ransac(
    pairs: &[((f64, f64), (f64, f64))],
    threshold_px: f64,
) -> Option<(Homography, Vec<((f64, f64), (f64, f64))>, f64)> {
    if pairs.len() < 5 {
        return None;
    }
    let err = |h: &Homography, p: &((f64, f64), (f64, f64))| {
        h.apply(p.0.0, p.0.1).map_or(f64::MAX, |(x, y)| {
            ((x - p.1.0).powi(2) + (y - p.1.1).powi(2)).sqrt()
        })
    };
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut best: Option<(usize, Homography)> = None;
    for _ in 0..400 {
        let mut idx: Vec<usize> = Vec::with_capacity(4);
        while idx.len() < 4 {
            let mut i = next(pairs.len());
            let mut guard = 0;
            while idx.contains(&i) && guard < 16 {
                i = next(pairs.len());
                guard += 1;
            }
            idx.push(i);
        }
        let sample: Vec<_> = idx.iter().filter_map(|&i| pairs.get(i).copied()).collect();
        let Some(h) = Homography::fit(&sample) else {
            continue;
        };
        let count = pairs.iter().filter(|p| err(&h, p) < threshold_px).count();
        if best.as_ref().is_none_or(|(c, _)| count > *c) {
            best = Some((count, h));
        }
    }
    let (_, mut h) = best?;
    let mut inliers: Vec<_> = Vec::new();
    for _ in 0..3 {
        inliers = pairs
            .iter()
            .copied()
            .filter(|p| err(&h, p) < threshold_px)
            .collect();
        if inliers.len() < 5 {
            return None;
        }
        h = Homography::fit(&inliers)?;
    }
    let rms =
        (inliers.iter().map(|p| err(&h, p).powi(2)).sum::<f64>() / inliers.len() as f64).sqrt();
    Some((h, inliers, rms))
}
