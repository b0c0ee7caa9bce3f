//! The committed Utopia specimens: they load and validate, regenerating them gives the same
//! bytes, their MRZs are valid, and their barcode carries the printed MRZ.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

use docexam_core::barcode::{ParseOptions, TrustStore, read_image};
use docexam_core::date::CivilDate;
use docexam_core::ingest::{LightSource, Side};
use docexam_core::mrz::MrzParser;
use docexam_core::specimen::{
    FolderSource, MANIFEST_FILE, SizeClass, SpecimenSource, parse_manifest,
};
use docexam_specimens::design;
use docexam_specimens::fonts::Fonts;
use docexam_specimens::persona::{Persona, mrz_lines};
use docexam_specimens::specimen;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_utopia_specimens_load_and_validate() {
    let (lib, warnings) = FolderSource::open(&[root()]).into_parts();
    assert!(warnings.is_empty(), "{warnings:?}");
    let ids = lib.ids();
    assert_eq!(
        ids,
        [
            "UTO-AR-TD2",
            "UTO-I-TD1",
            "UTO-P-TD3",
            "UTO-PD-TD3",
            "UTO-V-MRVA"
        ]
    );
    let mut sizes = Vec::new();
    for id in &ids {
        let s = lib.load(id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.manifest.document.issuing_state, "UTO");
        assert_eq!(s.lights().len(), 3, "{id}: white, UV and IR");
        assert!(s.manifest.features.len() >= 14, "{id}");
        sizes.push(s.manifest.document.size_class);
        let img = s.load_image(&lib, Side::Front, LightSource::White).unwrap();
        let (w, h) = s.manifest.document.size_class.size_px(600);
        assert_eq!((img.width(), img.height()), (w, h));
    }
    for want in [
        SizeClass::Td1,
        SizeClass::Td2,
        SizeClass::Td3,
        SizeClass::MrvA,
    ] {
        assert!(sizes.contains(&want), "{want} missing");
    }
}

fn hashes(dir: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(dir.join(MANIFEST_FILE)).unwrap();
    let m = parse_manifest("specimen.toml", &bytes).unwrap();
    m.images.into_iter().map(|i| (i.file, i.blake3)).collect()
}

#[test]
fn regenerating_reproduces_the_committed_files() {
    let fonts = Fonts::load().unwrap();
    let out = tempfile::tempdir().unwrap();
    for d in design::utopia() {
        let dir = out.path().join(&d.folder);
        let committed = root().join(&d.folder);
        // Regeneration keeps the calibrated thresholds of the manifest it replaces.
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(committed.join(MANIFEST_FILE), dir.join(MANIFEST_FILE)).unwrap();
        specimen::write(&d, &dir, &fonts).unwrap();
        assert_eq!(
            hashes(&dir),
            hashes(&committed),
            "{}: images differ",
            d.folder
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap(),
            std::fs::read_to_string(committed.join(MANIFEST_FILE)).unwrap(),
            "{}: manifest differs; run `cargo run --release -p docexam-specimens -- utopia`",
            d.folder
        );
    }
}

#[test]
fn generated_mrzs_are_valid_in_every_format() {
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 25).unwrap())
        .build();
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(7);
    for d in design::utopia() {
        for p in
            std::iter::once(Persona::specimen()).chain((0..50).map(|_| Persona::random(&mut rng)))
        {
            let lines = mrz_lines(d.size, &d.code, "UTO", &p);
            let mrz = parser.parse(&lines.join("\n")).unwrap();
            assert!(mrz.is_valid(), "{}: {lines:?}: {:?}", d.id, mrz.findings());
            assert_eq!(
                mrz.document_number().as_deref(),
                Some(p.document_number.as_str())
            );
        }
    }
}

#[test]
fn the_identity_card_barcode_holds_the_printed_mrz_and_backgrounds_hold_no_code() {
    let lib = FolderSource::open(&[root()]).value;
    let trust = TrustStore::new();
    let opts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: CivilDate::new(2026, 11, 25).unwrap(),
    };
    let td1 = lib.load("UTO-I-TD1").unwrap();
    let back = td1
        .load_image(&lib, Side::Back, LightSource::White)
        .unwrap();
    let read = read_image(&back.to_luma8(), &opts).unwrap();
    assert_eq!(read.codes.len(), 1, "{:?}", read.undecodable);
    let code = &read.codes[0];
    assert_eq!(code.code.symbology, "Data Matrix");
    assert_eq!(code.payload.kind.name(), "idb");
    let printed = mrz_lines(SizeClass::Td1, "I", "UTO", &Persona::specimen()).join("\n");
    assert_eq!(code.payload.identity.mrz.as_deref(), Some(printed.as_str()));
    // Guilloche, rosettes and the OVD are fine lines, not symbols: nothing is "located".
    let td3 = lib.load("UTO-P-TD3").unwrap();
    let front = td3
        .load_image(&lib, Side::Front, LightSource::White)
        .unwrap();
    let read = read_image(&front.to_luma8(), &opts).unwrap();
    assert!(
        read.codes.is_empty() && read.undecodable.is_empty(),
        "{:?}",
        read.undecodable
    );
}
