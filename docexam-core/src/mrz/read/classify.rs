//! Cutting character windows out of the page in the template frame, and matching them against
//! the OCR-B templates by normalised cross-correlation.

// Windows and templates are fixed-size arrays indexed by loops over their own dimensions.
#![allow(clippy::indexing_slicing)]

use std::sync::OnceLock;

use image::GrayImage;

use super::glyphs::{self, CENTRE, MID, TH, TW, Template};
use super::pixels;

/// Margin around a window, in template pixels: how far a template may shift.
const M: usize = 2;
const WW: usize = TW + 2 * M;
const WH: usize = TH + 2 * M;

/// Templates refined over every shift after the first pass.
const REFINE: usize = 6;

/// Where a character sits: its centre, the direction of the line and the scale.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cell {
    /// Centre of the character position, in page pixels.
    pub centre: (f32, f32),
    /// Unit vector along the line (reading direction).
    pub u: (f32, f32),
    /// Page pixels per template pixel.
    pub k: f32,
    /// Offset across the line, in page pixels (down is positive).
    pub dv: f32,
}

/// A window of ink (0 = paper, 1 = full ink) in the template frame, with margins.
pub(super) struct Window {
    ink: Vec<f32>,
}

/// Samples the window of a cell.
pub(super) fn window(img: &GrayImage, c: &Cell) -> Window {
    let (ux, uy) = c.u;
    let (vx, vy) = (-uy, ux);
    let mut ink = Vec::with_capacity(WW * WH);
    for ty in 0..WH {
        let dv = (ty as f32 - M as f32 + 0.5 - MID) * c.k + c.dv;
        for tx in 0..WW {
            let du = (tx as f32 - M as f32 + 0.5 - CENTRE) * c.k;
            let x = c.centre.0 + du * ux + dv * vx - 0.5;
            let y = c.centre.1 + du * uy + dv * vy - 0.5;
            ink.push(1.0 - pixels::area(img, x, y, c.k) / 255.0);
        }
    }
    Window { ink }
}

impl Window {
    /// Mean ink per row of the central (unshifted) part.
    pub fn row_profile(&self) -> [f32; TH] {
        let mut p = [0f32; TH];
        for (y, v) in p.iter_mut().enumerate() {
            let row = &self.ink[(y + M) * WW + M..(y + M) * WW + M + TW];
            *v = row.iter().sum::<f32>() / TW as f32;
        }
        p
    }

    fn patch_norm(&self, ox: usize, oy: usize) -> f32 {
        let (mut s, mut ss) = (0f32, 0f32);
        for y in 0..TH {
            let row = &self.ink[(y + oy) * WW + ox..(y + oy) * WW + ox + TW];
            for &v in row {
                s += v;
                ss += v * v;
            }
        }
        let n = (TW * TH) as f32;
        (ss - s * s / n).max(0.0).sqrt()
    }

    fn dot(&self, t: &Template, ox: usize, oy: usize) -> f32 {
        let mut d = 0f32;
        for y in 0..TH {
            let row = &self.ink[(y + oy) * WW + ox..(y + oy) * WW + ox + TW];
            let trow = &t.norm[y * TW..(y + 1) * TW];
            d += row.iter().zip(trow).map(|(a, b)| a * b).sum::<f32>();
        }
        d
    }

    fn centroid_x(&self) -> f32 {
        let central: Vec<f32> = (0..TH)
            .flat_map(|y| {
                self.ink[(y + M) * WW + M..(y + M) * WW + M + TW]
                    .iter()
                    .copied()
            })
            .collect();
        let floor = central.iter().copied().fold(f32::MAX, f32::min);
        let lifted: Vec<f32> = central.iter().map(|v| v - floor).collect();
        glyphs::centroid_x(&lifted, TW)
    }
}

/// How one window matches the templates: every character with its best correlation, best
/// first.
pub(super) struct Scores {
    /// (character, correlation), best first.
    pub ranked: Vec<(u8, f32)>,
}

impl Scores {
    /// The best character and its correlation.
    pub fn best(&self) -> (u8, f32) {
        self.ranked.first().copied().unwrap_or((b'<', 0.0))
    }

    /// The second best correlation.
    pub fn second(&self) -> f32 {
        self.ranked.get(1).map_or(0.0, |r| r.1)
    }
}

/// Matches a window against every template: first at the shift that lines up the ink
/// centroids, then the best few over every shift within one pixel of it.
pub(super) fn classify(w: &Window) -> Scores {
    let templates = glyphs::templates();
    let mut norms = [[0f32; 2 * M + 1]; 2 * M + 1];
    for (oy, row) in norms.iter_mut().enumerate() {
        for (ox, v) in row.iter_mut().enumerate() {
            *v = w.patch_norm(ox, oy);
        }
    }
    let ncc = |t: &Template, ox: usize, oy: usize| -> f32 {
        let n = norms[oy][ox];
        if n < 1e-3 { 0.0 } else { w.dot(t, ox, oy) / n }
    };
    let cx = w.centroid_x();
    let mut first: Vec<(usize, usize, f32)> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let shift = (cx - t.cx).round().clamp(-(M as f32), M as f32);
            let ox = (shift + M as f32) as usize;
            (i, ox, ncc(t, ox, M))
        })
        .collect();
    first.sort_by(|a, b| b.2.total_cmp(&a.2));
    for entry in first.iter_mut().take(REFINE) {
        let t = &templates[entry.0];
        let (ox0, mut best) = (entry.1, entry.2);
        for oy in M - 1..=M + 1 {
            for ox in ox0.saturating_sub(1)..=(ox0 + 1).min(2 * M) {
                best = best.max(ncc(t, ox, oy));
            }
        }
        entry.2 = best;
    }
    first.sort_by(|a, b| b.2.total_cmp(&a.2));
    Scores {
        ranked: first
            .into_iter()
            .map(|(i, _, s)| (templates[i].ch, s))
            .collect(),
    }
}

/// Top and bottom edges (rows, sub-pixel) of the ink band in a row profile: where it crosses
/// half-way between its lowest value and its peak near the middle row (a rule or an edge
/// above or below the line must not be taken for it).
pub(super) fn band(profile: &[f32]) -> Option<(f32, f32)> {
    let lo = profile.iter().copied().fold(f32::MAX, f32::min);
    let centre = MID as usize;
    let reach = (glyphs::CAP / 4.0) as usize;
    let peak = (centre.saturating_sub(reach)..(centre + reach).min(profile.len()))
        .max_by(|&a, &b| profile[a].total_cmp(&profile[b]))?;
    let hi = profile[peak];
    if hi - lo < 1e-3 {
        return None;
    }
    let half = (lo + hi) / 2.0;
    let mut top = 0.0;
    for y in (0..peak).rev() {
        if profile[y] < half {
            let (a, b) = (profile[y], profile[y + 1]);
            top = y as f32 + (half - a) / (b - a).max(1e-6) + 0.5;
            break;
        }
    }
    let mut bottom = profile.len() as f32;
    for y in peak + 1..profile.len() {
        if profile[y] < half {
            let (a, b) = (profile[y - 1], profile[y]);
            bottom = (y - 1) as f32 + (a - half) / (a - b).max(1e-6) + 0.5;
            break;
        }
    }
    Some((top, bottom))
}

/// The ink band of the templates themselves (the letters and digits), measured as
/// [`band`] measures a line; computed once.
pub(super) fn template_band() -> (f32, f32) {
    static BAND: OnceLock<(f32, f32)> = OnceLock::new();
    *BAND.get_or_init(|| {
        let all: Vec<u8> = glyphs::ALPHABET
            .iter()
            .copied()
            .filter(|&c| c != b'<')
            .collect();
        band_of(&all).unwrap_or((MID - glyphs::CAP / 2.0, MID + glyphs::CAP / 2.0))
    })
}

/// The ink band a line of these characters would show in the template frame.
pub(super) fn band_of(chars: &[u8]) -> Option<(f32, f32)> {
    let templates = glyphs::templates();
    let mut profile = [0f32; TH];
    for &ch in chars {
        let Some(t) = templates.iter().find(|t| t.ch == ch) else {
            continue;
        };
        for (y, p) in profile.iter_mut().enumerate() {
            *p += t.ink[y * TW..(y + 1) * TW].iter().sum::<f32>();
        }
    }
    band(&profile)
}
