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
        DynamicImage::ImageRgb8(rgb) => {
            let raw: Vec<u8> = rgb
                .as_raw()
                .chunks_exact(3)
                .map(|p| p.iter().copied().fold(0, u8::max))
                .collect();
            GrayImage::from_raw(rgb.width(), rgb.height(), raw)
                .unwrap_or_else(|| GrayImage::new(rgb.width(), rgb.height()))
        }
        other => ink_plane(&DynamicImage::ImageRgb8(other.to_rgb8())),
    }
}

/// `img` shrunk by the integer factor `f` (each pixel the mean of an `f` × `f` block).
pub(super) fn downscale(img: &GrayImage, f: u32) -> GrayImage {
    if f <= 1 {
        return img.clone();
    }
    let (w, h) = (img.width() / f, img.height() / f);
    let src = img.as_raw();
    let sw = img.width() as usize;
    let fu = f as usize;
    let mut sums = vec![0u32; w as usize];
    let mut out = Vec::with_capacity(w as usize * h as usize);
    let area = f * f;
    for oy in 0..h as usize {
        sums.iter_mut().for_each(|s| *s = 0);
        for y in oy * fu..(oy + 1) * fu {
            let row = src.get(y * sw..y * sw + w as usize * fu).unwrap_or(&[]);
            for (s, block) in sums.iter_mut().zip(row.chunks_exact(fu)) {
                *s += block.iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        out.extend(sums.iter().map(|&s| ((s + area / 2) / area) as u8));
    }
    GrayImage::from_raw(w, h, out).unwrap_or_else(|| GrayImage::new(w, h))
}

/// Luminance at a real position (bilinear; white outside the image).
#[inline]
pub(super) fn bilinear(img: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (fx, fy) = (x.floor(), y.floor());
    let (ax, ay) = (x - fx, y - fy);
    let (x0, y0) = (fx as i64, fy as i64);
    let raw = img.as_raw();
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

/// Luminance averaged over a square of side `k` pixels around a position: one bilinear tap
/// when `k` is small, four taps otherwise (enough to keep a downsampled glyph from aliasing).
#[inline]
pub(super) fn area(img: &GrayImage, x: f32, y: f32, k: f32) -> f32 {
    if k <= 1.6 {
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
    fn downscale_averages_blocks() {
        let img = GrayImage::from_fn(6, 4, |x, _| image::Luma([if x < 3 { 0 } else { 200 }]));
        let d = downscale(&img, 3);
        assert_eq!(d.dimensions(), (2, 1));
        assert_eq!(d.as_raw(), &vec![0, 200]);
    }

    #[test]
    fn bilinear_interpolates_and_is_white_outside() {
        let img = GrayImage::from_fn(2, 1, |x, _| image::Luma([if x == 0 { 0 } else { 100 }]));
        assert!((bilinear(&img, 0.5, 0.0) - 50.0).abs() < 1e-3);
        assert!((bilinear(&img, -5.0, 0.0) - 255.0).abs() < 1e-3);
    }
}
