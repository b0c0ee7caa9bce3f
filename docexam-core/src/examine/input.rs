//! The images of one questioned document, each with its name, side, light and the hash of
//! the file it came from; and the grouping of many files into documents by their names.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use image::RgbImage;
use serde::Serialize;

use crate::evidence::EvidenceHash;
use crate::ingest::naming::from_file_name;
use crate::ingest::{IngestError, LightSource, Limits, Side, decode_bytes, decode_page_bytes};

/// One image of the questioned document.
#[derive(Clone, Debug)]
pub struct DocumentImage {
    /// What the image is called in the report (a file name, `scan.pdf#2` for a PDF page).
    pub name: String,
    /// The side it shows.
    pub side: Side,
    /// The light it was taken under.
    pub light: LightSource,
    /// blake3 of the file as received (for a PDF page: of the PDF).
    pub hash: EvidenceHash,
    /// Size of that file in bytes.
    pub bytes: u64,
    /// The page within that file (from 1), for PDFs and multi-page TIFFs.
    pub page: Option<u32>,
    /// Resolution in dots per inch, when the file says.
    pub dpi: Option<[f32; 2]>,
    /// The pixels, upright (shared with the examination's pyramid of them: never copied).
    pub image: Arc<RgbImage>,
}

/// What the report records of an input image.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputRecord {
    /// Name.
    pub name: String,
    /// blake3 of the file (hex).
    pub blake3: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Page within the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Side.
    pub side: Side,
    /// Light.
    pub light: LightSource,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution in dots per inch, when the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpi: Option<[f32; 2]>,
}

impl DocumentImage {
    /// The report's record of this image.
    pub fn record(&self) -> InputRecord {
        InputRecord {
            name: self.name.clone(),
            blake3: self.hash.to_hex(),
            bytes: self.bytes,
            page: self.page,
            side: self.side,
            light: self.light,
            width: self.image.width(),
            height: self.image.height(),
            dpi: self.dpi,
        }
    }

    /// Decodes the image file `path` (PNG, JPEG, TIFF, BMP, WebP) under `limits`, side and
    /// light from its name unless given. A multi-page file gives one image per page.
    pub fn from_image_file(
        path: &Path,
        side: Option<Side>,
        light: Option<LightSource>,
        limits: &Limits,
    ) -> Result<Vec<DocumentImage>, IngestError> {
        let bytes = crate::untrusted_file::read_limited(path, limits.max_file_bytes)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            crate::ingest::naming::file_name_text,
        );
        Self::from_bytes(&name, &bytes, side, light, limits)
    }

    /// Decodes only page `page` (from 1) of an image held in memory, named `name` (side and
    /// light from the name unless given): the other pages of a multi-page TIFF are skipped
    /// without decoding them.
    pub fn from_bytes_page(
        name: &str,
        bytes: &[u8],
        page: u32,
        side: Option<Side>,
        light: Option<LightSource>,
        limits: &Limits,
    ) -> Result<DocumentImage, IngestError> {
        let info = from_file_name(name);
        let decoded = decode_page_bytes(bytes, page, limits)?;
        let several = decoded.page.is_some();
        Ok(DocumentImage {
            name: if several {
                format!("{name}#{page}")
            } else {
                name.to_string()
            },
            side: side.unwrap_or(info.side),
            light: light.unwrap_or(info.light),
            hash: EvidenceHash::of_bytes(bytes),
            bytes: bytes.len() as u64,
            page: decoded.page,
            dpi: decoded.dpi,
            image: Arc::new(decoded.image.into_rgb8()),
        })
    }

    /// Decodes an image held in memory, named `name` (side and light from the name unless
    /// given).
    pub fn from_bytes(
        name: &str,
        bytes: &[u8],
        side: Option<Side>,
        light: Option<LightSource>,
        limits: &Limits,
    ) -> Result<Vec<DocumentImage>, IngestError> {
        let info = from_file_name(name);
        let hash = EvidenceHash::of_bytes(bytes);
        let pages = decode_bytes(bytes, limits)?;
        let several = pages.len() > 1;
        Ok(pages
            .into_iter()
            .map(|p| DocumentImage {
                name: match p.page {
                    Some(n) if several => format!("{name}#{n}"),
                    _ => name.to_string(),
                },
                side: side.unwrap_or(info.side),
                light: light.unwrap_or(info.light),
                hash,
                bytes: bytes.len() as u64,
                page: p.page.filter(|_| several),
                dpi: p.dpi,
                image: Arc::new(p.image.into_rgb8()),
            })
            .collect())
    }
}

/// Groups file names into documents by the naming convention ([`crate::ingest::naming`]):
/// `p17_front.png`, `p17_front_uv.png` and `p17_back.png` are one document, `p17`. Documents
/// come out sorted by name, their files in the order given.
pub fn group_by_document<'a>(names: &[&'a str]) -> Vec<(String, Vec<&'a str>)> {
    let mut groups: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for n in names {
        groups
            .entry(from_file_name(n).document)
            .or_default()
            .push(n);
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_one_document_group_by_name_whatever_their_light_and_side() {
        let names = [
            "b/p17_back.png",
            "p17_front_uv.png",
            "a/p17_front.png",
            "id3-ir.jpg",
            "id3.jpg",
        ];
        let groups = group_by_document(&names);
        assert_eq!(
            groups,
            vec![
                ("id3".to_string(), vec!["id3-ir.jpg", "id3.jpg"]),
                (
                    "p17".to_string(),
                    vec!["b/p17_back.png", "p17_front_uv.png", "a/p17_front.png"]
                ),
            ]
        );
    }

    #[test]
    fn an_image_in_memory_takes_side_and_light_from_its_name_and_is_hashed() {
        let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 10, 10]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        let got = DocumentImage::from_bytes("doc_back_ir.png", &png, None, None, &Limits::DEFAULT)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].side, got[0].light), (Side::Back, LightSource::Ir));
        assert_eq!(got[0].hash, EvidenceHash::of_bytes(&png));
        assert_eq!(got[0].record().width, 40);
        let forced = DocumentImage::from_bytes(
            "doc_back_ir.png",
            &png,
            Some(Side::Front),
            None,
            &Limits::DEFAULT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(forced[0].side, Side::Front);
        let broken = DocumentImage::from_bytes("x.png", &png[..20], None, None, &Limits::DEFAULT);
        assert!(broken.is_err());
    }
}
