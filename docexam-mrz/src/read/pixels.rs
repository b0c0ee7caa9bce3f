//! Pixel access: box downscaling for the search, bilinear sampling for the reading.

use image::{DynamicImage, GrayImage};

/// The plane the MRZ is read on: for each pixel the brightest of its colour channels.
///
/// MRZs are printed in black, which is dark in every channel; the coloured fine-line
/// backgrounds printed behind and around them are bright in at least one channel, so they
/// fade where a luminance image would keep them as dark as the characters.
pub fn ink_plane(img: &DynamicImage) -> GrayImage {
    match img {
        DynamicImage::ImageLuma8(g) => g.clone(),
        DynamicImage::ImageRgb8(rgb) => ink_plane_rgb(rgb),
        other => ink_plane_rgb(&other.to_rgb8()),
    }
}

/// [`ink_plane`] of an RGB image.
pub fn ink_plane_rgb(rgb: &image::RgbImage) -> GrayImage {
    let mut raw = vec![0u8; rgb.width() as usize * rgb.height() as usize];
    max_channels(rgb.as_raw(), &mut raw);
    GrayImage::from_raw(rgb.width(), rgb.height(), raw)
        .unwrap_or_else(|| GrayImage::new(rgb.width(), rgb.height()))
}

/// The brightest channel of each RGB pixel of `rgb`, into `out` (one byte per pixel).
fn max_channels(rgb: &[u8], out: &mut [u8]) {
    // Blocks of sixteen pixels: fixed-size arrays the compiler turns into vector shuffles.
    const N: usize = 16;
    let (pixels, _) = rgb.as_chunks::<3>();
    let (blocks, rest) = pixels.as_chunks::<N>();
    let (out_blocks, out_rest) = out.as_chunks_mut::<N>();
    for (d, s) in out_blocks.iter_mut().zip(blocks) {
        for (o, p) in d.iter_mut().zip(s) {
            *o = p[0].max(p[1]).max(p[2]);
        }
    }
    for (o, p) in out_rest.iter_mut().zip(rest) {
        *o = p[0].max(p[1]).max(p[2]);
    }
}

pub(super) use docexam_base::raster::shrink::{downscale, shrink};

/// Luminance at a real position (bilinear; white outside the image).
#[inline(always)]
pub(super) fn bilinear(img: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let raw = img.as_raw();
    // Inside (a test that NaN and infinities fail too): truncation is the floor, and the
    // four taps are two pairs of neighbours.
    if x >= 0.0 && y >= 0.0 && x < (w - 1) as f32 && y < (h - 1) as f32 {
        let (x0, y0) = (x as usize, y as usize);
        let (ax, ay) = (x - x0 as f32, y - y0 as f32);
        let i = y0 * w as usize + x0;
        let j = i + w as usize;
        if let (Some(&[a, b]), Some(&[c, d])) = (raw.get(i..i + 2), raw.get(j..j + 2)) {
            let top = f32::from(a) + (f32::from(b) - f32::from(a)) * ax;
            let bottom = f32::from(c) + (f32::from(d) - f32::from(c)) * ax;
            return top + (bottom - top) * ay;
        }
    }
    // Every tap outside (and NaN or infinite positions): white, before any cast can saturate.
    if !(x > -1.0 && y > -1.0 && x < w as f32 && y < h as f32) {
        return 255.0;
    }
    let (fx, fy) = (x.floor(), y.floor());
    let (ax, ay) = (x - fx, y - fy);
    let (x0, y0) = (fx as i64, fy as i64);
    let at = |xx: i64, yy: i64| -> f32 {
        if xx < 0 || yy < 0 || xx >= w || yy >= h {
            255.0
        } else {
            raw.get((yy * w + xx) as usize)
                .map_or(255.0, |&p| f32::from(p))
        }
    };
    let top = at(x0, y0) * (1.0 - ax) + at(x0 + 1, y0) * ax;
    let bottom = at(x0, y0 + 1) * (1.0 - ax) + at(x0 + 1, y0 + 1) * ax;
    top * (1.0 - ay) + bottom * ay
}

/// Largest square side (pixels) [`area`] samples with one bilinear tap.
const ONE_TAP: f32 = 1.6;

/// Luminance averaged over a square of side `k` pixels around a position: one bilinear tap
/// when `k` is small, four taps otherwise (enough to keep a downsampled glyph from aliasing).
#[inline]
pub(super) fn area(img: &GrayImage, x: f32, y: f32, k: f32) -> f32 {
    if k <= ONE_TAP {
        return bilinear(img, x, y);
    }
    let d = k / 4.0;
    0.25 * (bilinear(img, x - d, y - d)
        + bilinear(img, x + d, y - d)
        + bilinear(img, x - d, y + d)
        + bilinear(img, x + d, y + d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ink_plane_keeps_the_brightest_channel() {
        let rgb = image::RgbImage::from_fn(37, 3, |x, y| {
            image::Rgb([
                (x * 7 % 256) as u8,
                (y * 90 % 256) as u8,
                ((x * y * 13) % 256) as u8,
            ])
        });
        let plane = ink_plane(&DynamicImage::ImageRgb8(rgb.clone()));
        for (p, g) in rgb.pixels().zip(plane.pixels()) {
            assert_eq!(g.0[0], p.0.iter().copied().fold(0, u8::max));
        }
    }

    #[test]
    fn bilinear_matches_the_four_taps_inside_and_at_edges() {
        let img = GrayImage::from_fn(5, 4, |x, y| image::Luma([(x * 40 + y * 25) as u8]));
        // Inside: exact interpolation of the linear ramp.
        assert!((bilinear(&img, 1.25, 2.5) - (1.25 * 40.0 + 2.5 * 25.0)).abs() < 1e-3);
        // Last column and row: the outside taps are white.
        let v = bilinear(&img, 4.5, 0.0);
        assert!((v - (0.5 * 160.0 + 0.5 * 255.0)).abs() < 1e-3, "{v}");
        for (x, y) in [
            (f32::NAN, 1.0),
            (f32::INFINITY, 1.0),
            (1.0, f32::MAX),
            (1e30, 1e30),
        ] {
            assert_eq!(bilinear(&img, x, y), 255.0, "({x}, {y})");
        }
    }

    #[test]
    fn bilinear_interpolates_and_is_white_outside() {
        let img = GrayImage::from_fn(2, 1, |x, _| image::Luma([if x == 0 { 0 } else { 100 }]));
        assert!((bilinear(&img, 0.5, 0.0) - 50.0).abs() < 1e-3);
        assert!((bilinear(&img, -5.0, 0.0) - 255.0).abs() < 1e-3);
    }
}
