//! JPEG: the marker segments from SOI to EOI, scanning entropy-coded data for the next marker,
//! with the frame size, JFIF density and EXIF block read on the way.

use std::io::{Read, Seek, SeekFrom};

use super::{ImageInfo, check_pixels};
use crate::error::IngestError;
use crate::exif;
use crate::limits::Limits;
use crate::media::MediaType::Jpeg;
use crate::source::{Source, be16};

pub(super) fn probe<R: Read + Seek>(
    src: &mut Source<R>,
    limits: &Limits,
) -> Result<ImageInfo, IngestError> {
    let mut at = 2u64; // after SOI
    let mut size = None;
    let mut dpi = None;
    let mut exif_info = None;
    loop {
        src.step("markers")?;
        let marker: [u8; 2] = src.array(at, "marker")?;
        let [0xFF, code] = marker else {
            return Err(IngestError::corrupt(
                Jpeg,
                format!("no marker at byte {at}"),
            ));
        };
        match code {
            0xFF => {
                at += 1; // fill byte
                continue;
            }
            0xD9 => break, // EOI
            0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            _ => {}
        }
        let len_bytes: [u8; 2] = src.array(at + 2, "segment length")?;
        let len = u64::from(be16(&len_bytes));
        if len < 2 {
            return Err(IngestError::corrupt(
                Jpeg,
                format!("segment at byte {at} has length {len}"),
            ));
        }
        if !src.has(at + 2, len) {
            return Err(IngestError::truncated(
                Jpeg,
                format!(
                    "segment FF{code:02X} at byte {at} needs {len} bytes; the file ends at byte {}",
                    src.len()
                ),
            ));
        }
        let body = at + 4;
        match code {
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                let sof: [u8; 5] = src.array(body, "frame header")?;
                let (h, w) = (
                    be16(sof.get(1..).unwrap_or_default()),
                    be16(sof.get(3..).unwrap_or_default()),
                );
                check_pixels(Jpeg, w.into(), h.into(), limits)?;
                size = Some((u32::from(w), u32::from(h)));
            }
            0xE0 if len >= 16 => {
                let app0: [u8; 12] = src.array(body, "JFIF header")?;
                if app0.starts_with(b"JFIF\0") {
                    let unit = app0.get(7).copied().unwrap_or(0);
                    let x = f32::from(be16(app0.get(8..).unwrap_or_default()));
                    let y = f32::from(be16(app0.get(10..).unwrap_or_default()));
                    if x > 0.0 && y > 0.0 {
                        dpi = match unit {
                            1 => Some([x, y]),
                            2 => Some([x * 2.54, y * 2.54]),
                            _ => dpi,
                        };
                    }
                }
            }
            0xE1 if exif_info.is_none() => {
                let block = src.read_vec(body, len - 2, 64 * 1024, "APP1")?;
                if block.starts_with(b"Exif\0\0") {
                    exif_info = Some(exif::read(&block));
                }
            }
            0xDA => {
                at = scan_entropy(src, at + 2 + len)?;
                continue;
            }
            _ => {}
        }
        at += 2 + len;
    }
    let Some((width, height)) = size else {
        return Err(IngestError::corrupt(
            Jpeg,
            "no frame header (SOF) before the end of the image",
        ));
    };
    let exif_info = exif_info.unwrap_or_default();
    Ok(ImageInfo {
        width,
        height,
        dpi: exif_info.dpi.or(dpi),
        orientation: exif_info.orientation.unwrap_or(1),
    })
}

/// Finds the marker that ends the entropy-coded data starting at `from`: an FF not followed by
/// 00 (stuffing) or a restart marker. Returns its position.
fn scan_entropy<R: Read + Seek>(src: &mut Source<R>, from: u64) -> Result<u64, IngestError> {
    let len = src.len();
    let reader = src.inner();
    reader.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut base = from;
    let mut carry_ff = false;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Err(IngestError::truncated(
                Jpeg,
                format!(
                    "image data runs to the end of the file (byte {len}) with no end-of-image marker"
                ),
            ));
        }
        let chunk = buf.get(..n).unwrap_or_default();
        if carry_ff
            && let Some(&next) = chunk.first()
            && is_marker_end(next)
        {
            return Ok(base - 1);
        }
        let mut i = 0;
        while let Some(p) = memchr::memchr(0xFF, chunk.get(i..).unwrap_or_default()) {
            let pos = i + p;
            match chunk.get(pos + 1) {
                Some(&next) if is_marker_end(next) => return Ok(base + pos as u64),
                Some(_) => i = pos + 1,
                None => break,
            }
        }
        carry_ff = chunk.last() == Some(&0xFF);
        base += n as u64;
    }
}

/// Whether `FF next` is a real marker (not stuffing, a restart marker or a fill byte).
fn is_marker_end(next: u8) -> bool {
    !matches!(next, 0x00 | 0xD0..=0xD7 | 0xFF)
}
