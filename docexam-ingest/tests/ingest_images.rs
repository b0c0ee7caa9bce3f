//! Ingest of scans and photos: formats by content, structure checks, limits, EXIF
//! orientation, resolution and multi-page TIFF.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::io::Cursor;

use docexam_ingest::{
    IngestError, Limits, MediaType, decode_bytes, decode_file, decode_page_bytes, probe, probe_file,
};
use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb, RgbImage};

/// A test pattern whose orientation can be read back: red top-left corner, blue top-right.
fn pattern(w: u32, h: u32) -> RgbImage {
    ImageBuffer::from_fn(w, h, |x, y| {
        if x < w / 4 && y < h / 4 {
            Rgb([255, 0, 0])
        } else if x >= 3 * w / 4 && y < h / 4 {
            Rgb([0, 0, 255])
        } else {
            Rgb([200, 200, 200])
        }
    })
}

fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

/// A minimal little-endian EXIF block: orientation and a resolution of `dpi` per inch.
fn exif_block(orientation: u16, dpi: u32) -> Vec<u8> {
    let mut b = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    let entries: u16 = 4;
    b.extend_from_slice(&entries.to_le_bytes());
    let data_at = 8 + 2 + 12 * u32::from(entries) + 4; // rationals after the IFD (TIFF offsets)
    let mut entry = |tag: u16, kind: u16, count: u32, value: u32| {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&count.to_le_bytes());
        b.extend_from_slice(&value.to_le_bytes());
    };
    entry(0x0112, 3, 1, u32::from(orientation));
    entry(0x011A, 5, 1, data_at);
    entry(0x011B, 5, 1, data_at + 8);
    entry(0x0128, 3, 1, 2);
    b.extend_from_slice(&0u32.to_le_bytes());
    for _ in 0..2 {
        b.extend_from_slice(&dpi.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
    }
    b
}

/// A JPEG with an EXIF APP1 segment inserted after SOI.
fn jpeg_with_exif(img: &RgbImage, orientation: u16, dpi: u32) -> Vec<u8> {
    let jpeg = encode(img, ImageFormat::Jpeg);
    let block = exif_block(orientation, dpi);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((block.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&block);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A PNG with a pHYs chunk of `dpi` (written by the png crate).
fn png_with_dpi(img: &RgbImage, dpi: f32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, img.width(), img.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: (dpi / 0.0254).round() as u32,
            yppu: (dpi / 0.0254).round() as u32,
            unit: png::Unit::Meter,
        }));
        let mut w = enc.write_header().unwrap();
        w.write_image_data(img.as_raw()).unwrap();
    }
    out
}

/// A TIFF with `pages` RGB pages, each at 300 dpi.
fn multipage_tiff(pages: u32) -> Vec<u8> {
    use tiff::encoder::{Rational, TiffEncoder, colortype};
    use tiff::tags::ResolutionUnit;
    let mut out = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        for p in 0..pages {
            let img = pattern(40 + p, 30);
            let mut page = enc
                .new_image::<colortype::RGB8>(img.width(), img.height())
                .unwrap();
            page.resolution(ResolutionUnit::Inch, Rational { n: 300, d: 1 });
            page.write_data(img.as_raw()).unwrap();
        }
    }
    out.into_inner()
}

fn limits() -> Limits {
    Limits::DEFAULT
}

#[test]
fn every_format_is_recognised_by_content() {
    let img = pattern(64, 48);
    for (format, media) in [
        (ImageFormat::Png, MediaType::Png),
        (ImageFormat::Jpeg, MediaType::Jpeg),
        (ImageFormat::Tiff, MediaType::Tiff),
        (ImageFormat::Bmp, MediaType::Bmp),
        (ImageFormat::WebP, MediaType::Webp),
    ] {
        let bytes = encode(&img, format);
        let p = probe(Cursor::new(&bytes), &limits()).unwrap();
        assert_eq!(p.media_type, media);
        assert_eq!((p.pages[0].width, p.pages[0].height), (64, 48), "{media}");
        let decoded = decode_bytes(&bytes, &limits()).unwrap();
        assert_eq!(decoded[0].image.width(), 64, "{media}");
    }
}

#[test]
fn exif_orientation_is_applied_and_resolution_carried() {
    let img = pattern(80, 40);
    // Orientation 6: the stored image must be turned 90° clockwise to stand upright.
    let bytes = jpeg_with_exif(&img, 6, 600);
    let p = probe(Cursor::new(&bytes), &limits()).unwrap();
    assert_eq!(p.pages[0].orientation, 6);
    assert_eq!(p.pages[0].dpi, Some([600.0, 600.0]));
    assert_eq!(p.pages[0].oriented_size(), (40, 80));
    let d = decode_bytes(&bytes, &limits()).unwrap().remove(0);
    assert_eq!((d.image.width(), d.image.height()), (40, 80));
    assert_eq!(d.dpi, Some([600.0, 600.0]));
    // After a clockwise turn the red top-left corner is at the top right.
    let rgb = d.image.to_rgb8();
    let top_right = rgb.get_pixel(35, 3);
    assert!(top_right[0] > 180 && top_right[2] < 80, "{top_right:?}");
}

#[test]
fn png_resolution_comes_from_phys() {
    let bytes = png_with_dpi(&pattern(20, 10), 300.0);
    let p = probe(Cursor::new(&bytes), &limits()).unwrap();
    let dpi = p.pages[0].dpi.unwrap();
    assert!((dpi[0] - 300.0).abs() < 0.1, "{dpi:?}");
}

#[test]
fn multipage_tiff_gives_every_page() {
    let bytes = multipage_tiff(3);
    let p = probe(Cursor::new(&bytes), &limits()).unwrap();
    assert_eq!(p.pages.len(), 3);
    assert_eq!(p.pages[2].width, 42);
    assert_eq!(p.pages[0].dpi, Some([300.0, 300.0]));
    let pages = decode_bytes(&bytes, &limits()).unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages.iter().map(|d| d.page).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    assert_eq!(pages[1].image.width(), 41);
}

#[test]
fn a_tiff_whose_pages_together_exceed_the_allocation_limit_is_refused_before_decoding_them() {
    // Pages of about 3.6 kB decoded (40×30 RGB): two fit in 8 kB, three do not. A small file
    // of many huge pages (16 of 16000² in 6 MB) is refused the same way instead of aborting.
    let bytes = multipage_tiff(3);
    let tight = Limits {
        max_alloc_bytes: 8_000,
        ..Limits::DEFAULT
    };
    let e = decode_bytes(&bytes, &tight).unwrap_err().to_string();
    assert!(e.contains("pages 1 to 3") && e.contains("8000"), "{e}");
    let roomy = Limits {
        max_alloc_bytes: 12_000,
        ..Limits::DEFAULT
    };
    assert_eq!(decode_bytes(&bytes, &roomy).unwrap().len(), 3);
}

#[test]
fn one_page_of_a_tiff_is_decoded_without_decoding_the_others() {
    // Three pages of about 3.6 kB decoded: all three exceed 8 kB together, each fits alone.
    let bytes = multipage_tiff(3);
    let tight = Limits {
        max_alloc_bytes: 8_000,
        ..Limits::DEFAULT
    };
    for page in 1..=3 {
        let got = decode_page_bytes(&bytes, page, &tight).unwrap();
        assert_eq!(got.page, Some(page));
        assert_eq!(
            got.image.width(),
            39 + page,
            "page {page} is the page asked for"
        );
    }
    // A page too large for the limit by itself is neither decoded when the page before it is
    // asked for, nor when the page after it is.
    let sizes = [(40, 30), (80, 60), (42, 30)];
    let mut out = Cursor::new(Vec::new());
    {
        use tiff::encoder::{TiffEncoder, colortype};
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        for (w, h) in sizes {
            enc.write_image::<colortype::RGB8>(w, h, pattern(w, h).as_raw())
                .unwrap();
        }
    }
    let mixed = out.into_inner();
    assert!(
        decode_bytes(&mixed, &tight).is_err(),
        "page 2 alone is over 8 kB"
    );
    assert_eq!(
        decode_page_bytes(&mixed, 1, &tight).unwrap().image.width(),
        40
    );
    assert_eq!(
        decode_page_bytes(&mixed, 3, &tight).unwrap().image.width(),
        42
    );
    assert!(decode_page_bytes(&mixed, 2, &tight).is_err());
    let e = decode_page_bytes(&bytes, 4, &Limits::DEFAULT).unwrap_err();
    assert!(
        matches!(e, IngestError::NoSuchPage { page: 4, pages: 3 }),
        "{e}"
    );
}

#[test]
fn truncated_files_are_refused_with_where_they_end() {
    let img = pattern(64, 48);
    for format in [
        ImageFormat::Png,
        ImageFormat::Jpeg,
        ImageFormat::Bmp,
        ImageFormat::WebP,
        ImageFormat::Tiff,
    ] {
        let bytes = encode(&img, format);
        for cut in [bytes.len() / 2, bytes.len() - 3] {
            let err = probe(Cursor::new(&bytes[..cut]), &limits()).unwrap_err();
            assert!(
                matches!(
                    err,
                    IngestError::Truncated { .. } | IngestError::Corrupt { .. }
                ),
                "{format:?} cut at {cut}: {err}"
            );
        }
    }
    let jpeg = encode(&img, ImageFormat::Jpeg);
    let err = probe(Cursor::new(&jpeg[..jpeg.len() - 2]), &limits()).unwrap_err();
    assert!(err.to_string().contains("no end-of-image marker"), "{err}");
}

#[test]
fn a_decompression_bomb_header_is_refused_before_any_allocation() {
    // A PNG header claiming 100000 x 100000 pixels, and nothing else.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let err = probe(Cursor::new(&png), &limits()).unwrap_err();
    assert!(
        matches!(
            err,
            IngestError::TooManyPixels {
                width: 100_000,
                height: 100_000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("100000x100000"));
}

#[test]
fn empty_unknown_and_non_files_are_refused() {
    assert!(matches!(
        probe(Cursor::new(b""), &limits()),
        Err(IngestError::Empty)
    ));
    let err = probe(Cursor::new(b"GIF89a\x01\0\x01\0"), &limits()).unwrap_err();
    assert!(err.to_string().contains("47 49 46 38"), "{err}");
    let dir = std::env::temp_dir();
    assert!(probe_file(&dir, &limits()).is_err());
    assert!(decode_file(&dir.join("no-such-file.png"), &limits()).is_err());
}

#[test]
fn the_file_size_limit_applies() {
    let bytes = encode(&pattern(64, 48), ImageFormat::Png);
    let small = Limits {
        max_file_bytes: 100,
        ..Limits::DEFAULT
    };
    assert!(matches!(
        probe(Cursor::new(&bytes), &small),
        Err(IngestError::TooLarge { limit: 100, .. })
    ));
}

#[test]
fn a_bilevel_group4_fax_tiff_is_decoded_black_on_white() {
    // What document scanners write in black-and-white mode: 1 bit per pixel, CCITT Group 4,
    // white is zero. A black box at (20..=100, 20..=60) on white, a rule along the bottom.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/images/g4-fax.tif"
    );
    let bytes = std::fs::read(path).unwrap();
    let page = decode_bytes(&bytes, &limits()).unwrap().remove(0);
    assert_eq!((page.image.width(), page.image.height()), (240, 120));
    let grey = page.image.to_luma8();
    assert_eq!(grey.get_pixel(50, 40).0[0], 0, "inside the box");
    assert_eq!(grey.get_pixel(200, 40).0[0], 255, "paper");
    assert_eq!(grey.get_pixel(120, 110).0[0], 0, "the rule");
}
