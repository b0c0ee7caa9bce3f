//! An image with halved copies of itself, sampled through a homography into a document's
//! millimetre frame at any resolution without aliasing.

use std::sync::Arc;

use image::RgbImage;
use rayon::prelude::*;

use super::homography::Homography;
use super::plane::ColourPlane;

/// An image and its 2×-box-shrunk copies, down to about 64 pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Pyramid {
    /// Full resolution first (shared with whoever handed it over: no copy is made).
    levels: Vec<Arc<RgbImage>>,
}

impl Pyramid {
    /// Builds the pyramid of `img` (kept as the first level).
    pub fn new(img: RgbImage) -> Pyramid {
        Pyramid::shared(Arc::new(img))
    }

    /// Builds the pyramid of `img`, sharing it as the first level.
    pub fn shared(img: Arc<RgbImage>) -> Pyramid {
        let mut levels = vec![img];
        while let Some(last) = levels.last() {
            if last.width().min(last.height()) < 128 {
                break;
            }
            let next = halve(last);
            levels.push(Arc::new(next));
        }
        Pyramid { levels }
    }

    /// A pyramid from levels made before by [`Pyramid::new`] (kept on disk), `None` unless
    /// their sizes are those `new` gives: each level half the one before, the last the first
    /// under 128 pixels on its short side.
    pub fn from_levels(levels: Vec<RgbImage>) -> Option<Pyramid> {
        let first = levels.first()?;
        let mut expect = first.dimensions();
        for (k, l) in levels.iter().enumerate() {
            if l.dimensions() != expect {
                return None;
            }
            let last = k + 1 == levels.len();
            if last != (expect.0.min(expect.1) < 128) {
                return None;
            }
            expect = (expect.0 / 2, expect.1 / 2);
        }
        Some(Pyramid {
            levels: levels.into_iter().map(Arc::new).collect(),
        })
    }

    /// The full-resolution image.
    pub fn image(&self) -> &RgbImage {
        // The first level always exists: `new` starts with it.
        #[allow(clippy::indexing_slicing)]
        &self.levels[0]
    }

    /// Every level, full resolution first, each half the size of the one before.
    pub fn levels(&self) -> impl ExactSizeIterator<Item = &RgbImage> {
        self.levels.iter().map(|l| l.as_ref())
    }

    /// The full-resolution image, shared.
    pub fn shared_image(&self) -> Option<&Arc<RgbImage>> {
        self.levels.first()
    }

    /// Width and height of the full-resolution image.
    pub fn dimensions(&self) -> (u32, u32) {
        self.image().dimensions()
    }

    /// The level (0 = full resolution) to sample at `px_per_px` output pixels per full-size
    /// pixel: the smallest copy still at least as sharp as the output.
    fn level_for(&self, px_per_px: f64) -> usize {
        let mut k = 0;
        while k + 1 < self.levels.len() && px_per_px * f64::from(1u32 << (k + 1)) <= 1.0 {
            k += 1;
        }
        k
    }
}

/// `src` shrunk to half its width and height, each pixel the mean of a 2 × 2 block (an odd
/// last row or column is dropped).
#[allow(clippy::indexing_slicing)] // indices bounded by the loops over the halved size
pub fn halve(src: &RgbImage) -> RgbImage {
    let (w, h) = (src.width() / 2, src.height() / 2);
    let sw = src.width() as usize;
    let raw = src.as_raw();
    let mut out = vec![0u8; w as usize * h as usize * 3];
    out.par_chunks_mut(w as usize * 3)
        .enumerate()
        .for_each(|(y, row)| {
            let r0 = 2 * y * sw * 3;
            let r1 = r0 + sw * 3;
            for x in 0..w as usize {
                for c in 0..3 {
                    let i = 6 * x + c;
                    let s = u32::from(raw[r0 + i])
                        + u32::from(raw[r0 + i + 3])
                        + u32::from(raw[r1 + i])
                        + u32::from(raw[r1 + i + 3]);
                    row[3 * x + c] = ((s + 2) / 4) as u8;
                }
            }
        });
    RgbImage::from_raw(w, h, out).unwrap_or_default()
}

/// A pyramid seen through a map from document millimetres to its full-resolution pixels.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    /// The image.
    pub pyramid: &'a Pyramid,
    /// Document millimetres → full-resolution pixels.
    pub mm_to_px: Homography,
}

impl View<'_> {
    /// Pixels per millimetre at the centre of `rect_mm`.
    pub fn px_per_mm(&self, rect_mm: [f64; 4]) -> f64 {
        self.mm_to_px
            .scale_at(rect_mm[0] + rect_mm[2] / 2.0, rect_mm[1] + rect_mm[3] / 2.0)
    }

    /// `rect_mm` sampled at `px_per_mm` (the output is `round(w·px_per_mm)` ×
    /// `round(h·px_per_mm)` pixels).
    pub fn sample(&self, rect_mm: [f64; 4], px_per_mm: f64) -> ColourPlane {
        let w = (rect_mm[2] * px_per_mm).round().max(1.0) as usize;
        let h = (rect_mm[3] * px_per_mm).round().max(1.0) as usize;
        self.sample_grid(rect_mm, w, h)
    }

    /// `rect_mm` sampled on a grid of `w` × `h` pixels.
    pub fn sample_grid(&self, rect_mm: [f64; 4], w: usize, h: usize) -> ColourPlane {
        let (sx, sy) = (rect_mm[2] / w as f64, rect_mm[3] / h as f64);
        let scale = self.px_per_mm(rect_mm) * sx.max(sy);
        let k = self.pyramid.level_for(1.0 / scale.max(1e-9));
        let Some(img) = self.pyramid.levels.get(k).or(self.pyramid.levels.last()) else {
            return ColourPlane::default();
        };
        let f = f64::from(1u32 << k);
        let mut px = vec![[0f32; 3]; w * h];
        let mut valid = vec![false; w * h];
        // Rows in tasks of some 16 000 pixels: a small patch is one task, not one per row.
        px.par_chunks_mut(w)
            .zip(valid.par_chunks_mut(w))
            .enumerate()
            .with_min_len((16_384 / w.max(1)).max(1))
            .for_each(|(j, (row, ok))| {
                let y_mm = rect_mm[1] + (j as f64 + 0.5) * sy;
                // The projective map along a row: numerators and denominator are linear in x.
                let m = &self.mm_to_px.0;
                let x0 = rect_mm[0] + 0.5 * sx;
                let (mut u, mut v, mut t) = (
                    m[0] * x0 + m[1] * y_mm + m[2],
                    m[3] * x0 + m[4] * y_mm + m[5],
                    m[6] * x0 + m[7] * y_mm + m[8],
                );
                let (du, dv, dt) = (m[0] * sx, m[3] * sx, m[6] * sx);
                for (p, v_ok) in row.iter_mut().zip(ok.iter_mut()) {
                    let inv = 1.0 / (t * f);
                    if t.abs() > 1e-12
                        && let Some(c) = bilinear(img, u * inv - 0.5, v * inv - 0.5)
                    {
                        *p = c;
                        *v_ok = true;
                    }
                    u += du;
                    v += dv;
                    t += dt;
                }
            });
        ColourPlane {
            width: w,
            height: h,
            px,
            valid,
        }
    }
}

/// The colour at (`x`, `y`) in pixel-index coordinates, `None` outside the image.
fn bilinear(img: &RgbImage, x: f64, y: f64) -> Option<[f32; 3]> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if !(x >= -0.5 && y >= -0.5 && x <= w as f64 - 0.5 && y <= h as f64 - 0.5) {
        return None;
    }
    let x = x.clamp(0.0, (w - 1) as f64);
    let y = y.clamp(0.0, (h - 1) as f64);
    // Both non-negative here: truncation is the floor, without a call to it.
    let (x0, y0) = (x as usize, y as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (tx, ty) = ((x - x0 as f64) as f32, (y - y0 as f64) as f32);
    let raw = img.as_raw();
    let (i00, i01) = ((y0 * w + x0) * 3, (y0 * w + x1) * 3);
    let (i10, i11) = ((y1 * w + x0) * 3, (y1 * w + x1) * 3);
    let (p00, p01, p10, p11) = (
        raw.get(i00..i00 + 3)?,
        raw.get(i01..i01 + 3)?,
        raw.get(i10..i10 + 3)?,
        raw.get(i11..i11 + 3)?,
    );
    let (w00, w01) = ((1.0 - tx) * (1.0 - ty), tx * (1.0 - ty));
    let (w10, w11) = ((1.0 - tx) * ty, tx * ty);
    Some(std::array::from_fn(|c| {
        let at = |p: &[u8]| f32::from(p.get(c).copied().unwrap_or(0));
        at(p00) * w00 + at(p01) * w01 + at(p10) * w10 + at(p11) * w11
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_through_a_scale_reads_the_right_pixels() {
        // A 400 × 200 image at 4 px/mm of a 100 × 50 mm document, left half dark.
        let img = RgbImage::from_fn(400, 200, |x, _| {
            if x < 200 {
                image::Rgb([10, 10, 10])
            } else {
                image::Rgb([200, 200, 200])
            }
        });
        let p = Pyramid::new(img);
        let v = View {
            pyramid: &p,
            mm_to_px: Homography::similarity(4.0, 0.0, 0.0, 0.0),
        };
        assert!((v.px_per_mm([0.0, 0.0, 100.0, 50.0]) - 4.0).abs() < 1e-6);
        let s = v.sample([40.0, 10.0, 20.0, 10.0], 1.0);
        assert_eq!((s.width, s.height), (20, 10));
        assert!(s.valid.iter().all(|v| *v));
        assert!(s.px[0][0] < 20.0 && s.px[19][0] > 190.0);
        // Outside the image nothing is valid.
        let out = v.sample([120.0, 0.0, 5.0, 5.0], 1.0);
        assert!(out.valid.iter().all(|v| !*v));
    }
}
