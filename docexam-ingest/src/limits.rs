//! Limits on what untrusted files may make docexam do.

/// Limits applied while reading untrusted files. Past any of them, ingest stops with an error
/// naming the limit; nothing is allocated first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest image, in pixels (width × height). A 1200 dpi scan of an A4 page has 140 million.
    pub max_pixels: u64,
    /// Most bytes of decoded pixels held for one file (one allocation, or all pages of a TIFF
    /// together): 1 GiB holds a 1200 dpi A4 scan in 8-bit RGB twice over, and refuses a
    /// 16000 × 16000 16-bit RGBA image (2 GB) before it is allocated.
    pub max_alloc_bytes: u64,
    /// Most pages in a PDF or TIFF.
    pub max_pages: u32,
    /// Most objects in a PDF's cross-reference table.
    pub max_pdf_objects: u64,
    /// Largest decoded stream in a PDF, in bytes.
    pub max_stream_bytes: u64,
}

impl Limits {
    /// Generous limits for scans and photos of documents.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 2 * 1024 * 1024 * 1024,
        max_pixels: 256 * 1024 * 1024,
        max_alloc_bytes: 1024 * 1024 * 1024,
        max_pages: 5_000,
        max_pdf_objects: 2_000_000,
        max_stream_bytes: 1024 * 1024 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
