//! Orientation and resolution from an EXIF block (the TIFF-structured data that JPEG APP1,
//! PNG eXIf and WebP EXIF chunks carry).

use exif::{In, Reader, Tag, Value};

/// What docexam takes from EXIF.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct ExifInfo {
    /// EXIF orientation 1–8 (1: as stored).
    pub orientation: Option<u8>,
    /// Resolution in dots per inch.
    pub dpi: Option<[f32; 2]>,
}

fn rational(v: &Value) -> Option<f32> {
    match v {
        Value::Rational(r) => r
            .first()
            .filter(|r| r.denom != 0)
            .map(|r| r.num as f32 / r.denom as f32),
        _ => None,
    }
}

/// Reads an EXIF block; anything unreadable yields nothing rather than an error (EXIF is
/// advisory, the image itself is the evidence).
pub(crate) fn read(block: &[u8]) -> ExifInfo {
    let block = block.strip_prefix(b"Exif\0\0").unwrap_or(block);
    let Ok(exif) = Reader::new().read_raw(block.to_vec()) else {
        return ExifInfo::default();
    };
    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|o| u8::try_from(o).ok())
        .filter(|o| (1..=8).contains(o));
    let x = exif
        .get_field(Tag::XResolution, In::PRIMARY)
        .and_then(|f| rational(&f.value));
    let y = exif
        .get_field(Tag::YResolution, In::PRIMARY)
        .and_then(|f| rational(&f.value));
    let unit = exif
        .get_field(Tag::ResolutionUnit, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .unwrap_or(2);
    let dpi = match (x, y) {
        (Some(x), Some(y)) if x > 0.0 && y > 0.0 => to_dpi([x, y], unit),
        _ => None,
    };
    ExifInfo { orientation, dpi }
}

/// Converts a resolution in TIFF units (2: inch, 3: centimetre) to dots per inch.
pub(crate) fn to_dpi(res: [f32; 2], unit: u32) -> Option<[f32; 2]> {
    match unit {
        2 => Some(res),
        3 => Some(res.map(|r| r * 2.54)),
        _ => None,
    }
}
