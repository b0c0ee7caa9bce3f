//! Checks of a parsed manifest against the format's rules and against the files it names.

use std::collections::BTreeSet;

use super::error::SpecimenError;
use super::manifest::{FORMAT, Feature, FileRef, ImageRef, Manifest, RectMm, Zone, ZoneKind};
use super::size::SizeClass;
use docexam_ingest::{LightSource, Side};

/// Lowest and highest resolution a reference image may have.
pub const DPI_RANGE: std::ops::RangeInclusive<u32> = 72..=2400;

/// How far (in pixels, at least 2, or 1 % of the side) an image may differ from the document
/// size at its resolution.
fn size_tolerance(px: u32) -> u32 {
    (px / 100).max(2)
}

/// Most images a specimen has (two sides under a handful of lights, with room to spare).
const MAX_IMAGES: usize = 32;
/// Most zones a specimen has.
const MAX_ZONES: usize = 256;
/// Most features a specimen has (each may name a mask file that is read and hashed).
const MAX_FEATURES: usize = 256;

/// Reads a file of the specimen by its manifest name.
pub(crate) type ReadFile<'a> = dyn Fn(&str) -> Result<Vec<u8>, SpecimenError> + 'a;

struct Checker<'a> {
    path: &'a str,
    problems: Vec<SpecimenError>,
}

impl Checker<'_> {
    fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(SpecimenError::Invalid {
            path: self.path.to_string(),
            field: field.into(),
            message: message.into(),
        });
    }

    fn rect(&mut self, field: String, r: &RectMm, size: SizeClass) {
        let (w, h) = size.size_mm();
        let [x, y, rw, rh] = *r;
        if r.iter().any(|v| !v.is_finite()) {
            self.fail(field, "every value must be a finite number of millimetres");
        } else if rw <= 0.0 || rh <= 0.0 {
            self.fail(
                field,
                format!("width and height must be positive, not {rw} × {rh} mm"),
            );
        } else if x < 0.0 || y < 0.0 || x + rw > w + 0.05 || y + rh > h + 0.05 {
            self.fail(
                field,
                format!(
                    "[{x}, {y}, {rw}, {rh}] lies outside the {} document ({w} × {h} mm)",
                    size.name()
                ),
            );
        }
    }

    fn side(&mut self, field: String, side: Side, sides: &[Side]) {
        if !sides.contains(&side) {
            self.fail(
                field,
                format!(
                    "{} is not one of the document's sides ({})",
                    side.name(),
                    sides
                        .iter()
                        .map(|s| s.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }

    /// Reads a named file and checks its hash; returns its bytes when both succeed.
    fn file(
        &mut self,
        field: &str,
        name: &str,
        blake3_hex: &str,
        read: &ReadFile<'_>,
    ) -> Option<Vec<u8>> {
        if let Err(why) = safe_relative(name) {
            self.fail(format!("{field}.file"), why);
            return None;
        }
        let bytes = match read(name) {
            Ok(b) => b,
            Err(e) => {
                self.fail(format!("{field}.file"), format!("{name}: {e}"));
                return None;
            }
        };
        if blake3_hex.len() != 64 || !blake3_hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            self.fail(
                format!("{field}.blake3"),
                format!("{blake3_hex:?} is not 64 hexadecimal digits"),
            );
            return None;
        }
        if let Some(actual) = other_hash(&bytes, blake3_hex) {
            self.fail(
                format!("{field}.blake3"),
                format!("{name} has blake3 {actual}, the manifest says {blake3_hex}"),
            );
            return None;
        }
        Some(bytes)
    }
}

/// The blake3 of `bytes` (hex) if it is not `expected` (hex, either case).
pub(crate) fn other_hash(bytes: &[u8], expected: &str) -> Option<String> {
    let actual = blake3::hash(bytes).to_hex();
    (!actual.as_str().eq_ignore_ascii_case(expected)).then(|| actual.to_string())
}

/// Why a file name in a manifest is not a plain relative path inside the folder.
pub(crate) fn safe_relative(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        Err(format!(
            "{name:?} must be a relative path inside the specimen folder (no '..', no leading '/')"
        ))
    } else {
        Ok(())
    }
}

/// Pixel dimensions of an image file as decoding will give them (EXIF orientation applied),
/// probed under the ingest limits with the formats decoding accepts.
fn dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
    let probe = docexam_ingest::probe(
        std::io::Cursor::new(bytes),
        &docexam_ingest::Limits::DEFAULT,
    )
    .map_err(|e| e.to_string())?;
    match probe.pages.as_slice() {
        [one] => Ok(one.oriented_size()),
        [] => Err("holds no image".into()),
        more => Err(format!(
            "holds {} pages; a reference image has one",
            more.len()
        )),
    }
}

pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

fn is_mrz_code(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_uppercase() || c == b'<')
}

/// Every problem of `m`, whose manifest is `path`; `read` gives the files it names.
pub(crate) fn check(m: &Manifest, path: &str, read: &ReadFile<'_>) -> Vec<SpecimenError> {
    let mut c = Checker {
        path,
        problems: Vec::new(),
    };
    if m.format != FORMAT {
        c.fail("format", format!("{:?} is not {FORMAT:?}", m.format));
    }
    let d = &m.document;
    if !is_id(&d.id) {
        c.fail(
            "document.id",
            format!("{:?} must be 1–64 letters, digits, '.', '_' or '-'", d.id),
        );
    }
    if !is_mrz_code(&d.issuing_state, 3) {
        c.fail(
            "document.issuing_state",
            format!(
                "{:?} is not an MRZ state code (1–3 of A–Z or '<')",
                d.issuing_state
            ),
        );
    }
    if !is_mrz_code(&d.document_code, 2) {
        c.fail(
            "document.document_code",
            format!(
                "{:?} is not an MRZ document code (1–2 of A–Z or '<')",
                d.document_code
            ),
        );
    }
    let sides: BTreeSet<&str> = d.sides.iter().map(|s| s.name()).collect();
    if d.sides.is_empty() || sides.len() != d.sides.len() {
        c.fail("document.sides", "list each side once, at least one");
    }
    if let (Some(from), Some(to)) = (d.valid_from, d.valid_to)
        && from > to
    {
        c.fail(
            "document.valid_to",
            format!("{to} is before valid_from {from}"),
        );
    }
    for (what, n, max) in [
        ("image", m.images.len(), MAX_IMAGES),
        ("zone", m.zones.len(), MAX_ZONES),
        ("feature", m.features.len(), MAX_FEATURES),
    ] {
        if n > max {
            c.fail(what, format!("{n} entries; a specimen has at most {max}"));
            return c.problems;
        }
    }
    let mut image_dims = Vec::new();
    check_images(&mut c, m, read, &mut image_dims);
    check_zones(&mut c, m, read);
    check_features(&mut c, m, read, &image_dims);
    c.problems
}

fn check_images(
    c: &mut Checker<'_>,
    m: &Manifest,
    read: &ReadFile<'_>,
    dims: &mut Vec<(Side, LightSource, (u32, u32))>,
) {
    let size = m.document.size_class;
    let mut seen = BTreeSet::new();
    for (i, im) in m.images.iter().enumerate() {
        let field = format!("image[{i}]");
        c.side(format!("{field}.side"), im.side, &m.document.sides);
        if !seen.insert((im.side.name(), im.light.name())) {
            c.fail(
                format!("{field}.light"),
                format!(
                    "a second {} image of the {}",
                    im.light.name(),
                    im.side.name()
                ),
            );
            continue;
        }
        if !DPI_RANGE.contains(&im.dpi) {
            c.fail(
                format!("{field}.dpi"),
                format!(
                    "{} is outside {}–{} dpi",
                    im.dpi,
                    DPI_RANGE.start(),
                    DPI_RANGE.end()
                ),
            );
            continue;
        }
        let Some(bytes) = c.file(&field, &im.file, &im.blake3, read) else {
            continue;
        };
        match dimensions(&bytes) {
            Ok(got) => {
                resolution(c, &field, im, got, size);
                dims.push((im.side, im.light, got));
            }
            Err(e) => c.fail(
                format!("{field}.file"),
                format!("{}: not an image: {e}", im.file),
            ),
        }
    }
    for side in &m.document.sides {
        let white = m
            .images
            .iter()
            .any(|im| im.side == *side && im.light == LightSource::White);
        if !white {
            c.fail(
                "image",
                format!(
                    "the {} has no white-light image; every side needs one",
                    side.name()
                ),
            );
        }
    }
}

fn resolution(c: &mut Checker<'_>, field: &str, im: &ImageRef, got: (u32, u32), size: SizeClass) {
    let want = size.size_px(im.dpi);
    let off = |a: u32, b: u32| a.abs_diff(b) > size_tolerance(b);
    if off(got.0, want.0) || off(got.1, want.1) {
        let (w, h) = size.size_mm();
        c.fail(
            format!("{field}.dpi"),
            format!(
                "{} is {} × {} px, but a {} document ({w} × {h} mm) at {} dpi is {} × {} px",
                im.file,
                got.0,
                got.1,
                size.name(),
                im.dpi,
                want.0,
                want.1
            ),
        );
    }
}

fn check_zones(c: &mut Checker<'_>, m: &Manifest, read: &ReadFile<'_>) {
    let mut ids = BTreeSet::new();
    for (i, z) in m.zones.iter().enumerate() {
        let field = zone_field(i, z);
        if !is_id(&z.id) {
            c.fail(
                format!("zone[{i}].id"),
                format!("{:?} is not a valid id", z.id),
            );
        } else if !ids.insert(z.id.as_str()) {
            c.fail(format!("{field}.id"), "a second zone with this id");
        }
        c.side(format!("{field}.side"), z.side, &m.document.sides);
        c.rect(
            format!("{field}.rect_mm"),
            &z.rect_mm,
            m.document.size_class,
        );
        let is_field = z.kind == ZoneKind::Field;
        if is_field && z.holds.as_deref().is_none_or(str::is_empty) {
            c.fail(
                format!("{field}.holds"),
                "a field zone must say what it holds",
            );
        }
        if !is_field && (z.holds.is_some() || z.label.is_some()) {
            c.fail(
                format!("{field}.holds"),
                "only field zones hold printed data",
            );
        }
        if z.kind != ZoneKind::Barcode && (z.symbology.is_some() || z.payload.is_some()) {
            c.fail(
                format!("{field}.symbology"),
                "only barcode zones have a symbology or payload",
            );
        }
        if let Some(p) = &z.print {
            check_print(c, &format!("{field}.print"), p, is_field, m, read);
        }
    }
}

/// Largest type size (mm) a printed field may name.
const MAX_PRINT_SIZE_MM: f64 = 20.0;

fn check_print(
    c: &mut Checker<'_>,
    field: &str,
    p: &super::manifest::PrintSpec,
    is_field: bool,
    m: &Manifest,
    read: &ReadFile<'_>,
) {
    if !is_field {
        c.fail(
            field.to_string(),
            "only field zones say how they are printed",
        );
    }
    match p.cap_height_mm {
        Some(cap) => {
            if p.size_mm != 0.0 {
                c.fail(
                    format!("{field}.cap_height_mm"),
                    "give size_mm or cap_height_mm, not both",
                );
            }
            if !(cap.is_finite() && cap > 0.1 && cap <= MAX_PRINT_SIZE_MM) {
                c.fail(
                    format!("{field}.cap_height_mm"),
                    format!("{cap} is not a capital height between 0.1 and {MAX_PRINT_SIZE_MM} mm"),
                );
            }
        }
        None if !(p.size_mm.is_finite() && p.size_mm > 0.2 && p.size_mm <= MAX_PRINT_SIZE_MM) => {
            c.fail(
                format!("{field}.size_mm"),
                format!(
                    "{} is not a type size between 0.2 and {MAX_PRINT_SIZE_MM} mm (or give \
                     cap_height_mm, the height of a capital measured on the document)",
                    p.size_mm
                ),
            );
        }
        None => {}
    }
    if !p.tracking_mm.is_finite() || p.tracking_mm.abs() > 5.0 {
        c.fail(
            format!("{field}.tracking_mm"),
            format!("{} is not a spacing within ±5 mm", p.tracking_mm),
        );
    }
    let (w, h) = m.document.size_class.size_mm();
    let [x, y] = p.origin_mm;
    if !(x.is_finite() && y.is_finite() && (0.0..=w).contains(&x) && (0.0..=h).contains(&y)) {
        c.fail(
            format!("{field}.origin_mm"),
            format!("[{x}, {y}] is not on a {w} × {h} mm document"),
        );
    }
    if let Some(f) = &p.format
        && let Err(e) = docexam_base::date::printed::check_date_format(f)
    {
        c.fail(format!("{field}.format"), e.to_string());
    }
    let font_field = format!("{field}.font");
    if let Some(bytes) = c.file(&font_field, &p.font.file, &p.font.blake3, read)
        && let Err(e) = ab_glyph::FontRef::try_from_slice(&bytes)
    {
        c.fail(
            format!("{font_field}.file"),
            format!("{}: not a TrueType or OpenType font: {e}", p.font.file),
        );
    }
}

fn zone_field(i: usize, z: &Zone) -> String {
    if z.id.is_empty() {
        format!("zone[{i}]")
    } else {
        format!("zone[{:?}]", z.id)
    }
}

fn check_features(
    c: &mut Checker<'_>,
    m: &Manifest,
    read: &ReadFile<'_>,
    dims: &[(Side, LightSource, (u32, u32))],
) {
    let mut ids = BTreeSet::new();
    let zones: BTreeSet<&str> = m.zones.iter().map(|z| z.id.as_str()).collect();
    for (i, f) in m.features.iter().enumerate() {
        let field = feature_field(i, f);
        if !is_id(&f.id) {
            c.fail(
                format!("feature[{i}].id"),
                format!("{:?} is not a valid id", f.id),
            );
        } else if !ids.insert(f.id.as_str()) {
            c.fail(format!("{field}.id"), "a second feature with this id");
        }
        c.side(format!("{field}.side"), f.side, &m.document.sides);
        c.rect(
            format!("{field}.rect_mm"),
            &f.rect_mm,
            m.document.size_class,
        );
        if let Some(light) = f.kind.required_light()
            && light != f.light
        {
            c.fail(
                format!("{field}.light"),
                format!(
                    "a {:?} feature is seen under {} light, not {}",
                    f.kind,
                    light.name(),
                    f.light.name()
                ),
            );
        }
        let has_image = m
            .images
            .iter()
            .any(|im| im.side == f.side && im.light == f.light);
        if !has_image {
            c.fail(
                format!("{field}.light"),
                format!(
                    "there is no {} reference image of the {} to compare with",
                    f.light.name(),
                    f.side.name()
                ),
            );
        }
        for z in &f.mask_zones {
            if !zones.contains(z.as_str()) {
                c.fail(format!("{field}.mask_zones"), format!("no zone {z:?}"));
            }
        }
        for (name, v) in &f.thresholds {
            if !v.is_finite() {
                c.fail(
                    format!("{field}.thresholds.{name}"),
                    "must be a finite number",
                );
            }
        }
        if let Some(mask) = &f.mask {
            check_mask(c, &field, mask, f, read, dims);
        }
    }
}

fn feature_field(i: usize, f: &Feature) -> String {
    if f.id.is_empty() {
        format!("feature[{i}]")
    } else {
        format!("feature[{:?}]", f.id)
    }
}

fn check_mask(
    c: &mut Checker<'_>,
    field: &str,
    mask: &FileRef,
    f: &Feature,
    read: &ReadFile<'_>,
    dims: &[(Side, LightSource, (u32, u32))],
) {
    let field = format!("{field}.mask");
    let Some(bytes) = c.file(&field, &mask.file, &mask.blake3, read) else {
        return;
    };
    let want = dims
        .iter()
        .find(|(s, l, _)| *s == f.side && *l == f.light)
        .map(|d| d.2);
    match (dimensions(&bytes), want) {
        (Ok(got), Some(want)) if got != want => c.fail(
            format!("{field}.file"),
            format!(
                "{} is {} × {} px; the reference image is {} × {} px",
                mask.file, got.0, got.1, want.0, want.1
            ),
        ),
        (Err(e), _) => c.fail(
            format!("{field}.file"),
            format!("{}: not an image: {e}", mask.file),
        ),
        _ => {}
    }
}
