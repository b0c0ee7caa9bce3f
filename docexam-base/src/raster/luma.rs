//! Colour to grey levels, as [`image::imageops::grayscale`] makes them (ITU-R BT.709 luma,
//! `(2126 R + 7152 G + 722 B) / 10000` truncated) but over rows in parallel and without its
//! per-pixel bounds checks: the barcode search converts a whole 600-dpi page.

use image::{GrayImage, RgbImage};
use rayon::prelude::*;

/// The grey levels of `img`, equal pixel for pixel to `image::imageops::grayscale(img)`.
pub fn luma(img: &RgbImage) -> GrayImage {
    let (w, h) = img.dimensions();
    let row = w as usize;
    let mut out = vec![0u8; row * h as usize];
    if row > 0 {
        out.par_chunks_mut(row)
            .zip(img.as_raw().par_chunks_exact(3 * row))
            .for_each(|(o, src)| {
                for (g, p) in o.iter_mut().zip(src.as_chunks::<3>().0) {
                    let l = 2126 * u32::from(p[0]) + 7152 * u32::from(p[1]) + 722 * u32::from(p[2]);
                    *g = (l / 10_000) as u8;
                }
            });
    }
    GrayImage::from_raw(w, h, out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_levels_are_those_image_makes() {
        for (w, h) in [(0, 0), (1, 1), (5, 3), (64, 17)] {
            let img = RgbImage::from_fn(w, h, |x, y| {
                image::Rgb([
                    (53 * x + 7 * y) as u8,
                    255u32.wrapping_sub(11 * x * y) as u8,
                    (x * x + 97 * y) as u8,
                ])
            });
            assert_eq!(luma(&img), image::imageops::grayscale(&img), "{w} × {h}");
        }
        // Every extreme of the formula.
        let img = RgbImage::from_fn(8, 1, |x, _| {
            image::Rgb([
                if x & 1 != 0 { 255 } else { 0 },
                if x & 2 != 0 { 255 } else { 0 },
                if x & 4 != 0 { 255 } else { 0 },
            ])
        });
        assert_eq!(luma(&img), image::imageops::grayscale(&img));
    }
}
