//! Reading the MRZ from images: the bundled TD3 specimen page turned, skewed, shrunk (to 150
//! dpi) and degraded; pages without an MRZ; images too small; OCR alternatives in repair.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::sync::OnceLock;

use docexam_base::date::CivilDate;
use docexam_mrz::read::{ReadError, ReadOptions, ink_plane, read};
use docexam_mrz::{MrzFormat, MrzParser, MrzText};
use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage, imageops};
use imageproc::geometric_transformations::{Border, Interpolation, rotate_about_center};

/// The MRZ printed on the bundled Utopia TD3 specimen (ICAO's specimen personalisation).
const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F3604155ZE184226B<<<<<16",
];

fn parser() -> MrzParser {
    MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 25).expect("date"))
        .build()
}

/// The TD3 specimen page at 300 dpi (RGB), loaded once.
fn td3_300() -> &'static RgbImage {
    static PAGE: OnceLock<RgbImage> = OnceLock::new();
    PAGE.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../reference-specimens/utopia-td3-passport/front_white.png"
        );
        let img = image::open(path)
            .expect("the bundled TD3 specimen")
            .to_rgb8();
        imageops::resize(
            &img,
            img.width() / 2,
            img.height() / 2,
            imageops::FilterType::Triangle,
        )
    })
}

/// `page` on a scanner bed, turned `quarter` quarter turns clockwise, then rotated by
/// `skew_deg`.
fn captured(page: &RgbImage, quarter: u8, skew_deg: f32) -> RgbImage {
    let turned = match quarter % 4 {
        1 => imageops::rotate90(page),
        2 => imageops::rotate180(page),
        3 => imageops::rotate270(page),
        _ => page.clone(),
    };
    let m = turned.width().max(turned.height()) / 8;
    let bed = Rgb([230, 231, 233]);
    let mut canvas = RgbImage::from_pixel(turned.width() + 2 * m, turned.height() + 2 * m, bed);
    imageops::overlay(&mut canvas, &turned, i64::from(m), i64::from(m));
    rotate_about_center(
        &canvas,
        skew_deg.to_radians(),
        Interpolation::Bilinear,
        Border::Constant(bed),
    )
}

fn read_rgb(img: &RgbImage) -> Result<docexam_mrz::read::ImageRead, ReadError> {
    read(
        &ink_plane(&DynamicImage::ImageRgb8(img.clone())),
        &parser(),
        &ReadOptions::default(),
    )
}

#[test]
fn reads_the_specimen_page_in_every_orientation_and_skew() {
    for (quarter, skew, expected_angle) in [
        (0u8, 0.0f32, 0.0f32),
        (1, 0.0, 90.0),
        (2, 0.0, 180.0),
        (3, 0.0, 270.0),
        (0, 14.5, 14.5),
        (1, -13.0, 77.0),
        (2, 9.0, 189.0),
        (3, 15.0, 285.0),
    ] {
        let img = captured(td3_300(), quarter, skew);
        let r = read_rgb(&img).unwrap_or_else(|e| panic!("turn {quarter}, skew {skew}: {e}"));
        assert_eq!(r.mrz.lines(), TD3, "turn {quarter}, skew {skew}");
        assert!(r.mrz.is_valid(), "turn {quarter}, skew {skew}");
        assert!(r.mrz.repairs().is_empty(), "a clean page needs no repair");
        let d = (r.source.angle_deg - expected_angle + 540.0).rem_euclid(360.0) - 180.0;
        assert!(
            d.abs() < 1.5,
            "turn {quarter}, skew {skew}: angle {}",
            r.source.angle_deg
        );
        assert!(
            r.source.font.consistent_with_ocr_b,
            "font score {}",
            r.source.font_score
        );
        assert!(
            r.source.font_score > 0.85,
            "font score {}",
            r.source.font_score
        );
        assert!(r.source.char_confidence_min > 0.0);
        assert_eq!(r.source.lines.len(), 2);
        assert!(r.source.lines.iter().all(|l| l.len() == 44));
    }
}

#[test]
fn the_bounding_box_holds_the_mrz() {
    let page = td3_300();
    let r = read_rgb(page).expect("read");
    let [x, y, w, h] = r.source.bbox;
    // The MRZ sits in the bottom 20 mm of the 88 mm page, across most of its width.
    let (pw, ph) = (page.width() as f32, page.height() as f32);
    assert!(
        y > ph * 0.75 && y + h <= ph + 1.0,
        "bbox {:?}",
        r.source.bbox
    );
    assert!(x < pw * 0.1 && w > pw * 0.8, "bbox {:?}", r.source.bbox);
    // 2.54 mm pitch at 300 dpi is 30 px.
    let opts = ReadOptions {
        dpi: Some(300.0),
        ..ReadOptions::default()
    };
    let r = read(
        &ink_plane(&DynamicImage::ImageRgb8(page.clone())),
        &parser(),
        &opts,
    )
    .expect("read");
    let mm = r.source.pitch_mm.expect("pitch in mm with the dpi known");
    assert!((mm - 2.54).abs() < 0.05, "pitch {mm} mm");
}

#[test]
fn reads_a_region_and_keeps_page_coordinates() {
    let page = td3_300();
    let full = read_rgb(page).expect("read");
    let (w, h) = page.dimensions();
    let opts = ReadOptions {
        region: Some([0, h * 3 / 4, w, h / 4]),
        format: Some(MrzFormat::Td3),
        ..ReadOptions::default()
    };
    let r = read(
        &ink_plane(&DynamicImage::ImageRgb8(page.clone())),
        &parser(),
        &opts,
    )
    .expect("read in the region");
    assert_eq!(r.mrz.lines(), TD3);
    let (a, b) = (full.source.lines[0][0].centre, r.source.lines[0][0].centre);
    assert!(
        (a[0] - b[0]).abs() < 1.0 && (a[1] - b[1]).abs() < 1.0,
        "{a:?} vs {b:?}"
    );
    // A region without the MRZ holds none.
    let opts = ReadOptions {
        region: Some([0, 0, w, h / 2]),
        ..ReadOptions::default()
    };
    let e = read(
        &ink_plane(&DynamicImage::ImageRgb8(page.clone())),
        &parser(),
        &opts,
    );
    assert!(matches!(e, Err(ReadError::NotFound { .. })), "{e:?}");
}

#[test]
fn reads_through_blur_noise_and_jpeg() {
    let page = captured(td3_300(), 0, 4.0);
    let blurred = imageops::blur(&page, 1.2);
    let mut noisy = blurred.clone();
    let mut state = 0x1234_5678u32;
    for p in noisy.pixels_mut() {
        for c in p.0.iter_mut() {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            *c = (i32::from(*c) + (state % 25) as i32 - 12).clamp(0, 255) as u8;
        }
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 55)
        .encode_image(&noisy)
        .expect("jpeg");
    let degraded = image::load_from_memory(&jpeg).expect("decode").to_rgb8();
    let r = read_rgb(&degraded).expect("read");
    assert_eq!(r.mrz.lines(), TD3);
}

#[test]
fn reads_a_150_dpi_scan_turned_and_skewed() {
    // 150 dpi: a cap height of about 14 pixels, blurred strokes as wide as a third of it.
    let page = td3_300();
    let low = imageops::resize(
        page,
        page.width() / 2,
        page.height() / 2,
        imageops::FilterType::Triangle,
    );
    for (quarter, skew) in [(0u8, 0.0f32), (1, 7.0), (2, -11.0)] {
        let img = captured(&low, quarter, skew);
        let r = read_rgb(&img).unwrap_or_else(|e| panic!("turn {quarter}, skew {skew}: {e}"));
        assert_eq!(r.mrz.lines(), TD3, "turn {quarter}, skew {skew}");
        assert!(
            r.source.font.consistent_with_ocr_b,
            "turn {quarter}, skew {skew}: font score {}",
            r.source.font_score
        );
    }
}

#[test]
fn a_page_without_an_mrz_says_so() {
    let page = td3_300();
    // The top half of the passport page: portrait, printed data, guilloche; no MRZ.
    let top = imageops::crop_imm(page, 0, 0, page.width(), page.height() / 2).to_image();
    let e = read_rgb(&top).map(|r| r.mrz.lines());
    assert!(matches!(e, Err(ReadError::NotFound { .. })), "{e:?}");
    // A blank page and a page of noise.
    let blank = GrayImage::from_pixel(1200, 800, Luma([240]));
    let e = read(&blank, &parser(), &ReadOptions::default()).map(|r| r.mrz.lines());
    assert!(matches!(e, Err(ReadError::NotFound { .. })), "{e:?}");
    let mut state = 99u32;
    let noise = GrayImage::from_fn(1000, 700, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        Luma([(state & 0xff) as u8])
    });
    let e = read(&noise, &parser(), &ReadOptions::default()).map(|r| r.mrz.lines());
    assert!(matches!(e, Err(ReadError::NotFound { .. })), "{e:?}");
}

#[test]
fn tiny_and_degenerate_images_are_refused_cleanly() {
    for (w, h) in [(0, 0), (1, 1), (63, 500), (500, 10)] {
        let img = GrayImage::new(w, h);
        let e = read(&img, &parser(), &ReadOptions::default());
        assert!(
            matches!(e, Err(ReadError::TooSmall { .. })),
            "{w}x{h}: {e:?}"
        );
        let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains(&format!("{w}×{h}")), "{msg}");
    }
    // A long thin strip and a region outside the image.
    let strip = GrayImage::from_pixel(20_000, 70, Luma([255]));
    assert!(read(&strip, &parser(), &ReadOptions::default()).is_err());
    let opts = ReadOptions {
        region: Some([5000, 5000, 100, 100]),
        ..ReadOptions::default()
    };
    let e = read(&GrayImage::new(300, 300), &parser(), &opts);
    assert!(matches!(e, Err(ReadError::TooSmall { .. })), "{e:?}");
}

#[test]
fn an_expected_format_restricts_the_search() {
    let page = td3_300();
    let opts = ReadOptions {
        format: Some(MrzFormat::Td1),
        ..ReadOptions::default()
    };
    let e = read(
        &ink_plane(&DynamicImage::ImageRgb8(page.clone())),
        &parser(),
        &opts,
    );
    assert!(
        matches!(e, Err(ReadError::NotFound { .. })),
        "a TD3 page has no TD1 MRZ"
    );
}

#[test]
fn ocr_alternatives_let_check_digits_choose() {
    // The document number's `C` read as `G` (not a look-alike the text repair knows): the
    // OCR saw `C` as the runner-up; the document-number and composite check digits confirm it.
    let misread = format!(
        "{}\n{}",
        TD3[0],
        TD3[1].replacen("L898902C3", "L898902G3", 1)
    );
    let text = MrzText::parse(&misread).expect("text");
    let plain = parser().parse_ocr(text.clone(), &[]);
    assert_ne!(
        plain.lines()[1],
        TD3[1],
        "without the OCR's alternative nothing changes"
    );
    let repaired = parser().parse_ocr(text, &[((1, 7), vec![b'C', b'O'])]);
    assert_eq!(repaired.lines(), TD3);
    let r = repaired.repairs().first().expect("one repair");
    assert_eq!((r.line, r.column, r.from, r.to), (1, 7, 'G', 'C'));
    assert!(
        r.also_confirmed_by.is_some(),
        "a guess needs a second check digit"
    );
}
