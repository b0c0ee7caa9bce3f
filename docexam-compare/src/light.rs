//! The light that fell on a white-light capture, measured against the reference: where a
//! shadow dimmed the print and where glare or a laminate's reflection washed it out.
//!
//! Locally, the captured grey level is an affine function of the reference's,
//! `q ≈ gain · r + offset`: a shadow lowers the gain, glare lifts the offset towards white and
//! lowers the gain with it. Both are measured cell by cell on the static parts of the
//! document, where the reference has structure at a scale of a millimetre or more, from the
//! cells' means and spreads (not their correlation, so a forged pattern with the genuine
//! one's density and contrast does not count as light), then made smooth over the document
//! (a median over neighbouring cells, so a cell whose print differs does not pull the light)
//! and interpolated between cell centres.
//!
//! The field is too coarse to take the light out pixel by pixel (a cell's spread varies by
//! several per cent with the capture's sharpness); comparators match the light region by
//! region themselves. What the field is used for is the other question: where glare pushed
//! the print towards white ([`LightField::glare_at`]), colours cannot be compared, and where
//! it left too little contrast ([`MIN_GAIN`]), no fine structure can.

use crate::register::ReferenceImage;
use crate::register::reference::{overlaps_any, patch};
use docexam_base::raster::{View, mean_std};
use docexam_specimen::RectMm;

/// Side of a cell the light is measured on (mm).
pub const CELL_MM: f64 = 6.0;

/// Resolution the light is measured at (px/mm): fine lines blur into tints, the document's
/// layout stays.
pub const PX_MM: f64 = 3.0;

/// Smallest spread (grey levels) of the reference in a cell for its contrast to be measured.
const MIN_SPREAD: f64 = 4.0;

/// Gain below which glare has left too little of the print to compare fine structure.
pub const MIN_GAIN: f32 = 0.35;

/// The light on one capture: gain and offset per cell, smooth.
#[derive(Clone, Debug)]
pub struct LightField {
    cols: usize,
    rows: usize,
    gain: Vec<f32>,
    offset: Vec<f32>,
}

impl LightField {
    /// Measures the light on `q` (the questioned page in the document frame) against
    /// `reference`, leaving out its personalised zones; `None` when too little of the
    /// document has structure to measure against.
    pub fn estimate(q: &View<'_>, reference: &ReferenceImage) -> Option<LightField> {
        let (w, h) = reference.size_mm;
        let cols = (w / CELL_MM).round().max(1.0) as usize;
        let rows = (h / CELL_MM).round().max(1.0) as usize;
        let (cw, ch) = (w / cols as f64, h / rows as f64);
        // Band-limited alike (a window of about 1 mm), so that fine lines, which a blurred
        // or coarse capture resolves less than the reference, do not count as contrast.
        let whole_r = reference.whole(PX_MM).box_blur(1);
        let whole_q = q.sample([0.0, 0.0, w, h], PX_MM).grey().box_blur(1);
        let mut gain: Vec<Option<f64>> = vec![None; cols * rows];
        let mut level: Vec<Option<(f64, f64)>> = vec![None; cols * rows];
        for j in 0..rows {
            for i in 0..cols {
                let rect: RectMm = [i as f64 * cw, j as f64 * ch, cw, ch];
                if overlaps_any(&reference.personalised, rect, 0.3) {
                    continue;
                }
                let mut r = patch(&whole_r, rect, PX_MM);
                let mut qq = patch(&whole_q, rect, PX_MM);
                if r.v.len() != qq.v.len() {
                    continue;
                }
                docexam_base::raster::valid_in_both(&mut r.valid, &mut qq.valid);
                if r.valid_share() < 0.7 {
                    continue;
                }
                let (Some((mr, sr)), Some((mq, sq))) = (mean_std(&r), mean_std(&qq)) else {
                    continue;
                };
                let k = j * cols + i;
                if let Some(l) = level.get_mut(k) {
                    *l = Some((mr, mq));
                }
                if sr >= MIN_SPREAD
                    && let Some(g) = gain.get_mut(k)
                {
                    *g = Some(sq / sr);
                }
            }
        }
        let known = gain.iter().flatten().count();
        if known < 4 {
            return None;
        }
        // Gains: median of each cell's measured neighbourhood (outliers from changed print
        // do not pull it), cells without structure from their neighbours.
        let gain = smooth(&gain, cols, rows)?;
        // Offsets from the mean levels through the smoothed gain, smoothed the same way.
        let offset: Vec<Option<f64>> = level
            .iter()
            .zip(&gain)
            .map(|(l, g)| l.map(|(mr, mq)| mq - g * mr))
            .collect();
        let offset = smooth(&offset, cols, rows)?;
        Some(LightField {
            cols,
            rows,
            gain: gain.iter().map(|g| *g as f32).collect(),
            offset: offset.iter().map(|o| *o as f32).collect(),
        })
    }

    /// Gain and offset at (`x`, `y`) mm on a document of `size_mm`, interpolated between
    /// cell centres.
    pub fn at(&self, size_mm: (f64, f64), x: f64, y: f64) -> (f32, f32) {
        let fx = (x / size_mm.0 * self.cols as f64 - 0.5).clamp(0.0, (self.cols - 1) as f64);
        let fy = (y / size_mm.1 * self.rows as f64 - 0.5).clamp(0.0, (self.rows - 1) as f64);
        let (i0, j0) = (fx.floor() as usize, fy.floor() as usize);
        let (i1, j1) = ((i0 + 1).min(self.cols - 1), (j0 + 1).min(self.rows - 1));
        let (tx, ty) = ((fx - i0 as f64) as f32, (fy - j0 as f64) as f32);
        let get = |v: &[f32], i: usize, j: usize| v.get(j * self.cols + i).copied().unwrap_or(0.0);
        let lerp = |v: &[f32]| {
            let top = get(v, i0, j0) * (1.0 - tx) + get(v, i1, j0) * tx;
            let bot = get(v, i0, j1) * (1.0 - tx) + get(v, i1, j1) * tx;
            top * (1.0 - ty) + bot * ty
        };
        (lerp(&self.gain), lerp(&self.offset))
    }

    /// How far glare or a reflection pushed the print towards white at (`x`, `y`) mm (0: not
    /// at all, 1: to white): the field's offset over full scale, where it lifts the print.
    pub fn glare_at(&self, size_mm: (f64, f64), x: f64, y: f64) -> f32 {
        let (_, o) = self.at(size_mm, x, y);
        (o / 255.0).clamp(0.0, 1.0)
    }

    /// The share of the document where glare left too little contrast to compare fine
    /// structure.
    pub fn washed_out_share(&self) -> f64 {
        self.gain.iter().filter(|g| **g < MIN_GAIN).count() as f64 / self.gain.len().max(1) as f64
    }

    /// The median gain and offset over the document.
    pub fn median(&self) -> (f32, f32) {
        let med = |v: &[f32]| {
            let mut v = v.to_vec();
            v.sort_by(f32::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(0.0)
        };
        (med(&self.gain), med(&self.offset))
    }

    /// The lowest and highest gain over the document.
    pub fn gain_range(&self) -> (f32, f32) {
        self.gain
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), g| (lo.min(*g), hi.max(*g)))
    }
}

/// A smooth, complete field from cell values where known: unknown cells take the mean of
/// their known neighbours (repeatedly, outwards), then every cell the median of its 3 × 3
/// neighbourhood; `None` when no cell is known.
fn smooth(v: &[Option<f64>], cols: usize, rows: usize) -> Option<Vec<f64>> {
    let mut filled: Vec<Option<f64>> = v.to_vec();
    filled.iter().flatten().next()?;
    let neighbours = |k: usize| {
        let (i, j) = ((k % cols) as isize, (k / cols) as isize);
        (-1isize..=1)
            .flat_map(move |dj| (-1isize..=1).map(move |di| (i + di, j + dj)))
            .filter(|&(x, y)| x >= 0 && y >= 0 && (x as usize) < cols && (y as usize) < rows)
            .map(|(x, y)| y as usize * cols + x as usize)
    };
    while filled.iter().any(Option::is_none) {
        let next: Vec<Option<f64>> = (0..filled.len())
            .map(|k| {
                filled.get(k).copied().flatten().or_else(|| {
                    let known: Vec<f64> = neighbours(k)
                        .filter_map(|n| filled.get(n).copied().flatten())
                        .collect();
                    (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
                })
            })
            .collect();
        filled = next;
    }
    let full: Vec<f64> = filled.into_iter().map(|x| x.unwrap_or(0.0)).collect();
    Some(
        (0..full.len())
            .map(|k| {
                let mut n: Vec<f64> = neighbours(k).filter_map(|n| full.get(n).copied()).collect();
                n.sort_by(f64::total_cmp);
                n.get(n.len() / 2).copied().unwrap_or(0.0)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_cells_are_filled_and_an_outlier_does_not_pull_the_field() {
        let mut v: Vec<Option<f64>> = vec![Some(1.0); 25];
        if let Some(c) = v.get_mut(12) {
            *c = Some(9.0);
        }
        if let Some(c) = v.first_mut() {
            *c = None;
        }
        let s = smooth(&v, 5, 5).unwrap_or_default();
        assert_eq!(s.len(), 25);
        assert!(s.iter().all(|x| (x - 1.0).abs() < 1e-9), "{s:?}");
        assert!(smooth(&[None, None], 2, 1).is_none());
    }
}
