//! Decoding barcodes from images: codes written with zxing-cpp from the public sample payloads,
//! then rotated, scaled, blurred, noised, JPEG-compressed and inverted. The bytes must come back
//! exactly, with their evidence, and the payload must parse and verify as from the raw bytes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use docexam_core::barcode::{
    ParseOptions, PayloadKind, SignatureStatus, TrustStore, decode_image, read_image,
};
use docexam_core::date::CivilDate;
use docexam_tests::barcodes::{
    Symbology, code, degraded, inverted, on_page, quarter_turns, scaled, sheet,
};
use docexam_tests::data_dir;
use image::GrayImage;

fn sample(name: &str) -> Vec<u8> {
    use base64::Engine;
    let path = data_dir().join("barcodes").join(name);
    let raw = std::fs::read(&path).unwrap();
    if name.ends_with(".b64") {
        let t: String = String::from_utf8(raw).unwrap().split_whitespace().collect();
        base64::engine::general_purpose::STANDARD.decode(t).unwrap()
    } else {
        raw
    }
}

fn page_with(symbology: Symbology, bytes: &[u8], module: i32) -> GrayImage {
    let c = code(symbology, bytes, module);
    on_page(&c, c.width() + 400, c.height() + 300, 150, 120)
}

fn decodes_to(img: &GrayImage, bytes: &[u8], symbology: &str) {
    let r = decode_image(img).unwrap();
    assert_eq!(
        r.codes.len(),
        1,
        "attempts {:?}, undecodable {:?}, codes {:?}",
        r.attempts,
        r.undecodable,
        r.codes
            .iter()
            .map(|c| (&c.symbology, c.position, c.bytes.len()))
            .collect::<Vec<_>>()
    );
    let c = &r.codes[0];
    assert_eq!(c.bytes, bytes);
    assert_eq!(c.symbology, symbology);
    assert_eq!(c.blake3, blake3::hash(bytes).to_hex().to_string());
    assert!(
        c.symbology_identifier.starts_with(']'),
        "{}",
        c.symbology_identifier
    );
    // The corners lie inside the image.
    for p in c.position {
        assert!(
            p[0] >= 0 && p[1] >= 0 && (p[0] as u32) <= img.width() && (p[1] as u32) <= img.height()
        );
    }
}

#[test]
fn aamva_pdf417_in_every_orientation_and_at_low_resolution() {
    let bytes = sample("aamva-ma-2016.b64");
    let page = page_with(Symbology::Pdf417, &bytes, 3);
    for turns in 0..4 {
        decodes_to(&quarter_turns(&page, turns), &bytes, "PDF417");
    }
    // About 1.5 pixels per module, blurred, noisy and JPEG'd: a worn, low-resolution scan.
    let worn = degraded(&scaled(&page, 0.5), 0.6, 12, 60);
    decodes_to(&worn, &bytes, "PDF417");
}

#[test]
fn vds_datamatrix_inverted_and_rotated_still_verifies() {
    let bytes = sample("vds-supplement-sheet.b64");
    let page = inverted(&quarter_turns(
        &page_with(Symbology::DataMatrix, &bytes, 6),
        2,
    ));
    let trust = TrustStore::load_dir(&data_dir().join("barcodes/certs"))
        .unwrap()
        .value;
    let opts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: CivilDate::new(2024, 1, 1).unwrap(),
    };
    let codes = read_image(&page, &opts).unwrap().codes;
    assert_eq!(codes.len(), 1);
    assert!(codes[0].code.inverted);
    assert_eq!(codes[0].payload.kind, PayloadKind::Vds);
    assert_eq!(codes[0].payload.signature.status, SignatureStatus::Valid);
}

#[test]
fn dcc_qr_blurred_noisy_and_compressed() {
    let bytes = sample("dgc-at-1.txt");
    let page = degraded(&page_with(Symbology::Qr, &bytes, 4), 1.0, 20, 40);
    decodes_to(&page, &bytes, "QR Code");
    let r = decode_image(&page).unwrap();
    assert!(r.codes[0].ec_level.is_some());
}

#[test]
fn a_page_without_a_code_says_what_was_tried() {
    let blank = GrayImage::from_pixel(800, 600, image::Luma([230]));
    let r = decode_image(&blank).unwrap();
    assert!(r.codes.is_empty() && r.undecodable.is_empty());
    // Paper has no detail fine enough for a small symbol: it is not enlarged.
    assert_eq!(r.attempts, ["default", "global-histogram"]);
}

/// `page` turned `deg` degrees on a light bed.
fn turned(page: &GrayImage, deg: f32) -> GrayImage {
    use imageproc::geometric_transformations::{Border, Interpolation, rotate_about_center};
    rotate_about_center(
        page,
        deg.to_radians(),
        Interpolation::Bilinear,
        Border::Constant(image::Luma([235])),
    )
}

#[test]
fn a_pdf417_turned_a_few_degrees_is_straightened_in_its_zone() {
    // zxing-cpp locates a PDF417 turned 8° but does not decode it; straightened by the angle of
    // its located edge, it decodes.
    let bytes = sample("aamva-ny.b64");
    for deg in [8.0, -6.0] {
        let page = degraded(
            &turned(&page_with(Symbology::Pdf417, &bytes, 3), deg),
            1.0,
            8,
            55,
        );
        decodes_to(&page, &bytes, "PDF417");
        let r = decode_image(&page).unwrap();
        assert!(
            r.codes[0].found_by.starts_with("zone-straightened"),
            "{deg}°: {} after {:?}",
            r.codes[0].found_by,
            r.attempts
        );
        // The corners are the code's on the page: its centre lies at the page's centre.
        let c = r.codes[0].position;
        let cx = c.iter().map(|p| p[0]).sum::<i32>() / 4;
        let cy = c.iter().map(|p| p[1]).sum::<i32>() / 4;
        let code = code(Symbology::Pdf417, &bytes, 3);
        let (ex, ey) = (
            150 + code.width() as i32 / 2,
            120 + code.height() as i32 / 2,
        );
        let (px, py) = (page.width() as f32 / 2.0, page.height() as f32 / 2.0);
        let (s, k) = deg.to_radians().sin_cos();
        let (u, v) = (ex as f32 - px, ey as f32 - py);
        let (tx, ty) = (px + u * k - v * s, py + u * s + v * k);
        assert!(
            (cx as f32 - tx).abs() < 12.0 && (cy as f32 - ty).abs() < 12.0,
            "{deg}°: centre ({cx}, {cy}), expected about ({tx:.0}, {ty:.0})"
        );
    }
}

#[test]
fn a_small_data_matrix_is_read_on_the_enlarged_page() {
    // Modules of 2 px, softened and turned: found only on the page enlarged 2×.
    let bytes = sample("vds-address-sticker-passport.b64");
    let page = degraded(
        &turned(&page_with(Symbology::DataMatrix, &bytes, 2), 8.0),
        0.7,
        8,
        55,
    );
    decodes_to(&page, &bytes, "Data Matrix");
    let r = decode_image(&page).unwrap();
    assert_eq!(r.codes[0].found_by, "upscale-2x", "after {:?}", r.attempts);
}

#[test]
fn a_damaged_pdf417_is_reported_as_located_not_as_absent() {
    let bytes = sample("aamva-ny.b64");
    let mut page = page_with(Symbology::Pdf417, &bytes, 3);
    // Wipe a band across the middle of the code's data columns: too much for error correction.
    let (w, h) = (page.width(), page.height());
    for y in 120..h - 150 {
        for x in (w / 2 - 60)..(w / 2 + 60) {
            page.put_pixel(x, y, image::Luma([235]));
        }
    }
    let r = decode_image(&page).unwrap();
    assert!(
        r.codes.is_empty(),
        "{:?}",
        r.codes.iter().map(|c| &c.symbology).collect::<Vec<_>>()
    );
    assert!(!r.undecodable.is_empty(), "attempts {:?}", r.attempts);
    assert_eq!(r.undecodable[0].symbology, "PDF417");
}

#[test]
fn every_code_of_a_sheet_of_a_hundred_is_read() {
    // zxing-cpp joins finder patterns of neighbouring codes on such a page: at page scale it
    // decoded 36 of these and reported 76 phantom symbols in the gaps between codes.
    let label = "DOCEXAM SHEET TEST ".repeat(5);
    let page = degraded(&sheet(100, 3, 0, &label), 0.8, 8, 60);
    let report = decode_image(&page).unwrap();
    let mut read: Vec<String> = report
        .codes
        .iter()
        .map(|c| String::from_utf8_lossy(&c.bytes).into_owned())
        .collect();
    read.sort();
    read.dedup();
    let want: Vec<String> = (0..100).map(|i| format!("{label}{i:04}")).collect();
    assert_eq!(
        read,
        want,
        "{} read, attempts {:?}",
        report.codes.len(),
        report.attempts
    );
    assert_eq!(report.codes.len(), 100, "each code once");
    assert!(report.undecodable.is_empty(), "{:?}", report.undecodable);
}
