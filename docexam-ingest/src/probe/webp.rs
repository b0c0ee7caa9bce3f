//! WebP: the RIFF container's chunks, with the canvas or frame size and the EXIF block.

use std::io::{Read, Seek};

use super::{ImageInfo, check_pixels};
use crate::error::IngestError;
use crate::exif;
use crate::limits::Limits;
use crate::media::MediaType::Webp;
use crate::source::{Source, le16, le32};

fn le24(b: &[u8]) -> u32 {
    match b {
        [a, b, c, ..] => u32::from_le_bytes([*a, *b, *c, 0]),
        _ => 0,
    }
}

pub(super) fn probe<R: Read + Seek>(
    src: &mut Source<R>,
    limits: &Limits,
) -> Result<ImageInfo, IngestError> {
    let riff: [u8; 12] = src.array(0, "RIFF header")?;
    let declared = u64::from(le32(riff.get(4..).unwrap_or_default())) + 8;
    if declared > src.len() {
        return Err(IngestError::truncated(
            Webp,
            format!(
                "the RIFF header declares {declared} bytes; the file has {}",
                src.len()
            ),
        ));
    }
    let mut at = 12u64;
    let mut size = None;
    let mut exif_info = None;
    while at + 8 <= declared {
        src.step("chunks")?;
        let header: [u8; 8] = src.array(at, "chunk header")?;
        let kind = header.get(..4).unwrap_or_default();
        let len = u64::from(le32(header.get(4..).unwrap_or_default()));
        if !src.has(at + 8, len) {
            return Err(IngestError::truncated(
                Webp,
                format!(
                    "chunk {} at byte {at} needs {len} bytes",
                    String::from_utf8_lossy(kind)
                ),
            ));
        }
        match kind {
            b"VP8X" if len >= 10 => {
                let b: [u8; 10] = src.array(at + 8, "VP8X")?;
                size = Some((
                    le24(b.get(4..).unwrap_or_default()) + 1,
                    le24(b.get(7..).unwrap_or_default()) + 1,
                ));
            }
            b"VP8 " if len >= 10 && size.is_none() => {
                let b: [u8; 10] = src.array(at + 8, "VP8 frame header")?;
                if b.get(3..6) != Some(&[0x9D, 0x01, 0x2A]) {
                    return Err(IngestError::corrupt(
                        Webp,
                        "VP8 frame without its start code",
                    ));
                }
                let w = u32::from(le16(b.get(6..).unwrap_or_default()) & 0x3FFF);
                let h = u32::from(le16(b.get(8..).unwrap_or_default()) & 0x3FFF);
                size = Some((w, h));
            }
            b"VP8L" if len >= 5 && size.is_none() => {
                let b: [u8; 5] = src.array(at + 8, "VP8L header")?;
                if b.first() != Some(&0x2F) {
                    return Err(IngestError::corrupt(
                        Webp,
                        "VP8L stream without its signature",
                    ));
                }
                let bits = le32(b.get(1..).unwrap_or_default());
                size = Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1));
            }
            b"EXIF" => {
                let block = src.read_vec(at + 8, len, 64 * 1024, "EXIF")?;
                exif_info = Some(exif::read(&block));
            }
            _ => {}
        }
        at += 8 + len + (len & 1);
    }
    let Some((width, height)) = size else {
        return Err(IngestError::corrupt(Webp, "no VP8, VP8L or VP8X chunk"));
    };
    check_pixels(Webp, width.into(), height.into(), limits)?;
    let exif_info = exif_info.unwrap_or_default();
    Ok(ImageInfo {
        width,
        height,
        dpi: exif_info.dpi,
        orientation: exif_info.orientation.unwrap_or(1),
    })
}
