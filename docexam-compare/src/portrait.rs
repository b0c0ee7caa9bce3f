//! The portrait zone: signs of a substituted photo. The ghost image must show the same face
//! as the portrait; the portrait's border must look as the reference's does across it (a
//! pasted photo leaves a cut edge, a bright or dark line); the background pattern must run
//! on around it. For the ghost image itself: it is there, as faint as on the reference.

use super::inputs::FeatureInputs;
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{Plane, mean_std, ncc};
use docexam_specimen::{RectMm, ZoneKind};

/// Resolution of the ghost comparison (px/mm of the ghost image).
const GHOST_PX_MM: f64 = 8.0;

/// The band of the face the ghost is compared in, as box radii (pixels at
/// [`GHOST_PX_MM`], three passes each): finer than about 0.3 mm is the background pattern
/// printed under the ghost and the capture's noise, coarser than about 1.5 mm the layout every
/// portrait shares (a head in the middle, shoulders below) and the light across the page.
const GHOST_BAND: (usize, usize) = (2, 11);

/// How far the ghost is searched for around its zone (mm): a curved page moves it against
/// the portrait.
const GHOST_SEARCH_MM: f64 = 0.6;

/// Compares the portrait zone.
pub fn portrait(ctx: &FeatureInputs<'_>) -> Measurement {
    let p = ctx.feature.rect_mm;
    let mut scores = Vec::new();
    let mut notes = Vec::new();
    if let Some(g) = ctx.zone(ZoneKind::GhostImage) {
        if let Some(n) = ghost_likeness(ctx, p, g) {
            scores.push(Score::min("ghost_ncc", n, "1", 0.75));
        } else {
            notes.push("ghost image not captured".to_string());
        }
    }
    let px = ctx.px_mm(16.0);
    let edges = edge_profiles(ctx, p, px);
    if let Some(e) = edges {
        scores.push(Score::max("cut_line", e, "1", 1.0));
    }
    if let Some(b) = border_pattern(ctx, p) {
        scores.push(Score::min("border_pattern_ncc", b, "1", 0.2));
    }
    if scores.is_empty() {
        return Err("the portrait zone was not captured".into());
    }
    Ok(Measured {
        scores,
        heat_map: None,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// How well the ghost image shows the portrait's face: the portrait shrunk to the ghost's
/// size and both band-passed ([`GHOST_BAND`]), the best correlation within
/// ±[`GHOST_SEARCH_MM`]. A genuine ghost is a lighter copy of the same face; another
/// person's photo pasted over the portrait leaves the ghost showing the holder.
fn ghost_likeness(ctx: &FeatureInputs<'_>, p: RectMm, g: RectMm) -> Option<f64> {
    let px = GHOST_PX_MM;
    let (gw, gh) = (
        (g[2] * px).round().max(8.0) as usize,
        (g[3] * px).round().max(8.0) as usize,
    );
    let band = |q: &Plane| band_pass(q, GHOST_BAND.0, GHOST_BAND.1);
    let face = band(&ctx.q_grid(p, gw, gh).grey());
    let s = (GHOST_SEARCH_MM * px).round() as usize;
    let ghost = band(&ctx.q_around(g, gw, gh, s, px).grey());
    docexam_base::raster::ncc_shifts(&face, &ghost, 2 * s + 1, 2 * s + 1, gw * gh / 2)
        .into_iter()
        .flatten()
        .reduce(f64::max)
}

/// `p` blurred by three passes of a box of radius `fine` minus the same of radius `coarse`.
fn band_pass(p: &Plane, fine: usize, coarse: usize) -> Plane {
    let blur = |r: usize| p.box_blur(r).box_blur(r).box_blur(r);
    let (a, b) = (blur(fine), blur(coarse));
    Plane {
        v: a.v.iter().zip(&b.v).map(|(x, y)| x - y).collect(),
        ..a
    }
}

/// Compares the ghost image: present, with the reference's contrast.
pub fn ghost(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(4.0);
    let (a, b, _) = ctx.grey_pair(ctx.feature.rect_mm, px, 0.0);
    let (Some((_, sa)), Some((_, sb))) = (mean_std(&a), mean_std(&b)) else {
        return Err("the ghost image was not captured".into());
    };
    if sa < 1.0 {
        return Err("the reference shows no ghost image in the region".into());
    }
    Ok(Measured {
        scores: vec![Score::min("contrast_ratio", sb / sa, "1", 0.4)],
        heat_map: None,
        note: None,
    })
}

/// A cut edge along the portrait's top, left and right borders. Across each border, the
/// questioned grey profile (the mean along the middle of the border) is explained by the
/// reference's profile, blurred as much as the capture blurs and scaled and shifted to the
/// capture's light: its levels fitted where no cut line can be (outside a band from 0.2 mm
/// before the border to 0.5 mm after it), its blur and shift over the whole profile (only
/// the band says where the step lies). What the fit leaves in that band, a line the
/// reference does not have, is measured in units of the step across the border; the mean
/// over the borders.
fn edge_profiles(ctx: &FeatureInputs<'_>, p: RectMm, px: f64) -> Option<f64> {
    let depth = 2.5;
    let out = 1.0;
    // Strips across each border; `true` when the profile runs along x.
    let strips: [(RectMm, bool, bool); 3] = [
        (
            [p[0] + 0.2 * p[2], p[1] - out, 0.6 * p[2], depth],
            false,
            false,
        ),
        (
            [p[0] - out, p[1] + 0.1 * p[3], depth, 0.5 * p[3]],
            true,
            false,
        ),
        (
            [
                p[0] + p[2] - (depth - out),
                p[1] + 0.1 * p[3],
                depth,
                0.5 * p[3],
            ],
            true,
            true,
        ),
    ];
    let at = |mm: f64| (mm * px).round().max(0.0) as usize;
    let band = at(out - 0.2)..at(out + 0.5);
    let mut lines = Vec::new();
    for (rect, along_x, reversed) in strips {
        let r = ctx.r().sample(rect, px).grey();
        let q = ctx.q_sample(rect, px).grey();
        let (Some(pr), Some(pq)) = (
            profile(&r, along_x, reversed),
            profile(&q, along_x, reversed),
        ) else {
            continue;
        };
        let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len().max(1) as f64;
        let step = mean(pr.get(..at(0.5)).unwrap_or_default())
            - mean(pr.get(at(depth - 0.8)..).unwrap_or_default());
        if step.abs() < 5.0 {
            continue;
        }
        let Some(fit) = fit_border(&pr, &pq, px, &band) else {
            continue;
        };
        let line = band
            .clone()
            .filter_map(|k| fit.get(k).map(|v| v.abs()))
            .fold(0.0, f64::max);
        lines.push(line / step.abs());
    }
    (!lines.is_empty()).then(|| lines.iter().sum::<f64>() / lines.len() as f64)
}

/// Blurs (Gaussian sigma, mm) tried for the capture when fitting a border profile.
const CUT_BLURS_MM: [f64; 7] = [0.0, 0.03, 0.06, 0.09, 0.12, 0.15, 0.19];

/// How far (mm) the questioned profile may lie from the reference's along it.
const CUT_SHIFT_MM: f64 = 0.4;

/// The residual of `q` after the best fit `q ≈ a · blur(r) + b` (over the blurs of
/// [`CUT_BLURS_MM`] and shifts within ±[`CUT_SHIFT_MM`]): `a` and `b` fitted outside
/// `band`, the blur and shift that leave the least over the whole profile; indexed like `q`.
fn fit_border(r: &[f64], q: &[f64], px: f64, band: &std::ops::Range<usize>) -> Option<Vec<f64>> {
    let s = (CUT_SHIFT_MM * px).round() as isize;
    let mut best: Option<(f64, Vec<f64>)> = None;
    for sigma in CUT_BLURS_MM {
        let blurred = gauss_1d(r, sigma * px);
        for shift in -s..=s {
            // The reference moved by `shift` onto the questioned positions.
            let pairs: Vec<(usize, f64, f64)> = (0..q.len())
                .filter_map(|k| {
                    let j = k as isize - shift;
                    let rv = *blurred.get(usize::try_from(j).ok()?)?;
                    Some((k, rv, *q.get(k)?))
                })
                .collect();
            let fitted: Vec<&(usize, f64, f64)> =
                pairs.iter().filter(|(k, _, _)| !band.contains(k)).collect();
            if fitted.len() < q.len() / 2 {
                continue;
            }
            let n = fitted.len() as f64;
            let (sx, sy) = fitted
                .iter()
                .fold((0.0, 0.0), |a, p| (a.0 + p.1, a.1 + p.2));
            let (mx, my) = (sx / n, sy / n);
            let (sxx, sxy) = fitted.iter().fold((0.0, 0.0), |a, p| {
                (a.0 + (p.1 - mx).powi(2), a.1 + (p.1 - mx) * (p.2 - my))
            });
            if sxx < 1e-9 {
                continue;
            }
            let a = sxy / sxx;
            let b = my - a * mx;
            // The blur and shift are judged over the whole profile: the levels either side
            // do not say where the step lies, the band does.
            let err = pairs
                .iter()
                .map(|p| (p.2 - a * p.1 - b).powi(2))
                .sum::<f64>()
                / pairs.len() as f64;
            if best.as_ref().is_none_or(|(e, _)| err < *e) {
                let mut resid = vec![0.0; q.len()];
                for (k, rv, qv) in &pairs {
                    if let Some(x) = resid.get_mut(*k) {
                        *x = qv - a * rv - b;
                    }
                }
                best = Some((err, resid));
            }
        }
    }
    best.map(|(_, r)| r)
}

/// `v` convolved with a Gaussian of `sigma` samples (renormalised at the ends).
fn gauss_1d(v: &[f64], sigma: f64) -> Vec<f64> {
    if sigma < 0.3 {
        return v.to_vec();
    }
    let r = (3.0 * sigma).ceil() as isize;
    let w: Vec<f64> = (-r..=r)
        .map(|d| (-(d * d) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    (0..v.len() as isize)
        .map(|i| {
            let (mut s, mut n) = (0.0, 0.0);
            for (d, wd) in (-r..=r).zip(&w) {
                if let Some(x) = usize::try_from(i + d).ok().and_then(|j| v.get(j)) {
                    s += wd * x;
                    n += wd;
                }
            }
            s / n.max(1e-12)
        })
        .collect()
}

/// The mean of each column (`along_x`) or row of `p`, inward first when `reversed`.
fn profile(p: &Plane, along_x: bool, reversed: bool) -> Option<Vec<f64>> {
    let (len, across) = if along_x {
        (p.width, p.height)
    } else {
        (p.height, p.width)
    };
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let vals: Vec<f64> = (0..across)
            .filter_map(|j| if along_x { p.get(i, j) } else { p.get(j, i) })
            .map(f64::from)
            .collect();
        if vals.len() < across / 2 {
            return None;
        }
        out.push(vals.iter().sum::<f64>() / vals.len() as f64);
    }
    if reversed {
        out.reverse();
    }
    Some(out)
}

/// The background pattern in a ring 0.5–2.5 mm around the portrait against the reference
/// (the median of the sides that have pattern).
fn border_pattern(ctx: &FeatureInputs<'_>, p: RectMm) -> Option<f64> {
    let px = ctx.px_mm(8.0);
    let (a, b) = (0.5, 2.0);
    let strips: [RectMm; 4] = [
        [p[0], p[1] - a - b, p[2], b],
        [p[0], p[1] + p[3] + a, p[2], b],
        [p[0] - a - b, p[1], b, p[3]],
        [p[0] + p[2] + a, p[1], b, p[3]],
    ];
    let sides = strips
        .iter()
        .filter(|s| s[0] >= 0.0 && s[1] >= 0.0)
        .filter_map(|s| {
            let (r, q, _) = ctx.grey_pair(*s, px, 0.3);
            let (hr, hq) = (r.high_pass(2), q.high_pass(2));
            if mean_std(&hr).is_none_or(|(_, sd)| sd < 2.0) {
                return None;
            }
            ncc(&hr, &hq, r.v.len() / 2)
        })
        .collect::<Vec<f64>>();
    // The median side: one side's pattern can be lost to a shadow's edge or a fold.
    let mut sides = sides;
    sides.sort_by(f64::total_cmp);
    sides.get(sides.len() / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A border profile at `px` px/mm: paper at 228 up to `edge_mm`, the portrait at 206
    /// after it, softened by a Gaussian of `sigma_mm`.
    fn border(px: f64, edge_mm: f64, sigma_mm: f64) -> Vec<f64> {
        let sharp: Vec<f64> = (0..40)
            .map(|k| {
                if (k as f64 + 0.5) / px < edge_mm {
                    228.0
                } else {
                    206.0
                }
            })
            .collect();
        gauss_1d(&sharp, sigma_mm * px)
    }

    /// The largest residual in `band`, in steps of 22 grey levels.
    fn line(r: &[f64], q: &[f64], px: f64, band: &std::ops::Range<usize>) -> f64 {
        let fit = fit_border(r, q, px, band).unwrap_or_default();
        band.clone()
            .filter_map(|k| fit.get(k).map(|v| v.abs()))
            .fold(0.0, f64::max)
            / 22.0
    }

    #[test]
    fn a_clean_border_leaves_no_line_and_a_cut_edge_does() {
        let px = 16.0;
        let r = border(px, 1.0, 0.0);
        let band = 13..24;
        // The same border under other light, 0.15 mm off and blurred by the capture: the
        // step must be put where it lies (the levels either side cannot say where).
        let q: Vec<f64> = border(px, 1.15, 0.06)
            .iter()
            .map(|v| 0.8 * v + 20.0)
            .collect();
        let clean = line(&r, &q, px, &band);
        assert!(clean < 0.1, "a genuine border measured {clean:.2}");
        // A bright cut line 0.1 mm inside the portrait's edge.
        let mut cut = q.clone();
        for k in 19..21 {
            if let Some(v) = cut.get_mut(k) {
                *v += 30.0;
            }
        }
        let found = line(&r, &cut, px, &band);
        assert!(found > 0.5, "a cut edge measured {found:.2}");
    }
}
