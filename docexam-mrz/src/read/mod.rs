//! Reading the MRZ from a page image, with a built-in OCR-B reader (no external OCR engine).
//!
//! 1. **Locate**: on a copy of the page shrunk to about 1,600 pixels, ink is
//!    separated from paper by a local-mean threshold and cut into connected blobs. The blobs'
//!    common direction gives the text direction (any of the four orientations, any skew);
//!    blobs are chained along it, and the MRZ is the stack of two or three chains holding one
//!    glyph at every position of one fixed pitch (30, 36 or 44 positions).
//! 2. **Segment**: each line's positions are fitted from the blobs (a quadratic along the
//!    line, so a photo's perspective is followed), so touching or broken glyphs do not move a
//!    position.
//! 3. **Classify** (`classify`): every position is cut out of a copy of the MRZ's
//!    surroundings in the frame of the OCR-B templates (rendered from the vendored font on
//!    first use), its background opened away, scaled by the line's measured ink band, and
//!    matched by normalised cross-correlation over small shifts. Both directions along the
//!    line are read; the one that matches OCR-B better is upright.
//! 4. **Follow the line** (`line`, `refit`): the positions move onto the course the
//!    well-read characters were found on, and across a curved page locally.
//! 5. **Look-alikes** (`adapt`): where the font cannot tell `0` from `O` (or `M` from `N`),
//!    the glyph is compared with the document's own prints of each ([`LookAlike`]).
//! 6. **Decide**: a character a field cannot hold is replaced by the best alternative it can
//!    hold (reported in [`ReadSource::corrections`]); then the MRZ engine's check-digit repair
//!    chooses among the alternatives the reader saw ([`MrzParser::parse_ocr`]).
//! 7. **Font evidence**: how well the glyphs match OCR-B ([`FontEvidence`]); an MRZ typed in
//!    another font is reported.

mod adapt;
mod blobs;
mod classify;
mod decide;
mod glyphs;
mod line;
mod locate;
mod pixels;
mod refit;
mod result;

use image::GrayImage;

pub use glyphs::OCRB_FONT;
pub use pixels::{ink_plane, ink_plane_rgb};
pub use result::{
    CharRead, Correction, CorrectionBasis, FontEvidence, ImageRead, LookAlike, ReadError,
    ReadSource,
};

use self::classify::Cell;
use self::line::{LineRead, read_lines, upside_down};
use self::locate::LineGeom;
use super::MrzParser;
use super::format::MrzFormat;

/// Longest side of the page copy the MRZ is searched on.
const SEARCH_SIDE: u32 = 1600;

/// Smallest page side read: below it an MRZ line cannot hold legible characters.
const MIN_SIDE: u32 = 64;

/// Mean correlation with OCR-B below which the lines found are not taken for an MRZ.
const MIN_MEAN_SCORE: f32 = 0.35;

/// Font-evidence threshold: genuine OCR-B MRZs from every capture condition of the specimen
/// generator score above it (see BENCHMARKS.md, "MRZ reading").
pub const FONT_THRESHOLD: f32 = 0.85;

/// What the reader may assume.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions {
    /// The MRZ format expected (from the specimen): only its line shape is searched.
    pub format: Option<MrzFormat>,
    /// Search only this part of the page (x, y, width, height in pixels), e.g. a specimen's
    /// MRZ zone on a registered page. Coordinates in the result stay page coordinates.
    pub region: Option<[u32; 4]>,
    /// The page's resolution, when known: the pitch is then also reported in millimetres.
    pub dpi: Option<f32>,
}

/// Reads the MRZ on a page image (grey levels, any size and resolution). For a colour page,
/// pass its [`ink_plane`]: coloured backgrounds fade there and the black MRZ stays.
///
/// Fails when the page is too small to hold one or when no MRZ is found: the error says
/// which. A page whose MRZ is found always gives a record, however poor the reading; its
/// checks and findings say what holds.
pub fn read(
    img: &GrayImage,
    parser: &MrzParser,
    opts: &ReadOptions,
) -> Result<ImageRead, ReadError> {
    let (page, origin) = match opts.region {
        Some([x, y, w, h]) => {
            let (x, y) = (x.min(img.width()), y.min(img.height()));
            let w = w.min(img.width() - x);
            let h = h.min(img.height() - y);
            (
                std::borrow::Cow::Owned(image::imageops::crop_imm(img, x, y, w, h).to_image()),
                (x as f32, y as f32),
            )
        }
        None => (std::borrow::Cow::Borrowed(img), (0.0, 0.0)),
    };
    let (w, h) = page.dimensions();
    if w.min(h) < MIN_SIDE {
        return Err(ReadError::TooSmall {
            width: w,
            height: h,
            min: MIN_SIDE,
        });
    }
    let shape = opts.format.and_then(|f| {
        let lens = f.line_lengths();
        lens.first().map(|&n| (lens.len(), n))
    });
    let factor = w.max(h).div_ceil(SEARCH_SIDE).max(1);
    let mut located = find(&page, factor, shape);
    if located.is_none() && factor > 1 {
        // Small characters on a large page: search again at twice the detail.
        located = find(&page, factor.div_ceil(2), shape);
    }
    let located = located.ok_or(ReadError::NotFound {
        reason: "no two or three lines of evenly spaced characters (30, 36 or 44 to a line) \
                 were found",
    })?;
    // Read from a copy of the MRZ's surroundings shrunk so that a template pixel is about
    // one page pixel: sampling stays cheap at 600 and 1200 dpi.
    let (region, scale, (rx, ry)) = reading_plane(&page, &located.lines);
    let to_region = |l: &LineGeom| LineGeom {
        centres: l
            .centres
            .iter()
            .map(|&(x, y)| ((x - rx) / scale, (y - ry) / scale))
            .collect(),
        height: l.height / scale,
    };
    let lines: Vec<LineGeom> = located.lines.iter().map(to_region).collect();
    // Which way up: a few characters of the longest line, read both ways.
    let lines: Vec<LineGeom> = if upside_down(&region, &lines) {
        lines
            .iter()
            .rev()
            .map(|l| LineGeom {
                centres: l.centres.iter().rev().copied().collect(),
                height: l.height,
            })
            .collect()
    } else {
        lines
    };
    let reading = read_lines(&region, &lines);
    let (_, start, len) = best_window(&reading, &located.lengths).ok_or(ReadError::NotFound {
        reason: "lines of evenly spaced characters were found, but too short for an MRZ",
    })?;
    let mut reading: Vec<LineRead> = reading
        .into_iter()
        .map(|l| LineRead {
            cells: l.cells.into_iter().skip(start).take(len).collect(),
            scores: l.scores.into_iter().skip(start).take(len).collect(),
            windows: l.windows.into_iter().skip(start).take(len).collect(),
        })
        .collect();
    let look_alikes = match decide::field_classes(&texts(&reading), parser.as_of()) {
        Some(classes) => adapt::decide(&mut reading, &classes),
        None => Vec::new(),
    };
    // The positions, back in page pixels.
    for c in reading.iter_mut().flat_map(|l| l.cells.iter_mut()) {
        *c = Cell {
            centre: (c.centre.0 * scale + rx, c.centre.1 * scale + ry),
            k: c.k * scale,
            dv: c.dv * scale,
            ..*c
        };
    }
    let mean = mean_score(&reading);
    if mean < MIN_MEAN_SCORE {
        return Err(ReadError::NotFound {
            reason: "lines of evenly spaced characters were found, but their glyphs are not \
                     MRZ characters",
        });
    }
    let found = result::assemble(parser, &reading, look_alikes, origin, opts.dpi)?;
    // Glyphs that are not clearly OCR-B (another font, or fine print that is no text) must at
    // least read as an MRZ's fields.
    if mean < CLEAR_SCORE && !has_structure(&found.mrz) {
        return Err(ReadError::NotFound {
            reason: "lines of evenly spaced characters were found, but neither their glyphs \
                     (not OCR-B) nor their fields (no date, no check digit) are an MRZ's",
        });
    }
    Ok(found)
}

/// Mean correlation with OCR-B above which lines are taken for an MRZ whatever they say.
const CLEAR_SCORE: f32 = 0.7;

/// Whether a record reads as an MRZ's fields: a date of birth or expiry that is a date, or
/// at least two check digits, and half of them, that hold.
fn has_structure(m: &crate::Mrz) -> bool {
    use crate::MrzDate;
    let dated = [m.birth_date(), m.expiry_date()].iter().any(|d| {
        matches!(
            d,
            MrzDate::Full(_) | MrzDate::YearMonth { .. } | MrzDate::Year(_)
        )
    });
    let checks = m.checks();
    let ok = checks.iter().filter(|c| c.is_ok()).count();
    dated || (ok >= 2 && 2 * ok >= checks.len())
}

/// Finds the MRZ's lines on the page searched at `1/factor` of its size.
fn find(page: &GrayImage, factor: u32, shape: Option<(usize, usize)>) -> Option<locate::Located> {
    let small = pixels::downscale(page, factor);
    let (w, h) = (small.width() as usize, small.height() as usize);
    let radius = (small.width().max(small.height()) / 64).max(8);
    let mask = blobs::threshold(&small, radius, 15);
    let found = blobs::components(&mask, w, h);
    locate::locate(&found, (w, h), factor as f32, shape)
}

/// Correlation a character must reach to count for a window rather than against it.
const WINDOW_SCORE: f32 = 0.65;

/// The window of one of the allowed line lengths where the characters read best: (merit,
/// first position, length). Characters matching OCR-B well add to the merit, stray marks and
/// empty paper take from it.
fn best_window(lines: &[LineRead], lengths: &[usize]) -> Option<(f32, usize, usize)> {
    let cells = lines.iter().map(|l| l.scores.len()).min()?;
    let mut column = vec![0f32; cells];
    for l in lines {
        for (c, s) in column.iter_mut().zip(&l.scores) {
            *c += s.best().1 - WINDOW_SCORE;
        }
    }
    let mut best: Option<(f32, usize, usize)> = None;
    for &len in lengths.iter().filter(|&&len| len <= cells) {
        for start in 0..=cells - len {
            let merit: f32 = column.iter().skip(start).take(len).sum();
            if best.is_none_or(|b| merit > b.0) {
                best = Some((merit, start, len));
            }
        }
    }
    best
}

fn mean_score(lines: &[LineRead]) -> f32 {
    let (sum, n) = lines
        .iter()
        .flat_map(|l| l.scores.iter())
        .fold((0f32, 0usize), |(s, n), sc| (s + sc.best().1, n + 1));
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// The part of the page around the lines (with a margin of two character heights), shrunk
/// by a whole factor so that a template pixel is at most about 1.3 pixels of the copy; the
/// factor and the copy's origin on the page.
fn reading_plane(page: &GrayImage, lines: &[LineGeom]) -> (GrayImage, f32, (f32, f32)) {
    let height = lines.iter().map(|l| l.height).fold(0f32, f32::max);
    let k = height / glyphs::CAP;
    let factor = (k / 1.3).floor().max(1.0) as u32;
    let margin = 2.0 * height;
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in lines.iter().flat_map(|l| l.centres.iter()) {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let (w, h) = (page.width() as f32, page.height() as f32);
    let x0 = (x0 - margin).clamp(0.0, w) as u32;
    let y0 = (y0 - margin).clamp(0.0, h) as u32;
    let x1 = (x1 + margin).clamp(0.0, w) as u32;
    let y1 = (y1 + margin).clamp(0.0, h) as u32;
    (
        pixels::shrink(
            page,
            [x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0)],
            factor,
        ),
        factor as f32,
        (x0 as f32, y0 as f32),
    )
}

/// The text read, best character per position.
fn texts(lines: &[LineRead]) -> Vec<Vec<u8>> {
    let scores: Vec<&[classify::Scores]> = lines.iter().map(|l| l.scores.as_slice()).collect();
    decide::best_text(&scores)
}
