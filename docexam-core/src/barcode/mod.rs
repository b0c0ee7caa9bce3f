//! Barcodes on travel and identity documents: decode with zxing-cpp from images (the only
//! module that touches zxing-cpp), then parse and verify the payload.
//!
//! - [`payload`]: AAMVA, ICAO VDS and IDB, VDS-NC, EU DCC, IATA BCBP, unknown.
//! - [`trust`]: certificates (DER, PEM, CSCA master lists, JSON trust lists) and signature
//!   verification (ECDSA on NIST and Brainpool curves, RSA PKCS #1 v1.5 and PSS).

mod der;
pub mod payload;
pub mod trust;

pub use payload::{Field, Finding, Identity, ParseOptions, Payload, PayloadKind, detect, parse};
pub use trust::{SignatureCheck, SignatureStatus, TrustStore};
