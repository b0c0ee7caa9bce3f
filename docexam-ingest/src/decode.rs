//! Decoding images to pixels under limits, with the EXIF orientation applied and the
//! resolution carried.

use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer, ImageFormat, ImageReader};
use tiff::ColorType;
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult, Limits as TiffLimits};

use super::error::IngestError;
use super::limits::Limits;
use super::media::MediaType;
use super::probe::{self, ImageInfo};

/// An image ready for examination: pixels upright, with the resolution the file gave.
#[derive(Clone, Debug)]
pub struct DecodedImage {
    /// The pixels, with the EXIF orientation applied.
    pub image: DynamicImage,
    /// Resolution in dots per inch (horizontal, vertical), when the file says.
    pub dpi: Option<[f32; 2]>,
    /// Page within the file (from 1) for multi-page files.
    pub page: Option<u32>,
}

/// Decodes every page of the image file at `path` (PNG, JPEG, TIFF, BMP, WebP). All pages are
/// held at once, so together they stay within [`Limits::max_alloc_bytes`]; use
/// [`decode_page_file`] or [`for_each_page_file`] where one page at a time will do.
pub fn decode_file(path: &Path, limits: &Limits) -> Result<Vec<DecodedImage>, IngestError> {
    let mut out = Vec::new();
    with_file(path, limits, Pages::Held, &mut |p| {
        out.push(p);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes an image held in memory (the same formats as [`decode_file`]), every page.
pub fn decode_bytes(bytes: &[u8], limits: &Limits) -> Result<Vec<DecodedImage>, IngestError> {
    let mut out = Vec::new();
    with_bytes(bytes, limits, Pages::Held, &mut |p| {
        out.push(p);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes only page `page` (from 1) of the image file at `path`: the pages before it are
/// skipped without decoding their pixels. A single image is page 1.
pub fn decode_page_file(
    path: &Path,
    page: u32,
    limits: &Limits,
) -> Result<DecodedImage, IngestError> {
    one_page(page, |pages, sink| with_file(path, limits, pages, sink))
}

/// [`decode_page_file`] for an image held in memory.
pub fn decode_page_bytes(
    bytes: &[u8],
    page: u32,
    limits: &Limits,
) -> Result<DecodedImage, IngestError> {
    one_page(page, |pages, sink| with_bytes(bytes, limits, pages, sink))
}

/// Decodes the pages of the image file at `path` one at a time, giving each to `sink` and
/// dropping it before the next is decoded; returns the number of pages.
pub fn for_each_page_file(
    path: &Path,
    limits: &Limits,
    mut sink: impl FnMut(DecodedImage) -> Result<(), IngestError>,
) -> Result<u32, IngestError> {
    with_file(path, limits, Pages::OneByOne, &mut sink)
}

/// Which pages are decoded, and whether they are held together.
#[derive(Clone, Copy)]
enum Pages {
    /// Every page, all held by the caller: their sum is bounded.
    Held,
    /// Every page, each dropped before the next.
    OneByOne,
    /// Only this page (index from 0).
    Only(usize),
}

type Sink<'a> = &'a mut dyn FnMut(DecodedImage) -> Result<(), IngestError>;

fn one_page(
    page: u32,
    decode: impl FnOnce(Pages, Sink<'_>) -> Result<u32, IngestError>,
) -> Result<DecodedImage, IngestError> {
    let index = usize::try_from(page).unwrap_or(usize::MAX).wrapping_sub(1);
    let mut got = None;
    let pages = decode(Pages::Only(index), &mut |p| {
        got = Some(p);
        Ok(())
    })?;
    got.ok_or(IngestError::NoSuchPage { page, pages })
}

fn with_file(
    path: &Path,
    limits: &Limits,
    pages: Pages,
    sink: Sink<'_>,
) -> Result<u32, IngestError> {
    let probe = probe::probe_file(path, limits)?;
    let (file, _) = docexam_base::untrusted_file::open_regular(path)?;
    let file = BufReader::with_capacity(256 * 1024, file);
    decode_probed(file, &probe, limits, pages, sink)
}

fn with_bytes(
    bytes: &[u8],
    limits: &Limits,
    pages: Pages,
    sink: Sink<'_>,
) -> Result<u32, IngestError> {
    let probe = probe::probe(Cursor::new(bytes), limits)?;
    decode_probed(Cursor::new(bytes), &probe, limits, pages, sink)
}

/// Decodes the chosen pages; returns how many pages the file has.
fn decode_probed<R: std::io::BufRead + Seek>(
    reader: R,
    probe: &probe::Probe,
    limits: &Limits,
    pages: Pages,
    sink: Sink<'_>,
) -> Result<u32, IngestError> {
    let format = probe.media_type;
    let count = u32::try_from(probe.pages.len()).unwrap_or(u32::MAX);
    if format == MediaType::Tiff {
        decode_tiff(reader, &probe.pages, limits, pages, sink)?;
        return Ok(count);
    }
    if matches!(pages, Pages::Only(i) if i != 0) {
        return Ok(count);
    }
    let image_format = match format {
        MediaType::Png => ImageFormat::Png,
        MediaType::Jpeg => ImageFormat::Jpeg,
        MediaType::Bmp => ImageFormat::Bmp,
        MediaType::Webp => ImageFormat::WebP,
        _ => {
            return Err(IngestError::Unsupported {
                format,
                what: "decoding as an image".into(),
            });
        }
    };
    let info = probe
        .pages
        .first()
        .copied()
        .ok_or_else(|| IngestError::corrupt(format, "no image"))?;
    let mut reader = ImageReader::with_format(reader, image_format);
    reader.limits(image_limits(limits));
    let image = reader.decode().map_err(|e| decode_error(format, e))?;
    sink(DecodedImage {
        image: orient(image, info.orientation),
        dpi: info.dpi,
        page: None,
    })?;
    Ok(count)
}

pub(crate) fn image_limits(limits: &Limits) -> image::Limits {
    let mut l = image::Limits::default();
    l.max_alloc = Some(limits.max_alloc_bytes);
    l
}

pub(crate) fn decode_error(format: MediaType, e: image::ImageError) -> IngestError {
    match e {
        image::ImageError::Limits(l) => IngestError::Decode {
            format,
            detail: format!("limit reached: {l}"),
        },
        image::ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            IngestError::truncated(format, "the image data ends early")
        }
        other => IngestError::Decode {
            format,
            detail: other.to_string(),
        },
    }
}

/// Applies an EXIF orientation (1–8) so the image stands upright.
pub(crate) fn orient(mut image: DynamicImage, orientation: u8) -> DynamicImage {
    if let Some(o) = Orientation::from_exif(orientation) {
        image.apply_orientation(o);
    }
    image
}

fn decode_tiff<R: Read + Seek>(
    reader: R,
    pages: &[ImageInfo],
    limits: &Limits,
    which: Pages,
    sink: Sink<'_>,
) -> Result<(), IngestError> {
    let fmt = MediaType::Tiff;
    let err = |e: tiff::TiffError| IngestError::Decode {
        format: fmt,
        detail: e.to_string(),
    };
    let mut tiff_limits = TiffLimits::default();
    tiff_limits.decoding_buffer_size =
        usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX);
    let mut decoder = TiffDecoder::new(reader)
        .map_err(err)?
        .with_limits(tiff_limits);
    // Pages decoded to be held at once stay within the allocation limit together, so a small
    // file of many huge pages is refused before it exhausts memory.
    let mut held: u64 = 0;
    for (index, info) in pages.iter().enumerate() {
        if index > 0 {
            // Reads the next page's directory only, not its pixels.
            decoder.next_image().map_err(err)?;
        }
        match which {
            Pages::Only(i) if i > index => continue,
            Pages::Only(i) if i < index => break,
            _ => {}
        }
        let (w, h) = decoder.dimensions().map_err(err)?;
        let color = decoder.colortype().map_err(err)?;
        let bytes = u64::from(w)
            .saturating_mul(u64::from(h))
            .saturating_mul(u64::from(color.num_samples()))
            .saturating_mul(u64::from(color.bit_depth()).div_ceil(8));
        held = match which {
            Pages::Held => held.saturating_add(bytes),
            _ => bytes,
        };
        if held > limits.max_alloc_bytes {
            let pages = match which {
                Pages::Held => format!("pages 1 to {}", index + 1),
                _ => format!("page {}", index + 1),
            };
            return Err(IngestError::Decode {
                format: fmt,
                detail: format!(
                    "limit reached: {pages} decode to {held} bytes, more than the {} \
                     allowed for one file",
                    limits.max_alloc_bytes
                ),
            });
        }
        // 0: white is zero (fax and most bilevel scans), 1: black is zero.
        let white_is_zero = decoder
            .get_tag_u32(tiff::tags::Tag::PhotometricInterpretation)
            .is_ok_and(|p| p == 0);
        let data = decoder.read_image().map_err(err)?;
        let data = match (color, data) {
            (ColorType::Gray(1), DecodingResult::U8(bits)) => {
                DecodingResult::U8(bilevel_to_grey(w, h, &bits, white_is_zero))
            }
            (_, other) => other,
        };
        let color = match color {
            ColorType::Gray(1) => ColorType::Gray(8),
            other => other,
        };
        let image = tiff_to_image(w, h, color, data).ok_or_else(|| IngestError::Unsupported {
            format: fmt,
            what: format!("{color:?} samples (page {})", index + 1),
        })?;
        let page = u32::try_from(index + 1).ok().filter(|_| pages.len() > 1);
        sink(DecodedImage {
            image: orient(image, info.orientation),
            dpi: info.dpi,
            page,
        })?;
    }
    Ok(())
}

/// One bit per pixel (rows padded to whole bytes, the first pixel in the high bit), as
/// document scanners and fax (CCITT Group 3/4) write, to 8-bit grey: black 0, white 255.
fn bilevel_to_grey(w: u32, h: u32, bits: &[u8], white_is_zero: bool) -> Vec<u8> {
    let row_bytes = (w as usize).div_ceil(8);
    let mut out = Vec::with_capacity(w as usize * h as usize);
    for row in bits.chunks(row_bytes.max(1)).take(h as usize) {
        for x in 0..w as usize {
            let bit = row.get(x / 8).is_some_and(|b| b & (0x80 >> (x % 8)) != 0);
            let white = bit != white_is_zero;
            out.push(if white { 255 } else { 0 });
        }
    }
    out
}

fn tiff_to_image(w: u32, h: u32, color: ColorType, data: DecodingResult) -> Option<DynamicImage> {
    use DecodingResult::{U8, U16};
    Some(match (color, data) {
        (ColorType::Gray(8), U8(d)) => DynamicImage::ImageLuma8(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::Gray(16), U16(d)) => DynamicImage::ImageLuma16(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::GrayA(8), U8(d)) => DynamicImage::ImageLumaA8(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::RGB(8), U8(d)) => DynamicImage::ImageRgb8(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::RGB(16), U16(d)) => DynamicImage::ImageRgb16(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::RGBA(8), U8(d)) => DynamicImage::ImageRgba8(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::RGBA(16), U16(d)) => DynamicImage::ImageRgba16(ImageBuffer::from_raw(w, h, d)?),
        (ColorType::CMYK(8), U8(d)) => {
            let rgb: Vec<u8> = d
                .chunks_exact(4)
                .flat_map(|p| match p {
                    [c, m, y, k] => {
                        let inv =
                            |v: u8| ((255 - u16::from(v)) * (255 - u16::from(*k)) / 255) as u8;
                        [inv(*c), inv(*m), inv(*y)]
                    }
                    _ => [0, 0, 0],
                })
                .collect();
            DynamicImage::ImageRgb8(ImageBuffer::from_raw(w, h, rgb)?)
        }
        _ => return None,
    })
}
