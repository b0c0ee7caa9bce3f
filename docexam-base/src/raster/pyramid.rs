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
pub fn halve(src: &RgbImage) -> RgbImage {
    let (w, h) = (src.width() / 2, src.height() / 2);
    let row_in = src.width() as usize * 3;
    let row_out = w as usize * 3;
    let mut out = vec![0u8; row_out * h as usize];
    if row_out > 0 {
        // Each output row from its two input rows, in chunks of one output pixel and its
        // 2 × 2 block as arrays: no index is checked in the loop.
        out.par_chunks_mut(row_out)
            .zip(src.as_raw().par_chunks_exact(2 * row_in))
            .for_each(|(row, pair)| {
                let (top, bottom) = pair.split_at(row_in);
                let mean = |a: u8, b: u8, c: u8, d: u8| {
                    ((u16::from(a) + u16::from(b) + u16::from(c) + u16::from(d) + 2) / 4) as u8
                };
                for ((o, a), b) in row
                    .as_chunks_mut::<3>()
                    .0
                    .iter_mut()
                    .zip(top.as_chunks::<6>().0)
                    .zip(bottom.as_chunks::<6>().0)
                {
                    *o = [
                        mean(a[0], a[3], b[0], b[3]),
                        mean(a[1], a[4], b[1], b[4]),
                        mean(a[2], a[5], b[2], b[5]),
                    ];
                }
            });
    }
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
        let level = Level::of(img);
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
                        && let Some(c) = level.at(u * inv - 0.5, v * inv - 0.5)
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

/// One level's pixels with what every bilinear sample needs of its size worked out once
/// (sampling is the inner loop of every comparison).
struct Level<'a> {
    raw: &'a [u8],
    /// Width and height in pixels.
    w: usize,
    h: usize,
    /// The last pixel's centre along x and y.
    x_last: f64,
    y_last: f64,
}

impl<'a> Level<'a> {
    fn of(img: &'a RgbImage) -> Level<'a> {
        Level {
            raw: img.as_raw(),
            w: img.width() as usize,
            h: img.height() as usize,
            x_last: f64::from(img.width()) - 1.0,
            y_last: f64::from(img.height()) - 1.0,
        }
    }

    /// The colour at (`x`, `y`) in pixel-index coordinates (bilinear), `None` outside the
    /// image.
    #[inline(always)]
    fn at(&self, x: f64, y: f64) -> Option<[f32; 3]> {
        // Coordinates are floored by truncation wherever they are non-negative: to i32, one
        // instruction each way (unsigned conversions take several); decoding limits keep
        // images far below 2³¹ pixels a side.
        let floor = |v: f64| {
            let i = v as i32;
            (i as usize, (v - f64::from(i)) as f32)
        };
        if x >= 0.0 && y >= 0.0 && x < self.x_last && y < self.y_last {
            // Inside, with a neighbour right and below.
            let ((x0, tx), (y0, ty)) = (floor(x), floor(y));
            // The two pixels of each row are six bytes in a row, taken as arrays so that
            // every index below is checked when compiled.
            let i0 = (y0 * self.w + x0) * 3;
            let i1 = i0 + self.w * 3;
            let r0: &[u8; 6] = self.raw.get(i0..i0 + 6)?.try_into().ok()?;
            let r1: &[u8; 6] = self.raw.get(i1..i1 + 6)?.try_into().ok()?;
            let lerp = |a: f32, b: f32, t: f32| a + (b - a) * t;
            let px = |(a, b): (u8, u8), (c, d): (u8, u8)| {
                let top = lerp(f32::from(a), f32::from(b), tx);
                lerp(top, lerp(f32::from(c), f32::from(d), tx), ty)
            };
            return Some([
                px((r0[0], r0[3]), (r1[0], r1[3])),
                px((r0[1], r0[4]), (r1[1], r1[4])),
                px((r0[2], r0[5]), (r1[2], r1[5])),
            ]);
        }
        if self.w == 0
            || self.h == 0
            || !(x >= -0.5 && y >= -0.5 && x <= self.x_last + 0.5 && y <= self.y_last + 0.5)
        {
            return None;
        }
        let (x0, tx) = floor(x.clamp(0.0, self.x_last));
        let (y0, ty) = floor(y.clamp(0.0, self.y_last));
        let (w00, w01) = ((1.0 - tx) * (1.0 - ty), tx * (1.0 - ty));
        let (w10, w11) = ((1.0 - tx) * ty, tx * ty);
        let w = self.w;
        // On the last row or column: the neighbour beyond is the pixel itself.
        let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(self.h - 1));
        let (i00, i01) = ((y0 * w + x0) * 3, (y0 * w + x1) * 3);
        let (i10, i11) = ((y1 * w + x0) * 3, (y1 * w + x1) * 3);
        let (p00, p01, p10, p11) = (
            self.raw.get(i00..i00 + 3)?,
            self.raw.get(i01..i01 + 3)?,
            self.raw.get(i10..i10 + 3)?,
            self.raw.get(i11..i11 + 3)?,
        );
        Some(std::array::from_fn(|c| {
            let at = |p: &[u8]| f32::from(p.get(c).copied().unwrap_or(0));
            at(p00) * w00 + at(p01) * w01 + at(p10) * w10 + at(p11) * w11
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halving_takes_the_rounded_mean_of_each_block_and_drops_an_odd_edge() {
        for (w, h) in [(7, 5), (8, 6), (1, 1), (2, 3), (33, 2)] {
            let img = RgbImage::from_fn(w, h, |x, y| {
                image::Rgb([
                    (37 * x + 11 * y) as u8,
                    255u32.wrapping_sub(13 * x * y) as u8,
                    (x * x + 3 * y) as u8,
                ])
            });
            let half = halve(&img);
            assert_eq!(half.dimensions(), (w / 2, h / 2));
            for (x, y, p) in half.enumerate_pixels() {
                for c in 0..3 {
                    let s: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)]
                        .iter()
                        .map(|(dx, dy)| u32::from(img.get_pixel(2 * x + dx, 2 * y + dy).0[c]))
                        .sum();
                    assert_eq!(u32::from(p.0[c]), (s + 2) / 4, "({x}, {y}) channel {c}");
                }
            }
        }
    }

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

    #[test]
    fn sampling_weighs_the_four_neighbours_inside_and_on_the_last_row_and_column() {
        // Every channel a different ramp, so a swapped byte or weight shows.
        let img = RgbImage::from_fn(7, 5, |x, y| {
            image::Rgb([
                (10 * x + y) as u8,
                (3 * y + 50) as u8,
                (200 - 9 * x - 7 * y) as u8,
            ])
        });
        let at = |x: u32, y: u32, c: usize| f32::from(img.get_pixel(x, y).0[c]);
        for (x, y) in [
            (0.0, 0.0),
            (2.25, 1.5),
            (5.9, 3.1),
            (6.0, 2.5),
            (3.5, 4.0),
            (6.2, 4.3),
        ] {
            let Some(got) = Level::of(&img).at(x, y) else {
                panic!("({x}, {y}) lies inside the image");
            };
            let (cx, cy) = (f64::min(x, 6.0), f64::min(y, 4.0));
            let (x0, y0) = (cx.floor() as u32, cy.floor() as u32);
            let (x1, y1) = ((x0 + 1).min(6), (y0 + 1).min(4));
            let (tx, ty) = ((cx - f64::from(x0)) as f32, (cy - f64::from(y0)) as f32);
            for (c, g) in got.iter().enumerate() {
                let want = at(x0, y0, c) * (1.0 - tx) * (1.0 - ty)
                    + at(x1, y0, c) * tx * (1.0 - ty)
                    + at(x0, y1, c) * (1.0 - tx) * ty
                    + at(x1, y1, c) * tx * ty;
                assert!(
                    (g - want).abs() < 1e-3,
                    "({x}, {y}) channel {c}: {g} vs {want}"
                );
            }
        }
        assert_eq!(Level::of(&img).at(-0.6, 1.0), None);
        assert_eq!(Level::of(&img).at(1.0, 4.6), None);
        assert_eq!(Level::of(&RgbImage::new(0, 0)).at(-0.5, -0.5), None);
    }
}
