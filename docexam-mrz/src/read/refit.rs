//! Moving a line's positions to where its characters were actually found.
//!
//! The first positions come from blobs on a shrunk copy of the page; where glare, a shadow
//! or a fold broke the line into pieces, part of it is extrapolated, and under a photo's
//! perspective an extrapolated pitch drifts. Every character read well says where it really
//! is (the shift of its best match within the window); a smooth course through those is a
//! better guess for all positions, including the poorly read ones.

use super::classify::{Cell, Scores};
use super::locate::fit_quadratic;

/// Correlation a character must reach for its position to count.
pub(super) const GOOD_SCORE: f32 = 0.8;

/// Well-read characters needed to fit a course.
const MIN_FOUND: usize = 12;

/// Positions the well-read characters must span (or 60 % of the line, if less).
const MIN_SPAN: f32 = 20.0;

/// Positions dropped as outliers lie farther than this (in pitches) from the course.
const OUTLIER: f32 = 0.25;

/// Moves `cells` onto a course (a quadratic in the position index, across and along) fitted
/// to where the well-read characters were found, and scales each by its local pitch. Leaves
/// them alone, returning `false`, when too few characters read well to say.
pub(super) fn refit(cells: &mut [Cell], scores: &[Scores]) -> bool {
    let n = cells.len();
    let mut found: Vec<(f32, f32, f32)> = cells
        .iter()
        .zip(scores)
        .enumerate()
        .filter(|(_, (_, s))| s.best().1 >= GOOD_SCORE)
        .map(|(i, (c, s))| {
            let (ux, uy) = c.u;
            let (vx, vy) = (-uy, ux);
            let (a, b) = (s.shift.0 * c.k, s.shift.1 * c.k);
            (
                i as f32,
                c.centre.0 + a * ux + b * vx,
                c.centre.1 + a * uy + b * vy,
            )
        })
        .collect();
    let pitch = mean_pitch(cells);
    // Fit, drop the characters found far from the course, fit again on the rest.
    let Some(first) = course(&found, n) else {
        return false;
    };
    found.retain(|p| {
        let (x, y) = at(&first, p.0);
        (p.1 - x).hypot(p.2 - y) < OUTLIER * pitch
    });
    let Some(fitted) = course(&found, n) else {
        return false;
    };
    let (x, y) = &fitted;
    let k_mean = cells.iter().map(|c| c.k).sum::<f32>() / n.max(1) as f32;
    let slopes: Vec<(f32, f32)> = (0..n)
        .map(|i| {
            let i = f64::from(i as u32);
            (
                (x[1] + 2.0 * x[2] * i) as f32,
                (y[1] + 2.0 * y[2] * i) as f32,
            )
        })
        .collect();
    let mean_step = slopes.iter().map(|s| s.0.hypot(s.1)).sum::<f32>() / n.max(1) as f32;
    if mean_step <= 0.0 {
        return false;
    }
    for (i, (c, (dx, dy))) in cells.iter_mut().zip(slopes).enumerate() {
        let step = dx.hypot(dy).max(1e-6);
        c.centre = at(&fitted, i as f32);
        c.u = (dx / step, dy / step);
        c.k = k_mean * (step / mean_step).clamp(0.8, 1.25);
    }
    true
}

/// A course (x and y as quadratics in the position index) through the found characters; `None`
/// when too few characters, or too short a stretch of the line, were found.
///
/// Quadratic even when the characters cover only part of the line: what the course is for is
/// carrying a photo's perspective from the well-read middle to the ends, which a straight
/// course does not (measured: a straight course below 75 % cover lost 8 TD2 MRZs of the
/// generator's sets, 768 MRZs). A bent course does not stay unless it reads more characters well
/// (`line::read_lines`).
fn course(found: &[(f32, f32, f32)], n: usize) -> Option<([f64; 3], [f64; 3])> {
    let (lo, hi) = found.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    if found.len() < MIN_FOUND || hi - lo < MIN_SPAN.min(0.6 * n as f32) {
        return None;
    }
    Some((
        fit_quadratic(found.iter().map(|p| (p.0, p.1)))?,
        fit_quadratic(found.iter().map(|p| (p.0, p.2)))?,
    ))
}

/// A course's position at index `i`.
fn at((x, y): &([f64; 3], [f64; 3]), i: f32) -> (f32, f32) {
    let i = f64::from(i);
    (
        (x[0] + x[1] * i + x[2] * i * i) as f32,
        (y[0] + y[1] * i + y[2] * i * i) as f32,
    )
}

/// The mean distance between neighbouring positions.
fn mean_pitch(cells: &[Cell]) -> f32 {
    let steps: Vec<f32> = cells
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((b.centre.0 - a.centre.0).hypot(b.centre.1 - a.centre.1)),
            _ => None,
        })
        .collect();
    steps.iter().sum::<f32>() / steps.len().max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores of one character at correlation `score`, found `shift` template pixels from
    /// its cell's centre.
    fn found(score: f32, shift: (f32, f32)) -> Scores {
        Scores {
            ranked: vec![(b'A', score), (b'B', score - 0.3)],
            shift,
        }
    }

    /// A line of 44 positions whose true centres are `truth(i)`, with cells placed at a pitch
    /// 3 % too small and half a pixel too high, as an extrapolated fit leaves them.
    fn drifted(truth: impl Fn(f32) -> (f32, f32)) -> (Vec<Cell>, Vec<Scores>) {
        let k = 1.0;
        let cells: Vec<Cell> = (0..44)
            .map(|i| Cell {
                centre: (100.0 + 0.97 * 20.0 * i as f32, 49.5),
                u: (1.0, 0.0),
                k,
                dv: 0.0,
            })
            .collect();
        let scores = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (tx, ty) = truth(i as f32);
                // Poor reads at every fifth position: they must not count.
                let score = if i % 5 == 0 { 0.5 } else { 0.9 };
                found(score, ((tx - c.centre.0) / k, (ty - c.centre.1) / k))
            })
            .collect();
        (cells, scores)
    }

    /// Every cell within `tolerance` pixels of its true centre.
    fn assert_on_truth(cells: &[Cell], truth: impl Fn(f32) -> (f32, f32), tolerance: f32) {
        for (i, c) in cells.iter().enumerate() {
            let (tx, ty) = truth(i as f32);
            let err = (c.centre.0 - tx).hypot(c.centre.1 - ty);
            assert!(
                err < tolerance,
                "position {i}: {:?} vs ({tx}, {ty})",
                c.centre
            );
        }
    }

    #[test]
    fn cells_move_onto_the_course_the_characters_were_found_on() {
        let truth = |i: f32| (100.0 + 20.0 * i, 50.0 + 0.002 * i * i);
        let (mut cells, scores) = drifted(truth);
        assert!(refit(&mut cells, &scores));
        assert_on_truth(&cells, truth, 0.05);
    }

    #[test]
    fn a_character_found_far_off_the_course_does_not_pull_it() {
        // Two well-read characters found seven pixels below where they are (a neighbour's
        // stroke matched): the course is fitted again without them.
        let truth = |i: f32| (100.0 + 20.0 * i, 50.0);
        let (mut cells, mut scores) = drifted(truth);
        for i in [21, 22] {
            scores[i].shift.1 += 7.0;
        }
        assert!(refit(&mut cells, &scores));
        assert_on_truth(&cells, truth, 0.02);
    }

    #[test]
    fn too_few_good_reads_leave_the_cells_alone() {
        let (mut cells, mut scores) = drifted(|i| (100.0 + 20.0 * i, 50.0));
        for s in scores.iter_mut().skip(MIN_FOUND - 1) {
            s.ranked[0].1 = 0.5;
        }
        let before: Vec<(f32, f32)> = cells.iter().map(|c| c.centre).collect();
        assert!(!refit(&mut cells, &scores));
        let after: Vec<(f32, f32)> = cells.iter().map(|c| c.centre).collect();
        assert_eq!(before, after);
    }
}
