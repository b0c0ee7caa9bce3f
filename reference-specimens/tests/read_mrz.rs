//! The MRZ reader on the committed Utopia specimens: every specimen's MRZ side reads exactly,
//! under white light and under infrared (where MRZ ink stays black), and a side without an
//! MRZ reads as none; the passport page captured under hard conditions reads exactly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: a panic is a failure

use std::path::PathBuf;

use docexam_core::date::CivilDate;
use docexam_core::mrz::MrzParser;
use docexam_core::mrz::read::{ReadError, ReadOptions, ink_plane, read};
use docexam_core::specimen::{FolderSource, SpecimenSource};
use docexam_specimens::capture::{Conditions, capture};
use docexam_specimens::design;
use docexam_specimens::persona::{Persona, mrz_lines};

#[test]
fn every_specimen_mrz_reads_exactly_under_white_and_infrared() {
    let lib = FolderSource::open(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]).value;
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 25).unwrap())
        .build();
    for d in design::utopia() {
        let expected = mrz_lines(d.size, &d.code, &d.state, &Persona::specimen());
        let dir = lib.dir(&d.id).expect("specimen folder");
        for side in &d.sides {
            for light in ["white", "ir"] {
                let path = dir.join(format!("{}_{light}.png", side.side.name()));
                let img = image::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let got = read(&ink_plane(&img), &parser, &ReadOptions::default());
                match (&side.mrz, got) {
                    (Some(_), Ok(r)) => {
                        assert_eq!(r.mrz.lines(), expected, "{}", path.display());
                        assert!(r.mrz.repairs().is_empty(), "{}", path.display());
                        assert!(
                            r.source.font.consistent_with_ocr_b,
                            "{}: font score {}",
                            path.display(),
                            r.source.font_score
                        );
                    }
                    (Some(_), Err(e)) => panic!("{}: {e}", path.display()),
                    (None, Ok(r)) => {
                        panic!(
                            "{}: no MRZ printed, read {:?}",
                            path.display(),
                            r.mrz.lines()
                        )
                    }
                    (None, Err(e)) => {
                        assert!(matches!(e, ReadError::NotFound { .. }), "{e}")
                    }
                }
            }
        }
    }
}

/// The conditions examiners meet at their worst, one hard combination per capture: a curved
/// page photographed at an angle; a quarter turn with a shadow's edge and glare across the
/// MRZ; heavy blur, noise, moiré and low JPEG quality.
fn hard_captures() -> Vec<(&'static str, Conditions)> {
    let base = Conditions::clean(300);
    vec![
        (
            "curved page, perspective, skew 13°",
            Conditions {
                curl: 0.013,
                perspective: 0.055,
                skew_deg: 13.0,
                blur_px: 0.6,
                noise: 4,
                jpeg_quality: 80,
                ..base.clone()
            },
        ),
        (
            "quarter turn, shadow, glare, uneven light",
            Conditions {
                quarter_turns: 3,
                skew_deg: -8.0,
                shadow: 0.42,
                glare: 0.55,
                lighting: 0.24,
                reflection: 0.3,
                jpeg_quality: 75,
                ..base.clone()
            },
        ),
        (
            "blur, noise, moiré, JPEG 60",
            Conditions {
                skew_deg: 4.0,
                blur_px: 1.15,
                noise: 7,
                moire: 0.07,
                jpeg_quality: 60,
                ..base
            },
        ),
    ]
}

#[test]
fn hard_captures_of_the_passport_page_read_exactly_and_look_alikes_agree_with_the_print() {
    let lib = FolderSource::open(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]).value;
    let d = design::utopia()
        .into_iter()
        .find(|d| d.id == "UTO-P-TD3")
        .expect("the Utopia passport design");
    let expected = mrz_lines(d.size, &d.code, &d.state, &Persona::specimen());
    let page = image::open(
        lib.dir(&d.id)
            .expect("specimen folder")
            .join("front_white.png"),
    )
    .expect("the passport page")
    .to_rgb8();
    // Drawn at 600 dpi; captured at 300.
    let page = image::imageops::resize(
        &page,
        page.width() / 2,
        page.height() / 2,
        image::imageops::FilterType::Triangle,
    );
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 25).unwrap())
        .build();
    let mut decided = 0;
    for (seed, (name, c)) in hard_captures().into_iter().enumerate() {
        let jpeg = capture(&page, &c, seed as u64 + 1).unwrap();
        let img = image::load_from_memory(&jpeg).unwrap();
        let r = read(&ink_plane(&img), &parser, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.mrz.lines(), expected, "{name}");
        assert!(
            r.source.font.consistent_with_ocr_b,
            "{name}: {}",
            r.source.font_score
        );
        // Every look-alike decided against the document's own glyphs is what was printed.
        for l in &r.source.look_alikes {
            let printed = expected[usize::from(l.line)]
                .chars()
                .nth(usize::from(l.column))
                .unwrap();
            assert_eq!(l.chosen, printed, "{name}: {l:?}");
        }
        decided += r.source.look_alikes.len();
    }
    // The check above must have had something to check.
    assert!(decided > 0, "no look-alike was decided on any capture");
}
