//! The MRZ reader on the committed Utopia specimens: every specimen's MRZ side reads exactly,
//! under white light and under infrared (where MRZ ink stays black), and a side without an
//! MRZ reads as none.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: a panic is a failure

use std::path::PathBuf;

use docexam_core::date::CivilDate;
use docexam_core::mrz::MrzParser;
use docexam_core::mrz::read::{ReadError, ReadOptions, ink_plane, read};
use docexam_core::specimen::{FolderSource, SpecimenSource};
use docexam_specimens::design;
use docexam_specimens::persona::{Persona, mrz_lines};

#[test]
fn every_specimen_mrz_reads_exactly_under_white_and_infrared() {
    let lib = FolderSource::open(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]);
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
