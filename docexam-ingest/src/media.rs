//! What kind of file a file is, from its first bytes (never from its name).

use serde::{Deserialize, Serialize};

/// A file format docexam reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MediaType {
    /// PNG.
    #[serde(rename = "image/png")]
    Png,
    /// JPEG (JFIF or EXIF).
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// TIFF, possibly with several pages.
    #[serde(rename = "image/tiff")]
    Tiff,
    /// Windows bitmap.
    #[serde(rename = "image/bmp")]
    Bmp,
    /// WebP.
    #[serde(rename = "image/webp")]
    Webp,
    /// PDF.
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl MediaType {
    /// Recognises a format from the first bytes of a file (at least 12 are needed; a PDF
    /// header may start anywhere in the first 1024).
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        match head {
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(MediaType::Png),
            [0xFF, 0xD8, 0xFF, ..] => Some(MediaType::Jpeg),
            [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => Some(MediaType::Tiff),
            [b'I', b'I', 43, 0, ..] | [b'M', b'M', 0, 43, ..] => Some(MediaType::Tiff),
            [b'B', b'M', ..] if head.len() >= 26 => Some(MediaType::Bmp),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(MediaType::Webp),
            _ if head
                .get(..1024)
                .unwrap_or(head)
                .windows(5)
                .any(|w| w == b"%PDF-") =>
            {
                Some(MediaType::Pdf)
            }
            _ => None,
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Tiff => "image/tiff",
            MediaType::Bmp => "image/bmp",
            MediaType::Webp => "image/webp",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// A short name for messages ("PNG").
    pub fn name(self) -> &'static str {
        match self {
            MediaType::Png => "PNG",
            MediaType::Jpeg => "JPEG",
            MediaType::Tiff => "TIFF",
            MediaType::Bmp => "BMP",
            MediaType::Webp => "WebP",
            MediaType::Pdf => "PDF",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Tiff => "tif",
            MediaType::Bmp => "bmp",
            MediaType::Webp => "webp",
            MediaType::Pdf => "pdf",
        }
    }
}

impl std::fmt::Display for MediaType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            MediaType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(MediaType::Png)
        );
        assert_eq!(
            MediaType::sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01"),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::sniff(b"II*\0\x08\0\0\0\0\0\0\0"),
            Some(MediaType::Tiff)
        );
        assert_eq!(
            MediaType::sniff(b"MM\0*\0\0\0\x08\0\0\0\0"),
            Some(MediaType::Tiff)
        );
        assert_eq!(
            MediaType::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(MediaType::Webp)
        );
        assert_eq!(
            MediaType::sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
            Some(MediaType::Pdf)
        );
        assert_eq!(
            MediaType::sniff(b"junk before %PDF-1.4 and more"),
            Some(MediaType::Pdf)
        );
        assert_eq!(MediaType::sniff(b"GIF89a......"), None);
        assert_eq!(MediaType::sniff(b""), None);
    }
}
