//! PNG: the chunk chain from the signature to IEND, with IHDR, pHYs and eXIf read on the way.

use std::io::{Read, Seek};

use super::{ImageInfo, check_pixels};
use crate::error::IngestError;
use crate::exif;
use crate::limits::Limits;
use crate::media::MediaType::Png;
use crate::source::{Source, be32};

/// Longest PNG chunk the format allows.
const MAX_CHUNK: u64 = (1 << 31) - 1;

pub(super) fn probe<R: Read + Seek>(
    src: &mut Source<R>,
    limits: &Limits,
) -> Result<ImageInfo, IngestError> {
    let mut at = 8u64;
    let mut size = None;
    let mut dpi = None;
    let mut orientation = 1;
    loop {
        src.step("chunks")?;
        let header: [u8; 8] = src.array(at, "chunk header")?;
        let len = u64::from(be32(&header));
        let kind = header.get(4..8).unwrap_or_default();
        let name = String::from_utf8_lossy(kind).into_owned();
        if len > MAX_CHUNK {
            return Err(IngestError::corrupt(
                Png,
                format!("chunk {name} at byte {at} claims {len} bytes"),
            ));
        }
        if !src.has(at, 12 + len) {
            return Err(IngestError::truncated(
                Png,
                format!(
                    "chunk {name} at byte {at} needs {} bytes; the file ends at byte {}",
                    12 + len,
                    src.len()
                ),
            ));
        }
        if size.is_none() && kind != b"IHDR" {
            return Err(IngestError::corrupt(Png, "the first chunk is not IHDR"));
        }
        match kind {
            b"IHDR" => {
                let ihdr: [u8; 8] = src.array(at + 8, "IHDR")?;
                let (w, h) = (be32(&ihdr), be32(ihdr.get(4..).unwrap_or_default()));
                check_pixels(Png, w.into(), h.into(), limits)?;
                size = Some((w, h));
            }
            b"pHYs" if len == 9 => {
                let phys: [u8; 9] = src.array(at + 8, "pHYs")?;
                let (x, y) = (be32(&phys), be32(phys.get(4..).unwrap_or_default()));
                if phys.get(8) == Some(&1) && x > 0 && y > 0 {
                    // Pixels per metre to dots per inch.
                    dpi = Some([x as f32 * 0.0254, y as f32 * 0.0254]);
                }
            }
            b"eXIf" => {
                let block = src.read_vec(at + 8, len, 64 * 1024, "eXIf")?;
                let info = exif::read(&block);
                orientation = info.orientation.unwrap_or(1);
                dpi = dpi.or(info.dpi);
            }
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let (width, height) = size.unwrap_or((0, 0));
    Ok(ImageInfo {
        width,
        height,
        dpi,
        orientation,
    })
}
