//! Scan-like test images: a document-shaped pattern, encoded in any format.

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb, RgbImage};

/// A `w`×`h` image with a pattern that depends on `seed` (so every seed hashes differently).
pub fn pattern(w: u32, h: u32, seed: u32) -> RgbImage {
    ImageBuffer::from_fn(w, h, |x, y| {
        let v = (x.wrapping_mul(7) ^ y.wrapping_mul(13) ^ seed.wrapping_mul(31)) as u8;
        Rgb([v, v.wrapping_add(60), 255 - v])
    })
}

/// `img` encoded as `format`.
pub fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    // Writing to memory cannot fail for these formats.
    let _ = DynamicImage::ImageRgb8(img.clone()).write_to(&mut out, format);
    out.into_inner()
}

/// A JPEG of the pattern.
pub fn jpeg(w: u32, h: u32, seed: u32) -> Vec<u8> {
    encode(&pattern(w, h, seed), ImageFormat::Jpeg)
}

/// A JPEG padded to at least `bytes` with comment segments (a scan-sized file that is still a
/// valid JPEG), different for every `seed`.
pub fn padded_jpeg(bytes: usize, seed: u32) -> Vec<u8> {
    let base = jpeg(64, 64, seed);
    let mut out = base.get(..2).unwrap_or_default().to_vec();
    let mut n = 0u32;
    while out.len() + base.len() < bytes {
        let chunk = 65_533usize.min(bytes - out.len() - base.len()).max(16);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((chunk + 2) as u16).to_be_bytes());
        out.extend((0..chunk).map(|i| (i as u32 ^ seed ^ n) as u8));
        n += 1;
    }
    out.extend_from_slice(base.get(2..).unwrap_or_default());
    out
}
