//! Simulated capture variation for calibration: a handful of genuine exemplars captured on
//! one scanner on one day vary less than the documents an examiner meets. Each exemplar is
//! therefore also compared as it would look through other captures — white balance off by
//! up to 7% per channel, brighter or darker exposure, a softer lens, a lower resolution,
//! harder JPEG, a phone held at an angle — so that a thin sample does not give thin limits.
//!
//! The variants are fixed (no randomness): the same exemplars always give the same
//! calibration.

use image::{RgbImage, imageops};

use super::Capture;
use docexam_base::raster::Pyramid;

/// One simulated capture.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Variant {
    /// Gain per channel (R, G, B): white balance and exposure.
    pub gain: [f32; 3],
    /// Gaussian blur sigma, in pixels of the original.
    pub blur_px: f32,
    /// Scale of the resolution (1 = as captured).
    pub scale: f32,
    /// JPEG quality to re-encode at (100 or more: none).
    pub jpeg_quality: u8,
    /// Rotation (degrees) about the image's centre: a phone held at an angle, resampled.
    pub rotate_deg: f32,
}

/// The variants every exemplar is compared through, besides itself.
pub const VARIANTS: [Variant; 5] = [
    // A warm white balance, a little dark.
    Variant {
        gain: [1.07 * 0.94, 0.94, 0.93 * 0.94],
        blur_px: 0.0,
        scale: 1.0,
        jpeg_quality: 90,
        rotate_deg: 0.0,
    },
    // A cool white balance, bright, hard JPEG.
    Variant {
        gain: [0.93 * 1.06, 1.06, 1.07 * 1.06],
        blur_px: 0.0,
        scale: 1.0,
        jpeg_quality: 65,
        rotate_deg: 0.0,
    },
    // A softer lens.
    Variant {
        gain: [1.0, 1.0, 1.0],
        blur_px: 1.0,
        scale: 1.0,
        jpeg_quality: 85,
        rotate_deg: 0.0,
    },
    // Two thirds of the resolution, a green cast.
    Variant {
        gain: [0.96, 1.04, 0.97],
        blur_px: 0.0,
        scale: 0.67,
        jpeg_quality: 80,
        rotate_deg: 0.0,
    },
    // Held at an angle: turned by 2.5°, slightly soft.
    Variant {
        gain: [1.0, 1.0, 1.0],
        blur_px: 0.6,
        scale: 1.0,
        jpeg_quality: 75,
        rotate_deg: 2.5,
    },
];

/// `img` as `v` would capture it.
pub fn apply(img: &RgbImage, v: &Variant) -> RgbImage {
    let mut out = img.clone();
    if v.gain != [1.0, 1.0, 1.0] {
        for px in out.pixels_mut() {
            for (c, g) in px.0.iter_mut().zip(v.gain) {
                *c = (f32::from(*c) * g).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    if v.rotate_deg.abs() > 0.01 {
        // The corners the turn uncovers take the colour of the image's first pixel (the
        // scanner bed, or the paper of a tightly cropped capture).
        let fill = *out.get_pixel(0, 0);
        out = imageproc::geometric_transformations::rotate_about_center(
            &out,
            v.rotate_deg.to_radians(),
            imageproc::geometric_transformations::Interpolation::Bilinear,
            imageproc::geometric_transformations::Border::Constant(fill),
        );
    }
    if v.blur_px > 0.05 {
        out = imageops::blur(&out, v.blur_px);
    }
    if v.scale < 0.999 {
        let (w, h) = out.dimensions();
        let (nw, nh) = (
            ((w as f32 * v.scale).round() as u32).max(1),
            ((h as f32 * v.scale).round() as u32).max(1),
        );
        out = imageops::resize(&out, nw, nh, imageops::FilterType::Triangle);
    }
    if v.jpeg_quality < 100 {
        let mut bytes = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, v.jpeg_quality);
        if out.write_with_encoder(enc).is_ok()
            && let Ok(back) = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        {
            out = back.to_rgb8();
        }
    }
    out
}

/// Every capture of one document as `v` would capture it.
pub fn captures(caps: &[Capture], v: &Variant) -> Vec<Capture> {
    caps.iter()
        .map(|c| Capture {
            side: c.side,
            light: c.light,
            pyramid: Pyramid::new(apply(c.pyramid.image(), v)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_change_colour_resolution_and_sharpness_as_they_say() {
        let mut img = RgbImage::from_pixel(60, 40, image::Rgb([200, 200, 200]));
        for x in 0..60 {
            img.put_pixel(x, 20, image::Rgb([0, 0, 0]));
        }
        let warm = apply(&img, &VARIANTS[0]);
        let p = warm.get_pixel(5, 5).0;
        assert!(p[0] > p[2] + 10, "{p:?}");
        let small = apply(&img, &VARIANTS[3]);
        assert_eq!(small.dimensions(), (40, 27));
        let soft = apply(&img, &VARIANTS[2]);
        // The line spreads into the rows beside it.
        assert!(soft.get_pixel(30, 21).0[1] < 180);
        assert!(img.get_pixel(30, 21).0[1] == 200);
    }
}
