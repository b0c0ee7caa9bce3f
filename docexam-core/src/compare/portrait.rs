//! The portrait zone: signs of a substituted photo. The ghost image must show the same face
//! as the portrait; the portrait's border must look as the reference's does across it (a
//! pasted photo leaves a cut edge, a bright or dark line); the background pattern must run
//! on around it. For the ghost image itself: it is there, as faint as on the reference.

use super::ctx::Ctx;
use super::result::{Measured, Outcome, Score};
use crate::raster::{Plane, mean_std, ncc};
use crate::specimen::{RectMm, ZoneKind};

/// Resolution of the ghost comparison (px/mm of the ghost image).
const GHOST_PX_MM: f64 = 4.0;

/// Compares the portrait zone.
pub fn portrait(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.feature.rect_mm;
    let mut scores = Vec::new();
    let mut notes = Vec::new();
    if let Some(g) = ctx.zone(ZoneKind::GhostImage) {
        let (gw, gh) = (
            (g[2] * GHOST_PX_MM).round().max(4.0) as usize,
            (g[3] * GHOST_PX_MM).round().max(4.0) as usize,
        );
        // Fine structure only: uneven light across the two regions does not count. The
        // ghost is searched within ±1.5 mm: a curved page moves it against the portrait.
        let face = ctx.q.sample_grid(p, gw, gh).grey().high_pass(4);
        let best = ctx.best_match(&face, g, 1.5, 4);
        if let Some(n) = best {
            scores.push(Score::min("ghost_ncc", n, "1", 0.6));
        } else {
            notes.push("ghost image not captured".to_string());
        }
    }
    let px = ctx.px_mm(16.0);
    let edges = edge_profiles(ctx, p, px);
    if let Some(e) = edges {
        scores.push(Score::max("cut_line", e, "1", 0.3));
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

/// Compares the ghost image: present, with the reference's contrast.
pub fn ghost(ctx: &Ctx<'_>) -> Outcome {
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

/// A cut edge along the portrait's top, left and right borders: the largest departure of
/// the questioned grey profile across the border from the reference's, just inside it, as
/// a share of the step from outside to inside (each profile aligned within ±0.5 mm and
/// scaled to its own outside and inside levels, so the light on the capture cancels). The
/// mean over the borders.
fn edge_profiles(ctx: &Ctx<'_>, p: RectMm, px: f64) -> Option<f64> {
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
    let mut sum = 0.0;
    let mut n = 0;
    let at = |mm: f64| (mm * px).round() as usize;
    for (rect, along_x, reversed) in strips {
        let r = ctx.r().sample(rect, px).grey();
        let q = ctx.q.sample(rect, px).grey();
        let (Some(pr), Some(pq)) = (
            profile(&r, along_x, reversed),
            profile(&q, along_x, reversed),
        ) else {
            continue;
        };
        let s = (0.5 * px).round() as isize;
        let Some((_, shift)) = (-s..=s)
            .filter_map(|d| ncc_1d(&pr, &pq, d).map(|v| (v, d)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
        else {
            continue;
        };
        let scaled = |v: &[f64], from: isize| -> Option<Vec<f64>> {
            let get = |i: usize| {
                let j = i as isize + from;
                (j >= 0).then(|| v.get(j as usize).copied()).flatten()
            };
            let outside: Vec<f64> = (0..at(0.5)).filter_map(get).collect();
            let inside: Vec<f64> = (at(depth - 0.8)..at(depth)).filter_map(get).collect();
            let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len().max(1) as f64;
            let (o, i) = (mean(&outside), mean(&inside));
            if outside.is_empty() || inside.is_empty() || (o - i).abs() < 5.0 {
                return None;
            }
            Some(
                (0..at(depth))
                    .map(|k| get(k).map_or(0.0, |x| (x - i) / (o - i)))
                    .collect(),
            )
        };
        let (Some(a), Some(b)) = (scaled(&pr, 0), scaled(&pq, shift)) else {
            continue;
        };
        // Just inside the border: from 0.1 mm before it to 0.6 mm after.
        let band = at(out - 0.1)..at(out + 0.6);
        let worst = band
            .filter_map(|k| Some((a.get(k)? - b.get(k)?).abs()))
            .fold(0.0, f64::max);
        sum += worst;
        n += 1;
    }
    (n > 0).then(|| sum / f64::from(n))
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

fn ncc_1d(a: &[f64], b: &[f64], shift: isize) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = (0..a.len())
        .filter_map(|i| {
            let j = i as isize + shift;
            if j < 0 {
                return None;
            }
            Some((*a.get(i)?, *b.get(j as usize)?))
        })
        .collect();
    if pairs.len() < a.len() * 2 / 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (ma, mb) = pairs.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
    let (ma, mb) = (ma / n, mb / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    (saa > 1e-9 && sbb > 1e-9).then(|| sab / (saa * sbb).sqrt())
}

/// The background pattern in a ring 0.5–2.5 mm around the portrait against the reference
/// (the lowest of the four sides that have pattern).
fn border_pattern(ctx: &Ctx<'_>, p: RectMm) -> Option<f64> {
    let px = ctx.px_mm(8.0);
    let (a, b) = (0.5, 2.0);
    let strips: [RectMm; 4] = [
        [p[0], p[1] - a - b, p[2], b],
        [p[0], p[1] + p[3] + a, p[2], b],
        [p[0] - a - b, p[1], b, p[3]],
        [p[0] + p[2] + a, p[1], b, p[3]],
    ];
    strips
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
        .reduce(f64::min)
}
