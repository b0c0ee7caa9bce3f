//! Items: the pieces of evidence a case holds, as the audit log records them.

use serde::{Deserialize, Serialize};

use super::hash::EvidenceHash;
use docexam_ingest::{LightSource, MediaType, Side};

/// One piece of evidence: an image of one side of a document under one light source, or one
/// page of a PDF or multi-page TIFF.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Number of the item within the case, from 1.
    pub id: u32,
    /// The document it shows; items with the same document form one document to examine.
    pub document: String,
    /// Which side of the document.
    pub side: Side,
    /// Under which light.
    pub light: LightSource,
    /// The file name it was received under.
    pub source: String,
    /// Size of the original file in bytes.
    pub bytes: u64,
    /// Kind of the original file.
    pub media_type: MediaType,
    /// blake3 of the original file, the name of its copy under `originals/`.
    pub original: EvidenceHash,
    /// The page within the original (from 1), for PDFs and multi-page TIFFs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The image extracted from a PDF page, stored under `derived/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extracted: Option<ExtractedImage>,
    /// Width of the image in pixels.
    pub width: u32,
    /// Height of the image in pixels.
    pub height: u32,
    /// Resolution in dots per inch (horizontal, vertical), when the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi: Option<[f32; 2]>,
}

/// An image extracted from a PDF page and kept as a derived artefact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractedImage {
    /// blake3 of the extracted file, its name under `derived/`.
    pub hash: EvidenceHash,
    /// Its kind (JPEG as stored in the PDF, or PNG for other encodings).
    pub media_type: MediaType,
    /// Size in bytes.
    pub bytes: u64,
}
