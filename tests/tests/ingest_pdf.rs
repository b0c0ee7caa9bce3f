//! Scanned PDFs read in this process (benign files only; hostile ones are read in a worker
//! process, tested through the CLI): every page's scan, at native resolution.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use docexam_core::ingest::pdf::{PdfReader, extract_pages};
use docexam_core::ingest::{IngestError, Limits, MediaType, decode_bytes};
use docexam_tests::pdf::{
    PageImage, bad_xref_digit, encrypted, encrypted_with_permissions, prev_loop, prev_to, scanned,
    shared_image,
};
use docexam_tests::scans::{jpeg, pattern};

#[test]
fn dct_pages_are_kept_byte_for_byte() {
    let pages: Vec<Vec<u8>> = (0..3).map(|i| jpeg(120 + i, 170, i)).collect();
    let pdf = scanned(
        &pages
            .iter()
            .enumerate()
            .map(|(i, d)| PageImage::Jpeg {
                data: d.clone(),
                width: 120 + i as u32,
                height: 170,
            })
            .collect::<Vec<_>>(),
    );
    let out = extract_pages(pdf, &Limits::DEFAULT).unwrap();
    assert_eq!(out.pages_total, 3);
    assert_eq!(out.images.len(), 3);
    for (i, img) in out.images.iter().enumerate() {
        assert_eq!(img.page, i as u32 + 1);
        assert_eq!(img.media_type, MediaType::Jpeg);
        assert_eq!(
            img.data,
            pages[i],
            "page {} must be the scanner's own JPEG",
            i + 1
        );
        assert_eq!((img.width, img.height), (120 + i as u32, 170));
        // An A4 page (595 x 842 pt) 170 pixels high is scanned at about 14.5 dpi.
        let dpi = img.dpi.unwrap();
        assert!((dpi[1] - 170.0 / (842.0 / 72.0)).abs() < 0.01, "{dpi:?}");
    }
}

#[test]
fn flate_pages_become_exact_pngs() {
    let img = pattern(33, 21, 7);
    for predictor in [false, true] {
        let pdf = scanned(&[PageImage::FlateRgb {
            rgb: img.as_raw().clone(),
            width: 33,
            height: 21,
            predictor,
        }]);
        let out = extract_pages(pdf, &Limits::DEFAULT).unwrap();
        let page = &out.images[0];
        assert_eq!(page.media_type, MediaType::Png);
        let decoded = decode_bytes(&page.data, &Limits::DEFAULT)
            .unwrap()
            .remove(0);
        assert_eq!(
            decoded.image.to_rgb8().into_raw(),
            *img.as_raw(),
            "predictor {predictor}"
        );
    }
}

#[test]
fn pages_without_an_image_are_skipped_and_said() {
    let pdf = scanned(&[
        PageImage::None,
        PageImage::Jpeg {
            data: jpeg(10, 10, 1),
            width: 10,
            height: 10,
        },
    ]);
    let out = extract_pages(pdf, &Limits::DEFAULT).unwrap();
    assert_eq!(out.images.len(), 1);
    assert_eq!(out.images[0].page, 2);
    assert_eq!(out.skipped, vec![(1, "no image on the page".to_owned())]);
}

#[test]
fn permissions_written_unsigned_are_read_as_the_signed_value_they_denote() {
    // 4294967292 is -4 written unsigned: the file is parsed as far as its password, which is
    // the reason it is refused, not a number "too large to fit".
    assert!(matches!(
        extract_pages(encrypted_with_permissions("4294967292"), &Limits::DEFAULT),
        Err(IngestError::Encrypted)
    ));
}

#[test]
fn encrypted_truncated_and_oversized_pdfs_are_refused() {
    assert!(matches!(
        extract_pages(encrypted(), &Limits::DEFAULT),
        Err(IngestError::Encrypted)
    ));
    let pdf = scanned(&[PageImage::Jpeg {
        data: jpeg(10, 10, 1),
        width: 10,
        height: 10,
    }]);
    let cut = pdf[..pdf.len() / 2].to_vec();
    assert!(extract_pages(cut, &Limits::DEFAULT).is_err());
    assert!(matches!(
        extract_pages(Vec::new(), &Limits::DEFAULT),
        Err(IngestError::Empty)
    ));
    let few_pages = Limits {
        max_pages: 0,
        ..Limits::DEFAULT
    };
    assert!(matches!(
        extract_pages(pdf, &few_pages),
        Err(IngestError::OverLimit { what: "pages", .. })
    ));
}

#[test]
fn a_pixel_bomb_image_is_refused_before_decoding() {
    let pdf = scanned(&[PageImage::FlateRgb {
        rgb: vec![0; 30],
        width: 100_000,
        height: 100_000,
        predictor: false,
    }]);
    let err = extract_pages(pdf, &Limits::DEFAULT).unwrap_err();
    assert!(matches!(err, IngestError::TooManyPixels { .. }), "{err}");
}

#[test]
fn malformed_structure_is_described_in_the_files_terms_not_the_parsers() {
    for (name, pdf, said) in [
        ("/Prev loop", prev_loop(), "loop"),
        ("/Prev into an object", prev_to(Some(20)), "("),
        (
            "letter in an xref offset",
            bad_xref_digit(),
            "a number or keyword in the file is malformed (invalid digit found in string)",
        ),
    ] {
        let err = extract_pages(pdf, &Limits::DEFAULT).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, IngestError::Corrupt { .. }), "{name}: {text}");
        let stage =
            "corrupt PDF: the cross-reference table, trailer or document catalog cannot be read: ";
        assert!(
            text.starts_with(stage),
            "{name}: says what was being read: {text}"
        );
        assert!(text.contains(said), "{name}: {text}");
        assert!(
            !text.contains("Try at") && !text.contains("caused by"),
            "{name}: {text}"
        );
    }
}

#[test]
fn pages_sharing_one_image_share_one_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("many.pdf");
    std::fs::write(&pdf, shared_image(2000, &jpeg(40, 30, 7), 40, 30)).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let pages = PdfReader::in_process()
        .extract(&pdf, &out, &Limits::DEFAULT)
        .unwrap();
    assert_eq!(pages.len(), 2000);
    assert!(
        pages
            .iter()
            .all(|p| p.temp == pages[0].temp && p.hash == pages[0].hash)
    );
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "one file for one image"
    );
    let numbers: Vec<u32> = pages.iter().map(|p| p.page).collect();
    assert_eq!(numbers, (1..=2000).collect::<Vec<_>>());
}
