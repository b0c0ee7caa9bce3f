//! Colour (rainbow print, inks): CIE ΔE2000 between the questioned and reference colours of
//! the region, bin by bin across it (a split fountain drifts along its width).
//!
//! The capture is normalised first: its white balance is taken from the document's own
//! paper (where the reference shows paper, the ratio of reference to capture channel by
//! channel), so a phone's colour cast does not count as ink; each bin's brightness is then
//! matched so that exposure and uneven light do not either. A bin whose capture is saturated (a
//! channel at the sensor's top) or under glare is not measurable there, never an anomaly.

use super::inputs::{FeatureInputs, heat_from_cells};
use super::result::{Measured, Measurement, Score};

/// Bins across the region.
const BINS: usize = 8;

/// Most glare (push towards white) a bin may be under to be compared: glare washes colours
/// out in a way no brightness match undoes.
pub const MAX_GLARE: f32 = 0.08;

/// A channel value (0–255) at or above which the capture is saturated.
pub const SATURATED: f64 = 250.0;

/// Share of the reference's pixels, brightest first, taken as paper.
pub const PAPER_SHARE: f64 = 0.3;

/// Per-channel gains (R, G, B) that bring the capture's colour balance onto the
/// reference's: at every place where the reference shows its paper (its brightest
/// [`PAPER_SHARE`]) and the capture is neither saturated nor dark, the ratio of reference to
/// capture, channel by channel; the medians, scaled to keep brightness (which each bin
/// matches on its own, since light falls unevenly). 1 where the page gives too little.
pub fn paper_gains(ctx: &FeatureInputs<'_>) -> [f64; 3] {
    let (w, h) = ctx.reference.size_mm;
    let whole = [1.0, 1.0, w - 2.0, h - 2.0];
    let r = ctx.r().sample(whole, 1.0);
    let q = ctx.q_sample(whole, 1.0);
    let lum =
        |p: &[f32; 3]| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]);
    let mut bright: Vec<f64> =
        r.px.iter()
            .zip(&r.valid)
            .filter(|(_, ok)| **ok)
            .map(|(p, _)| lum(p))
            .collect();
    if bright.len() < 100 {
        return [1.0; 3];
    }
    bright.sort_by(f64::total_cmp);
    let paper = bright
        .get(((1.0 - PAPER_SHARE) * bright.len() as f64) as usize)
        .copied()
        .unwrap_or(255.0);
    let mut ratios: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (((a, b), va), vb) in r.px.iter().zip(&q.px).zip(&r.valid).zip(&q.valid) {
        if !(*va && *vb) || lum(a) < paper {
            continue;
        }
        if b.iter().any(|v| f64::from(*v) >= SATURATED || *v < 20.0) {
            continue;
        }
        for (c, list) in ratios.iter_mut().enumerate() {
            if let (Some(x), Some(y)) = (a.get(c), b.get(c)) {
                list.push(f64::from(*x) / f64::from(*y));
            }
        }
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    let [mut rr, mut rg, mut rb] = ratios;
    if rr.len() < 50 {
        return [1.0; 3];
    }
    let (Some(gr), Some(gg), Some(gb)) = (med(&mut rr), med(&mut rg), med(&mut rb)) else {
        return [1.0; 3];
    };
    let l = 0.299 * gr + 0.587 * gg + 0.114 * gb;
    if l <= 0.0 {
        return [1.0; 3];
    }
    [gr / l, gg / l, gb / l].map(|g| g.clamp(0.8, 1.25))
}

/// Compares the region's colours.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    // Each bin matches its own brightness; glare is left out rather than corrected.
    let px = ctx.px_mm(4.0);
    let gains = paper_gains(ctx);
    let mut saturated = 0;
    let r = ctx.feature.rect_mm;
    let bw = r[2] / BINS as f64;
    let mut cells = Vec::with_capacity(BINS);
    let mut worst: Option<f64> = None;
    let mut sum = 0.0;
    let mut n = 0;
    for i in 0..BINS {
        let rect = [r[0] + i as f64 * bw, r[1], bw, r[3]];
        if ctx.glare(rect) > MAX_GLARE {
            cells.push(None);
            continue;
        }
        let (a, b, _) = ctx.colour_pair(rect, px, 0.0);
        let (Some(ma), Some(mb)) = (a.mean(), b.mean()) else {
            cells.push(None);
            continue;
        };
        if mb.iter().any(|v| *v >= SATURATED) {
            saturated += 1;
            cells.push(None);
            continue;
        }
        let mb = [mb[0] * gains[0], mb[1] * gains[1], mb[2] * gains[2]];
        let lum = |c: [f64; 3]| 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
        let g = lum(ma) / lum(mb).max(1.0);
        let mb = mb.map(|v| (v * g).min(255.0));
        let d = delta_e2000(lab(ma), lab(mb));
        worst = Some(worst.map_or(d, |w: f64| w.max(d)));
        sum += d;
        n += 1;
        cells.push(Some((d / 20.0).min(1.0)));
    }
    if n * 2 < BINS {
        return Err(format!(
            "not measurable: glare, reflection or a saturated capture over {} of {BINS} parts \
             of the region",
            BINS - n
        ));
    }
    let worst = worst.ok_or("the region was not captured")?;
    Ok(Measured {
        scores: vec![
            Score::max("delta_e2000_max", worst, "ΔE00", 10.0).spread_at_least(COLOUR_SPREAD),
            Score::max("delta_e2000_mean", sum / n as f64, "ΔE00", 6.0)
                .spread_at_least(COLOUR_SPREAD),
        ],
        heat_map: Some(heat_from_cells(&cells, BINS, 1, 16)),
        note: Some(format!(
            "capture normalised by paper gains R {:.3}, G {:.3}, B {:.3}{}",
            gains[0],
            gains[1],
            gains[2],
            if saturated > 0 {
                format!("; {saturated} of {BINS} parts saturated, not measured")
            } else {
                String::new()
            }
        )),
    })
}

/// Least genuine spread of a colour difference (ΔE00), whatever a lab's exemplars show:
/// print runs and substrates differ by about this much between batches.
const COLOUR_SPREAD: f64 = 0.7;

/// sRGB (0–255) to CIE L*a*b* (D65).
pub fn lab(rgb: [f64; 3]) -> [f64; 3] {
    let lin = rgb.map(|v| {
        let c = (v / 255.0).clamp(0.0, 1.0);
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    let [r, g, b] = lin;
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIE ΔE2000 colour difference of two L*a*b* colours.
pub fn delta_e2000(p: [f64; 3], q: [f64; 3]) -> f64 {
    use std::f64::consts::PI;
    let [l1, a1, b1] = p;
    let [l2, a2, b2] = q;
    let c1 = (a1 * a1 + b1 * b1).sqrt();
    let c2 = (a2 * a2 + b2 * b2).sqrt();
    let cm = (c1 + c2) / 2.0;
    let g = 0.5 * (1.0 - (cm.powi(7) / (cm.powi(7) + 25f64.powi(7))).sqrt());
    let (a1p, a2p) = (a1 * (1.0 + g), a2 * (1.0 + g));
    let (c1p, c2p) = ((a1p * a1p + b1 * b1).sqrt(), (a2p * a2p + b2 * b2).sqrt());
    let hue = |b: f64, a: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            b.atan2(a).rem_euclid(2.0 * PI)
        }
    };
    let (h1, h2) = (hue(b1, a1p), hue(b2, a2p));
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let dh = if c1p * c2p == 0.0 {
        0.0
    } else {
        let d = h2 - h1;
        if d.abs() <= PI {
            d
        } else if d > PI {
            d - 2.0 * PI
        } else {
            d + 2.0 * PI
        }
    };
    let dhh = 2.0 * (c1p * c2p).sqrt() * (dh / 2.0).sin();
    let lm = (l1 + l2) / 2.0;
    let cmp = (c1p + c2p) / 2.0;
    let hm = if c1p * c2p == 0.0 {
        h1 + h2
    } else if (h1 - h2).abs() <= PI {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 2.0 * PI {
        (h1 + h2 + 2.0 * PI) / 2.0
    } else {
        (h1 + h2 - 2.0 * PI) / 2.0
    };
    let t = 1.0 - 0.17 * (hm - PI / 6.0).cos()
        + 0.24 * (2.0 * hm).cos()
        + 0.32 * (3.0 * hm + PI / 30.0).cos()
        - 0.20 * (4.0 * hm - 63f64.to_radians()).cos();
    let dtheta = 30f64.to_radians() * (-((hm.to_degrees() - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cmp.powi(7) / (cmp.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (lm - 50.0).powi(2) / (20.0 + (lm - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cmp;
    let sh = 1.0 + 0.015 * cmp * t;
    let rt = -(2.0 * dtheta).sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dhh / sh).powi(2) + rt * (dc / sc) * (dhh / sh))
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_e2000_matches_sharmas_test_data() {
        // Pairs 1, 7 and 17 of Sharma, Wu and Dalal's published test set.
        let cases = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        ];
        for (a, b, want) in cases {
            let got = delta_e2000(a, b);
            assert!((got - want).abs() < 1e-3, "{a:?} {b:?}: {got} vs {want}");
        }
    }

    #[test]
    fn white_is_l_100() {
        let l = lab([255.0, 255.0, 255.0]);
        assert!((l[0] - 100.0).abs() < 0.01 && l[1].abs() < 0.05 && l[2].abs() < 0.05);
    }
}
