//! What the reader returns: the MRZ record and where and how it was read.

use serde::Serialize;

use super::decide::{self, ALTERNATIVE_MARGIN};
use super::{FONT_THRESHOLD, LineRead, glyphs};
use crate::text::MrzText;
use crate::{Mrz, MrzParser, Severity};

/// Why a page gave no MRZ.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The page is smaller than any legible MRZ.
    #[error("the image is {width}×{height} pixels; an MRZ needs at least {min} on each side")]
    TooSmall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The smallest side read.
        min: u32,
    },
    /// No MRZ on the page.
    #[error("no machine-readable zone found: {reason}")]
    NotFound {
        /// What was looked for and not found.
        reason: &'static str,
    },
}

/// An MRZ read from an image: the record (as from text, after repair) and the reading.
#[derive(Clone, Debug)]
pub struct ImageRead {
    /// The record of the text read, repaired where check digits confirm.
    pub mrz: Mrz,
    /// Where and how it was read.
    pub source: ReadSource,
}

impl ImageRead {
    /// Centre of the characters read, in document millimetres through `mm_to_px` (the
    /// registration of the page onto the document); `None` if it cannot be inverted or no
    /// character was read.
    pub fn centre_mm(&self, mm_to_px: &docexam_base::raster::Homography) -> Option<(f64, f64)> {
        let inv = mm_to_px.inverse()?;
        let pts: Vec<(f64, f64)> = self
            .source
            .lines
            .iter()
            .flatten()
            .filter_map(|c| inv.apply(f64::from(c.centre[0]), f64::from(c.centre[1])))
            .collect();
        if pts.is_empty() {
            return None;
        }
        let n = pts.len() as f64;
        let (x, y) = pts.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
        Some((x / n, y / n))
    }
}

/// Where the MRZ was on the page and how well it read.
#[derive(Clone, Debug, Serialize)]
pub struct ReadSource {
    /// The image's name, when the caller gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The MRZ's bounding box on the page: x, y, width, height in pixels.
    pub bbox: [f32; 4],
    /// Direction of the MRZ lines (reading direction) in degrees, clockwise from the image's
    /// x axis: 0 upright, 90 turned a quarter clockwise, 180 upside down.
    pub angle_deg: f32,
    /// Character pitch in pixels (mean over the lines).
    pub pitch_px: f32,
    /// Character pitch in millimetres, when the resolution is known (ICAO: 2.54 mm).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitch_mm: Option<f32>,
    /// Cap height in pixels (measured on the lines' ink).
    pub cap_height_px: f32,
    /// The lowest character confidence (see [`CharRead::confidence`]).
    pub char_confidence_min: f32,
    /// How well the glyphs match OCR-B (see [`FontEvidence`]).
    pub font_score: f32,
    /// The font evidence in full.
    pub font: FontEvidence,
    /// Every character as read, line by line: the font's best match, or the look-alike
    /// decided against the document's own prints (before any correction or repair).
    pub lines: Vec<Vec<CharRead>>,
    /// Look-alike characters the font could not tell apart, decided against the document's
    /// own glyphs (before any correction or repair).
    pub look_alikes: Vec<LookAlike>,
    /// Characters replaced because their field cannot hold what the glyph looked like most.
    pub corrections: Vec<Correction>,
}

/// A position whose field admits several characters the OCR-B templates match about equally
/// well (`0` and `O` in a document number, say), decided by comparing the glyph with the
/// same MRZ's own prints of each where their fields leave no doubt (a `0` in a date, an `O`
/// in a country code).
#[derive(Clone, Debug, Serialize)]
pub struct LookAlike {
    /// Line, 0-based.
    pub line: u8,
    /// Column, 0-based.
    pub column: u8,
    /// The best match with the font among the characters the field admits.
    pub font_choice: char,
    /// The candidate whose correlations with the font and with its exemplars add up to the
    /// most (written to the text).
    pub chosen: char,
    /// Each candidate with exemplars, and the glyph's correlation with their mean.
    pub exemplar_scores: Vec<(char, f32)>,
}

/// One character as the reader saw it.
#[derive(Clone, Debug, Serialize)]
pub struct CharRead {
    /// The best-matching character.
    pub ch: char,
    /// Its correlation with the OCR-B template (−1 to 1; a clean print scores above 0.9).
    pub score: f32,
    /// How far the best match stands above the second: `(best − second) / 0.25`, capped at
    /// 1. Below about 0.3 the alternatives deserve a look.
    pub confidence: f32,
    /// Other characters within 0.12 of the best correlation, best first, with theirs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<(char, f32)>,
    /// Centre of the character on the page (x, y pixels).
    pub centre: [f32; 2],
}

/// A character the reader replaced: its field cannot hold the best match, or the field is a
/// state code on no list and another character it matched nearly as well makes it a listed one.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Correction {
    /// Line, 0-based.
    pub line: u8,
    /// Column, 0-based.
    pub column: u8,
    /// The best match by shape.
    pub read: char,
    /// Its correlation.
    pub read_score: f32,
    /// The best match the field admits (written to the text).
    pub to: char,
    /// Its correlation.
    pub to_score: f32,
    /// Which rule chose it.
    pub basis: CorrectionBasis,
}

/// The rule behind a reader's [`Correction`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionBasis {
    /// The field cannot hold the best match (a digit in a name, a letter in a date).
    FieldClass,
    /// The state code read is on no list; the replacement makes it the listed code whose
    /// characters match best.
    CodeList,
}

/// Whether the MRZ is printed in OCR-B: the mean correlation of its glyphs (fillers left out)
/// with the OCR-B templates, and the pitch's regularity.
#[derive(Clone, Debug, Serialize)]
pub struct FontEvidence {
    /// Mean correlation with OCR-B of the characters chosen (fillers left out).
    pub score: f32,
    /// The threshold below which the font is reported as not OCR-B.
    pub threshold: f32,
    /// Where the threshold comes from.
    pub threshold_source: &'static str,
    /// Whether the score reaches the threshold.
    pub consistent_with_ocr_b: bool,
    /// Cap height over pitch (OCR-B at 10 characters per inch: 0.97; a smaller size of
    /// OCR-B, or another font, differs).
    pub cap_to_pitch: f32,
    /// Spread of the character centres about the fitted pitch, in pitches (root mean square).
    pub pitch_deviation: f32,
    /// The finding, when the font does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<FontFinding>,
}

/// The finding of an MRZ not printed in OCR-B.
#[derive(Clone, Debug, Serialize)]
pub struct FontFinding {
    /// Stable code: `mrz_font_mismatch`.
    pub code: &'static str,
    /// How much it weighs.
    pub severity: Severity,
    /// A sentence for a report.
    pub message: String,
}

/// Builds the result: text, corrections, repair, font evidence, geometry.
pub(super) fn assemble(
    parser: &MrzParser,
    reading: &[LineRead],
    look_alikes: Vec<LookAlike>,
    (ox, oy): (f32, f32),
    dpi: Option<f32>,
) -> Result<ImageRead, ReadError> {
    let scores: Vec<&[super::classify::Scores]> =
        reading.iter().map(|l| l.scores.as_slice()).collect();
    let decision = decide::decide(&scores, parser.as_of());
    // The text holds MRZ characters only, 2–3 lines of 30–44: it always parses.
    let mrz_text = MrzText::parse(&decision.text_joined()).map_err(|_| ReadError::NotFound {
        reason: "the characters read do not form MRZ lines",
    })?;
    let decide::Decision {
        corrections,
        alternatives: alts,
        ..
    } = decision;
    let mrz = parser.parse_ocr(mrz_text, &alts);

    let lines: Vec<Vec<CharRead>> = reading
        .iter()
        .map(|l| {
            l.scores
                .iter()
                .zip(&l.cells)
                .map(|(s, c)| {
                    let (ch, best) = s.best();
                    CharRead {
                        ch: char::from(ch),
                        score: round3(best),
                        confidence: round3(((best - s.second()) / 0.25).clamp(0.0, 1.0)),
                        alternatives: s
                            .ranked
                            .iter()
                            .skip(1)
                            .filter(|(_, v)| best - v <= ALTERNATIVE_MARGIN)
                            .map(|&(c, v)| (char::from(c), round3(v)))
                            .collect(),
                        centre: [round1(c.centre.0 + ox), round1(c.centre.1 + oy)],
                    }
                })
                .collect()
        })
        .collect();

    // Font evidence over the characters finally chosen.
    let final_lines = mrz.lines();
    let (mut sum, mut n) = (0f32, 0usize);
    for (read, line) in reading.iter().zip(&final_lines) {
        for (s, ch) in read.scores.iter().zip(line.bytes()) {
            if ch == b'<' {
                continue;
            }
            if let Some(&(_, v)) = s.ranked.iter().find(|(c, _)| *c == ch) {
                sum += v;
                n += 1;
            }
        }
    }
    let font_score = if n == 0 { 0.0 } else { sum / n as f32 };
    let (pitch_px, deviation) = pitch_stats(reading);
    let cap_px = {
        let ks: Vec<f32> = reading
            .iter()
            .flat_map(|l| l.cells.iter().map(|c| c.k))
            .collect();
        ks.iter().sum::<f32>() / ks.len().max(1) as f32 * glyphs::CAP
    };
    let consistent = font_score >= FONT_THRESHOLD;
    let finding = (!consistent).then(|| FontFinding {
        code: "mrz_font_mismatch",
        severity: Severity::Warning,
        message: format!(
            "The MRZ glyphs match OCR-B with a mean correlation of {font_score:.2}, below \
             the {FONT_THRESHOLD:.2} every genuine OCR-B print reached in calibration: the MRZ \
             may have been printed or retyped in another font."
        ),
    });
    let angle = reading
        .first()
        .and_then(|l| l.cells.get(l.cells.len() / 2))
        .map_or(0.0, |c| c.u.1.atan2(c.u.0).to_degrees());
    let source = ReadSource {
        image: None,
        bbox: bbox(reading, pitch_px, cap_px, (ox, oy)),
        angle_deg: round1(if angle < -0.05 {
            angle + 360.0
        } else {
            angle.max(0.0)
        }),
        pitch_px: round1(pitch_px),
        pitch_mm: dpi.map(|d| round3(pitch_px / d * 25.4)),
        cap_height_px: round1(cap_px),
        char_confidence_min: lines
            .iter()
            .flatten()
            .map(|c| c.confidence)
            .fold(1.0, f32::min),
        font_score: round3(font_score),
        font: FontEvidence {
            score: round3(font_score),
            threshold: FONT_THRESHOLD,
            threshold_source: "between the lowest score of genuine OCR-B MRZs generated under \
                               every capture condition and the highest of MRZs retyped in a \
                               sans-serif (BENCHMARKS.md, MRZ reading)",
            consistent_with_ocr_b: consistent,
            cap_to_pitch: round3(if pitch_px > 0.0 {
                cap_px / pitch_px
            } else {
                0.0
            }),
            pitch_deviation: round3(deviation),
            finding,
        },
        lines,
        look_alikes,
        corrections,
    };
    Ok(ImageRead { mrz, source })
}

fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// Mean pitch (pixels) and the RMS deviation of the centres from a straight, even spacing,
/// in pitches.
fn pitch_stats(reading: &[LineRead]) -> (f32, f32) {
    let (mut pitch_sum, mut lines, mut dev, mut n) = (0f32, 0usize, 0f32, 0usize);
    for l in reading {
        let (Some(a), Some(b)) = (l.cells.first(), l.cells.last()) else {
            continue;
        };
        let count = l.cells.len();
        if count < 2 {
            continue;
        }
        let (dx, dy) = (b.centre.0 - a.centre.0, b.centre.1 - a.centre.1);
        let pitch = (dx * dx + dy * dy).sqrt() / (count - 1) as f32;
        pitch_sum += pitch;
        lines += 1;
        for (i, c) in l.cells.iter().enumerate() {
            let t = i as f32 / (count - 1) as f32;
            let (ex, ey) = (a.centre.0 + dx * t, a.centre.1 + dy * t);
            let d =
                ((c.centre.0 - ex).powi(2) + (c.centre.1 - ey).powi(2)).sqrt() / pitch.max(1e-3);
            dev += d * d;
            n += 1;
        }
    }
    let pitch = if lines == 0 {
        0.0
    } else {
        pitch_sum / lines as f32
    };
    (pitch, if n == 0 { 0.0 } else { (dev / n as f32).sqrt() })
}

/// The axis-aligned box around every character cell.
fn bbox(reading: &[LineRead], pitch: f32, cap: f32, (ox, oy): (f32, f32)) -> [f32; 4] {
    let r = pitch.max(cap) * 0.75;
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (x, y) in reading
        .iter()
        .flat_map(|l| l.cells.iter().map(|c| c.centre))
    {
        x0 = x0.min(x - r);
        y0 = y0.min(y - r);
        x1 = x1.max(x + r);
        y1 = y1.max(y + r);
    }
    if x0 > x1 {
        return [0.0; 4];
    }
    [
        round1(x0.max(0.0) + ox),
        round1(y0.max(0.0) + oy),
        round1(x1 - x0.max(0.0)),
        round1(y1 - y0.max(0.0)),
    ]
}
