//! Any bytes as a scan or photo: probing and decoding end in an image or a clear error, under
//! small limits, never a panic or an allocation beyond them.
#![no_main]

use std::io::Cursor;

use docexam_core::ingest::{Limits, decode_bytes, probe};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_pixels: 4_000_000,
        max_alloc_bytes: 64 << 20,
        max_pages: 16,
        ..Limits::DEFAULT
    };
    if let Ok(p) = probe(Cursor::new(data), &limits) {
        assert!(!p.pages.is_empty());
        for page in &p.pages {
            assert!(u64::from(page.width) * u64::from(page.height) <= limits.max_pixels);
        }
        let _ = decode_bytes(data, &limits);
    }
});
