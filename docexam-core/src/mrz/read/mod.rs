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
//! 3. **Classify** (`classify`): every position is cut out of the full-resolution page in
//!    the frame of the OCR-B templates (rendered from the vendored font on first use), scaled
//!    by the line's measured cap height, and matched by normalised cross-correlation over
//!    small shifts. Both directions along the line are read; the one that matches OCR-B
//!    better is upright.
//! 4. **Decide**: a character a field cannot hold is replaced by the best alternative it can
//!    hold (reported in [`ReadSource::corrections`]); then the MRZ engine's check-digit repair
//!    chooses among the alternatives the reader saw ([`MrzParser::parse_ocr`]).
//! 5. **Font evidence**: how well the glyphs match OCR-B ([`FontEvidence`]); an MRZ typed in
//!    another font is reported.

mod adapt;
mod blobs;
mod classify;
mod glyphs;
mod locate;
mod pixels;
mod refit;
mod result;

use image::GrayImage;

pub use glyphs::OCRB_FONT;
pub use pixels::ink_plane;
pub use result::{CharRead, Correction, FontEvidence, ImageRead, LookAlike, ReadError, ReadSource};

use self::classify::{Cell, Scores};
use self::locate::LineGeom;
use super::format::MrzFormat;
use super::repair::{Pos, class_at};
use super::text::MrzText;
use super::{MrzParser, validate};

/// Longest side of the page copy the MRZ is searched on.
const SEARCH_SIDE: u32 = 1600;

/// Smallest page side read: below it an MRZ line cannot hold legible characters.
const MIN_SIDE: u32 = 64;

/// Mean correlation with OCR-B below which the lines found are not taken for an MRZ.
const MIN_MEAN_SCORE: f32 = 0.35;

/// Alternatives kept per character: those within this correlation of the best.
const ALTERNATIVE_MARGIN: f32 = 0.12;

/// Font-evidence threshold: genuine OCR-B MRZs from every capture condition of the specimen
/// generator score above it (see BENCHMARKS.md, "MRZ reading").
pub const FONT_THRESHOLD: f32 = 0.815;

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
        })
        .collect();
    let look_alikes = match field_classes(&best_text(&reading), parser.as_of()) {
        Some(classes) => adapt::decide(&region, &mut reading, &classes),
        None => Vec::new(),
    };
    // The window, back in page pixels.
    let reading: Vec<LineRead> = reading
        .into_iter()
        .map(|l| LineRead {
            cells: l
                .cells
                .into_iter()
                .map(|c| Cell {
                    centre: (c.centre.0 * scale + rx, c.centre.1 * scale + ry),
                    k: c.k * scale,
                    dv: c.dv * scale,
                    ..c
                })
                .collect(),
            scores: l.scores,
        })
        .collect();
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
fn has_structure(m: &crate::mrz::Mrz) -> bool {
    use crate::mrz::MrzDate;
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

/// One line as read: per position the cell it was cut from and its scores.
pub(super) struct LineRead {
    cells: Vec<Cell>,
    scores: Vec<Scores>,
}

fn mean_score(lines: &[LineRead]) -> f32 {
    let (sum, n) = lines
        .iter()
        .flat_map(|l| l.scores.iter())
        .fold((0f32, 0usize), |(s, n), sc| (s + sc.best().1, n + 1));
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// Reads every line: cells from the fitted centres, the scale calibrated on the line's ink
/// band against the templates' average band, a first classification, the scale calibrated
/// again against the band of the characters read (digits stand taller than letters in
/// OCR-B), and the final classification.
fn read_lines(img: &GrayImage, lines: &[LineGeom]) -> Vec<LineRead> {
    let average = classify::template_band();
    lines
        .iter()
        .map(|line| {
            let mut cells = initial_cells(line);
            calibrate(&windows(img, &cells), &mut cells, average);
            let mut seen = windows(img, &cells);
            let first = classify_all(&seen);
            let chars: Vec<u8> = first.iter().map(|s| s.best().0).collect();
            if let Some(expected) = classify::band_of(&chars) {
                calibrate(&seen, &mut cells, expected);
                seen = windows(img, &cells);
            }
            let mut scores = classify_all(&seen);
            // Follow the characters read well; as the course improves, more read well.
            let mut good = count_good(&scores);
            for _ in 0..REFITS {
                if !refit::refit(&mut cells, &scores) {
                    break;
                }
                seen = windows(img, &cells);
                scores = classify_all(&seen);
                let now = count_good(&scores);
                if now <= good {
                    break;
                }
                good = now;
            }
            // A curved page bends the line away from its fitted course: follow it locally.
            let chars: Vec<u8> = scores.iter().map(|s| s.best().0).collect();
            for (i, shift) in local_shifts(&seen, &chars).into_iter().enumerate() {
                if shift.abs() < LOCAL_SHIFT_MIN {
                    continue;
                }
                if let (Some(c), Some(s)) = (cells.get_mut(i), scores.get_mut(i)) {
                    let moved = Cell {
                        dv: c.dv + shift * c.k,
                        ..*c
                    };
                    let again = classify::classify(&classify::window(img, &moved));
                    if again.best().1 > s.best().1 {
                        *c = moved;
                        *s = again;
                    }
                }
            }
            LineRead { cells, scores }
        })
        .collect()
}

fn windows(img: &GrayImage, cells: &[Cell]) -> Vec<classify::Window> {
    cells.iter().map(|c| classify::window(img, c)).collect()
}

fn classify_all(windows: &[classify::Window]) -> Vec<Scores> {
    windows.iter().map(classify::classify).collect()
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

/// Whether the lines read better the other way round: a dozen characters of the longest
/// line, matched both ways after calibrating their scale.
fn upside_down(img: &GrayImage, lines: &[LineGeom]) -> bool {
    let Some(line) = lines.iter().max_by_key(|l| l.centres.len()) else {
        return false;
    };
    let all = initial_cells(line);
    let step = (all.len() / 12).max(1);
    let mut cells: Vec<Cell> = all.iter().skip(step / 2).step_by(step).copied().collect();
    calibrate(&windows(img, &cells), &mut cells, classify::template_band());
    let (mut up, mut down) = (0f32, 0f32);
    for c in &cells {
        up += classify::classify(&classify::window(img, c)).best().1;
        let turned = Cell {
            u: (-c.u.0, -c.u.1),
            dv: -c.dv,
            ..*c
        };
        down += classify::classify(&classify::window(img, &turned)).best().1;
    }
    down > up
}

/// Times a line's course is fitted again to the characters read on it.
const REFITS: usize = 3;

fn count_good(scores: &[Scores]) -> usize {
    scores.iter().filter(|s| s.best().1 >= 0.8).count()
}

/// Positions on each side whose ink band is measured together for [`local_shifts`].
const LOCAL_REACH: usize = 4;

/// Local shifts (template pixels) smaller than this are left alone.
const LOCAL_SHIFT_MIN: f32 = 0.4;

/// Per cell, how far (template pixels, down positive) the ink band of it and its neighbours
/// lies from where the characters read there put it.
fn local_shifts(windows: &[classify::Window], chars: &[u8]) -> Vec<f32> {
    let profiles: Vec<[f32; glyphs::TH]> = windows.iter().map(|w| w.row_profile()).collect();
    (0..windows.len())
        .map(|i| {
            let lo = i.saturating_sub(LOCAL_REACH);
            let hi = (i + LOCAL_REACH + 1).min(windows.len());
            let mut profile = [0f32; glyphs::TH];
            for p in profiles.get(lo..hi).unwrap_or_default() {
                for (a, b) in profile.iter_mut().zip(p) {
                    *a += b;
                }
            }
            let expected = classify::band_of(chars.get(lo..hi).unwrap_or_default());
            match (classify::band(&profile), expected) {
                (Some((a, b)), Some((tt, tb))) if (b - a) > 0.6 * (tb - tt) => {
                    ((a + b - tt - tb) / 2.0).clamp(-3.0, 3.0)
                }
                _ => 0.0,
            }
        })
        .collect()
}

/// Scales and shifts a line's cells so that the ink band measured on their `windows` lands
/// on `(top, bottom)` of the template frame.
fn calibrate(windows: &[classify::Window], cells: &mut [Cell], (tt, tb): (f32, f32)) {
    let mut profile = [0f32; glyphs::TH];
    for w in windows {
        for (p, v) in profile.iter_mut().zip(w.row_profile()) {
            *p += v;
        }
    }
    let Some((a, b)) = classify::band(&profile) else {
        return;
    };
    // A band far from the expected height is not the line's (a blot, a rule): keep the scale.
    let ratio = (b - a) / (tb - tt);
    if b - a < 4.0 || tb - tt < 4.0 || !(0.6..=1.6).contains(&ratio) {
        return;
    }
    for c in cells.iter_mut() {
        let k1 = c.k * ratio;
        let off = |row: f32, k: f32| (row + 0.5 - glyphs::MID) * k;
        c.dv = off(a, c.k) + c.dv - off(tt, k1);
        c.k = k1;
    }
}

/// Cells at the fitted centres, oriented along the line, scaled by the blob height and by
/// the local pitch (a photo's perspective makes one end of a line larger than the other).
fn initial_cells(line: &LineGeom) -> Vec<Cell> {
    let n = line.centres.len();
    let k = (line.height / glyphs::CAP).max(0.05);
    let local: Vec<((f32, f32), f32)> = (0..n)
        .map(|i| {
            let a = line.centres.get(i.saturating_sub(1)).copied();
            let b = line.centres.get((i + 1).min(n - 1)).copied();
            match (a, b) {
                (Some(a), Some(b)) if n > 1 => {
                    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
                    let steps = ((i + 1).min(n - 1) - i.saturating_sub(1)) as f32;
                    ((dx / len, dy / len), len / steps)
                }
                _ => ((1.0, 0.0), 0.0),
            }
        })
        .collect();
    let mut pitches: Vec<f32> = local.iter().map(|l| l.1).filter(|&p| p > 0.0).collect();
    pitches.sort_by(f32::total_cmp);
    let median = pitches.get(pitches.len() / 2).copied().unwrap_or(0.0);
    (0..n)
        .map(|i| {
            let (u, pitch) = local.get(i).copied().unwrap_or(((1.0, 0.0), 0.0));
            let relative = if median > 0.0 {
                (pitch / median).clamp(0.8, 1.25)
            } else {
                1.0
            };
            Cell {
                centre: line.centres.get(i).copied().unwrap_or((0.0, 0.0)),
                u,
                k: k * relative,
                dv: 0.0,
            }
        })
        .collect()
}

/// The text read, best character per position.
fn best_text(lines: &[LineRead]) -> Vec<Vec<u8>> {
    lines
        .iter()
        .map(|l| l.scores.iter().map(|s| s.best().0).collect())
        .collect()
}

/// The class of characters each position's field admits, for the format the text has;
/// `None` when the text is no known MRZ format.
fn field_classes(
    text: &[Vec<u8>],
    as_of: crate::date::CivilDate,
) -> Option<Vec<Vec<crate::mrz::charset::CharClass>>> {
    let joined: Vec<String> = text
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    let record = validate::build(MrzText::parse(&joined.join("\n")).ok()?, as_of);
    if record.format() == MrzFormat::Unknown {
        return None;
    }
    Some(
        text.iter()
            .enumerate()
            .map(|(li, line)| {
                (0..line.len())
                    .map(|col| class_at(&record, li as u8, col as u8))
                    .collect()
            })
            .collect(),
    )
}

/// Positions whose best character their field cannot hold, changed to the best alternative
/// it can hold.
fn constrain(
    text: &mut [Vec<u8>],
    lines: &[LineRead],
    as_of: crate::date::CivilDate,
) -> Vec<Correction> {
    let Some(classes) = field_classes(text, as_of) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (li, ((line, read), line_classes)) in text.iter_mut().zip(lines).zip(&classes).enumerate() {
        for (col, ((ch, scores), &class)) in line
            .iter_mut()
            .zip(&read.scores)
            .zip(line_classes)
            .enumerate()
        {
            if class.allows(*ch) {
                continue;
            }
            let best = scores.best().1;
            let alt = scores
                .ranked
                .iter()
                .find(|(c, s)| class.allows(*c) && best - s <= 2.0 * ALTERNATIVE_MARGIN);
            if let Some(&(to, score)) = alt {
                out.push(Correction {
                    line: li as u8,
                    column: col as u8,
                    read: char::from(*ch),
                    read_score: best,
                    to: char::from(to),
                    to_score: score,
                });
                *ch = to;
            }
        }
    }
    out
}

/// Alternatives per position for the repair: the characters within [`ALTERNATIVE_MARGIN`] of
/// the best.
fn alternatives(lines: &[LineRead], text: &[Vec<u8>]) -> Vec<(Pos, Vec<u8>)> {
    let mut out = Vec::new();
    for (li, (read, chosen)) in lines.iter().zip(text).enumerate() {
        for (col, (scores, &ch)) in read.scores.iter().zip(chosen).enumerate() {
            let best = scores.best().1;
            let alts: Vec<u8> = scores
                .ranked
                .iter()
                .filter(|(c, s)| *c != ch && best - s <= ALTERNATIVE_MARGIN)
                .map(|(c, _)| *c)
                .collect();
            if !alts.is_empty() {
                out.push(((li as u8, col as u8), alts));
            }
        }
    }
    out
}
