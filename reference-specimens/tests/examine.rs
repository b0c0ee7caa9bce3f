//! Whole examinations of generated Utopia documents: a genuine identity card is identified by
//! its MRZ, its barcode is read and agrees, and nothing departs from the specimen; a card
//! whose barcode holds another person's data is flagged by the cross-check; a passport given
//! in white light only is judged on what white light shows; a page without a document is
//! inconclusive, never "anomalies found". Every report validates against
//! `docs/report-schema.json` and is byte-identical when examined twice.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests

use std::path::{Path, PathBuf};

use docexam_core::barcode::TrustStore;
use docexam_core::compare::Status;
use docexam_core::date::CivilDate;
use docexam_core::examine::{
    AnomalySeverity, CrossCheckStatus, DocumentImage, ExamError, ExamOptions, IdentificationMethod,
    Library, Report, Verdict, examine,
};
use docexam_core::ingest::{LightSource, Limits, Side};
use docexam_core::specimen::FolderSource;
use docexam_specimens::fonts::Fonts;
use docexam_specimens::synth::{Label, SynthOptions, synth};

fn library() -> Library {
    Library::new(FolderSource::open(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]).value)
}

fn generate(id: &str, genuine: usize, forged: usize, seed: u64, out: &Path) -> Vec<Label> {
    let design = docexam_specimens::design::utopia()
        .into_iter()
        .find(|d| d.id == id)
        .unwrap();
    let opts = SynthOptions {
        genuine,
        forged,
        seed,
        dpi: Some(300),
        style: docexam_specimens::synth::CaptureStyle::Mixed,
        kinds: None,
    };
    synth(&design, &opts, out, &Fonts::load().unwrap()).unwrap()
}

fn images(dir: &Path, l: &Label, lights: &[&str]) -> Vec<DocumentImage> {
    l.files
        .iter()
        .filter(|f| lights.contains(&f.light))
        .flat_map(|f| {
            DocumentImage::from_image_file(&dir.join(&f.file), None, None, &Limits::DEFAULT)
                .unwrap()
        })
        .collect()
}

/// The front of the bundled sample `name` under white, UV and IR light.
fn sample_front(name: &str) -> Vec<DocumentImage> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    ["white", "uv", "ir"]
        .iter()
        .flat_map(|light| {
            let file = dir.join(format!("{name}_front_{light}.jpg"));
            DocumentImage::from_image_file(&file, None, None, &Limits::DEFAULT).unwrap()
        })
        .collect()
}

fn options(trust: &TrustStore) -> ExamOptions<'_> {
    ExamOptions {
        specimen: None,
        trust,
        as_of: CivilDate::new(2026, 12, 3).unwrap(),
        record_run: false,
        cancel: None,
    }
}

fn schema_check(report: &Report) {
    let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/report-schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("report-schema.json", schema).unwrap();
    let index = compiler
        .compile("report-schema.json", &mut schemas)
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&report.to_json_pretty()).unwrap();
    if let Err(e) = schemas.validate(&value, index) {
        panic!("the report does not follow docs/report-schema.json: {e:#}");
    }
}

#[test]
fn identity_cards_genuine_and_with_another_persons_barcode() {
    let out = tempfile::tempdir().unwrap();
    // Kinds come in turn; the eighth forgery of a TD1 is the barcode mismatch.
    let labels = generate("UTO-I-TD1", 1, 8, 5, out.path());
    let lib = library();
    let trust = TrustStore::new();
    let opts = options(&trust);

    let genuine = &labels[0];
    assert_eq!(genuine.kind, "genuine");
    let imgs = images(out.path(), genuine, &["white", "uv", "ir"]);
    let report = examine(&lib, &genuine.document, &imgs, &opts).unwrap();
    schema_check(&report);
    assert_eq!(report.identification.method, IdentificationMethod::Mrz);
    assert_eq!(report.identification.specimen.as_deref(), Some("UTO-I-TD1"));
    assert_eq!(report.specimen.as_ref().unwrap().id, "UTO-I-TD1");
    assert_eq!(report.inputs.len(), 6);
    let codes: Vec<_> = report.barcodes.iter().flat_map(|b| &b.codes).collect();
    assert_eq!(codes.len(), 1, "{:?}", report.barcodes);
    let barcode_checks: Vec<_> = report
        .cross_checks
        .iter()
        .filter(|c| c.check.starts_with("mrz_vs_barcode."))
        .collect();
    assert!(barcode_checks.len() >= 4, "{barcode_checks:?}");
    assert!(
        report
            .cross_checks
            .iter()
            .all(|c| c.status != CrossCheckStatus::Mismatch),
        "{:?}",
        report.cross_checks
    );
    assert!(report.cross_checks.iter().any(|c| {
        c.check == "mrz_vs_specimen.issuing_state" && c.status == CrossCheckStatus::Agrees
    }));
    assert!(
        report.cross_checks.iter().any(|c| c.check == "mrz_vs_mrz"),
        "the MRZ is read under white and IR light and compared"
    );
    assert_eq!(
        report.assessment.result,
        Verdict::NoAnomalyFound,
        "{}",
        report.assessment.summary
    );
    assert!(report.assessment.anomalies.is_empty());
    // Examined again from scratch: byte for byte the same report.
    let again = examine(&library(), &genuine.document, &imgs, &opts).unwrap();
    assert_eq!(report.to_json_pretty(), again.to_json_pretty());

    let forged = labels
        .iter()
        .find(|l| l.kind == "barcode_mismatch")
        .unwrap();
    let imgs = images(out.path(), forged, &["white"]);
    let report = examine(&lib, &forged.document, &imgs, &opts).unwrap();
    schema_check(&report);
    assert_eq!(report.assessment.result, Verdict::AnomaliesFound);
    let first = &report.assessment.anomalies[0];
    assert_eq!(first.severity, AnomalySeverity::Critical);
    assert!(
        report
            .assessment
            .anomalies
            .iter()
            .any(|a| a.source == "mrz_vs_barcode.birth_date"),
        "{:?}",
        report.assessment.anomalies
    );
    // Only white light was given: UV and IR features did not apply, and that alone does not
    // make the examination incomplete.
    let uv: Vec<_> = report
        .features
        .iter()
        .filter(|f| f.light == LightSource::Uv)
        .collect();
    assert!(!uv.is_empty());
    assert!(uv.iter().all(|f| f.status == Status::NotApplicable));
    assert!(
        report
            .assessment
            .not_checked
            .iter()
            .filter(|n| uv.iter().any(|f| f.feature == n.what))
            .all(|n| !n.blocking)
    );
}

#[test]
fn a_page_without_a_document_is_inconclusive_and_an_unknown_specimen_or_a_cancel_is_an_error() {
    let lib = library();
    let trust = TrustStore::new();
    let opts = options(&trust);
    let blank = DocumentImage {
        name: "blank_front.png".into(),
        side: Side::Front,
        light: LightSource::White,
        hash: docexam_core::evidence::EvidenceHash::of_bytes(b"blank"),
        bytes: 5,
        page: None,
        dpi: None,
        image: image::RgbImage::from_pixel(1200, 900, image::Rgb([236, 236, 232])).into(),
    };
    let report = examine(&lib, "blank", std::slice::from_ref(&blank), &opts).unwrap();
    schema_check(&report);
    assert_eq!(report.identification.specimen, None);
    assert_eq!(report.identification.method, IdentificationMethod::None);
    assert_eq!(report.assessment.result, Verdict::Inconclusive);
    assert!(report.features.is_empty());
    assert!(
        report
            .assessment
            .not_checked
            .iter()
            .any(|n| n.what == "identification" && n.blocking)
    );
    let named = ExamOptions {
        specimen: Some("UTO-NOPE".into()),
        ..opts.clone()
    };
    let err = examine(&lib, "blank", std::slice::from_ref(&blank), &named).unwrap_err();
    assert!(matches!(err, ExamError::Specimen { ref id, .. } if id == "UTO-NOPE"));
    assert!(err.to_string().contains("UTO-NOPE"), "{err}");
    // Cancelled: stopped at the first stage boundary, said so.
    let stop = std::sync::atomic::AtomicBool::new(true);
    let cancelled = ExamOptions {
        cancel: Some(&stop),
        ..opts.clone()
    };
    let err = examine(&lib, "blank", &[blank], &cancelled).unwrap_err();
    assert!(matches!(err, ExamError::Cancelled), "{err}");
    assert!(matches!(
        examine(&lib, "none", &[], &opts),
        Err(ExamError::NoImages)
    ));
}

#[test]
fn the_pdf_report_opens_with_its_pages_and_pictures() {
    let lib = library();
    let trust = TrustStore::new();
    let opts = options(&trust);
    let imgs = sample_front("passport-photo-substituted");
    let report = examine(&lib, "passport_photo_substituted", &imgs, &opts).unwrap();
    assert_eq!(report.assessment.result, Verdict::AnomaliesFound);
    let prepared = lib.prepared("UTO-P-TD3").unwrap();
    let meta = docexam_core::examine::pdf::PdfMeta {
        case_id: Some("0123456789abcdef".into()),
        items: vec![1, 2, 3],
        examiner: "Test Examiner".into(),
        written: "2026-12-03T08:00:00Z".into(),
        json_blake3: Some("00".repeat(32)),
    };
    let pdf =
        docexam_core::examine::pdf::render(&report, &imgs, &prepared.references, &meta).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Read back with docexam's own PDF reader: every page there, the three captures and the
    // questioned/reference crops of the failed portrait zone among the pictures.
    let parsed = docexam_core::ingest::pdf::extract_pages(pdf.clone(), &Limits::DEFAULT).unwrap();
    assert!(parsed.pages_total >= 4, "{} pages", parsed.pages_total);
    assert!(!parsed.images.is_empty());
    // Deterministic: the same report and meta give the same bytes.
    let again =
        docexam_core::examine::pdf::render(&report, &imgs, &prepared.references, &meta).unwrap();
    assert_eq!(blake3::hash(&pdf), blake3::hash(&again));
}

#[test]
fn the_placements_scored_while_identifying_are_those_registration_would_score() {
    use docexam_core::compare::{compare_document, compare_document_with};
    use docexam_core::examine::{captures, identification};
    use docexam_core::mrz::MrzParser;
    let imgs = sample_front("passport-genuine");
    let caps = captures(&imgs);
    let parser = MrzParser::default();
    let lib = library();
    let (_, prepared, priors) = identification::choose(&lib, &caps, None, &parser).unwrap();
    let p = prepared.unwrap();
    assert!(
        priors.iter().any(|x| x.placements.is_some()),
        "identification hands over the white page's placements"
    );
    let with = compare_document_with(&p.specimen, &p.references, &caps, &parser, &priors);
    let without = compare_document(&p.specimen, &p.references, &caps, &parser);
    let json = |c: &docexam_core::compare::DocumentComparison| {
        serde_json::to_string(&(&c.registrations, &c.features)).unwrap()
    };
    assert_eq!(json(&with), json(&without));
}
