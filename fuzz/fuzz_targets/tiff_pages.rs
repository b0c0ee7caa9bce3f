//! Any bytes as a multi-page TIFF: each page decoded alone (the others skipped by their
//! directories), every page decoded together, and one at a time must agree, under small limits;
//! a page past the last is `NoSuchPage`; never a panic or an allocation beyond the limits.
#![no_main]

use std::io::Cursor;

use docexam_core::ingest::{IngestError, Limits, decode_bytes, decode_page_bytes, probe};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_pixels: 4_000_000,
        max_alloc_bytes: 32 << 20,
        max_pages: 16,
        ..Limits::DEFAULT
    };
    let Ok(p) = probe(Cursor::new(data), &limits) else { return };
    let pages = u32::try_from(p.pages.len()).unwrap_or(u32::MAX);
    let all = decode_bytes(data, &limits);
    for n in 1..=pages {
        let one = decode_page_bytes(data, n, &limits);
        if let (Ok(all), Ok(one)) = (&all, &one) {
            let same = all.get(n as usize - 1).map(|a| a.image.as_bytes() == one.image.as_bytes());
            assert_eq!(same, Some(true), "page {n} alone differs from page {n} of all");
        }
        // Decoding all pages succeeds only if each page does.
        if all.is_ok() {
            assert!(one.is_ok(), "page {n} fails alone but not with the others");
        }
    }
    assert!(matches!(
        decode_page_bytes(data, pages + 1, &limits),
        Err(IngestError::NoSuchPage { .. })
    ));
});
