//! What every comparator works from: the feature, the questioned page and the reference
//! each seen in the document's millimetre frame, and helpers that cut out the same region
//! of both at a matched resolution, aligned locally.

use image::GrayImage;

use super::light::LightField;
use crate::register::{ReferenceImage, Registration};
use docexam_base::raster::{ColourPlane, Plane, View};
use docexam_mrz::read::ImageRead;
use docexam_specimen::{Feature, RectMm, Zone, ZoneKind};

/// How far (mm) around a masked zone pixels are left out too.
pub const MASK_MARGIN_MM: f64 = 0.3;

/// Side of the blocks a coarse registration is corrected on (mm).
pub const BLOCK_MM: f64 = 12.0;

/// How far a block may move (mm): beyond a coarse registration's residual.
pub const BLOCK_SEARCH_MM: f64 = 1.5;

/// The inputs of one comparison.
pub struct FeatureInputs<'a> {
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
    /// The document's MRZ, read on whichever side holds it (white light), if any.
    pub document_mrz: Option<&'a ImageRead>,
    /// The white-light reference of the same side (what drop-out inks look like), when the
    /// feature is seen under another light.
    pub white: Option<&'a ReferenceImage>,
    /// The light on the capture as measured against the reference (white-light captures):
    /// where glare washed the print out.
    pub light: Option<&'a LightField>,
}

impl<'a> FeatureInputs<'a> {
    /// Leaves the pixels of `p` (sampled over `rect` at `px_mm`) that lie in this feature's
    /// masked zones or outside its mask image out.
    pub fn mask(&self, p: &mut Plane, rect: RectMm, px_mm: f64) {
        self.apply_mask(&mut p.valid, p.width, rect, px_mm);
    }

    /// The same inputs with no zone masked (for measures that personalised print on top of
    /// the feature does not disturb).
    pub fn unmasked(&self) -> FeatureInputs<'a> {
        FeatureInputs {
            feature: self.feature,
            q: self.q,
            reference: self.reference,
            registration: self.registration,
            zones: self.zones,
            masked: Vec::new(),
            mrz: self.mrz,
            document_mrz: self.document_mrz,
            white: self.white,
            light: self.light,
        }
    }

    /// The questioned page over `rect` (mm) on a grid of `w` × `h`.
    pub fn q_grid(&self, rect: RectMm, w: usize, h: usize) -> ColourPlane {
        self.q.sample_grid(rect, w, h)
    }

    /// The window a `w` × `h` template of `rect` is searched in: `rect` grown by `s` pixels
    /// of `px` px/mm on every side, sampled on a `w + 2s` × `h + 2s` grid.
    pub fn q_around(&self, rect: RectMm, w: usize, h: usize, s: usize, px: f64) -> ColourPlane {
        let grown = [
            rect[0] - s as f64 / px,
            rect[1] - s as f64 / px,
            rect[2] + 2.0 * s as f64 / px,
            rect[3] + 2.0 * s as f64 / px,
        ];
        self.q_grid(grown, w + 2 * s, h + 2 * s)
    }

    /// How far glare pushed the print towards white around `rect` (the most at its centre
    /// and corners; 0 when the light was not measured).
    pub fn glare(&self, rect: RectMm) -> f32 {
        let Some(l) = self.light else {
            return 0.0;
        };
        let size = self.reference.size_mm;
        [(0.5, 0.5), (0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
            .iter()
            .map(|(u, v)| l.glare_at(size, rect[0] + u * rect[2], rect[1] + v * rect[3]))
            .fold(0.0, f32::max)
    }

    /// [`FeatureInputs::q_grid`] at `px_mm`.
    pub fn q_sample(&self, rect: RectMm, px_mm: f64) -> ColourPlane {
        let w = (rect[2] * px_mm).round().max(1.0) as usize;
        let h = (rect[3] * px_mm).round().max(1.0) as usize;
        self.q_grid(rect, w, h)
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

    /// The share of a `w` × `h` grid over `rect` (at `px_mm`) that this feature's mask leaves
    /// in: an upper bound on the valid share of any pair [`FeatureInputs::colour_pair`] cuts there, so
    /// a region mostly masked can be passed over before anything is sampled.
    pub fn unmasked_share(&self, rect: RectMm, px_mm: f64) -> f64 {
        let w = (rect[2] * px_mm).round().max(1.0) as usize;
        let h = (rect[3] * px_mm).round().max(1.0) as usize;
        let mut valid = vec![true; w * h];
        self.apply_mask(&mut valid, w, rect, px_mm);
        valid.iter().filter(|v| **v).count() as f64 / valid.len() as f64
    }

    /// Marks the pixels of `p` (covering `rect` at `px_mm`) inside masked zones (grown by
    /// [`MASK_MARGIN_MM`]) invalid.
    fn apply_mask(&self, valid: &mut [bool], w: usize, rect: RectMm, px_mm: f64) {
        let has_image = self
            .reference
            .masks
            .iter()
            .any(|(id, _)| *id == self.feature.id);
        if (self.masked.is_empty() && !has_image) || w == 0 {
            return;
        }
        let m = MASK_MARGIN_MM;
        for (j, row) in valid.chunks_mut(w).enumerate() {
            let y = rect[1] + (j as f64 + 0.5) / px_mm;
            // Per zone across the row: only the columns near its edges are tested.
            for z in self
                .masked
                .iter()
                .filter(|z| z[1] - m < y && y < z[1] + z[3] + m)
            {
                let lo = ((z[0] - m - rect[0]) * px_mm - 1.5).floor().max(0.0) as usize;
                let hi = ((z[0] + z[2] + m - rect[0]) * px_mm + 1.5).ceil().max(0.0) as usize;
                for (i, v) in row.iter_mut().enumerate().take(hi.min(w)).skip(lo) {
                    let x = rect[0] + (i as f64 + 0.5) / px_mm;
                    if z[0] - m < x && x < z[0] + z[2] + m {
                        *v = false;
                    }
                }
            }
            if has_image {
                for (i, v) in row.iter_mut().enumerate() {
                    let x = rect[0] + (i as f64 + 0.5) / px_mm;
                    if self.reference.masked_out(&self.feature.id, x, y) {
                        *v = false;
                    }
                }
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
        self.block_offset_within(rect, BLOCK_SEARCH_MM)
    }

    /// The shift (mm, in the document frame) that brings the questioned page onto the
    /// reference around `rect`: found on a block of at least [`BLOCK_MM`] at 4 px/mm within
    /// ±`search_mm`, whatever the registration's stage.
    pub fn block_offset_within(&self, rect: RectMm, search_mm: f64) -> (f64, f64) {
        let (cx, cy) = (rect[0] + rect[2] / 2.0, rect[1] + rect[3] / 2.0);
        let (bw, bh) = (rect[2].max(BLOCK_MM), rect[3].max(BLOCK_MM));
        let block = [cx - bw / 2.0, cy - bh / 2.0, bw, bh];
        let px = 4.0;
        let (_, _, _, shift) = self.pair_search(block, px, search_mm, (0.0, 0.0));
        shift
    }

    /// [`FeatureInputs::colour_pair`] with the questioned page first moved by `offset` mm.
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
        let big = self.q_grid(grown, w + 2 * s, h + 2 * s);
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
        docexam_base::raster::valid_in_both(&mut q.valid, &mut r.valid);
        if s == 0 {
            score = docexam_base::raster::ncc(&r.grey(), &q.grey(), 16);
        }
        let shift = (
            offset.0 + (dx as f64 - s as f64) / px_mm,
            offset.1 + (dy as f64 - s as f64) / px_mm,
        );
        (r, q, score, shift)
    }

    /// [`FeatureInputs::colour_pair`] in grey.
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
        let q = self.q_around(rect, w, h, s, px).grey().high_pass(high_pass);
        let counted = template.valid.iter().filter(|v| **v).count();
        docexam_base::raster::ncc_shifts(template, &q, 2 * s + 1, 2 * s + 1, (counted / 2).max(16))
            .into_iter()
            .flatten()
            .reduce(f64::max)
    }

    /// The fraction of the feature's region where glare left too little contrast to compare
    /// (0 when the light was not measured).
    pub fn washed_out_share(&self) -> f64 {
        let Some(l) = self.light else {
            return 0.0;
        };
        let r = self.feature.rect_mm;
        let (n, mut out) = (16usize, 0usize);
        for j in 0..n {
            for i in 0..n {
                let (x, y) = (
                    r[0] + (i as f64 + 0.5) / n as f64 * r[2],
                    r[1] + (j as f64 + 0.5) / n as f64 * r[3],
                );
                if l.at(self.reference.size_mm, x, y).0 < super::light::MIN_GAIN {
                    out += 1;
                }
            }
        }
        out as f64 / (n * n) as f64
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
