//! What every comparator works from: the feature, the questioned page and the reference
//! each seen in the document's millimetre frame, and helpers that cut out the same region
//! of both at a matched resolution, aligned locally.

use image::GrayImage;

use crate::mrz::read::ImageRead;
use crate::raster::{ColourPlane, Plane, View};
use crate::register::reference::overlaps_any;
use crate::register::{ReferenceImage, Registration};
use crate::specimen::{Feature, RectMm, Zone, ZoneKind};

/// Side of the blocks a coarse registration is corrected on (mm).
pub const BLOCK_MM: f64 = 12.0;

/// How far a block may move (mm): beyond a coarse registration's residual.
pub const BLOCK_SEARCH_MM: f64 = 1.5;

/// The inputs of one comparison.
pub struct Ctx<'a> {
    /// The feature.
    pub feature: &'a Feature,
    /// The questioned page in the document frame.
    pub q: View<'a>,
    /// The reference image in the document frame.
    pub reference: &'a ReferenceImage,
    /// How the page was registered.
    pub registration: &'a Registration,
    /// The zones of this side.
    pub zones: &'a [Zone],
    /// Zones left out of this feature (its `mask_zones`).
    pub masked: Vec<RectMm>,
    /// The MRZ read on the white page of this side, if any.
    pub mrz: Option<&'a ImageRead>,
    /// The white-light reference of the same side (what drop-out inks look like), when the
    /// feature is seen under another light.
    pub white: Option<&'a ReferenceImage>,
}

impl<'a> Ctx<'a> {
    /// The same inputs with no zone masked (for measures that personalised print on top of
    /// the feature does not disturb).
    pub fn unmasked(&self) -> Ctx<'a> {
        Ctx {
            feature: self.feature,
            q: self.q,
            reference: self.reference,
            registration: self.registration,
            zones: self.zones,
            masked: Vec::new(),
            mrz: self.mrz,
            white: self.white,
        }
    }

    /// The reference in the document frame.
    pub fn r(&self) -> View<'_> {
        self.reference.view()
    }

    /// The questioned page's native resolution (px/mm) at the feature.
    pub fn q_px_mm(&self) -> f64 {
        self.q.px_per_mm(self.feature.rect_mm)
    }

    /// A comparison resolution: the questioned page's own, at most `cap` px/mm.
    pub fn px_mm(&self, cap: f64) -> f64 {
        self.q_px_mm().min(cap).max(1.0)
    }

    /// The first zone of `kind` on this side.
    pub fn zone(&self, kind: ZoneKind) -> Option<RectMm> {
        self.zones
            .iter()
            .find(|z| z.kind == kind)
            .map(|z| z.rect_mm)
    }

    /// Marks the pixels of `p` (covering `rect` at `px_mm`) inside masked zones invalid.
    fn apply_mask(&self, valid: &mut [bool], w: usize, rect: RectMm, px_mm: f64) {
        let has_image = self
            .reference
            .masks
            .iter()
            .any(|(id, _)| *id == self.feature.id);
        if (self.masked.is_empty() && !has_image) || w == 0 {
            return;
        }
        for (i, v) in valid.iter_mut().enumerate() {
            let (x, y) = (
                rect[0] + ((i % w) as f64 + 0.5) / px_mm,
                rect[1] + ((i / w) as f64 + 0.5) / px_mm,
            );
            if overlaps_any(&self.masked, [x, y, 0.0, 0.0], 0.3)
                || (has_image && self.reference.masked_out(&self.feature.id, x, y))
            {
                *v = false;
            }
        }
    }

    /// The reference and the questioned page over `rect` at `px_mm`, in colour, masked, the
    /// questioned one moved by up to `search_mm` onto the reference; also the correlation
    /// the alignment reached (grey), if it could be measured.
    pub fn colour_pair(
        &self,
        rect: RectMm,
        px_mm: f64,
        search_mm: f64,
    ) -> (ColourPlane, ColourPlane, Option<f64>) {
        let offset = if search_mm > 0.0 {
            self.block_offset(rect)
        } else {
            (0.0, 0.0)
        };
        self.colour_pair_at(rect, px_mm, search_mm, offset)
    }

    /// Whether the page was registered by the fine stage (no block search needed).
    pub fn fine(&self) -> bool {
        self.registration.stage == "fine"
    }

    /// The shift (mm, in the document frame) that brings the questioned page onto the
    /// reference around `rect`: found on a block of at least [`BLOCK_MM`] at 4 px/mm within
    /// ±[`BLOCK_SEARCH_MM`]; none on a fine registration, whose residual is already small.
    pub fn block_offset(&self, rect: RectMm) -> (f64, f64) {
        if self.fine() {
            return (0.0, 0.0);
        }
        let (cx, cy) = (rect[0] + rect[2] / 2.0, rect[1] + rect[3] / 2.0);
        let (bw, bh) = (rect[2].max(BLOCK_MM), rect[3].max(BLOCK_MM));
        let block = [cx - bw / 2.0, cy - bh / 2.0, bw, bh];
        let px = 4.0;
        let (_, _, _, shift) = self.pair_search(block, px, BLOCK_SEARCH_MM, (0.0, 0.0));
        shift
    }

    /// [`Ctx::colour_pair`] with the questioned page first moved by `offset` mm.
    pub fn colour_pair_at(
        &self,
        rect: RectMm,
        px_mm: f64,
        search_mm: f64,
        offset: (f64, f64),
    ) -> (ColourPlane, ColourPlane, Option<f64>) {
        let (r, q, score, _) = self.pair_search(rect, px_mm, search_mm, offset);
        (r, q, score)
    }

    /// The pair, the correlation reached and the total shift (mm) applied.
    fn pair_search(
        &self,
        rect: RectMm,
        px_mm: f64,
        search_mm: f64,
        offset: (f64, f64),
    ) -> (ColourPlane, ColourPlane, Option<f64>, (f64, f64)) {
        let mut r = self.r().sample(rect, px_mm);
        let (w, h) = (r.width, r.height);
        let s = (search_mm * px_mm).round() as usize;
        let grown = [
            rect[0] + offset.0 - s as f64 / px_mm,
            rect[1] + offset.1 - s as f64 / px_mm,
            (w + 2 * s) as f64 / px_mm,
            (h + 2 * s) as f64 / px_mm,
        ];
        let big = self.q.sample_grid(grown, w + 2 * s, h + 2 * s);
        let (mut dx, mut dy, mut score) = (s, s, None);
        if s > 0 {
            let rg = r.grey();
            let mut rg = rg;
            self.apply_mask(&mut rg.valid, w, rect, px_mm);
            if let Some((v, bx, by)) =
                crate::register::refine::best_shift(&rg, &big.grey(), s, (w * h / 4).max(16))
            {
                dx = bx.round() as usize;
                dy = by.round() as usize;
                score = Some(v);
            }
        }
        let mut q = ColourPlane {
            width: w,
            height: h,
            px: Vec::with_capacity(w * h),
            valid: Vec::with_capacity(w * h),
        };
        for y in 0..h {
            let start = (y + dy) * big.width + dx;
            q.px.extend(big.px.get(start..start + w).unwrap_or_default());
            q.valid
                .extend(big.valid.get(start..start + w).unwrap_or_default());
        }
        q.px.resize(w * h, [0.0; 3]);
        q.valid.resize(w * h, false);
        self.apply_mask(&mut q.valid, w, rect, px_mm);
        self.apply_mask(&mut r.valid, w, rect, px_mm);
        // A pixel counts only where both count.
        for (a, b) in q.valid.iter_mut().zip(r.valid.iter_mut()) {
            let both = *a && *b;
            *a = both;
            *b = both;
        }
        if s == 0 {
            score = crate::raster::ncc(&r.grey(), &q.grey(), 16);
        }
        let shift = (
            offset.0 + (dx as f64 - s as f64) / px_mm,
            offset.1 + (dy as f64 - s as f64) / px_mm,
        );
        (r, q, score, shift)
    }

    /// [`Ctx::colour_pair`] in grey.
    pub fn grey_pair(
        &self,
        rect: RectMm,
        px_mm: f64,
        search_mm: f64,
    ) -> (Plane, Plane, Option<f64>) {
        let (r, q, s) = self.colour_pair(rect, px_mm, search_mm);
        (r.grey(), q.grey(), s)
    }

    /// The best correlation of `template` (a plane covering `rect`, already high-passed by
    /// `high_pass` pixels) with the questioned page's fine structure around `rect`, moved by
    /// up to `search_mm` either way.
    pub fn best_match(
        &self,
        template: &Plane,
        rect: RectMm,
        search_mm: f64,
        high_pass: usize,
    ) -> Option<f64> {
        let (w, h) = (template.width, template.height);
        let px = w as f64 / rect[2];
        let s = (search_mm * px).round() as usize;
        let grown = [
            rect[0] - s as f64 / px,
            rect[1] - s as f64 / px,
            rect[2] + 2.0 * s as f64 / px,
            rect[3] + 2.0 * s as f64 / px,
        ];
        let q = self
            .q
            .sample_grid(grown, w + 2 * s, h + 2 * s)
            .grey()
            .high_pass(high_pass);
        crate::raster::ncc_shifts(template, &q, 2 * s + 1, 2 * s + 1, w * h / 2)
            .into_iter()
            .flatten()
            .reduce(f64::max)
    }

    /// The fraction of the feature's region that the page captured.
    pub fn captured_share(&self) -> f64 {
        self.q
            .sample(self.feature.rect_mm, 1.0)
            .grey()
            .valid_share()
    }
}

/// A heat map from per-cell departures (0 = as the reference, 1 = as different as can be)
/// on a grid of `cols` × `rows`, `cell` pixels to a cell.
pub fn heat_from_cells(cells: &[Option<f64>], cols: usize, rows: usize, cell: u32) -> GrayImage {
    GrayImage::from_fn(cols as u32 * cell, rows as u32 * cell, |x, y| {
        let i = (y / cell) as usize * cols + (x / cell) as usize;
        let v = cells.get(i).copied().flatten().unwrap_or(0.0);
        image::Luma([(v.clamp(0.0, 1.0) * 255.0).round() as u8])
    })
}

/// A heat map of the absolute difference of two planes of one size, scaled so that `full`
/// is white.
pub fn heat_from_difference(a: &Plane, b: &Plane, full: f32) -> GrayImage {
    GrayImage::from_fn(a.width as u32, a.height as u32, |x, y| {
        let i = y as usize * a.width + x as usize;
        let ok =
            a.valid.get(i).copied().unwrap_or(false) && b.valid.get(i).copied().unwrap_or(false);
        let d = match (a.v.get(i), b.v.get(i)) {
            (Some(p), Some(q)) if ok => (p - q).abs() / full.max(1e-6),
            _ => 0.0,
        };
        image::Luma([(d.clamp(0.0, 1.0) * 255.0).round() as u8])
    })
}
