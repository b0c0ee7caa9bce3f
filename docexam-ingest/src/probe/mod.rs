//! Probing a file: its format, its pages, their size, resolution and orientation, and whether
//! its structure is whole — without decoding pixels, so that receiving a thousand scans costs
//! what reading them from disk costs.

mod bmp;
mod jpeg;
mod png;
mod tiff;
mod webp;

use std::io::{Read, Seek};
use std::path::Path;

use super::error::IngestError;
use super::limits::Limits;
use super::media::MediaType;
use super::source::Source;

/// One image: its size, resolution and orientation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageInfo {
    /// Width in pixels, as stored.
    pub width: u32,
    /// Height in pixels, as stored.
    pub height: u32,
    /// Resolution in dots per inch (horizontal, vertical), when the file says.
    pub dpi: Option<[f32; 2]>,
    /// EXIF orientation 1–8 (1: as stored); decoding applies it.
    pub orientation: u8,
}

impl ImageInfo {
    /// Width and height after the orientation is applied.
    pub fn oriented_size(&self) -> (u32, u32) {
        if (5..=8).contains(&self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

/// What probing found: the format and one [`ImageInfo`] per page.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// The format, from the file's content.
    pub media_type: MediaType,
    /// The pages (one for single images).
    pub pages: Vec<ImageInfo>,
}

/// Checks a size against the pixel limit.
pub(crate) fn check_pixels(
    format: MediaType,
    width: u64,
    height: u64,
    limits: &Limits,
) -> Result<(), IngestError> {
    if width == 0 || height == 0 {
        return Err(IngestError::corrupt(
            format,
            format!("image of {width}x{height} pixels"),
        ));
    }
    if width.saturating_mul(height) > limits.max_pixels {
        return Err(IngestError::TooManyPixels {
            format,
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    Ok(())
}

/// The first bytes of the file at `path` (up to 1024), enough to recognise its format.
pub fn read_head(path: &Path) -> Result<Vec<u8>, IngestError> {
    let mut head = Vec::with_capacity(1024);
    let (file, _) = docexam_base::untrusted_file::open_regular(path)?;
    file.take(1024).read_to_end(&mut head)?;
    Ok(head)
}

/// Probes the image file at `path` (PDFs are read by [`crate::pdf`]).
pub fn probe_file(path: &Path, limits: &Limits) -> Result<Probe, IngestError> {
    let (file, meta) = docexam_base::untrusted_file::open_regular(path)?;
    if meta.len() == 0 {
        return Err(IngestError::Empty);
    }
    if meta.len() > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            bytes: meta.len(),
            limit: limits.max_file_bytes,
        });
    }
    probe(file, limits)
}

/// Probes an image from a seekable reader.
pub fn probe<R: Read + Seek>(mut reader: R, limits: &Limits) -> Result<Probe, IngestError> {
    let mut head = [0u8; 1024];
    let mut got = 0;
    while got < head.len() {
        match reader.read(head.get_mut(got..).unwrap_or_default())? {
            0 => break,
            n => got += n,
        }
    }
    let head = head.get(..got).unwrap_or_default();
    if head.is_empty() {
        return Err(IngestError::Empty);
    }
    let Some(format) = MediaType::sniff(head) else {
        let hex: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
        return Err(IngestError::UnknownFormat {
            head: hex.join(" "),
        });
    };
    let mut src = Source::new(reader, format)?;
    if src.len() > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            bytes: src.len(),
            limit: limits.max_file_bytes,
        });
    }
    let pages = match format {
        MediaType::Png => vec![png::probe(&mut src, limits)?],
        MediaType::Jpeg => vec![jpeg::probe(&mut src, limits)?],
        MediaType::Tiff => tiff::probe(&mut src, limits)?,
        MediaType::Bmp => vec![bmp::probe(&mut src, limits)?],
        MediaType::Webp => vec![webp::probe(&mut src, limits)?],
        MediaType::Pdf => {
            return Err(IngestError::Unsupported {
                format,
                what: "probing a PDF as an image".into(),
            });
        }
    };
    Ok(Probe {
        media_type: format,
        pages,
    })
}
