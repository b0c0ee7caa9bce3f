//! How a scanner or a phone captures a document: resolution, placement on the bed, rotation
//! (including quarter turns), skew, mild perspective, blur, noise, uneven lighting and JPEG.

use image::{Rgb, RgbImage, imageops};
use rand::Rng;
use serde::Serialize;

/// The capture conditions of one image (recorded in the labels).
#[derive(Clone, Debug, Serialize)]
pub struct Conditions {
    /// Resolution of the capture.
    pub dpi: u32,
    /// Quarter turns clockwise (0–3).
    pub quarter_turns: u8,
    /// Skew in degrees (after the quarter turns).
    pub skew_deg: f64,
    /// Perspective: how much one edge is shorter than the other (0 = flat scan).
    pub perspective: f64,
    /// Gaussian blur sigma in pixels.
    pub blur_px: f64,
    /// Noise amplitude in grey levels.
    pub noise: u8,
    /// Brightness falloff across the image (0 = even).
    pub lighting: f64,
    /// JPEG quality.
    pub jpeg_quality: u8,
}

impl Conditions {
    /// Random conditions within the ranges examiners meet, at `dpi`.
    pub fn random(rng: &mut impl Rng, dpi: u32) -> Self {
        Conditions {
            dpi,
            quarter_turns: if rng.random_bool(0.25) {
                rng.random_range(1..4)
            } else {
                0
            },
            skew_deg: rng.random_range(-10.0..10.0),
            perspective: if rng.random_bool(0.3) {
                rng.random_range(0.0..0.06)
            } else {
                0.0
            },
            blur_px: rng.random_range(0.0..1.2),
            noise: rng.random_range(0..8),
            lighting: rng.random_range(0.0..0.25),
            jpeg_quality: rng.random_range(60..=95),
        }
    }

    /// A flat, clean scan at `dpi`.
    pub fn clean(dpi: u32) -> Self {
        Conditions {
            dpi,
            quarter_turns: 0,
            skew_deg: 0.0,
            perspective: 0.0,
            blur_px: 0.0,
            noise: 0,
            lighting: 0.0,
            jpeg_quality: 95,
        }
    }
}

/// The document image `doc` (drawn at `c.dpi`) as captured: on a scanner bed with a margin,
/// transformed, degraded; returns the JPEG bytes.
pub fn capture(doc: &RgbImage, c: &Conditions, seed: u64) -> std::io::Result<Vec<u8>> {
    let turned = match c.quarter_turns % 4 {
        1 => imageops::rotate90(doc),
        2 => imageops::rotate180(doc),
        3 => imageops::rotate270(doc),
        _ => doc.clone(),
    };
    let (w, h) = turned.dimensions();
    let margin = (w.max(h) / 8).max(16);
    let (bw, bh) = (w + 2 * margin, h + 2 * margin);
    let bed_colour = Rgb([236, 236, 238]);
    let mut bed = RgbImage::from_pixel(bw, bh, bed_colour);
    imageops::overlay(&mut bed, &turned, i64::from(margin), i64::from(margin));
    // Skew and perspective as one projective map about the centre.
    let (cx, cy) = (bw as f32 / 2.0, bh as f32 / 2.0);
    let a = (c.skew_deg as f32).to_radians();
    let p = c.perspective as f32;
    let corner = |x: f32, y: f32, shrink: f32| {
        let (dx, dy) = ((x - cx) * (1.0 - shrink), y - cy);
        (
            cx + dx * a.cos() - dy * a.sin(),
            cy + dx * a.sin() + dy * a.cos(),
        )
    };
    let from = [
        (0.0, 0.0),
        (bw as f32, 0.0),
        (bw as f32, bh as f32),
        (0.0, bh as f32),
    ];
    let to = [
        corner(0.0, 0.0, p),
        corner(bw as f32, 0.0, p),
        corner(bw as f32, bh as f32, 0.0),
        corner(0.0, bh as f32, 0.0),
    ];
    let mut out = RgbImage::from_pixel(bw, bh, bed_colour);
    if let Some(proj) =
        imageproc::geometric_transformations::Projection::from_control_points(from, to)
    {
        imageproc::geometric_transformations::warp_into(
            &bed,
            proj,
            imageproc::geometric_transformations::Interpolation::Bilinear,
            imageproc::geometric_transformations::Border::Constant(bed_colour),
            &mut out,
        );
    }
    if c.blur_px > 0.05 {
        out = imageops::blur(&out, c.blur_px as f32);
    }
    // Noise (xorshift, seeded) and a lighting falloff from the top-left corner.
    let mut state = (seed as u32) | 1;
    let diag = ((bw * bw + bh * bh) as f64).sqrt();
    for (x, y, px) in out.enumerate_pixels_mut() {
        let fall = 1.0 - c.lighting * ((f64::from(x * x + y * y)).sqrt() / diag);
        for ch in px.0.iter_mut() {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = if c.noise > 0 {
                (state % (2 * u32::from(c.noise) + 1)) as f64 - f64::from(c.noise)
            } else {
                0.0
            };
            *ch = (f64::from(*ch) * fall + n).round().clamp(0.0, 255.0) as u8;
        }
    }
    let mut jpeg = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, c.jpeg_quality);
    out.write_with_encoder(enc).map_err(std::io::Error::other)?;
    Ok(jpeg)
}
