//! Why a file could not be ingested.

use std::io;

use super::media::MediaType;

/// Why a file could not be read as evidence. The caller adds the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// Reading failed.
    #[error("cannot read the file: {0}")]
    Io(#[from] io::Error),
    /// The file has no bytes.
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// Not a format docexam reads.
    #[error(
        "not a supported image or PDF (PNG, JPEG, TIFF, BMP, WebP, PDF): the file starts with {head}"
    )]
    UnknownFormat {
        /// The first bytes, in hex.
        head: String,
    },
    /// Larger than the limit for files.
    #[error("the file has {bytes} bytes, above the limit of {limit}")]
    TooLarge {
        /// Size of the file.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The file ends before its structure does.
    #[error("truncated {format}: {detail}")]
    Truncated {
        /// The format.
        format: MediaType,
        /// Where it ends.
        detail: String,
    },
    /// The structure is broken.
    #[error("corrupt {format}: {detail}")]
    Corrupt {
        /// The format.
        format: MediaType,
        /// What is broken.
        detail: String,
    },
    /// A page was asked for that the file does not have.
    #[error("there is no page {page}: the file has {pages}")]
    NoSuchPage {
        /// The page asked for (from 1).
        page: u32,
        /// The pages the file has.
        pages: u32,
    },
    /// An image larger than the pixel limit (a decompression bomb, or a scan beyond reason).
    #[error("{format} image of {width}x{height} pixels is above the limit of {limit} pixels")]
    TooManyPixels {
        /// The format.
        format: MediaType,
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
        /// The limit.
        limit: u64,
    },
    /// A feature docexam does not read.
    #[error("{format}: {what} is not supported")]
    Unsupported {
        /// The format.
        format: MediaType,
        /// What is not supported.
        what: String,
    },
    /// An encrypted PDF.
    #[error("the PDF is encrypted; decrypt it with its password first (docexam does not)")]
    Encrypted,
    /// A count beyond a limit (pages, objects, streams).
    #[error("{format} has {found} {what}, above the limit of {limit}")]
    OverLimit {
        /// The format.
        format: MediaType,
        /// What was counted.
        what: &'static str,
        /// How many.
        found: u64,
        /// The limit.
        limit: u64,
    },
    /// Decoding pixels failed.
    #[error("cannot decode the {format} image: {detail}")]
    Decode {
        /// The format.
        format: MediaType,
        /// Why.
        detail: String,
    },
}

impl IngestError {
    pub(crate) fn truncated(format: MediaType, detail: impl Into<String>) -> Self {
        IngestError::Truncated {
            format,
            detail: detail.into(),
        }
    }

    pub(crate) fn corrupt(format: MediaType, detail: impl Into<String>) -> Self {
        IngestError::Corrupt {
            format,
            detail: detail.into(),
        }
    }
}

impl From<docexam_base::untrusted_file::UntrustedFileError> for IngestError {
    fn from(e: docexam_base::untrusted_file::UntrustedFileError) -> Self {
        use docexam_base::untrusted_file::UntrustedFileError as U;
        match e {
            U::TooLarge { size, limit } => IngestError::TooLarge { bytes: size, limit },
            other => IngestError::Io(other.into()),
        }
    }
}
