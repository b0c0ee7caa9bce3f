//! Writes a design as a specimen folder: reference images per side and light at 600 dpi, and a
//! manifest naming every zone and feature, with the hash of every file.

use std::path::Path;

use docexam_core::ingest::{LightSource, Side};
use docexam_core::specimen::{
    DocumentInfo, FORMAT, Feature, FeatureKind, FileRef, ImageRef, MANIFEST_FILE, Manifest,
    PrintSpec, Zone, ZoneKind,
};
use image::RgbImage;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

use crate::design::{Design, SideDesign};
use crate::draw::Rect;
use crate::fonts::Fonts;
use crate::persona::Persona;
use crate::render::{Capture, Overrides, render};

/// Resolution of the committed reference images.
pub const SPECIMEN_DPI: u32 = 600;

/// The light sources every reference side is drawn under.
pub const LIGHTS: [LightSource; 3] = [LightSource::White, LightSource::Uv, LightSource::Ir];

/// PNG bytes of an image (deterministic for a given `png` crate version).
pub fn png_bytes(img: &RgbImage) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let enc =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
    img.write_with_encoder(enc).map_err(std::io::Error::other)?;
    Ok(out)
}

fn zone(id: String, kind: ZoneKind, side: Side, r: Rect) -> Zone {
    Zone {
        id,
        kind,
        side,
        rect_mm: r.map(|v| (v * 100.0).round() / 100.0),
        holds: None,
        label: None,
        symbology: None,
        payload: None,
        print: None,
    }
}

/// Fields whose printed value the MRZ says, as the `printed_data` comparator checks them.
const FROM_MRZ: [&str; 7] = [
    "document_number",
    "birth_date",
    "expiry_date",
    "nationality",
    "sex",
    "issuing_state",
    "document_type",
];

fn feature(
    id: String,
    kind: FeatureKind,
    side: Side,
    light: LightSource,
    r: Rect,
    description: &str,
) -> Feature {
    Feature {
        id,
        kind,
        side,
        light,
        rect_mm: r.map(|v| (v * 100.0).round() / 100.0),
        comparator: None,
        thresholds: Default::default(),
        mask_zones: Vec::new(),
        mask: None,
        description: Some(description.to_string()),
    }
}

/// The zones of one side.
pub fn zones(design: &Design, s: &SideDesign) -> Vec<Zone> {
    let side = s.side;
    let p = side.name();
    let mut out = Vec::new();
    if let Some(r) = s.portrait {
        out.push(zone(format!("{p}-portrait"), ZoneKind::Portrait, side, r));
    }
    if let Some(r) = s.ghost {
        out.push(zone(
            format!("{p}-ghost-image"),
            ZoneKind::GhostImage,
            side,
            r,
        ));
    }
    for f in &s.fields {
        let mut z = zone(
            format!("{p}-{}", f.holds.replace('_', "-")),
            ZoneKind::Field,
            side,
            f.rect(),
        );
        z.holds = Some(f.holds.to_string());
        z.label = Some(f.label.to_string());
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        z.print = Some(PrintSpec {
            font: FileRef {
                file: crate::fonts::DATA_FONT_FILE.to_string(),
                blake3: blake3::hash(crate::fonts::DATA_FONT).to_hex().to_string(),
            },
            size_mm: crate::design::VALUE_SIZE_MM,
            cap_height_mm: None,
            origin_mm: [round(f.x), round(f.value_baseline())],
            tracking_mm: crate::design::VALUE_TRACKING_MM,
            format: f
                .holds
                .ends_with("_date")
                .then(|| crate::design::DATE_FORMAT.to_string()),
        });
        out.push(z);
    }
    if let Some(r) = design.mrz_rect(s) {
        out.push(zone(format!("{p}-mrz"), ZoneKind::Mrz, side, r));
    }
    if let Some(r) = s.barcode {
        let mut z = zone(format!("{p}-barcode"), ZoneKind::Barcode, side, r);
        z.symbology = Some("DataMatrix".into());
        z.payload = Some("idb".into());
        out.push(z);
    }
    out
}

/// The security features of one side.
pub fn features(design: &Design, s: &SideDesign, zones: &[Zone]) -> Vec<Feature> {
    let (w, h) = design.size.size_mm();
    let side = s.side;
    let p = side.name();
    let personal: Vec<String> = zones
        .iter()
        .filter(|z| z.side == side)
        .map(|z| z.id.clone())
        .collect();
    let mut out = Vec::new();
    let mut bg = feature(
        format!("{p}-guilloche"),
        FeatureKind::Guilloche,
        side,
        LightSource::White,
        [2.6, 2.6, w - 5.2, h - 5.2],
        "guilloche background of two interfering fine-line families, continuous, 0.07 mm lines",
    );
    bg.mask_zones = personal.clone();
    out.push(bg);
    out.push(feature(
        format!("{p}-border"),
        FeatureKind::FineLineBorder,
        side,
        LightSource::White,
        [0.9, 0.9, w - 1.8, 1.8],
        "three wavy fine lines along the top edge",
    ));
    out.push(feature(
        format!("{p}-rainbow"),
        FeatureKind::RainbowPrint,
        side,
        LightSource::White,
        s.plain,
        "split-fountain colours drifting from left to right without steps",
    ));
    let (rx, ry, _, r1) = s.rosette;
    let mut ros = feature(
        format!("{p}-rosette"),
        FeatureKind::PrintingTechnique,
        side,
        LightSource::White,
        clip([rx - r1, ry - r1, 2.0 * r1, 2.0 * r1], w, h),
        "rosette of continuous lines: no halftone screen",
    );
    ros.mask_zones = personal.clone();
    out.push(ros);
    for (i, (x, y, len)) in s.microprint.iter().enumerate() {
        out.push(feature(
            format!("{p}-microprint-{}", i + 1),
            FeatureKind::Microprint,
            side,
            LightSource::White,
            [*x, y - 0.45, *len, 0.6],
            "microprint UTOPIA REPUBLIC OF UTOPIA, 0.25 mm capitals, legible under a loupe",
        ));
    }
    if let Some(r) = s.ovd {
        out.push(feature(
            format!("{p}-ovd"),
            FeatureKind::Ovd,
            side,
            LightSource::White,
            r,
            "diffractive window whose colours change with the viewing angle",
        ));
    }
    if let Some(r) = s.portrait {
        out.push(feature(
            format!("{p}-portrait-zone"),
            FeatureKind::PortraitZone,
            side,
            LightSource::White,
            r,
            "printed portrait, no cut edges, background continuous at its border",
        ));
    }
    if let Some(r) = s.ghost {
        out.push(feature(
            format!("{p}-ghost"),
            FeatureKind::GhostImage,
            side,
            LightSource::White,
            r,
            "lighter grey copy of the portrait",
        ));
    }
    let (ex, ey, er) = s.uv_emblem;
    out.push(feature(
        format!("{p}-uv-emblem"),
        FeatureKind::UvPattern,
        side,
        LightSource::Uv,
        clip([ex - er, ey - er, 2.0 * er, 2.0 * er], w, h),
        "sun emblem fluorescing yellow-green with an orange star",
    ));
    let mut fib = feature(
        format!("{p}-uv-fibres"),
        FeatureKind::UvFibres,
        side,
        LightSource::Uv,
        [2.6, 2.6, w - 5.2, h - 5.2],
        "red, blue and yellow-green fibres in the substrate",
    );
    fib.mask_zones = personal.clone();
    out.push(fib);
    out.push(feature(
        format!("{p}-uv-dull"),
        FeatureKind::UvDullSubstrate,
        side,
        LightSource::Uv,
        s.plain,
        "substrate without optical brighteners: dull under UV",
    ));
    let mut dropout = feature(
        format!("{p}-ir-dropout"),
        FeatureKind::IrDropout,
        side,
        LightSource::Ir,
        [2.6, 2.6, w - 5.2, h - 5.2],
        "background, rosette, title and labels disappear under IR",
    );
    dropout.mask_zones = personal.clone();
    out.push(dropout);
    // The printed data the MRZ says: wherever the fields that hold it are.
    let printed: Vec<Rect> = zones
        .iter()
        .filter(|z| {
            z.side == side
                && z.print.is_some()
                && z.holds.as_deref().is_some_and(|h| FROM_MRZ.contains(&h))
        })
        .map(|z| z.rect_mm)
        .collect();
    if let Some(first) = printed.first() {
        let bound = printed.iter().fold(*first, |a, r| {
            let (x0, y0) = (a[0].min(r[0]), a[1].min(r[1]));
            let (x1, y1) = (
                (a[0] + a[2]).max(r[0] + r[2]),
                (a[1] + a[3]).max(r[1] + r[3]),
            );
            [x0, y0, x1 - x0, y1 - y0]
        });
        out.push(feature(
            format!("{p}-printed-data"),
            FeatureKind::PrintedData,
            side,
            LightSource::White,
            bound,
            "dates, document number and codes printed as the MRZ says them",
        ));
    }
    if let Some(r) = design.mrz_rect(s) {
        out.push(feature(
            format!("{p}-ir-mrz"),
            FeatureKind::IrVisible,
            side,
            LightSource::Ir,
            r,
            "the MRZ stays black under IR",
        ));
        out.push(feature(
            format!("{p}-mrz-font"),
            FeatureKind::MrzFont,
            side,
            LightSource::White,
            r,
            "OCR-B at 2.54 mm pitch",
        ));
    }
    out
}

fn clip(r: Rect, w: f64, h: f64) -> Rect {
    let x0 = r[0].max(0.5);
    let y0 = r[1].max(0.5);
    let x1 = (r[0] + r[2]).min(w - 0.5);
    let y1 = (r[1] + r[3]).min(h - 0.5);
    [x0, y0, x1 - x0, y1 - y0]
}

/// The manifest of `design` with `images`.
pub fn manifest(design: &Design, images: Vec<ImageRef>) -> Manifest {
    let mut zs = Vec::new();
    let mut fs = Vec::new();
    for s in &design.sides {
        let z = zones(design, s);
        fs.extend(features(design, s, &z));
        zs.extend(z);
    }
    Manifest {
        format: FORMAT.to_string(),
        document: DocumentInfo {
            id: design.id.to_string(),
            name: design.name.to_string(),
            issuing_state: "UTO".into(),
            document_code: design.code.to_string(),
            size_class: design.size,
            sides: design.sides.iter().map(|s| s.side).collect(),
            valid_from: docexam_core::date::CivilDate::new(2026, 1, 1),
            valid_to: None,
            provenance: format!(
                "synthetic: drawn by docexam-specimens (design {}, seed {}) with the ICAO specimen personalisation",
                design.folder, design.seed
            ),
            licence: "Apache-2.0".into(),
        },
        calibration: None,
        images,
        zones: zs,
        features: fs,
    }
}

/// Draws `design` into `dir` (created if needed) and writes its manifest; returns it.
pub fn write(design: &Design, dir: &Path, fonts: &Fonts) -> std::io::Result<Manifest> {
    std::fs::create_dir_all(dir)?;
    let persona = Persona::specimen();
    let mut images = Vec::new();
    for s in &design.sides {
        for light in LIGHTS {
            let img = render(
                design,
                s,
                light,
                &persona,
                SPECIMEN_DPI,
                Capture::default(),
                &Overrides::default(),
                fonts,
            );
            let bytes = png_bytes(&img)?;
            let file = format!("{}_{}.png", s.side.name(), light.name());
            std::fs::write(dir.join(&file), &bytes)?;
            images.push(ImageRef {
                side: s.side,
                light,
                file,
                dpi: SPECIMEN_DPI,
                blake3: blake3::hash(&bytes).to_hex().to_string(),
            });
        }
    }
    // The typeface of the printed data, which the manifest names.
    std::fs::create_dir_all(dir.join("fonts"))?;
    std::fs::write(
        dir.join(crate::fonts::DATA_FONT_FILE),
        crate::fonts::DATA_FONT,
    )?;
    let mut m = manifest(design, images);
    // Thresholds calibrated by `docexam specimen calibrate` survive a regeneration.
    if let Ok(old) = std::fs::read(dir.join(MANIFEST_FILE))
        && let Ok(old) = docexam_core::specimen::parse_manifest(MANIFEST_FILE, &old)
    {
        for f in &mut m.features {
            if let Some(o) = old.features.iter().find(|o| o.id == f.id) {
                f.thresholds = o.thresholds.clone();
            }
        }
        // Checks every specimen gets (the duplicated-region search) are declared by the
        // calibration that set their limits; they survive too.
        for implicit in docexam_core::compare::implicit_features(&m) {
            if let Some(o) = old.features.iter().find(|o| o.id == implicit.id) {
                m.features.push(o.clone());
            }
        }
    }
    let text = toml::to_string_pretty(&m).map_err(std::io::Error::other)?;
    let header = format!(
        "# {} — generated by `cargo run --release -p docexam-specimens -- utopia`.\n# Do not edit by hand: change reference-specimens/src and regenerate.\n\n",
        design.name
    );
    std::fs::write(dir.join(MANIFEST_FILE), format!("{header}{text}"))?;
    Ok(m)
}

/// Copies a specimen folder `from` into `to` with its subfolders (`fonts/`, `masks/`): a
/// lab's own copy of a bundled specimen, to edit.
pub fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            copy_folder(&e.path(), &to.join(e.file_name()))?;
        } else {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}
