//! Raw PDF image samples to pixels: Flate inflated under a cap, PNG and TIFF predictors undone,
//! colour spaces mapped to grey or RGB, then written as PNG.

use std::io::Read;

use flate2::read::{DeflateDecoder, ZlibDecoder};
use image::{DynamicImage, GrayImage, RgbImage};

use crate::error::IngestError;
use crate::media::MediaType::Pdf;

/// How samples map to colour.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Colors {
    /// One grey component; `inverted` for a Decode array of [1 0].
    Gray { inverted: bool },
    /// Red, green, blue.
    Rgb,
    /// Cyan, magenta, yellow, black.
    Cmyk,
    /// Indices into a palette of `base` colours.
    Indexed { base: Box<Colors>, palette: Vec<u8> },
}

impl Colors {
    pub(crate) fn components(&self) -> usize {
        match self {
            Colors::Gray { .. } | Colors::Indexed { .. } => 1,
            Colors::Rgb => 3,
            Colors::Cmyk => 4,
        }
    }
}

/// Inflates zlib (or bare deflate) data, refusing more than `cap` bytes of output.
pub(crate) fn inflate(data: &[u8], cap: u64) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    let zlib = ZlibDecoder::new(data).take(cap + 1).read_to_end(&mut out);
    if zlib.is_err() {
        out.clear();
        DeflateDecoder::new(data)
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| IngestError::corrupt(Pdf, format!("Flate data does not inflate: {e}")))?;
    }
    if out.len() as u64 > cap {
        return Err(IngestError::corrupt(
            Pdf,
            format!("Flate data inflates beyond the {cap} bytes its image needs"),
        ));
    }
    Ok(out)
}

/// Undoes a Flate/LZW predictor (2: TIFF, 10–15: PNG) on rows of `row_bytes`, `bpp` bytes per
/// pixel.
pub(crate) fn unpredict(
    data: Vec<u8>,
    predictor: i32,
    row_bytes: usize,
    bpp: usize,
) -> Result<Vec<u8>, IngestError> {
    match predictor {
        0 | 1 => Ok(data),
        2 => {
            let mut data = data;
            for row in data.chunks_mut(row_bytes.max(1)) {
                for i in bpp..row.len() {
                    let left = row.get(i - bpp).copied().unwrap_or(0);
                    if let Some(v) = row.get_mut(i) {
                        *v = v.wrapping_add(left);
                    }
                }
            }
            Ok(data)
        }
        10..=15 => {
            let stride = row_bytes + 1;
            let rows = data.len() / stride;
            let mut out = vec![0u8; rows * row_bytes];
            let mut prev = vec![0u8; row_bytes];
            for r in 0..rows {
                let src = data.get(r * stride..(r + 1) * stride).unwrap_or_default();
                let (kind, line) = src.split_first().unwrap_or((&0, &[]));
                let mut cur = line.to_vec();
                for i in 0..cur.len() {
                    let a = if i >= bpp {
                        cur.get(i - bpp).copied().unwrap_or(0)
                    } else {
                        0
                    };
                    let b = prev.get(i).copied().unwrap_or(0);
                    let c = if i >= bpp {
                        prev.get(i - bpp).copied().unwrap_or(0)
                    } else {
                        0
                    };
                    let x = cur.get(i).copied().unwrap_or(0);
                    let v = match kind {
                        0 => x,
                        1 => x.wrapping_add(a),
                        2 => x.wrapping_add(b),
                        3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                        4 => x.wrapping_add(paeth(a, b, c)),
                        other => {
                            return Err(IngestError::corrupt(
                                Pdf,
                                format!("PNG predictor row type {other}"),
                            ));
                        }
                    };
                    if let Some(slot) = cur.get_mut(i) {
                        *slot = v;
                    }
                }
                if let Some(dst) = out.get_mut(r * row_bytes..(r + 1) * row_bytes) {
                    dst.copy_from_slice(&cur);
                }
                prev = cur;
            }
            Ok(out)
        }
        other => Err(IngestError::Unsupported {
            format: Pdf,
            what: format!("predictor {other}"),
        }),
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Reads sample `index` of `bpc` bits from packed rows, scaled to 0–255.
fn sample(row: &[u8], index: usize, bpc: u8) -> u8 {
    match bpc {
        8 => row.get(index).copied().unwrap_or(0),
        16 => row.get(index * 2).copied().unwrap_or(0),
        1 | 2 | 4 => {
            let bits = usize::from(bpc);
            let byte = row.get(index * bits / 8).copied().unwrap_or(0);
            let shift = 8 - bits - (index * bits % 8);
            let v = (byte >> shift) & ((1u8 << bits) - 1);
            (u16::from(v) * 255 / ((1u16 << bits) - 1)) as u8
        }
        _ => 0,
    }
}

/// Raw index for palettes (not scaled).
fn index_sample(row: &[u8], index: usize, bpc: u8) -> usize {
    match bpc {
        8 => usize::from(row.get(index).copied().unwrap_or(0)),
        1 | 2 | 4 => {
            let bits = usize::from(bpc);
            let byte = row.get(index * bits / 8).copied().unwrap_or(0);
            let shift = 8 - bits - (index * bits % 8);
            usize::from((byte >> shift) & ((1u8 << bits) - 1))
        }
        _ => 0,
    }
}

fn cmyk_to_rgb(c: u8, m: u8, y: u8, k: u8) -> [u8; 3] {
    let inv = |v: u8| ((255 - u16::from(v)) * (255 - u16::from(k)) / 255) as u8;
    [inv(c), inv(m), inv(y)]
}

/// Turns unpacked samples into an image.
pub(crate) fn to_image(
    data: &[u8],
    width: u32,
    height: u32,
    bpc: u8,
    colors: &Colors,
) -> Result<DynamicImage, IngestError> {
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) || (matches!(colors, Colors::Indexed { .. }) && bpc == 16)
    {
        return Err(IngestError::Unsupported {
            format: Pdf,
            what: format!("{bpc} bits per component"),
        });
    }
    let comps = colors.components();
    let row_bytes = (width as usize * comps * usize::from(bpc)).div_ceil(8);
    let need = row_bytes * height as usize;
    if data.len() < need {
        return Err(IngestError::truncated(
            Pdf,
            format!(
                "image data has {} bytes; a {width}x{height} image needs {need}",
                data.len()
            ),
        ));
    }
    let rows = |y: u32| {
        data.get(y as usize * row_bytes..(y as usize + 1) * row_bytes)
            .unwrap_or_default()
    };
    Ok(match colors {
        Colors::Gray { inverted } => {
            DynamicImage::ImageLuma8(GrayImage::from_fn(width, height, |x, y| {
                let v = sample(rows(y), x as usize, bpc);
                image::Luma([if *inverted { 255 - v } else { v }])
            }))
        }
        Colors::Rgb => DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
            let r = rows(y);
            let i = x as usize * 3;
            image::Rgb([
                sample(r, i, bpc),
                sample(r, i + 1, bpc),
                sample(r, i + 2, bpc),
            ])
        })),
        Colors::Cmyk => DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
            let r = rows(y);
            let i = x as usize * 4;
            image::Rgb(cmyk_to_rgb(
                sample(r, i, bpc),
                sample(r, i + 1, bpc),
                sample(r, i + 2, bpc),
                sample(r, i + 3, bpc),
            ))
        })),
        Colors::Indexed { base, palette } => {
            let n = base.components();
            DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
                let idx = index_sample(rows(y), x as usize, bpc);
                let entry = palette.get(idx * n..(idx + 1) * n).unwrap_or(&[0, 0, 0, 0]);
                let px = match (base.as_ref(), entry) {
                    (Colors::Gray { .. }, [g, ..]) => [*g, *g, *g],
                    (Colors::Rgb, [r, g, b, ..]) => [*r, *g, *b],
                    (Colors::Cmyk, [c, m, y, k, ..]) => cmyk_to_rgb(*c, *m, *y, *k),
                    _ => [0, 0, 0],
                };
                image::Rgb(px)
            }))
        }
    })
}

/// Writes an image as PNG.
pub(crate) fn to_png(image: &DynamicImage) -> Result<Vec<u8>, IngestError> {
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| IngestError::Decode {
            format: Pdf,
            detail: format!("cannot write PNG: {e}"),
        })?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_predictors_round_trip() {
        // Rows of 3 bytes, 1 byte per pixel, each with a different filter type.
        let encoded = vec![1, 10, 5, 5, 2, 1, 1, 1, 4, 0, 0, 0];
        let out = unpredict(encoded, 12, 3, 1).unwrap();
        assert_eq!(out, vec![10, 15, 20, 11, 16, 21, 11, 16, 21]);
    }

    #[test]
    fn bit_packed_gray_is_scaled_and_inverted() {
        let img = to_image(&[0b1010_0000], 4, 1, 1, &Colors::Gray { inverted: true }).unwrap();
        assert_eq!(img.to_luma8().into_raw(), vec![0, 255, 0, 255]);
    }

    #[test]
    fn inflation_is_capped() {
        use flate2::Compression;
        use flate2::write::ZlibEncoder;
        use std::io::Write;
        let mut enc = ZlibEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&vec![0u8; 1_000_000]).unwrap();
        let bomb = enc.finish().unwrap();
        assert!(inflate(&bomb, 1_000_000).is_ok());
        assert!(inflate(&bomb, 999_999).is_err());
    }
}
