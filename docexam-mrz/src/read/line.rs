//! Reading one line of character positions: cells at the located centres, the scale
//! calibrated on the line's ink band, every position classified, the cells moved onto the
//! course the well-read characters were found on and, across a curved page, locally.

use image::GrayImage;

use super::classify::{self, Cell, Scores, Window};
use super::glyphs;
use super::locate::LineGeom;
use super::refit;

/// One line as read: per position the cell it was cut from and its scores.
pub(super) struct LineRead {
    /// Where each position was cut from.
    pub cells: Vec<Cell>,
    /// How each position matched the templates.
    pub scores: Vec<Scores>,
    /// The window each position was matched on (in the template frame).
    pub windows: Vec<Window>,
}

/// Reads every line: cells from the fitted centres, the scale calibrated on the line's ink
/// band against the templates' average band, a first classification, the scale calibrated
/// again against the band of the characters read (digits stand taller than letters in
/// OCR-B), and the final classification.
pub(super) fn read_lines(img: &GrayImage, lines: &[LineGeom]) -> Vec<LineRead> {
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
                let mut moved = cells.clone();
                if !refit::refit(&mut moved, &scores) {
                    break;
                }
                let moved_seen = windows(img, &moved);
                let moved_scores = classify_all(&moved_seen);
                let now = count_good(&moved_scores);
                // A course that reads fewer characters well than the one before is dropped.
                if now < good {
                    break;
                }
                (cells, seen, scores) = (moved, moved_seen, moved_scores);
                if now == good {
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
                if let (Some(c), Some(s), Some(w)) =
                    (cells.get_mut(i), scores.get_mut(i), seen.get_mut(i))
                {
                    let moved = Cell {
                        dv: c.dv + shift * c.k,
                        ..*c
                    };
                    let moved_window = classify::window(img, &moved);
                    let again = classify::classify(&moved_window);
                    if again.best().1 > s.best().1 {
                        (*c, *s, *w) = (moved, again, moved_window);
                    }
                }
            }
            LineRead {
                cells,
                scores,
                windows: seen,
            }
        })
        .collect()
}

fn windows(img: &GrayImage, cells: &[Cell]) -> Vec<Window> {
    cells.iter().map(|c| classify::window(img, c)).collect()
}

fn classify_all(windows: &[Window]) -> Vec<Scores> {
    windows.iter().map(classify::classify).collect()
}

/// Whether the lines read better the other way round: a dozen characters of the longest
/// line, matched both ways after calibrating their scale.
pub(super) fn upside_down(img: &GrayImage, lines: &[LineGeom]) -> bool {
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

/// Characters that read well enough to say where they are ([`refit::GOOD_SCORE`]).
fn count_good(scores: &[Scores]) -> usize {
    scores
        .iter()
        .filter(|s| s.best().1 >= refit::GOOD_SCORE)
        .count()
}

/// Positions on each side whose ink band is measured together for [`local_shifts`].
const LOCAL_REACH: usize = 4;

/// Local shifts (template pixels) smaller than this are left alone.
const LOCAL_SHIFT_MIN: f32 = 0.4;

/// Per cell, how far (template pixels, down positive) the ink band of it and its neighbours
/// lies from where the characters read there put it.
fn local_shifts(windows: &[Window], chars: &[u8]) -> Vec<f32> {
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
fn calibrate(windows: &[Window], cells: &mut [Cell], (tt, tb): (f32, f32)) {
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
