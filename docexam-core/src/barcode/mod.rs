//! Barcodes on travel and identity documents: decode with zxing-cpp from images (the only
//! module that touches zxing-cpp), then parse and verify the payload.
//!
//! - [`payload`]: AAMVA, ICAO VDS and IDB, VDS-NC, EU DCC, IATA BCBP, unknown.
//! - [`crosscheck`]: payload vs MRZ (name with transliteration, dates, number, sex).
//! - [`trust`]: certificates (DER, PEM, CSCA master lists, JSON trust lists) and signature
//!   verification (ECDSA on NIST and Brainpool curves, RSA PKCS #1 v1.5 and PSS).

pub mod crosscheck;
mod der;
pub mod payload;
pub mod trust;

pub use crosscheck::{CrossCheck, cross_check};
pub use payload::{Field, Finding, Identity, ParseOptions, Payload, PayloadKind, detect, parse};
pub use trust::{SignatureCheck, SignatureStatus, TrustStore};

pub mod decode;

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

/// Decodes every code in an image and parses each payload.
pub fn read_image(
    img: &image::GrayImage,
    opts: &ParseOptions<'_>,
) -> Result<(Vec<ReadCode>, DecodeReport), DecodeError> {
    let report = decode_image(img)?;
    let codes = report
        .codes
        .iter()
        .map(|c| ReadCode {
            code: c.clone(),
            payload: parse(&c.bytes, opts),
        })
        .collect();
    Ok((codes, report))
}
