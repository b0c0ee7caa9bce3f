//! How a scanner or a phone captures a document: resolution, placement on the bed, rotation
//! (including quarter turns), skew, mild perspective, a curved page, blur, noise, uneven
//! lighting, a shadow, glare, a laminate reflection, moiré and JPEG.

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
    /// A curved page (a passport bulging from its spine): the largest displacement, as a
    /// fraction of the image height (0 = flat).
    pub curl: f64,
    /// A soft-edged shadow across part of the image: how much light it takes (0 = none).
    pub shadow: f64,
    /// A glare spot: how far it pushes the pixels towards white at its centre (0 = none).
    pub glare: f64,
    /// A reflection on the laminate, a bright band: its strength (0 = none).
    pub reflection: f64,
    /// Moiré from a screen or a scanner's sampling: amplitude of the beat pattern (0 = none).
    pub moire: f64,
    /// JPEG quality.
    pub jpeg_quality: u8,
    /// Gain of each channel (R, G, B): white balance and exposure (1 = as printed).
    pub white_balance: [f64; 3],
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
            skew_deg: rng.random_range(-15.0..15.0),
            perspective: if rng.random_bool(0.3) {
                rng.random_range(0.0..0.06)
            } else {
                0.0
            },
            blur_px: rng.random_range(0.0..1.2),
            noise: rng.random_range(0..8),
            lighting: rng.random_range(0.0..0.25),
            curl: if rng.random_bool(0.25) {
                rng.random_range(0.0..0.015)
            } else {
                0.0
            },
            shadow: if rng.random_bool(0.25) {
                rng.random_range(0.1..0.45)
            } else {
                0.0
            },
            glare: if rng.random_bool(0.25) {
                rng.random_range(0.2..0.6)
            } else {
                0.0
            },
            reflection: if rng.random_bool(0.2) {
                rng.random_range(0.1..0.35)
            } else {
                0.0
            },
            moire: if rng.random_bool(0.2) {
                rng.random_range(0.02..0.08)
            } else {
                0.0
            },
            jpeg_quality: rng.random_range(60..=95),
            white_balance: [1.0; 3],
        }
    }

    /// As a lab captures: half on a flatbed (straight to ±1°, sharp, even light), half by
    /// phone (±5°, slight perspective, blur, noise, uneven light); white balance off by up
    /// to 7% per channel (2% on the flatbed) and exposure by up to 5%; JPEG 60–95.
    pub fn lab(rng: &mut impl Rng, dpi: u32) -> Self {
        let phone = rng.random_bool(0.5);
        let wb = if phone { 0.07 } else { 0.02 };
        let exposure = rng.random_range(0.95..1.05);
        let mut white_balance = [1.0; 3];
        for g in &mut white_balance {
            *g = exposure * rng.random_range(1.0 - wb..1.0 + wb);
        }
        Conditions {
            dpi,
            quarter_turns: 0,
            skew_deg: if phone {
                rng.random_range(-5.0..5.0)
            } else {
                rng.random_range(-1.0..1.0)
            },
            perspective: if phone {
                rng.random_range(0.0..0.03)
            } else {
                0.0
            },
            blur_px: if phone {
                rng.random_range(0.3..1.2)
            } else {
                rng.random_range(0.0..0.4)
            },
            noise: if phone {
                rng.random_range(2..8)
            } else {
                rng.random_range(0..3)
            },
            lighting: if phone {
                rng.random_range(0.0..0.15)
            } else {
                0.0
            },
            curl: 0.0,
            shadow: 0.0,
            glare: 0.0,
            reflection: 0.0,
            moire: 0.0,
            jpeg_quality: rng.random_range(60..=95),
            white_balance,
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
            curl: 0.0,
            shadow: 0.0,
            glare: 0.0,
            reflection: 0.0,
            moire: 0.0,
            jpeg_quality: 95,
            white_balance: [1.0; 3],
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
    if c.curl > 0.0 {
        out = curl(&out, c.curl, bed_colour);
    }
    if c.blur_px > 0.05 {
        out = imageops::blur(&out, c.blur_px as f32);
    }
    let light = Light::new(c, seed, bw, bh);
    // Noise (xorshift, seeded), then the light falling on each pixel.
    let mut state = (seed as u32) | 1;
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (gain, towards_white) = light.at(x, y);
        for (ch, wb) in px.0.iter_mut().zip(c.white_balance) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let n = if c.noise > 0 {
                (state % (2 * u32::from(c.noise) + 1)) as f64 - f64::from(c.noise)
            } else {
                0.0
            };
            let v = f64::from(*ch) * gain * wb;
            let v = v + (255.0 - v) * towards_white;
            *ch = (v + n).round().clamp(0.0, 255.0) as u8;
        }
    }
    let mut jpeg = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, c.jpeg_quality);
    out.write_with_encoder(enc).map_err(std::io::Error::other)?;
    Ok(jpeg)
}

/// A page bulging from its spine: rows bend by up to `amount` × height, most in the middle.
fn curl(img: &RgbImage, amount: f64, fill: Rgb<u8>) -> RgbImage {
    let (w, h) = img.dimensions();
    let a = amount * f64::from(h);
    let bends: Vec<f64> = (0..w)
        .map(|x| a * (std::f64::consts::PI * f64::from(x) / f64::from(w)).sin())
        .collect();
    RgbImage::from_fn(w, h, |x, y| {
        let bend = bends.get(x as usize).copied().unwrap_or(0.0);
        let sy = f64::from(y) - bend * (1.0 - (2.0 * f64::from(y) / f64::from(h) - 1.0).abs());
        let y0 = sy.floor();
        let t = sy - y0;
        let get = |yy: f64| -> Rgb<u8> {
            if yy < 0.0 || yy >= f64::from(h) {
                fill
            } else {
                *img.get_pixel(x, yy as u32)
            }
        };
        let (p, q) = (get(y0), get(y0 + 1.0));
        Rgb(std::array::from_fn(|i| {
            (f64::from(p.0[i]) * (1.0 - t) + f64::from(q.0[i]) * t).round() as u8
        }))
    })
}

/// The light on the page: overall falloff, a shadow, glare, a laminate reflection, moiré.
struct Light {
    lighting: f64,
    diag: f64,
    shadow: f64,
    /// Shadow edge: a unit normal and offset, and the softness in pixels.
    shadow_edge: (f64, f64, f64, f64),
    glare: f64,
    glare_at: (f64, f64, f64),
    reflection: f64,
    band: (f64, f64, f64, f64),
    moire: f64,
    moire_freq: (f64, f64),
}

impl Light {
    fn new(c: &Conditions, seed: u64, w: u32, h: u32) -> Light {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_1167);
        let (wf, hf) = (f64::from(w), f64::from(h));
        let line = |rng: &mut rand_chacha::ChaCha8Rng| {
            let a: f64 = rng.random_range(0.0..std::f64::consts::TAU);
            let (nx, ny) = (a.cos(), a.sin());
            let (px, py) = (
                rng.random_range(0.2..0.8) * wf,
                rng.random_range(0.2..0.8) * hf,
            );
            (nx, ny, nx * px + ny * py)
        };
        let (sx, sy, so) = line(&mut rng);
        let (bx, by, bo) = line(&mut rng);
        let period: f64 = rng.random_range(5.0..14.0);
        let ma: f64 = rng.random_range(0.0..std::f64::consts::PI);
        Light {
            lighting: c.lighting,
            diag: (wf * wf + hf * hf).sqrt(),
            shadow: c.shadow,
            shadow_edge: (sx, sy, so, 0.02 * wf.max(hf)),
            glare: c.glare,
            glare_at: (
                rng.random_range(0.1..0.9) * wf,
                rng.random_range(0.1..0.9) * hf,
                rng.random_range(0.04..0.12) * wf.max(hf),
            ),
            reflection: c.reflection,
            band: (bx, by, bo, rng.random_range(0.01..0.04) * wf.max(hf)),
            moire: c.moire,
            moire_freq: (ma.cos() / period, ma.sin() / period),
        }
    }

    /// The gain and the push towards white at a pixel.
    fn at(&self, x: u32, y: u32) -> (f64, f64) {
        let (xf, yf) = (f64::from(x), f64::from(y));
        let mut gain = 1.0 - self.lighting * ((xf * xf + yf * yf).sqrt() / self.diag);
        if self.shadow > 0.0 {
            let (nx, ny, o, soft) = self.shadow_edge;
            let d = (nx * xf + ny * yf - o) / soft;
            gain *= 1.0 - self.shadow * (0.5 + 0.5 * d.clamp(-1.0, 1.0));
        }
        if self.moire > 0.0 {
            let (fx, fy) = self.moire_freq;
            gain *= 1.0 + self.moire * (std::f64::consts::TAU * (fx * xf + fy * yf)).sin();
        }
        let mut white = 0.0;
        if self.glare > 0.0 {
            let (gx, gy, r) = self.glare_at;
            let d2 = ((xf - gx).powi(2) + (yf - gy).powi(2)) / (r * r);
            white += self.glare * (-d2).exp();
        }
        if self.reflection > 0.0 {
            let (nx, ny, o, width) = self.band;
            let d = (nx * xf + ny * yf - o) / width;
            white += self.reflection * (-d * d).exp();
        }
        (gain, white.min(0.95))
    }
}
