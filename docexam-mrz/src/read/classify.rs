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

/// Part of the way from a window's faintest to its darkest ink where strokes begin, for
/// placing the glyph.
const STROKE_LEVEL: f32 = 0.4;

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
    ink: [f32; WW * WH],
}

/// Samples the window of a cell.
pub(super) fn window(img: &GrayImage, c: &Cell) -> Window {
    let (ux, uy) = c.u;
    let (vx, vy) = (-uy, ux);
    // Page position of template pixel (tx, ty): a start plus whole steps along and across.
    let su = (ux * c.k, uy * c.k);
    let du0 = (-(M as f32) + 0.5 - CENTRE) * c.k;
    let mut ink = [0f32; WW * WH];
    for (ty, row) in ink.chunks_exact_mut(WW).enumerate() {
        let dv = (ty as f32 - M as f32 + 0.5 - MID) * c.k + c.dv;
        let x0 = c.centre.0 + du0 * ux + dv * vx - 0.5;
        let y0 = c.centre.1 + du0 * uy + dv * vy - 0.5;
        for (tx, v) in row.iter_mut().enumerate() {
            let t = tx as f32;
            *v = 1.0 - pixels::area(img, x0 + t * su.0, y0 + t * su.1, c.k) * (1.0 / 255.0);
        }
    }
    let background = opening(&ink);
    for (v, b) in ink.iter_mut().zip(background.iter()) {
        *v -= b;
    }
    Window { ink }
}

/// Half the side of the square that the background is opened with, in template pixels: the
/// square (11 pixels) is wider than any OCR-B stroke, even blurred at 150 dpi (a 3-pixel
/// stroke spreads to 6 or 7), and than most joins of strokes, yet narrower than a shadow's or
/// a tint's extent.
const OPENING_REACH: usize = 5;

/// A template-sized image less its opening, computed in a window's frame (zero margins): the
/// templates go through what every window goes through, so what the opening takes from a
/// glyph (the core of a join wider than the square) is taken from both.
pub(super) fn top_hat(ink: &[f32]) -> Vec<f32> {
    let mut w = [0f32; WW * WH];
    for (row, src) in w.chunks_exact_mut(WW).skip(M).zip(ink.chunks_exact(TW)) {
        if let Some(dst) = row.get_mut(M..M + TW) {
            dst.copy_from_slice(src);
        }
    }
    let open = opening(&w);
    w.chunks_exact(WW)
        .zip(open.chunks_exact(WW))
        .skip(M)
        .take(TH)
        .flat_map(|(v, o)| v.iter().zip(o).skip(M).take(TW).map(|(v, o)| v - o))
        .collect()
}

/// Grey-level opening of a window (a minimum, then a maximum, over squares of side
/// `2 · OPENING_REACH + 1`, clipped at the edges): what is left of it once every feature
/// narrower than the square is taken out. Subtracted from a window, it removes a shadow's
/// edge, a tint or uneven light and keeps the strokes.
fn opening(v: &[f32; WW * WH]) -> [f32; WW * WH] {
    // Compare-and-select rather than `f32::min`/`max`: the values are finite, and the plain
    // comparison vectorises.
    let min = |a: f32, b: f32| if b < a { b } else { a };
    let max = |a: f32, b: f32| if b > a { b } else { a };
    let eroded = across_columns(&along_rows(v, min, f32::MAX), min);
    across_columns(&along_rows(&eroded, max, f32::MIN), max)
}

/// `take` over the `2r + 1` neighbours of each value along its row (clipped at the ends):
/// the row padded with `identity`, then folded over shifted copies (straight-line code the
/// compiler vectorises).
fn along_rows(a: &[f32; WW * WH], take: impl Fn(f32, f32) -> f32, identity: f32) -> [f32; WW * WH] {
    const R: usize = OPENING_REACH;
    let mut out = [0f32; WW * WH];
    let mut padded = [identity; WW + 2 * R];
    for (src, dst) in a.chunks_exact(WW).zip(out.chunks_exact_mut(WW)) {
        if let Some(mid) = padded.get_mut(R..R + WW) {
            mid.copy_from_slice(src);
        }
        dst.copy_from_slice(src);
        for j in (0..=2 * R).filter(|&j| j != R) {
            if let Some(shifted) = padded.get(j..j + WW) {
                for (o, &p) in dst.iter_mut().zip(shifted) {
                    *o = take(*o, p);
                }
            }
        }
    }
    out
}

/// `take` over the `2r + 1` neighbours of each value down its column (clipped at the ends).
fn across_columns(a: &[f32; WW * WH], take: impl Fn(f32, f32) -> f32) -> [f32; WW * WH] {
    const R: usize = OPENING_REACH;
    let mut out = *a;
    for (y, dst) in out.chunks_exact_mut(WW).enumerate() {
        for yy in y.saturating_sub(R)..(y + R + 1).min(WH) {
            if let Some(src) = a.get(yy * WW..(yy + 1) * WW) {
                for (o, &p) in dst.iter_mut().zip(src) {
                    *o = take(*o, p);
                }
            }
        }
    }
    out
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

    /// The norm of the zero-mean patch at every shift: `[oy][ox]`.
    fn norms(&self) -> [[f32; 2 * M + 1]; 2 * M + 1] {
        let mut out = [[0f32; 2 * M + 1]; 2 * M + 1];
        let n = (TW * TH) as f32;
        for (oy, row) in out.iter_mut().enumerate() {
            // Column sums of v and v² over the rows of this shift.
            let (mut s, mut ss) = ([0f32; WW], [0f32; WW]);
            for src in self.ink.chunks_exact(WW).skip(oy).take(TH) {
                for ((a, b), &v) in s.iter_mut().zip(ss.iter_mut()).zip(src) {
                    *a += v;
                    *b += v * v;
                }
            }
            for (ox, v) in row.iter_mut().enumerate() {
                let sum: f32 = s.iter().skip(ox).take(TW).sum();
                let sq: f32 = ss.iter().skip(ox).take(TW).sum();
                *v = (sq - sum * sum / n).max(0.0).sqrt();
            }
        }
        out
    }

    /// Dot product of the patch at `(ox, oy)` with a template's normalised ink, in eight
    /// lanes (a row is three of them).
    fn dot(&self, t: &Template, ox: usize, oy: usize) -> f32 {
        const L: usize = 8;
        const _: () = assert!(TW.is_multiple_of(L), "a template row must be whole lanes");
        let mut acc = [0f32; L];
        for (y, trow) in t.norm.chunks_exact(TW).enumerate().take(TH) {
            let start = (y + oy) * WW + ox;
            let Some(row) = self.ink.get(start..start + TW) else {
                break;
            };
            for (a, b) in row.chunks_exact(L).zip(trow.chunks_exact(L)) {
                for ((s, &x), &y) in acc.iter_mut().zip(a).zip(b) {
                    *s += x * y;
                }
            }
        }
        acc.iter().sum()
    }

    /// Normalised cross-correlation of the patch at `(ox, oy)` with `t`, given the patch's
    /// `norm` (from [`Window::norms`]); 0 for a blank patch.
    #[inline]
    fn ncc(&self, t: &Template, ox: usize, oy: usize, norm: f32) -> f32 {
        if norm < 1e-3 {
            0.0
        } else {
            self.dot(t, ox, oy) / norm
        }
    }

    /// The template-sized part of the window at shift `(ox, oy)` (0 to 2 · margin each).
    pub fn patch(&self, ox: usize, oy: usize) -> Vec<f32> {
        let (ox, oy) = (ox.min(2 * M), oy.min(2 * M));
        (0..TH)
            .flat_map(|y| {
                self.ink[(y + oy) * WW + ox..(y + oy) * WW + ox + TW]
                    .iter()
                    .copied()
            })
            .collect()
    }

    /// The best correlation with `t` over every shift, and the shift that gives it.
    pub fn best_match(&self, t: &Template) -> (f32, (usize, usize)) {
        let mut best = (0.0, (M, M));
        let norms = self.norms();
        for (oy, row) in norms.iter().enumerate() {
            for (ox, &n) in row.iter().enumerate() {
                let v = self.ncc(t, ox, oy, n);
                if v > best.0 {
                    best = (v, (ox, oy));
                }
            }
        }
        best
    }

    fn centroid_x(&self) -> f32 {
        let central: Vec<f32> = (0..TH)
            .flat_map(|y| {
                self.ink[(y + M) * WW + M..(y + M) * WW + M + TW]
                    .iter()
                    .copied()
            })
            .collect();
        // The strokes only: faint marks (moiré, guilloche, a neighbour's edge) spread over
        // the window would pull the centroid to its middle.
        let floor = central.iter().copied().fold(f32::MAX, f32::min);
        let peak = central.iter().copied().fold(f32::MIN, f32::max);
        let cut = floor + STROKE_LEVEL * (peak - floor);
        let strokes: Vec<f32> = central.iter().map(|v| (v - cut).max(0.0)).collect();
        glyphs::centroid_x(&strokes, TW)
    }
}

/// How one window matches the templates: every character with its best correlation, best
/// first.
pub(super) struct Scores {
    /// (character, correlation with the font): best first, except where a look-alike was
    /// decided against the document's own prints (`adapt`), which puts its choice first.
    pub ranked: Vec<(u8, f32)>,
    /// Where the best match lies in the window: its offset from the window's centre along
    /// and across the line, in template pixels.
    pub shift: (f32, f32),
}

impl Scores {
    /// The best character and its correlation.
    pub fn best(&self) -> (u8, f32) {
        self.ranked.first().copied().unwrap_or((b'<', 0.0))
    }

    /// The best correlation of any character but the one chosen (a look-alike decided
    /// against the document's own prints may have ranked below it).
    pub fn second(&self) -> f32 {
        self.ranked.iter().skip(1).map(|r| r.1).fold(0.0, f32::max)
    }
}

/// Matches a window against every template: first at the shift that lines up the ink
/// centroids, then the best few over every shift within one pixel of it.
pub(super) fn classify(w: &Window) -> Scores {
    let templates = glyphs::templates();
    let norms = w.norms();
    let ncc = |t: &Template, ox: usize, oy: usize| w.ncc(t, ox, oy, norms[oy][ox]);
    let cx = w.centroid_x();
    // (template, shift along, shift across, correlation)
    let mut first: Vec<(usize, usize, usize, f32)> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let shift = (cx - t.cx).round().clamp(-(M as f32), M as f32);
            let ox = (shift + M as f32) as usize;
            (i, ox, M, ncc(t, ox, M))
        })
        .collect();
    first.sort_by(|a, b| b.3.total_cmp(&a.3));
    for entry in first.iter_mut().take(REFINE) {
        let t = &templates[entry.0];
        let ox0 = entry.1;
        for oy in M - 1..=M + 1 {
            for ox in ox0.saturating_sub(1)..=(ox0 + 1).min(2 * M) {
                let v = ncc(t, ox, oy);
                if v > entry.3 {
                    (entry.1, entry.2, entry.3) = (ox, oy, v);
                }
            }
        }
    }
    first.sort_by(|a, b| b.3.total_cmp(&a.3));
    let shift = first.first().map_or((0.0, 0.0), |&(_, ox, oy, _)| {
        (ox as f32 - M as f32, oy as f32 - M as f32)
    });
    Scores {
        ranked: first
            .into_iter()
            .map(|(i, _, _, s)| (templates[i].ch, s))
            .collect(),
        shift,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A window of a linear background (a shadow's gradient) with a stroke three pixels wide.
    fn stroke_on_gradient() -> [f32; WW * WH] {
        std::array::from_fn(|i| {
            let (x, y) = (i % WW, i / WW);
            let background = 0.1 + 0.01 * x as f32 + 0.005 * y as f32;
            background + if (12..15).contains(&x) { 0.6 } else { 0.0 }
        })
    }

    #[test]
    fn the_opening_keeps_the_background_and_drops_the_stroke() {
        let v = stroke_on_gradient();
        let open = opening(&v);
        // Away from the clipped edges, the opening of a linear background is the background;
        // the stroke, narrower than the square, is gone from it (on a slope the opening near
        // the stroke rises by at most the slope times the stroke's width).
        for y in OPENING_REACH..WH - OPENING_REACH {
            for x in OPENING_REACH..WW - OPENING_REACH {
                let background = 0.1 + 0.01 * x as f32 + 0.005 * y as f32;
                let got = open[y * WW + x];
                let near_stroke = (12 - OPENING_REACH..15 + OPENING_REACH).contains(&x);
                let tolerance = if near_stroke { 0.01 * 3.0 + 1e-3 } else { 1e-5 };
                assert!(
                    (got - background).abs() < tolerance,
                    "({x}, {y}): {got} vs {background}"
                );
            }
        }
    }

    #[test]
    fn a_window_keeps_the_stroke_above_a_wide_tint() {
        // A page that is a mid-grey tint with one dark vertical bar: in the window, the tint
        // is taken out and the bar keeps its contrast.
        let img = GrayImage::from_fn(200, 100, |x, _| {
            image::Luma([if (99..102).contains(&x) { 40 } else { 170 }])
        });
        let c = Cell {
            centre: (100.5, 50.0),
            u: (1.0, 0.0),
            k: 1.0,
            dv: 0.0,
        };
        let w = window(&img, &c);
        let at = |x: usize, y: usize| w.ink[y * WW + x];
        let bar = (0..WW)
            .max_by(|&a, &b| at(a, 14).total_cmp(&at(b, 14)))
            .unwrap();
        assert!(
            (at(bar, 14) - 130.0 / 255.0).abs() < 0.02,
            "bar {}",
            at(bar, 14)
        );
        assert!(
            at(2, 14).abs() < 1e-3 && at(WW - 3, 14).abs() < 1e-3,
            "tint left in the window"
        );
    }

    #[test]
    fn the_best_match_of_a_template_is_itself_at_the_centre() {
        let t = &glyphs::templates()[0];
        let mut ink = [0f32; WW * WH];
        for y in 0..TH {
            for x in 0..TW {
                ink[(y + M) * WW + x + M] = t.ink[y * TW + x];
            }
        }
        let w = Window { ink };
        let (score, shift) = w.best_match(t);
        assert!(score > 0.999, "{score}");
        assert_eq!(shift, (M, M));
        let s = classify(&w);
        assert_eq!(s.best().0, t.ch);
        assert_eq!(s.shift, (0.0, 0.0));
    }
}
