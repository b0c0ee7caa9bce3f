//! The test-document generator: labels say what each document is, the files exist and read
//! back, genuine documents carry valid MRZs, forgeries are what their label says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use docexam_core::barcode::{ParseOptions, TrustStore, read_image};
use docexam_core::date::CivilDate;
use docexam_core::mrz::MrzParser;
use docexam_specimens::design;
use docexam_specimens::fonts::Fonts;
use docexam_specimens::synth::{SynthOptions, synth};

/// The fonts, the identity card's design and an output folder.
fn td1() -> (Fonts, design::Design, tempfile::TempDir) {
    let fonts = Fonts::load().unwrap();
    let td1 = design::utopia()
        .into_iter()
        .find(|d| d.id == "UTO-I-TD1")
        .unwrap();
    (fonts, td1, tempfile::tempdir().unwrap())
}

#[test]
fn genuine_and_forged_identity_cards_with_labels() {
    let (fonts, td1, out) = td1();
    let opts = SynthOptions {
        genuine: 2,
        forged: 8,
        seed: 11,
        dpi: Some(300),
        style: docexam_specimens::synth::CaptureStyle::Mixed,
        kinds: None,
    };
    let labels = synth(&td1, &opts, out.path(), &fonts).unwrap();
    assert_eq!(labels.len(), 10);
    let lines = std::fs::read_to_string(out.path().join("labels.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 10);
    let kinds: Vec<&str> = labels.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "genuine",
            "genuine",
            "photo_substitution",
            "data_altered",
            "mrz_retyped",
            "reprint",
            "uv_missing",
            "ir_wrong",
            "background_imitation",
            "barcode_mismatch"
        ]
    );
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 25).unwrap())
        .build();
    for l in &labels {
        assert_eq!(l.files.len(), 6, "two sides under three lights");
        for f in &l.files {
            let img = image::open(out.path().join(&f.file)).unwrap();
            // A TD1 at 300 dpi is 1011 × 638 px, placed on a scanner bed, maybe turned.
            let (long, short) = (img.width().max(img.height()), img.width().min(img.height()));
            assert!(long > 1011 && short > 638, "{}: {long} × {short}", f.file);
        }
        assert!(
            parser.parse(&l.mrz.join("\n")).unwrap().is_valid(),
            "{:?}",
            l.mrz
        );
        assert_eq!(l.kind == "genuine", l.regions.is_empty(), "{}", l.document);
    }
    // Same seed, same documents.
    let again = tempfile::tempdir().unwrap();
    let labels2 = synth(&td1, &opts, again.path(), &fonts).unwrap();
    assert_eq!(labels2.len(), labels.len());
    assert_eq!(
        std::fs::read(out.path().join("labels.jsonl")).unwrap(),
        std::fs::read(again.path().join("labels.jsonl")).unwrap(),
        "the same seed gives the same labels: kinds, regions, data, capture conditions"
    );
    assert_eq!(
        std::fs::read(out.path().join(&labels[3].files[0].file)).unwrap(),
        std::fs::read(again.path().join(&labels2[3].files[0].file)).unwrap()
    );
}

#[test]
fn a_barcode_mismatch_holds_another_mrz_and_a_genuine_card_its_own() {
    let (fonts, td1, out) = td1();
    // 1 genuine, then the forgery kinds in turn: the 8th forgery is the barcode mismatch.
    let opts = SynthOptions {
        genuine: 1,
        forged: 8,
        seed: 3,
        dpi: Some(400),
        style: docexam_specimens::synth::CaptureStyle::Clean,
        kinds: None,
    };
    let labels = synth(&td1, &opts, out.path(), &fonts).unwrap();
    let trust = TrustStore::new();
    let popts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: CivilDate::new(2026, 11, 25).unwrap(),
    };
    let barcode_mrz = |label: &docexam_specimens::synth::Label| {
        let back = label
            .files
            .iter()
            .find(|f| f.side == "back" && f.light == "white")
            .unwrap();
        let img = image::open(out.path().join(&back.file)).unwrap().to_luma8();
        let read = read_image(&img, &popts).unwrap();
        assert_eq!(read.codes.len(), 1, "{}: {:?}", back.file, read.undecodable);
        read.codes[0].payload.identity.mrz.clone().unwrap()
    };
    let genuine = &labels[0];
    assert_eq!(barcode_mrz(genuine), genuine.mrz.join("\n"));
    let forged = labels
        .iter()
        .find(|l| l.kind == "barcode_mismatch")
        .unwrap();
    assert_ne!(barcode_mrz(forged), forged.mrz.join("\n"));
    assert_eq!(forged.regions[0].what, "barcode holds another person's MRZ");
}

#[test]
fn documents_from_a_labs_own_specimen_are_printed_onto_its_images() {
    use docexam_core::specimen::{FolderSource, SpecimenSource};
    // A lab's specimen: the TD2 images under another id and issuing state.
    let lab = tempfile::tempdir().unwrap();
    let dir = lab.path().join("td2");
    std::fs::create_dir_all(&dir).unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("utopia-td2-residence-permit");
    docexam_specimens::specimen::copy_folder(&src, &dir).unwrap();
    let m = std::fs::read_to_string(dir.join("specimen.toml")).unwrap();
    let m = m
        .replace("id = \"UTO-AR-TD2\"", "id = \"LAB-TD2\"")
        .replace("issuing_state = \"UTO\"", "issuing_state = \"D\"");
    std::fs::write(dir.join("specimen.toml"), m).unwrap();
    let lib = FolderSource::open(&[lab.path().to_path_buf()]).value;
    let specimen = lib.load("LAB-TD2").unwrap();
    let d = docexam_specimens::generic::from_specimen(&specimen, &lib).unwrap();
    assert_eq!(d.sides[0].fields.len(), 8);
    let fonts = Fonts::load().unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = SynthOptions {
        genuine: 1,
        forged: 7,
        seed: 4,
        dpi: Some(150),
        style: docexam_specimens::synth::CaptureStyle::Clean,
        kinds: None,
    };
    let labels = synth(&d, &opts, out.path(), &fonts).unwrap();
    let kinds: Vec<&str> = labels.iter().map(|l| l.kind.as_str()).collect();
    assert!(!kinds.contains(&"background_imitation"), "{kinds:?}");
    assert!(
        kinds.contains(&"uv_missing") && kinds.contains(&"reprint"),
        "{kinds:?}"
    );
    let genuine = &labels[0];
    assert!(genuine.mrz[0].starts_with("ARD<<"), "{:?}", genuine.mrz);
    assert_eq!(genuine.data.nationality, "D");
    // The printed page is the lab's image: its guilloche survives outside the zones.
    let white = &genuine
        .files
        .iter()
        .find(|f| f.light == "white")
        .unwrap()
        .file;
    let img = image::open(out.path().join(white)).unwrap().to_rgb8();
    assert!(img.width() > 600);
}
