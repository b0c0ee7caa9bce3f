//! BMP: file and information headers, and the pixel array's extent.

use std::io::{Read, Seek};

use super::{ImageInfo, check_pixels};
use crate::error::IngestError;
use crate::limits::Limits;
use crate::media::MediaType::Bmp;
use crate::source::{Source, le16, le32};

pub(super) fn probe<R: Read + Seek>(
    src: &mut Source<R>,
    limits: &Limits,
) -> Result<ImageInfo, IngestError> {
    let header: [u8; 26] = src.array(0, "headers")?;
    let offset = u64::from(le32(header.get(10..).unwrap_or_default()));
    let dib = le32(header.get(14..).unwrap_or_default());
    let (width, height, bpp, compression, ppm) = if dib == 12 {
        let w = u64::from(le16(header.get(18..).unwrap_or_default()));
        let h = u64::from(le16(header.get(20..).unwrap_or_default()));
        let bpp = le16(header.get(24..).unwrap_or_default());
        (w, h, bpp, 0, None)
    } else if dib >= 40 {
        let info: [u8; 40] = src.array(14, "information header")?;
        let w = i64::from(le32(info.get(4..).unwrap_or_default()) as i32).unsigned_abs();
        let h = i64::from(le32(info.get(8..).unwrap_or_default()) as i32).unsigned_abs();
        let bpp = le16(info.get(14..).unwrap_or_default());
        let compression = le32(info.get(16..).unwrap_or_default());
        let x = le32(info.get(24..).unwrap_or_default());
        let y = le32(info.get(28..).unwrap_or_default());
        let ppm = (x > 0 && y > 0).then_some([x as f32 * 0.0254, y as f32 * 0.0254]);
        (w, h, bpp, compression, ppm)
    } else {
        return Err(IngestError::corrupt(
            Bmp,
            format!("information header of {dib} bytes"),
        ));
    };
    check_pixels(Bmp, width, height, limits)?;
    if !matches!(bpp, 1 | 4 | 8 | 16 | 24 | 32) {
        return Err(IngestError::corrupt(Bmp, format!("{bpp} bits per pixel")));
    }
    // Uncompressed rows are padded to 4 bytes; compressed data has no fixed size.
    if matches!(compression, 0 | 3 | 6) {
        let row = (width * u64::from(bpp)).div_ceil(32) * 4;
        let need = row.saturating_mul(height);
        if !src.has(offset, need) {
            return Err(IngestError::truncated(
                Bmp,
                format!(
                    "pixel data at byte {offset} needs {need} bytes; the file ends at byte {}",
                    src.len()
                ),
            ));
        }
    } else if offset >= src.len() {
        return Err(IngestError::truncated(
            Bmp,
            format!("pixel data would start at byte {offset}, past the end"),
        ));
    }
    Ok(ImageInfo {
        width: u32::try_from(width).unwrap_or(u32::MAX),
        height: u32::try_from(height).unwrap_or(u32::MAX),
        dpi: ppm,
        orientation: 1,
    })
}
