//! Barcode images for tests: codes written with zxing-cpp's writer from exact payload bytes,
//! then placed on a page and degraded the ways captures degrade them (scale, rotation, blur,
//! noise, JPEG, inversion).

use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};
use zxingcpp::BarcodeFormat;

/// The symbologies tests write.
#[derive(Clone, Copy, Debug)]
pub enum Symbology {
    /// PDF417 (driving licences).
    Pdf417,
    /// Data Matrix (ICAO visible digital seals).
    DataMatrix,
    /// QR Code (EU DCC, VDS-NC).
    Qr,
    /// Aztec (boarding passes).
    Aztec,
}

/// A code of `bytes` with `module` pixels per module and a quiet zone.
pub fn code(symbology: Symbology, bytes: &[u8], module: i32) -> GrayImage {
    let format = match symbology {
        Symbology::Pdf417 => BarcodeFormat::PDF417,
        Symbology::DataMatrix => BarcodeFormat::DataMatrix,
        Symbology::Qr => BarcodeFormat::QRCode,
        Symbology::Aztec => BarcodeFormat::Aztec,
    };
    let bc = zxingcpp::create(format)
        .from_slice(bytes)
        .expect("the writer takes these bytes");
    let img = bc
        .to_image_with(&zxingcpp::write().scale(module).add_quiet_zones(true))
        .expect("the writer renders the code");
    let (w, h) = (img.width() as u32, img.height() as u32);
    GrayImage::from_raw(w, h, img.data()).expect("the writer's image has w×h bytes")
}

/// `code` placed at (`x`, `y`) on a light-grey page of `w`×`h`.
pub fn on_page(code: &GrayImage, w: u32, h: u32, x: i64, y: i64) -> GrayImage {
    let mut page = GrayImage::from_pixel(w, h, Luma([235]));
    imageops::overlay(&mut page, code, x, y);
    page
}

/// Rotated by a multiple of 90° (1, 2 or 3 quarter turns).
pub fn quarter_turns(img: &GrayImage, turns: u8) -> GrayImage {
    match turns % 4 {
        1 => imageops::rotate90(img),
        2 => imageops::rotate180(img),
        3 => imageops::rotate270(img),
        _ => img.clone(),
    }
}

/// Scaled by `factor` (below 1: fewer pixels per module, as at low resolution).
pub fn scaled(img: &GrayImage, factor: f32) -> GrayImage {
    let w = ((img.width() as f32 * factor) as u32).max(1);
    let h = ((img.height() as f32 * factor) as u32).max(1);
    imageops::resize(img, w, h, FilterType::Triangle)
}

/// Gaussian blur, deterministic noise of ±`noise` grey levels, then JPEG at `quality`.
pub fn degraded(img: &GrayImage, blur: f32, noise: u8, quality: u8) -> GrayImage {
    let mut out = if blur > 0.0 {
        imageops::blur(img, blur)
    } else {
        img.clone()
    };
    let mut state: u32 = 0x9e37_79b9;
    for p in out.pixels_mut() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let delta = (state % (2 * u32::from(noise) + 1)) as i32 - i32::from(noise);
        p.0[0] = (i32::from(p.0[0]) + delta).clamp(0, 255) as u8;
    }
    let mut jpeg = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality);
    out.write_with_encoder(enc).expect("JPEG encodes in memory");
    image::load_from_memory(&jpeg)
        .expect("JPEG decodes")
        .to_luma8()
}

/// Light-on-dark.
pub fn inverted(img: &GrayImage) -> GrayImage {
    let mut out = img.clone();
    imageops::invert(&mut out);
    out
}

/// A sheet of `n` QR codes in a square grid (`module` pixels per module, `gap` pixels between
/// the codes' quiet zones), each holding `label` followed by its number.
pub fn sheet(n: u32, module: i32, gap: u32, label: &str) -> GrayImage {
    let side = (f64::from(n)).sqrt().ceil() as u32;
    let codes: Vec<GrayImage> = (0..n)
        .map(|i| code(Symbology::Qr, format!("{label}{i:04}").as_bytes(), module))
        .collect();
    let cell = codes.iter().map(GrayImage::width).max().unwrap_or(0) + gap;
    let mut page = GrayImage::from_pixel(cell * side + 40, cell * side + 40, Luma([235]));
    for (i, c) in (0..n).zip(&codes) {
        let (x, y) = (20 + (i % side) * cell, 20 + (i / side) * cell);
        imageops::overlay(&mut page, c, i64::from(x), i64::from(y));
    }
    page
}
