//! Any bytes as a grey page (the first two bytes give the width), read by the MRZ reader,
//! alone and with an MRZ-like pattern of the bytes stamped in: never a panic; a result's
//! lines always hold the shape of an MRZ format.
#![no_main]

use docexam_core::date::CivilDate;
use docexam_core::mrz::MrzParser;
use docexam_core::mrz::read::{ReadOptions, read};
use image::{GrayImage, Luma};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(as_of) = CivilDate::new(2026, 11, 25) else { return };
    let parser = MrzParser::builder().as_of(as_of).build();
    let (Some(&a), Some(&b)) = (data.first(), data.get(1)) else { return };
    let w = 64 + u32::from(u16::from_le_bytes([a, b]) % 1024);
    let body = data.get(2..).unwrap_or(&[]);
    if body.is_empty() {
        return;
    }
    let h = (body.len() as u32 / w).clamp(64, 1024);
    // The bytes as pixels, repeated to fill the page.
    let page = GrayImage::from_fn(w, h, |x, y| {
        let i = (y as usize * w as usize + x as usize) % body.len();
        Luma([body.get(i).copied().unwrap_or(255)])
    });
    let check = |page: &GrayImage| {
        if let Ok(r) = read(page, &parser, &ReadOptions::default()) {
            let lines = r.mrz.lines();
            assert!(matches!(lines.len(), 2 | 3));
            assert!(lines.iter().all(|l| matches!(l.len(), 30 | 36 | 44)));
            assert_eq!(r.source.lines.len(), lines.len());
        }
    };
    check(&page);
    // Dark blocks at a fixed pitch in rows, sized by the bytes: text-like enough to be chained.
    let pitch = 8 + u32::from(a % 24);
    let rows = 2 + u32::from(b % 2);
    let cols = [30u32, 36, 44][usize::from(a) % 3];
    let (pw, ph) = (pitch * (cols + 4), pitch * (rows * 2 + 4));
    let stamped = GrayImage::from_fn(pw, ph, |x, y| {
        let (cx, cy) = (x / pitch, y / pitch);
        let inside = cx >= 2 && cx < cols + 2 && cy >= 2 && cy % 2 == 0 && cy < 2 + rows * 2;
        let i = (cx * 7 + cy * 13 + x % 3) as usize % body.len();
        let v = body.get(i).copied().unwrap_or(0);
        let ink = inside && (x % pitch) > 1 && (y % pitch) > 1 && (v & 1 == 1 || (x + y) % 3 == 0);
        Luma([if ink { 20 } else { 235 }])
    });
    check(&stamped);
});
