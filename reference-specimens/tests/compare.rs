//! Security-feature comparison on generated Utopia passports: genuine documents register
//! finely and pass every feature at the specimen's calibrated thresholds; each forgery
//! fails the feature it tampered with; a page turned upside down and shrunk registers, and
//! so does an upright page whose MRZ was read the wrong way up; a
//! page without the document leaves every feature inconclusive, never failed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests

use std::path::PathBuf;

use docexam_core::compare::{
    Capture, DocumentComparison, FeatureResult, Status, compare_document, read_mrz,
};
use docexam_core::ingest::{LightSource, Limits, Side, decode_file};
use docexam_core::mrz::MrzParser;
use docexam_core::raster::Pyramid;
use docexam_core::register::{ReferenceImage, prepare_all, register};
use docexam_core::specimen::{FolderSource, Specimen, SpecimenSource};
use docexam_specimens::fonts::Fonts;
use docexam_specimens::synth::{Label, SynthOptions, synth};
use image::{Rgb, RgbImage, imageops};

fn library() -> (FolderSource, Specimen, Vec<ReferenceImage>) {
    let lib = FolderSource::open(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]).value;
    let specimen = lib.load("UTO-P-TD3").unwrap();
    let refs = prepare_all(&specimen, &lib).unwrap();
    (lib, specimen, refs)
}

fn compare(
    dir: &std::path::Path,
    l: &Label,
    s: &Specimen,
    refs: &[ReferenceImage],
) -> DocumentComparison {
    let captures: Vec<Capture> = l
        .files
        .iter()
        .map(|f| Capture {
            side: Side::Front,
            light: f.light.parse().unwrap(),
            pyramid: Pyramid::new(
                decode_file(&dir.join(&f.file), &Limits::DEFAULT).unwrap()[0]
                    .image
                    .to_rgb8(),
            ),
        })
        .collect();
    compare_document(s, refs, &captures, &MrzParser::default())
}

fn result<'a>(c: &'a DocumentComparison, feature: &str) -> &'a FeatureResult {
    c.features.iter().find(|f| f.feature == feature).unwrap()
}

fn status(c: &DocumentComparison, feature: &str) -> Status {
    result(c, feature).status
}

#[test]
fn genuine_documents_pass_and_each_forgery_fails_its_feature() {
    let (_lib, specimen, refs) = library();
    let design = docexam_specimens::design::utopia()
        .into_iter()
        .find(|d| d.id == "UTO-P-TD3")
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = SynthOptions {
        genuine: 2,
        forged: 7,
        seed: 77,
        dpi: Some(300),
        style: docexam_specimens::synth::CaptureStyle::Mixed,
        kinds: None,
    };
    let labels = synth(&design, &opts, out.path(), &Fonts::load().unwrap()).unwrap();
    // The genuine documents come first; their guilloche margins are what a reprint's is
    // measured against.
    let mut genuine_guilloche: Vec<f64> = Vec::new();
    for l in &labels {
        let c = compare(out.path(), l, &specimen, &refs);
        let failing: Vec<&str> = c
            .features
            .iter()
            .filter(|f| f.status == Status::Fail)
            .map(|f| f.feature.as_str())
            .collect();
        let white = c
            .registrations
            .iter()
            .find(|r| r.light == LightSource::White)
            .unwrap();
        let reg = white.registration.as_ref().unwrap();
        match l.kind.as_str() {
            "genuine" => {
                assert_eq!(reg.stage, "fine", "{}", l.document);
                assert!(reg.residual_mm < 0.3, "{}: {}", l.document, reg.residual_mm);
                assert!(failing.is_empty(), "{}: {failing:?}", l.document);
                assert!(
                    c.features.iter().all(|f| f.status == Status::Pass),
                    "{}",
                    l.document
                );
                genuine_guilloche.push(result(&c, "front-guilloche").margin);
            }
            kind => {
                let expected = match kind {
                    // Detected in 80-90% of substitutions at the calibrated thresholds (see
                    // BENCHMARKS.md): not yet a property to hold every document to.
                    "photo_substitution" => continue,
                    "mrz_retyped" => {
                        // The print is genuine: an MRZ the reader gets wrong in the foreign
                        // font must not make it look altered.
                        assert_ne!(
                            status(&c, "front-printed-data"),
                            Status::Fail,
                            "{}",
                            l.document
                        );
                        "front-mrz-font"
                    }
                    "reprint" => {
                        // A reprint's fine lines depart a little, often not beyond the
                        // threshold calibrated over every capture condition (found at the
                        // thresholds in 60-80% of reprints, BENCHMARKS.md), but further than
                        // on the genuine documents captured alike.
                        let m = result(&c, "front-guilloche").margin;
                        assert_eq!(genuine_guilloche.len(), 2);
                        assert!(
                            genuine_guilloche.iter().all(|g| m > *g),
                            "{}: {m} against {genuine_guilloche:?}",
                            l.document
                        );
                        continue;
                    }
                    "uv_missing" => {
                        // Ordinary paper under UV: no UV feature may pass (where its capture
                        // cannot be placed at all, they are inconclusive).
                        for f in c.features.iter().filter(|f| f.light == LightSource::Uv) {
                            assert_ne!(f.status, Status::Pass, "{}: {}", l.document, f.sentence);
                        }
                        continue;
                    }
                    "ir_wrong" => "front-ir-dropout",
                    "background_imitation" => "front-guilloche",
                    // A date or the number changed on the page, not in the MRZ: the page no
                    // longer prints what the MRZ says.
                    "data_altered" => "front-printed-data",
                    other => panic!("unexpected kind {other}"),
                };
                assert_eq!(
                    status(&c, expected),
                    Status::Fail,
                    "{}: {failing:?}",
                    l.document
                );
                let f = c.features.iter().find(|f| f.feature == expected).unwrap();
                assert!(f.margin > 0.0 && f.sentence.contains("departs from the reference"));
            }
        }
    }
}

/// The specimen's white front at half its resolution (300 dpi).
fn half_size(lib: &FolderSource, specimen: &Specimen) -> RgbImage {
    let img = specimen
        .load_image(lib, Side::Front, LightSource::White)
        .unwrap()
        .to_rgb8();
    imageops::resize(
        &img,
        img.width() / 2,
        img.height() / 2,
        imageops::FilterType::Triangle,
    )
}

/// `doc` on a light grey scanner bed, its top-left corner at (170, 90).
fn on_scanner_bed(doc: &RgbImage) -> RgbImage {
    let bed = Rgb([236, 236, 238]);
    let mut page = RgbImage::from_pixel(doc.width() + 300, doc.height() + 200, bed);
    imageops::overlay(&mut page, doc, 170, 90);
    page
}

#[test]
fn a_page_upside_down_at_half_resolution_registers() {
    let (lib, specimen, refs) = library();
    let turned = imageops::rotate180(&half_size(&lib, &specimen));
    let page = on_scanner_bed(&turned);
    let white = refs.iter().find(|r| r.light == LightSource::White).unwrap();
    let reg = register(&Pyramid::new(page), white, None).unwrap();
    assert_eq!(reg.stage, "fine");
    assert!(reg.residual_mm < 0.3, "{}", reg.residual_mm);
    assert!(
        (reg.px_per_mm - 600.0 / 25.4 / 2.0).abs() < 0.05,
        "{}",
        reg.px_per_mm
    );
    assert!(
        (reg.angle_deg.abs() - 180.0).abs() < 0.2,
        "{}",
        reg.angle_deg
    );
    // The document's top-left corner is at the page's far corner.
    let (x, y) = reg.mm_to_px.apply(0.0, 0.0).unwrap();
    assert!((x - (170.0 + turned.width() as f64)).abs() < 3.0, "{x}");
    assert!((y - (90.0 + turned.height() as f64)).abs() < 3.0, "{y}");
}

#[test]
fn an_mrz_read_the_wrong_way_up_does_not_turn_the_registration_against_the_page() {
    let (lib, specimen, refs) = library();
    let page = on_scanner_bed(&half_size(&lib, &specimen));
    // The MRZ as read on the page turned upside down: its lines say the document lies the
    // other way round (as a re-typed MRZ in a foreign font can be misread), while the
    // whole page fits the reference upright.
    let read = read_mrz(
        &Pyramid::new(imageops::rotate180(&page)),
        &MrzParser::default(),
    )
    .unwrap();
    let white = refs.iter().find(|r| r.light == LightSource::White).unwrap();
    let reg = register(&Pyramid::new(page), white, Some(&read)).unwrap();
    assert_eq!(reg.stage, "fine");
    assert!(reg.residual_mm < 0.3, "{}", reg.residual_mm);
    assert!(reg.angle_deg.abs() < 0.2, "{}", reg.angle_deg);
}

#[test]
fn a_page_without_the_document_is_inconclusive_never_failed() {
    let (_lib, specimen, refs) = library();
    // A blank scanner bed, and a bed with an unrelated grey block.
    let blank = RgbImage::from_pixel(1500, 1100, Rgb([236, 236, 238]));
    let mut block = blank.clone();
    for y in 400..700 {
        for x in 400..1000 {
            block.put_pixel(x, y, Rgb([((x * 7 + y * 3) % 200) as u8, 90, 90]));
        }
    }
    for (k, page) in [blank, block].into_iter().enumerate() {
        let captures =
            [LightSource::White, LightSource::Uv, LightSource::Ir].map(|light| Capture {
                side: Side::Front,
                light,
                pyramid: Pyramid::new(page.clone()),
            });
        let c = compare_document(&specimen, &refs, &captures, &MrzParser::default());
        for f in &c.features {
            assert_ne!(f.status, Status::Fail, "{}", f.sentence);
            if k == 0 {
                assert_eq!(f.status, Status::Inconclusive, "{}", f.sentence);
                assert!(f.sentence.contains("could not align"), "{}", f.sentence);
            }
        }
    }
}

/// The passport's white front at 300 dpi, its data fields printed `offset` mm off their
/// places, with `printed` values instead of the specimen persona's, on a scanner bed.
fn personalised_off_place(offset: (f64, f64), printed: Vec<(String, String)>) -> RgbImage {
    use docexam_specimens::persona::Persona;
    use docexam_specimens::render::{Capture as Look, Overrides, render};
    let design = docexam_specimens::design::utopia()
        .into_iter()
        .find(|d| d.id == "UTO-P-TD3")
        .unwrap();
    let o = Overrides {
        printed,
        data_offset_mm: offset,
        ..Overrides::default()
    };
    let page = render(
        &design,
        &design.sides[0],
        LightSource::White,
        &Persona::specimen(),
        300,
        Look::default(),
        &o,
        &Fonts::load().unwrap(),
    );
    on_scanner_bed(&page)
}

#[test]
fn data_printed_a_millimetre_off_its_place_is_found_and_still_judged() {
    let (_lib, specimen, refs) = library();
    let judge = |page: RgbImage| {
        let captures = [Capture {
            side: Side::Front,
            light: LightSource::White,
            pyramid: Pyramid::new(page),
        }];
        let c = compare_document(&specimen, &refs, &captures, &MrzParser::default());
        result(&c, "front-printed-data").clone()
    };
    // A personalisation printer set 1 mm right and 0.5 mm low: beyond the 0.6 mm each
    // character is looked for in, within the 1.5 mm its field is.
    let genuine = judge(personalised_off_place((1.0, 0.5), Vec::new()));
    assert_eq!(genuine.status, Status::Pass, "{}", genuine.sentence);
    assert!(
        genuine.sentence.contains("9 fields"),
        "{}",
        genuine.sentence
    );
    // The same offset with the birth date changed on the page: still found altered.
    let altered = judge(personalised_off_place(
        (1.0, 0.5),
        vec![("birth_date".into(), "12 AUG 1979".into())],
    ));
    assert_eq!(altered.status, Status::Fail, "{}", altered.sentence);
    assert!(
        altered.sentence.contains("birth_date"),
        "{}",
        altered.sentence
    );
}

/// The specimen's front under `light` at 300 dpi, its pixels pushed towards white by a
/// laminate reflection: a band along the line `y_mm` (mm from the top) whose push falls off
/// as exp(−(d / `width_mm`)²) from `strength` at its middle.
fn with_reflection_band(
    lib: &FolderSource,
    specimen: &Specimen,
    light: LightSource,
    y_mm: f64,
    width_mm: f64,
    strength: f64,
) -> RgbImage {
    let img = specimen
        .load_image(lib, Side::Front, light)
        .unwrap()
        .to_rgb8();
    let mut doc = imageops::resize(
        &img,
        img.width() / 2,
        img.height() / 2,
        imageops::FilterType::Triangle,
    );
    let px_mm = 300.0 / 25.4;
    for (_, y, p) in doc.enumerate_pixels_mut() {
        let d = (f64::from(y) / px_mm - y_mm) / width_mm;
        let push = strength * (-d * d).exp();
        for c in &mut p.0 {
            *c = (f64::from(*c) + push * (255.0 - f64::from(*c))).round() as u8;
        }
    }
    doc
}

#[test]
fn a_reflection_band_along_the_uv_substrate_region_is_not_taken_for_glowing_paper() {
    let (lib, specimen, refs) = library();
    let region = feature(&specimen, "front-uv-dull").rect_mm;
    let middle = region[1] + region[3] / 2.0;
    let white = on_scanner_bed(&half_size(&lib, &specimen));
    let judge = |uv: RgbImage| {
        let captures = [
            Capture {
                side: Side::Front,
                light: LightSource::White,
                pyramid: Pyramid::new(white.clone()),
            },
            Capture {
                side: Side::Front,
                light: LightSource::Uv,
                pyramid: Pyramid::new(on_scanner_bed(&uv)),
            },
        ];
        let c = compare_document(&specimen, &refs, &captures, &MrzParser::default());
        result(&c, "front-uv-dull").clone()
    };
    // A band 2 mm wide along the middle of the 10 mm region lifts all of it a little and
    // its middle by some 60 grey levels.
    let band = judge(with_reflection_band(
        &lib,
        &specimen,
        LightSource::Uv,
        middle,
        2.0,
        0.3,
    ));
    assert_eq!(band.status, Status::Pass, "{}", band.sentence);
    // Paper that glows lifts every part of the region.
    let glow = judge(with_reflection_band(
        &lib,
        &specimen,
        LightSource::Uv,
        middle,
        1e3,
        0.3,
    ));
    assert_eq!(glow.status, Status::Fail, "{}", glow.sentence);
}

#[test]
fn a_fine_line_border_lying_half_a_millimetre_off_a_fine_registration_is_followed() {
    use docexam_core::compare::{judge, measure};
    let (lib, specimen, refs) = library();
    let page = Pyramid::new(on_scanner_bed(&half_size(&lib, &specimen)));
    let white = refs.iter().find(|r| r.light == LightSource::White).unwrap();
    let fine = register(&page, white, None).unwrap();
    assert_eq!(fine.stage, "fine");
    let border = feature(&specimen, "front-border");
    let zones = front_zones(&specimen);
    // The fit moved `dy` mm across the border's lines, as a curl or perspective leaves a
    // document's edge off a fit made on its middle.
    let judged = |dy: f64| {
        let mut reg = fine.clone();
        let m = &mut reg.mm_to_px.0;
        for k in [2, 5, 8] {
            m[k] += dy * m[k - 1];
        }
        let ctx = white_ctx(border, &page, white, &reg, &zones, Vec::new());
        judge(border, measure(&ctx))
    };
    assert_eq!(judged(0.0).status, Status::Pass);
    // Beyond the 0.35 mm each tile is aligned within: the blocks of tiles are aligned first.
    let off = judged(0.5);
    assert_eq!(off.status, Status::Pass, "{}", off.sentence);
}

#[test]
fn the_share_a_features_mask_leaves_is_measured_before_sampling() {
    use docexam_core::compare::inputs::MASK_MARGIN_MM;
    let (lib, specimen, refs) = library();
    let page = Pyramid::new(on_scanner_bed(&half_size(&lib, &specimen)));
    let white = refs.iter().find(|r| r.light == LightSource::White).unwrap();
    let reg = register(&page, white, None).unwrap();
    let guilloche = feature(&specimen, "front-guilloche");
    let zones = front_zones(&specimen);
    let zone = |id: &str| zones.iter().find(|z| z.id == id).unwrap().rect_mm;
    let masked: Vec<_> = guilloche.mask_zones.iter().map(|id| zone(id)).collect();
    let ctx = white_ctx(guilloche, &page, white, &reg, &zones, masked);
    let p = zone("front-portrait");
    // Inside the portrait nothing is left; a 4 mm square reaching 2 mm into it from its
    // right keeps what lies beyond the zone and its margin.
    assert_eq!(
        ctx.unmasked_share([p[0] + 5.0, p[1] + 5.0, 4.0, 4.0], 8.0),
        0.0
    );
    let across = ctx.unmasked_share([p[0] + p[2] - 2.0, p[1] + 10.0, 4.0, 4.0], 8.0);
    let want = (2.0 - MASK_MARGIN_MM) / 4.0;
    assert!((across - want).abs() < 0.04, "{across} vs {want}");
    // The same feature with nothing masked keeps everything.
    let whole = ctx
        .unmasked()
        .unmasked_share([p[0] + 5.0, p[1] + 5.0, 4.0, 4.0], 8.0);
    assert_eq!(whole, 1.0);
}

/// The specimen's feature `id`.
fn feature<'a>(specimen: &'a Specimen, id: &str) -> &'a docexam_core::specimen::Feature {
    specimen
        .manifest
        .features
        .iter()
        .find(|f| f.id == id)
        .unwrap()
}

/// The zones of the specimen's front.
fn front_zones(specimen: &Specimen) -> Vec<docexam_core::specimen::Zone> {
    specimen
        .manifest
        .zones
        .iter()
        .filter(|z| z.side == Side::Front)
        .cloned()
        .collect()
}

/// What a comparator of `feature` works from on a white capture registered by `reg`, with
/// `masked` zones left out and no MRZ or light measured.
fn white_ctx<'a>(
    feature: &'a docexam_core::specimen::Feature,
    page: &'a Pyramid,
    white: &'a ReferenceImage,
    reg: &'a docexam_core::register::Registration,
    zones: &'a [docexam_core::specimen::Zone],
    masked: Vec<docexam_core::specimen::RectMm>,
) -> docexam_core::compare::FeatureInputs<'a> {
    docexam_core::compare::FeatureInputs {
        feature,
        q: docexam_core::raster::View {
            pyramid: page,
            mm_to_px: reg.mm_to_px,
        },
        reference: white,
        registration: reg,
        zones,
        masked,
        mrz: None,
        document_mrz: None,
        white: None,
        light: None,
    }
}

#[test]
fn a_page_whose_coarse_fit_bends_at_the_corners_is_still_registered_finely() {
    let lib = FolderSource::open(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]).value;
    let specimen = lib.load("UTO-PD-TD3").unwrap();
    let refs = prepare_all(&specimen, &lib).unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/uto-pd-td3-photo-substitution-skewed-300dpi_front_white.jpg");
    let page = decode_file(&file, &Limits::DEFAULT).unwrap()[0]
        .image
        .to_rgb8();
    let pyramid = Pyramid::new(page);
    let white = refs.iter().find(|r| r.light == LightSource::White).unwrap();
    let mrz = read_mrz(&pyramid, &MrzParser::default());
    assert!(mrz.is_some(), "the MRZ of the fixture is readable");
    let reg = register(&pyramid, white, mrz.as_ref()).unwrap();
    // Before, the medium and fine fits were refused against the coarse map's corners and
    // the page stayed at the coarse stage (residual 0.40 mm).
    assert_eq!(reg.stage, "fine", "{reg:?}");
    assert!(reg.residual_mm < 0.15, "{}", reg.residual_mm);
    // The fine fit holds 86 of 176 anchors; the acceptance floor is 30%.
    assert!(reg.inliers >= 70, "{} of {}", reg.inliers, reg.patches);
    // The capture: 300 dpi (11.81 px/mm), turned 12.49 degrees, a slight curl.
    assert!(
        (reg.px_per_mm / (300.0 / 25.4) - 1.0).abs() < 0.01,
        "{}",
        reg.px_per_mm
    );
    assert!((reg.angle_deg - 12.49).abs() < 0.3, "{}", reg.angle_deg);
}
