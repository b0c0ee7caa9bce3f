//! Barcodes on travel and identity documents: decode with zxing-cpp from images (the only
//! module that touches zxing-cpp), then parse and verify the payload.
//!
//! - [`payload`]: AAMVA, ICAO VDS and IDB, VDS-NC, EU DCC, IATA BCBP, unknown.
//! - `mrz_match`: payload vs MRZ (name with transliteration, dates, number, sex).
//! - [`trust`]: certificates (DER, PEM, CSCA master lists, JSON trust lists) and signature
//!   verification (ECDSA on NIST and Brainpool curves, RSA PKCS #1 v1.5 and PSS).

mod codec;
mod mrz_match;
pub mod payload;
pub mod trust;

pub use mrz_match::{CrossCheck, cross_check};
pub use payload::{
    Cause, Field, Finding, Identity, ParseOptions, Payload, PayloadKind, UnknownPayloadKind,
    detect, parse,
};
pub use trust::{Authenticity, SignatureCheck, SignatureStatus, Skipped, TrustStatus, TrustStore};

mod crowded;
pub mod decode;
mod fine_detail;

pub use decode::{DecodeError, DecodeReport, DecodedCode, LocatedCode, decode_image};

/// A decoded code with its parsed payload.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ReadCode {
    /// The code and its evidence.
    #[serde(flatten)]
    pub code: DecodedCode,
    /// Its payload, parsed.
    pub payload: Payload,
}

/// Every code of an image, decoded and parsed, and what was tried.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ImageBarcodes {
    /// Decoded codes with their payloads.
    pub codes: Vec<ReadCode>,
    /// Codes located but not decoded.
    pub undecodable: Vec<LocatedCode>,
    /// The attempts made, in order.
    pub attempts: Vec<String>,
}

/// Decodes every code in an image and parses each payload.
pub fn read_image(
    img: &image::GrayImage,
    opts: &ParseOptions<'_>,
) -> Result<ImageBarcodes, DecodeError> {
    Ok(with_payloads(decode_image(img)?, opts))
}

/// Decodes every code inside `region` of an image (x, y, width, height in pixels; positions
/// in the image's pixels) and parses each payload.
pub fn read_region(
    img: &image::GrayImage,
    region: [u32; 4],
    opts: &ParseOptions<'_>,
) -> Result<ImageBarcodes, DecodeError> {
    Ok(with_payloads(decode::decode_region(img, region)?, opts))
}

/// One quick search of a whole page ([`decode::decode_quick`]), payloads parsed.
pub fn read_quick(
    img: &image::GrayImage,
    opts: &ParseOptions<'_>,
) -> Result<ImageBarcodes, DecodeError> {
    Ok(with_payloads(decode::decode_quick(img)?, opts))
}

fn with_payloads(report: DecodeReport, opts: &ParseOptions<'_>) -> ImageBarcodes {
    ImageBarcodes {
        codes: report
            .codes
            .into_iter()
            .map(|code| {
                let payload = parse(&code.bytes, opts);
                ReadCode { code, payload }
            })
            .collect(),
        undecodable: report.undecodable,
        attempts: report.attempts,
    }
}
