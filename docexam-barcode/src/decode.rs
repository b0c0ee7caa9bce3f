//! Finding and decoding barcodes in a page image with zxing-cpp: the only place docexam touches
//! it. Works from the raw bytes (never zxing's display text), keeps what an examiner needs as
//! evidence, tries harder when the first pass fails, and reports codes it located but could not
//! decode as such.

use std::borrow::Cow;

use image::GrayImage;
use image::imageops::FilterType;
use serde::Serialize;
use zxingcpp::{Barcode, BarcodeFormat, BarcodeReader, Binarizer, ImageFormat, ImageView};

/// Corner points of a code in image pixels (top-left, top-right, bottom-right, bottom-left).
pub type Corners = [[i32; 2]; 4];

/// Structured append: this code is one part of a message spread over several codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StructuredAppend {
    /// Position of this code in the sequence (from 0).
    pub index: i32,
    /// Number of codes in the sequence.
    pub count: i32,
    /// The sequence's id, as the symbology states it.
    pub id: String,
}

/// A decoded code and its evidence.
#[derive(Clone, Debug, Serialize)]
pub struct DecodedCode {
    /// Symbology, as zxing-cpp names it (`PDF417`, `QR Code`, `Data Matrix`, `Aztec`, `Micro QR Code`, `Code 128`, …).
    pub symbology: String,
    /// The ISO/IEC 15424 symbology identifier (`]L2`, `]Q1`, `]d2`, …).
    pub symbology_identifier: String,
    /// The payload bytes, exactly as encoded.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// blake3 of the bytes, hex.
    pub blake3: String,
    /// Whether the code declares an ECI (character set) designator.
    pub has_eci: bool,
    /// Error-correction level, where the symbology has one (`L`/`M`/`Q`/`H`, PDF417 `0`–`8`).
    pub ec_level: Option<String>,
    /// Corners in the image.
    pub position: Corners,
    /// Orientation in degrees.
    pub orientation: i32,
    /// Printed light-on-dark.
    pub inverted: bool,
    /// Mirrored.
    pub mirrored: bool,
    /// Part of a structured-append sequence.
    pub structured_append: Option<StructuredAppend>,
    /// Which attempt found it.
    pub found_by: String,
}

/// A code zxing-cpp located but could not decode.
#[derive(Clone, Debug, Serialize)]
pub struct LocatedCode {
    /// Symbology.
    pub symbology: String,
    /// Corners in the image.
    pub position: Corners,
    /// What failed (`error correction failed`, `format error`, …).
    pub error: String,
}

/// Everything found in one image, and what was tried.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DecodeReport {
    /// Decoded codes, one per physical code.
    pub codes: Vec<DecodedCode>,
    /// Codes located but not decoded by any attempt.
    pub undecodable: Vec<LocatedCode>,
    /// The attempts made, in order (`default`, `global-histogram`, `upscale-2x`, …).
    pub attempts: Vec<String>,
}

/// zxing-cpp could not be run on the image.
#[derive(Debug, thiserror::Error)]
#[error("barcode reader failed on a {width}×{height} image: {message}")]
pub struct DecodeError {
    /// Image width.
    pub width: u32,
    /// Image height.
    pub height: u32,
    /// zxing-cpp's message.
    pub message: String,
}

/// The symbologies found on identity and travel documents: the ones the decoder looks for.
pub const FORMATS: &[BarcodeFormat] = &[
    BarcodeFormat::PDF417,
    BarcodeFormat::QRCode,
    BarcodeFormat::MicroQRCode,
    BarcodeFormat::DataMatrix,
    BarcodeFormat::Aztec,
    BarcodeFormat::Code128,
    BarcodeFormat::Code39,
    BarcodeFormat::ITF,
];

fn reader(binarizer: Binarizer) -> BarcodeReader {
    zxingcpp::read()
        .formats(FORMATS)
        .try_harder(true)
        .try_rotate(true)
        .try_invert(true)
        .try_downscale(true)
        .return_errors(true)
        .binarizer(binarizer)
}

/// How the image a reader saw maps onto the page: it was cut out at (`dx`, `dy`), turned by
/// `-angle` radians about `centre` (straightened), then scaled by `scale`.
#[derive(Clone, Copy, Debug)]
struct Frame {
    scale: f32,
    dx: i32,
    dy: i32,
    angle: f32,
    centre: (f32, f32),
}

impl Frame {
    /// The page itself, scaled by `scale`.
    fn scaled(scale: f32) -> Frame {
        Frame {
            scale,
            dx: 0,
            dy: 0,
            angle: 0.0,
            centre: (0.0, 0.0),
        }
    }

    /// A point of the reader's image, in page pixels.
    fn to_page(self, x: f32, y: f32) -> [i32; 2] {
        let (x, y) = (x / self.scale, y / self.scale);
        let (s, c) = self.angle.sin_cos();
        let (u, v) = (x - self.centre.0, y - self.centre.1);
        let (x, y) = (self.centre.0 + u * c - v * s, self.centre.1 + u * s + v * c);
        [x.round() as i32 + self.dx, y.round() as i32 + self.dy]
    }
}

fn corners(b: &Barcode, frame: Frame) -> Corners {
    let p = b.position();
    let map = |pt: zxingcpp::PointI| frame.to_page(pt.x as f32, pt.y as f32);
    [
        map(p.top_left),
        map(p.top_right),
        map(p.bottom_right),
        map(p.bottom_left),
    ]
}

fn run(img: &GrayImage, binarizer: Binarizer) -> Result<Vec<Barcode>, zxingcpp::Error> {
    run_with(img, reader(binarizer))
}

fn run_with(img: &GrayImage, reader: BarcodeReader) -> Result<Vec<Barcode>, zxingcpp::Error> {
    let view = ImageView::from_slice(img.as_raw(), img.width(), img.height(), ImageFormat::Lum)?;
    reader.from(view)
}

fn centre_of(c: &Corners) -> [i32; 2] {
    let (sx, sy) = c.iter().fold((0, 0), |(x, y), p| (x + p[0], y + p[1]));
    [sx / 4, sy / 4]
}

/// The axis-aligned box around the corners: `[x0, y0, x1, y1]`.
fn bounds(c: &Corners) -> [i32; 4] {
    let xs = c.iter().map(|p| p[0]);
    let ys = c.iter().map(|p| p[1]);
    [
        xs.clone().min().unwrap_or(0),
        ys.clone().min().unwrap_or(0),
        xs.max().unwrap_or(0),
        ys.max().unwrap_or(0),
    ]
}

fn inside(c: &Corners, pt: [i32; 2]) -> bool {
    let [x0, y0, x1, y1] = bounds(c);
    (x0..=x1).contains(&pt[0]) && (y0..=y1).contains(&pt[1])
}

/// Linear symbologies: their "codes" inside a decoded 2D code are artefacts of its modules.
const LINEAR: &[BarcodeFormat] = &[
    BarcodeFormat::Code128,
    BarcodeFormat::Code39,
    BarcodeFormat::ITF,
];

fn is_linear(symbology: &str) -> bool {
    LINEAR.iter().any(|f| f.to_string() == symbology)
}

/// The area two outlines' boxes share, in square pixels.
fn shared_area(a: &Corners, b: &Corners) -> i64 {
    let [ax0, ay0, ax1, ay1] = bounds(a);
    let [bx0, by0, bx1, by1] = bounds(b);
    let w = i64::from((ax1.min(bx1) - ax0.max(bx0)).max(0));
    let h = i64::from((ay1.min(by1) - ay0.max(by0)).max(0));
    w * h
}

fn box_area(c: &Corners) -> i64 {
    let [x0, y0, x1, y1] = bounds(c);
    i64::from((x1 - x0).max(0)) * i64::from((y1 - y0).max(0))
}

impl DecodeReport {
    /// Drops located-but-undecoded outlines that decoded codes cover more than a quarter of,
    /// or that have two corners inside decoded codes: printed codes do not overlap, so such an
    /// outline joined the finder patterns of neighbouring codes (as zxing-cpp does on a page
    /// crowded with QR codes, in the gaps where four codes meet).
    fn drop_overlapping_decoded(&mut self) {
        let decoded: Vec<Corners> = self.codes.iter().map(|c| c.position).collect();
        self.undecodable.retain(|u| {
            let covered: i64 = decoded.iter().map(|c| shared_area(&u.position, c)).sum();
            let corners_in = u
                .position
                .iter()
                .filter(|p| decoded.iter().any(|c| inside(c, **p)))
                .count();
            4 * covered <= box_area(&u.position) && corners_in < 2
        });
    }

    /// Drops linear codes found inside a decoded 2D code (noise on a QR code reads as ITF).
    fn prune(mut self) -> Self {
        self.drop_overlapping_decoded();
        let matrix: Vec<Corners> = self
            .codes
            .iter()
            .filter(|c| !is_linear(&c.symbology))
            .map(|c| c.position)
            .collect();
        self.codes.retain(|c| {
            !is_linear(&c.symbology) || !matrix.iter().any(|m| inside(m, centre_of(&c.position)))
        });
        self
    }

    fn absorb(&mut self, found: Vec<Barcode>, attempt: &str, frame: Frame) {
        for b in found {
            let position = corners(&b, frame);
            let symbology = b.format().to_string();
            if b.is_valid() {
                let dup = self
                    .codes
                    .iter()
                    .any(|c| c.symbology == symbology && inside(&c.position, centre_of(&position)));
                if dup {
                    continue;
                }
                let bytes = b.bytes();
                let extra: serde_json::Value =
                    serde_json::from_str(&b.extra()).unwrap_or(serde_json::Value::Null);
                let ec_level = extra
                    .get("ECLevel")
                    .and_then(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .or_else(|| Some(v.to_string()))
                    })
                    .filter(|s| !s.is_empty() && s != "null");
                let structured_append = (b.sequence_size() > 1).then(|| StructuredAppend {
                    index: b.sequence_index(),
                    count: b.sequence_size(),
                    id: b.sequence_id(),
                });
                self.undecodable.retain(|u| {
                    !(u.symbology == symbology && inside(&position, centre_of(&u.position)))
                });
                self.codes.push(DecodedCode {
                    symbology,
                    symbology_identifier: b.symbology_identifier(),
                    blake3: blake3::hash(&bytes).to_hex().to_string(),
                    bytes,
                    has_eci: b.has_eci(),
                    ec_level,
                    position,
                    orientation: b.orientation(),
                    inverted: b.is_inverted(),
                    mirrored: b.is_mirrored(),
                    structured_append,
                    found_by: attempt.to_string(),
                });
            } else {
                if !plausible(&symbology, &position) {
                    continue;
                }
                let known = self
                    .codes
                    .iter()
                    .any(|c| inside(&c.position, centre_of(&position)))
                    || self
                        .undecodable
                        .iter()
                        .any(|u| inside(&u.position, centre_of(&position)));
                if !known {
                    let error = match b.error() {
                        zxingcpp::BarcodeError::Checksum(m) => {
                            format!("error correction failed {m}").trim().to_string()
                        }
                        zxingcpp::BarcodeError::Format(m) => format!("format error: {m}"),
                        zxingcpp::BarcodeError::Unsupported(m) => format!("unsupported: {m}"),
                        zxingcpp::BarcodeError::None() => "not decoded".to_string(),
                    };
                    self.undecodable.push(LocatedCode {
                        symbology,
                        position,
                        error,
                    });
                }
            }
        }
    }
}

/// Smallest side (pixels) of a located code worth reporting as undecodable.
const MIN_CODE_SIDE_PX: f64 = 10.0;

/// Whether an undecoded candidate has the shape of a printed symbol seen at a mild angle:
/// sides of at least [`MIN_CODE_SIDE_PX`], opposite sides of similar length, corners near
/// right angles, and (for square symbologies) a near-square outline. The fine lines of
/// guilloche backgrounds and rosettes make zxing-cpp "locate" slivers and twisted quads that
/// are no code at all; only decoded codes are exempt from this test.
fn plausible(symbology: &str, c: &Corners) -> bool {
    if is_linear(symbology) {
        return true;
    }
    let pt = |i: usize| {
        c.get(i % 4)
            .map_or((0.0, 0.0), |p| (f64::from(p[0]), f64::from(p[1])))
    };
    let side = |i: usize| {
        let (a, b) = (pt(i), pt(i + 1));
        ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt()
    };
    let [top, right, bottom, left] = [side(0), side(1), side(2), side(3)];
    if top.min(right).min(bottom).min(left) < MIN_CODE_SIDE_PX {
        return false;
    }
    let similar = |a: f64, b: f64, k: f64| a.max(b) <= k * a.min(b);
    if !similar(top, bottom, 1.5) || !similar(right, left, 1.5) {
        return false;
    }
    let square = matches!(symbology, "QR Code" | "Micro QR Code" | "Aztec");
    if square && !similar(top, right, 1.5) {
        return false;
    }
    // Interior angles between 60° and 120°, from the dot products of adjacent edges.
    (0..4).all(|i| {
        let (a, b, d) = (pt(i + 3), pt(i), pt(i + 1));
        let (u, v) = ((a.0 - b.0, a.1 - b.1), (d.0 - b.0, d.1 - b.1));
        let cos = (u.0 * v.0 + u.1 * v.1) / (side(i + 3) * side(i)).max(1e-9);
        cos.abs() < 0.5
    })
}

/// Largest side zxing-cpp is given (a 1200 dpi A4 scan is 10k × 14k; zxing downscales, and a
/// code on a document needs far less).
const MAX_SIDE: u32 = 8192;

/// Symbologies whose small symbols the enlarged page is searched for: the two-dimensional
/// codes of seals and licences (linear codes on documents are printed large).
const SMALL_SYMBOLS: &[BarcodeFormat] = &[
    BarcodeFormat::DataMatrix,
    BarcodeFormat::QRCode,
    BarcodeFormat::MicroQRCode,
    BarcodeFormat::Aztec,
];

/// The reader for the page enlarged 2×: small dark symbols only, no downscaling (the page was
/// just enlarged) and no quarter turns (matrix detectors find any orientation; a turned PDF417
/// is read at page scale, or straightened in its zone).
fn small_symbol_reader() -> BarcodeReader {
    zxingcpp::read()
        .formats(SMALL_SYMBOLS)
        .try_harder(true)
        .try_rotate(false)
        .try_invert(false)
        .try_downscale(false)
        .return_errors(true)
        .binarizer(Binarizer::LocalAverage)
}

/// Finds and decodes every barcode in `img`.
///
/// Effort goes where it can succeed:
///
/// 1. `default`: zxing-cpp's local-average binariser with rotation, inversion and downscaling
///    (a bare zxing-cpp call).
/// 2. `global-histogram`: the same with the global-histogram binariser (faint codes on an even
///    background).
/// 3. `upscale-2x`: the part of the page with fine detail (sharp pixel-to-pixel edges; a
///    blurred capture has none and is not enlarged) enlarged 2× at fixed quarter-pixel
///    weights, which costs a fraction of the reading, and searched for small symbols (modules
///    of 2 px and less, which the detectors miss at page scale).
///
/// Each step runs only while a code may still be missing: none decoded yet, or one located
/// but not decoded. A code located but not decoded is then worked on in its own zone: cut out
/// with a margin, straightened by the angle of its located top edge (a PDF417 turned a few
/// degrees is located but not decoded by zxing-cpp), read at 1× and 2× with each binariser, for
/// its own symbology only.
pub fn decode_image(img: &GrayImage) -> Result<DecodeReport, DecodeError> {
    let err = |e: zxingcpp::Error| DecodeError {
        width: img.width(),
        height: img.height(),
        message: e.to_string(),
    };
    let mut report = DecodeReport::default();
    // The page as zxing-cpp reads it: borrowed unless it must be scaled down.
    let (work, scale): (Cow<'_, GrayImage>, f32) = if img.width().max(img.height()) > MAX_SIDE {
        let s = MAX_SIDE as f32 / img.width().max(img.height()) as f32;
        let w = ((img.width() as f32 * s) as u32).max(1);
        let h = ((img.height() as f32 * s) as u32).max(1);
        (
            Cow::Owned(image::imageops::resize(img, w, h, FilterType::Triangle)),
            s,
        )
    } else {
        (Cow::Borrowed(img), 1.0)
    };
    let done = |r: &DecodeReport| !r.codes.is_empty() && r.undecodable.is_empty();
    report.attempts.push("default".to_string());
    let found = run(&work, Binarizer::LocalAverage).map_err(err)?;
    report.absorb(found, "default", Frame::scaled(scale));
    if done(&report) {
        return Ok(report.prune());
    }
    // The global-histogram binariser at the lighter effort: it differs from the local one on
    // faint codes over an even background, which need no rotation or inversion search.
    report.attempts.push("global-histogram".to_string());
    let global = reader(Binarizer::GlobalHistogram)
        .try_harder(false)
        .try_invert(false);
    let found = run_with(&work, global).map_err(err)?;
    report.absorb(found, "global-histogram", Frame::scaled(scale));
    if done(&report) {
        return Ok(report.prune());
    }
    // Small symbols can only be where the page has fine detail: that part is enlarged.
    if let Some([x, y, w, h]) = super::fine_detail::fine_region(&work)
        && w.max(h) * 2 <= MAX_SIDE
    {
        report.attempts.push("upscale-2x".to_string());
        let part = image::imageops::crop_imm(work.as_ref(), x, y, w, h).to_image();
        let doubled = docexam_base::raster::enlarge::double(&part);
        let found = run_with(&doubled, small_symbol_reader()).map_err(err)?;
        let frame = Frame {
            scale: scale * 2.0,
            dx: (x as f32 / scale).round() as i32,
            dy: (y as f32 / scale).round() as i32,
            angle: 0.0,
            centre: (0.0, 0.0),
        };
        report.absorb(found, "upscale-2x", frame);
    }
    if report.codes.len() + report.undecodable.len() >= super::crowded::CROWDED
        && !report.undecodable.is_empty()
    {
        read_in_tiles(&work, scale, &mut report).map_err(err)?;
        report.drop_overlapping_decoded();
    }
    let zones: Vec<LocatedCode> = report.undecodable.clone();
    for z in zones {
        zone_attempts(img, &z, &mut report).map_err(err)?;
    }
    Ok(report.prune())
}

/// Reads a page crowded with codes again in overlapping tiles (see [`super::crowded`]), for
/// the symbologies located on it; outlines are mapped back to the page.
fn read_in_tiles(
    work: &GrayImage,
    scale: f32,
    report: &mut DecodeReport,
) -> Result<(), zxingcpp::Error> {
    let located = report
        .codes
        .iter()
        .map(|c| (&c.symbology, &c.position))
        .chain(
            report
                .undecodable
                .iter()
                .map(|u| (&u.symbology, &u.position)),
        );
    let mut sides = Vec::new();
    let mut formats: Vec<BarcodeFormat> = Vec::new();
    for (symbology, position) in located {
        let [x0, y0, x1, y1] = bounds(position);
        let side = ((x1 - x0).max(y1 - y0).max(0) as f32 * scale) as u32;
        // With its quiet zone: four modules of a 25-module symbol on each side, at least.
        sides.push(side + side / 3);
        if let Some(f) = FORMATS.iter().find(|f| f.to_string() == **symbology)
            && !formats.contains(f)
        {
            formats.push(*f);
        }
    }
    let Some(side) = super::crowded::typical_side(&mut sides) else {
        return Ok(());
    };
    report.attempts.push("tiled".to_string());
    for [x, y, w, h] in super::crowded::tiles(work.width(), work.height(), side) {
        let tile = image::imageops::crop_imm(work, x, y, w, h).to_image();
        let reader = reader(Binarizer::LocalAverage)
            .formats(&formats)
            .try_downscale(false);
        let found = run_with(&tile, reader)?;
        let frame = Frame {
            scale,
            dx: (x as f32 / scale).round() as i32,
            dy: (y as f32 / scale).round() as i32,
            angle: 0.0,
            centre: (0.0, 0.0),
        };
        report.absorb(found, "tiled", frame);
    }
    Ok(())
}

/// The average grey of an image's outermost pixels: the paper around a code's zone.
fn border_grey(img: &GrayImage) -> u8 {
    let (w, h) = img.dimensions();
    let (mut sum, mut n) = (0u64, 0u64);
    for (x, y, p) in img.enumerate_pixels() {
        if x == 0 || y == 0 || x + 1 == w || y + 1 == h {
            sum += u64::from(p.0[0]);
            n += 1;
        }
    }
    sum.checked_div(n).map_or(255, |g| g as u8)
}

/// Smallest tilt (radians) worth straightening a zone for: about one degree.
const MIN_TILT: f32 = 0.017;

/// The tilts (radians, one or two, at least a degree apart) a located outline suggests: the
/// angles of its top and bottom edges (zxing-cpp's outline of a turned code it could not
/// decode is often right on one of them only). An edge within [`MIN_TILT`] of level gives 0
/// (read as it is).
fn tilts(c: &Corners) -> Vec<f32> {
    let angle = |a: [i32; 2], b: [i32; 2]| ((b[1] - a[1]) as f32).atan2((b[0] - a[0]) as f32);
    let [tl, tr, br, bl] = *c;
    let mut out: Vec<f32> = Vec::new();
    for t in [angle(tl, tr), angle(bl, br)] {
        let t = if t.abs() < MIN_TILT { 0.0 } else { t };
        if out.iter().all(|&o| (o - t).abs() >= MIN_TILT) {
            out.push(t);
        }
    }
    out
}

/// Works on a code located but not decoded, in its own zone (see [`decode_image`]); a zone
/// where nothing of that symbology is located again is dropped from the report (interfering
/// fine lines that one binariser at page scale took for a symbol).
fn zone_attempts(
    img: &GrayImage,
    z: &LocatedCode,
    report: &mut DecodeReport,
) -> Result<(), zxingcpp::Error> {
    let [x0, y0, x1, y1] = bounds(&z.position);
    let mx = ((x1 - x0) / 4).max(16);
    let my = ((y1 - y0) / 4).max(16);
    let cx = (x0 - mx).max(0) as u32;
    let cy = (y0 - my).max(0) as u32;
    let cw = ((x1 + mx).max(0) as u32)
        .min(img.width())
        .saturating_sub(cx);
    let ch = ((y1 + my).max(0) as u32)
        .min(img.height())
        .saturating_sub(cy);
    if cw < 8 || ch < 8 || cw.max(ch) * 2 > MAX_SIDE {
        return Ok(());
    }
    let crop = image::imageops::crop_imm(img, cx, cy, cw, ch).to_image();
    let centre = (cw as f32 / 2.0, ch as f32 / 2.0);
    let format: Vec<BarcodeFormat> = FORMATS
        .iter()
        .copied()
        .filter(|f| f.to_string() == z.symbology)
        .collect();
    let formats: &[BarcodeFormat] = if format.is_empty() { FORMATS } else { &format };
    let paper = image::Luma([border_grey(&crop)]);
    let straightened = |angle: f32| {
        if angle == 0.0 {
            crop.clone()
        } else {
            imageproc::geometric_transformations::rotate_about_center(
                &crop,
                -angle,
                imageproc::geometric_transformations::Interpolation::Bilinear,
                imageproc::geometric_transformations::Border::Constant(paper),
            )
        }
    };
    // Each tilt the located outline suggests, at page scale with the local binariser (cheap:
    // the zone is small); then, at the first, the global binariser and the zone enlarged 2×
    // (modules too small to decode at page scale).
    let tilts = tilts(&z.position);
    let mut plan: Vec<(&str, Binarizer, bool, f32)> = tilts
        .iter()
        .map(|&t| ("zone-straightened", Binarizer::LocalAverage, false, t))
        .collect();
    let first = tilts.first().copied().unwrap_or(0.0);
    plan.push((
        "zone-straightened-global-histogram",
        Binarizer::GlobalHistogram,
        false,
        first,
    ));
    plan.push(("zone-straightened-2x", Binarizer::LocalAverage, true, first));
    let mut seen_again = false;
    let mut cached: Vec<(f32, GrayImage, Option<GrayImage>)> = Vec::new();
    for (name, binarizer, enlarged, angle) in plan {
        report.attempts.push(name.to_string());
        let frame = Frame {
            scale: if enlarged { 2.0 } else { 1.0 },
            dx: cx as i32,
            dy: cy as i32,
            angle,
            centre,
        };
        let reader = zxingcpp::read()
            .formats(formats)
            .try_harder(true)
            .try_rotate(angle == 0.0)
            .try_invert(!enlarged)
            .try_downscale(false)
            .return_errors(true)
            .binarizer(binarizer);
        // Each tilt's straightened zone (and its enlargement) is made once.
        let i = match cached.iter().position(|(a, _, _)| *a == angle) {
            Some(i) => i,
            None => {
                cached.push((angle, straightened(angle), None));
                cached.len() - 1
            }
        };
        let Some((_, straight, doubled)) = cached.get_mut(i) else {
            continue;
        };
        let view: &GrayImage = if enlarged {
            doubled.get_or_insert_with(|| docexam_base::raster::enlarge::double(straight))
        } else {
            straight
        };
        let found = run_with(view, reader)?;
        seen_again |= found.iter().any(|b| {
            b.format().to_string() == z.symbology
                && inside(&z.position, centre_of(&corners(b, frame)))
        });
        report.absorb(found, name, frame);
        if !report.undecodable.iter().any(|u| u.position == z.position) {
            break;
        }
    }
    if !seen_again {
        report.undecodable.retain(|u| u.position != z.position);
    }
    Ok(())
}

/// Finds and decodes every barcode inside `region` (x, y, width, height in pixels, clipped to
/// the image) with every attempt of [`decode_image`]; positions are given in `img`'s pixels.
/// For a code whose place is known (a specimen's barcode zone): far faster than searching the
/// whole page.
pub fn decode_region(img: &GrayImage, region: [u32; 4]) -> Result<DecodeReport, DecodeError> {
    let [x, y, w, h] = region;
    let x = x.min(img.width());
    let y = y.min(img.height());
    let w = w.min(img.width() - x);
    let h = h.min(img.height() - y);
    if w == 0 || h == 0 {
        return Ok(DecodeReport::default());
    }
    let crop = image::imageops::crop_imm(img, x, y, w, h).to_image();
    let mut report = decode_image(&crop)?;
    let (dx, dy) = (x as i32, y as i32);
    let shift = |c: &mut Corners| {
        for p in c.iter_mut() {
            p[0] += dx;
            p[1] += dy;
        }
    };
    report.codes.iter_mut().for_each(|c| shift(&mut c.position));
    report
        .undecodable
        .iter_mut()
        .for_each(|c| shift(&mut c.position));
    Ok(report)
}

/// Longest side of the copy [`decode_quick`] searches.
pub const QUICK_SIDE: u32 = 3600;

/// One quick search of the whole page for codes nobody expects there: zxing-cpp's default
/// binariser, dark codes in any orientation, on the page box-shrunk by the smallest integer
/// factor that brings it to at most [`QUICK_SIDE`] pixels (a 600-dpi passport page is read as
/// it is; a 1200-dpi A4 scan at a quarter, where a 19 mm Data Matrix of an ID card still has
/// modules of 4 px). Codes located but not decoded are not reported: at this scale they may be
/// fine print.
pub fn decode_quick(img: &GrayImage) -> Result<DecodeReport, DecodeError> {
    let err = |e: zxingcpp::Error| DecodeError {
        width: img.width(),
        height: img.height(),
        message: e.to_string(),
    };
    let long = img.width().max(img.height());
    let factor = long.div_ceil(QUICK_SIDE).max(1);
    let work: Cow<'_, GrayImage> = if factor > 1 {
        Cow::Owned(docexam_base::raster::shrink::downscale(img, factor))
    } else {
        Cow::Borrowed(img)
    };
    let scale = 1.0 / factor as f32;
    let mut report = DecodeReport::default();
    report
        .attempts
        .push(format!("quick-{}px", work.width().max(work.height())));
    // Inverted or faint codes are for the thorough search of the specimen's barcode zones.
    let quick = reader(Binarizer::LocalAverage)
        .try_harder(false)
        .try_invert(false);
    let found = run_with(&work, quick).map_err(err)?;
    report.absorb(found, "quick", Frame::scaled(scale));
    report.undecodable.clear();
    Ok(report.prune())
}
