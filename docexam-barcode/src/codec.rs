//! Byte encodings the barcode module prints and reads: lower-case hex, base64 in either
//! alphabet (standard or URL-safe, padded or not), as certificates travel in JSON and VDS-NC,
//! and big-endian numbers without leading zeros.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// The bytes of a big-endian unsigned number without its leading zero bytes (serial numbers,
/// moduli and curve parameters compared as numbers).
pub(crate) fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&x| x == 0).count();
    b.get(n..).unwrap_or_default()
}

/// Lower-case hex.
pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Base64 in the standard or the URL-safe alphabet, with or without padding.
pub(crate) fn base64_any(s: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(s)
        .ok()
        .or_else(|| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok())
}
