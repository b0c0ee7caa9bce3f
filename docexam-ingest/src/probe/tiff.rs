//! TIFF: every image file directory (page), with its strips or tiles checked to lie inside
//! the file, and its resolution and orientation tags.

use std::io::{Read, Seek};

use tiff::decoder::{Decoder, Limits as TiffLimits};
use tiff::tags::Tag;

use super::{ImageInfo, check_pixels};
use crate::error::IngestError;
use crate::exif::to_dpi;
use crate::limits::Limits;
use crate::media::MediaType::Tiff;
use crate::source::Source;

fn corrupt(e: tiff::TiffError) -> IngestError {
    match e {
        tiff::TiffError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            IngestError::truncated(Tiff, "a directory runs past the end of the file")
        }
        other => IngestError::corrupt(Tiff, other.to_string()),
    }
}

pub(super) fn probe<R: Read + Seek>(
    src: &mut Source<R>,
    limits: &Limits,
) -> Result<Vec<ImageInfo>, IngestError> {
    let len = src.len();
    let mut decoder = Decoder::new(src.inner())
        .map_err(corrupt)?
        .with_limits(TiffLimits::default());
    let mut pages = Vec::new();
    loop {
        if pages.len() as u64 >= u64::from(limits.max_pages) {
            return Err(IngestError::OverLimit {
                format: Tiff,
                what: "pages",
                found: pages.len() as u64 + 1,
                limit: limits.max_pages.into(),
            });
        }
        let (width, height) = decoder.dimensions().map_err(corrupt)?;
        check_pixels(Tiff, width.into(), height.into(), limits)?;
        let (offsets, counts) = match decoder
            .find_tag_unsigned_vec::<u64>(Tag::StripOffsets)
            .map_err(corrupt)?
        {
            Some(o) => (
                o,
                decoder
                    .find_tag_unsigned_vec::<u64>(Tag::StripByteCounts)
                    .map_err(corrupt)?,
            ),
            None => (
                decoder
                    .find_tag_unsigned_vec::<u64>(Tag::TileOffsets)
                    .map_err(corrupt)?
                    .unwrap_or_default(),
                decoder
                    .find_tag_unsigned_vec::<u64>(Tag::TileByteCounts)
                    .map_err(corrupt)?,
            ),
        };
        let page = pages.len() + 1;
        let Some(counts) = counts.filter(|c| c.len() == offsets.len() && !c.is_empty()) else {
            return Err(IngestError::corrupt(
                Tiff,
                format!("page {page} has no usable strip or tile table"),
            ));
        };
        for (o, c) in offsets.iter().zip(&counts) {
            if o.checked_add(*c).is_none_or(|end| end > len) {
                return Err(IngestError::truncated(
                    Tiff,
                    format!(
                        "page {page} has image data at bytes {o}..{}; the file ends at byte {len}",
                        o.saturating_add(*c)
                    ),
                ));
            }
        }
        let rational = |d: &mut Decoder<_>, tag| -> Option<f32> {
            match d.find_tag(tag).ok().flatten()? {
                tiff::decoder::ifd::Value::Rational(n, dd) if dd != 0 => Some(n as f32 / dd as f32),
                other => other.into_f32().ok(),
            }
        };
        let x = rational(&mut decoder, Tag::XResolution);
        let y = rational(&mut decoder, Tag::YResolution);
        let unit = decoder
            .find_tag_unsigned::<u32>(Tag::ResolutionUnit)
            .ok()
            .flatten()
            .unwrap_or(2);
        let dpi = match (x, y) {
            (Some(x), Some(y)) if x > 0.0 && y > 0.0 => to_dpi([x, y], unit),
            _ => None,
        };
        let orientation = decoder
            .find_tag_unsigned::<u8>(Tag::Orientation)
            .ok()
            .flatten()
            .filter(|o| (1..=8).contains(o))
            .unwrap_or(1);
        pages.push(ImageInfo {
            width,
            height,
            dpi,
            orientation,
        });
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(corrupt)?;
    }
    Ok(pages)
}
