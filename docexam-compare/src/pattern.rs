//! Background and guilloche, fine-line borders: masked zero-mean NCC and SSIM against the
//! reference, tile by tile (each tile aligned on its own, so a curved page is followed),
//! and line continuity: how much of the reference's fine-line energy the questioned print
//! keeps (a reprint breaks and blurs fine lines).

use rayon::prelude::*;

use super::inputs::{BLOCK_SEARCH_MM, FeatureInputs, heat_from_cells};
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{Plane, mean_std, ncc, quantile};

/// Tile side (mm).
const TILE_MM: f64 = 4.0;

/// How far (mm) each tile is aligned on its own, around its block's shift.
const TILE_SEARCH_MM: f64 = 0.35;

/// How far (mm) blocks of tiles are aligned first on a fine registration. A fine fit is
/// exact where its inliers lie; towards the document's edges it extrapolates, and under
/// perspective or a curl the edges can lie further off than a tile's own search reaches (a
/// border along the top edge 0.4–0.7 mm off, every tile's correlation 0.1–0.3 instead of
/// some 0.6). A coarse registration's blocks move up to [`BLOCK_SEARCH_MM`].
const FINE_BLOCK_SEARCH_MM: f64 = 0.75;

/// Least share of a tile that must be compared (captured and not masked).
const MIN_VALID_SHARE: f64 = 0.5;

/// Compares a fine-line pattern.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(8.0);
    let r = ctx.feature.rect_mm;
    let cols = (r[2] / TILE_MM).floor().max(1.0) as usize;
    let rows = (r[3] / TILE_MM).floor().max(1.0) as usize;
    let (tw, th) = (r[2] / cols as f64, r[3] / rows as f64);
    // Blocks of three by three tiles are aligned first: within the residual of a coarse
    // registration, within what a fine one leaves at the document's edges.
    let (bcols, brows) = (cols.div_ceil(3), rows.div_ceil(3));
    let tile = |i: usize| {
        [
            r[0] + (i % cols) as f64 * tw,
            r[1] + (i / cols) as f64 * th,
            tw,
            th,
        ]
    };
    let block_of = |i: usize| (i / cols) / 3 * bcols + (i % cols) / 3;
    // Tiles mostly masked (personalised zones) are passed over before anything is sampled:
    // their pairs could only come out under half valid, which is not compared below.
    let live: Vec<bool> = (0..cols * rows)
        .into_par_iter()
        .map(|i| ctx.unmasked_share(tile(i), px) >= MIN_VALID_SHARE)
        .collect();
    let mut block_live = vec![false; bcols * brows];
    for (i, _) in live.iter().enumerate().filter(|(_, l)| **l) {
        if let Some(b) = block_live.get_mut(block_of(i)) {
            *b = true;
        }
    }
    let offsets: Vec<(f64, f64)> = (0..bcols * brows)
        .into_par_iter()
        .map(|b| {
            if !block_live.get(b).copied().unwrap_or(false) {
                return (0.0, 0.0);
            }
            let (bx, by) = (b % bcols, b / bcols);
            let rect = [
                r[0] + (bx * 3) as f64 * tw,
                r[1] + (by * 3) as f64 * th,
                (3.0 * tw).min(r[0] + r[2] - (r[0] + (bx * 3) as f64 * tw)),
                (3.0 * th).min(r[1] + r[3] - (r[1] + (by * 3) as f64 * th)),
            ];
            let search = if ctx.fine() {
                FINE_BLOCK_SEARCH_MM
            } else {
                BLOCK_SEARCH_MM
            };
            ctx.block_offset_within(rect, search)
        })
        .collect();
    let cells: Vec<Option<(f64, f64, f64)>> = (0..cols * rows)
        .into_par_iter()
        .map(|i| {
            if !live.get(i).copied().unwrap_or(false) {
                return None;
            }
            let o = offsets.get(block_of(i)).copied().unwrap_or((0.0, 0.0));
            let (a, b, _) = ctx.colour_pair_at(tile(i), px, TILE_SEARCH_MM, o);
            let (a, b) = (a.grey(), b.grey());
            if a.valid_share() < MIN_VALID_SHARE {
                return None;
            }
            let (ra, rb) = (a.high_pass(2), b.high_pass(2));
            let n = ncc(&ra, &rb, a.v.len() / 2)?;
            let (ea, eb) = (ra.rms()?, rb.rms()?);
            if ea < 2.0 {
                // A plain tile of the reference: nothing to compare.
                return None;
            }
            Some((n, ssim(&a, &b)?, eb / ea))
        })
        .collect();
    let mut nccs: Vec<f32> = cells.iter().flatten().map(|c| c.0 as f32).collect();
    if nccs.len() < 2 {
        return Err("too few patterned tiles of the region were captured".into());
    }
    let mut ssims: Vec<f32> = cells.iter().flatten().map(|c| c.1 as f32).collect();
    let mut cont: Vec<f32> = cells.iter().flatten().map(|c| c.2 as f32).collect();
    let median = |v: &mut [f32]| f64::from(quantile(v, 0.5).unwrap_or(0.0));
    let heat: Vec<Option<f64>> = cells
        .iter()
        .map(|c| c.map(|c| ((0.9 - c.0) / 0.9).clamp(0.0, 1.0)))
        .collect();
    let mut scores = vec![
        Score::min("ncc", median(&mut nccs), "1", 0.3),
        Score::min("ssim", median(&mut ssims), "1", 0.2),
        Score::min("line_continuity", median(&mut cont).sqrt(), "1", 0.4),
    ];
    let live_offsets: Vec<(f64, f64)> = offsets
        .iter()
        .zip(&block_live)
        .filter(|(_, l)| **l)
        .map(|(o, _)| *o)
        .collect();
    if let Some(d) = shift_spread(&live_offsets) {
        scores.push(
            Score::max("block_shift_mm", d, "mm", MAX_BLOCK_SHIFT_MM)
                .spread_at_least(BLOCK_SHIFT_SPREAD_MM),
        );
    }
    Ok(Measured {
        scores,
        heat_map: Some(heat_from_cells(&heat, cols, rows, 8)),
        note: Some(format!(
            "{} tiles of {TILE_MM} mm compared in {} blocks",
            nccs.len(),
            live_offsets.len()
        )),
    })
}

/// Largest spread (mm) of the blocks' own alignments by default: beyond what a fine
/// registration lets a block move (blocks of little texture can land anywhere within it),
/// so that only a calibration on genuine exemplars sets a tighter limit.
const MAX_BLOCK_SHIFT_MM: f64 = 1.0;

/// Least genuine spread of the blocks' alignments (mm).
const BLOCK_SHIFT_SPREAD_MM: f64 = 0.04;

/// How far the blocks' own alignments spread (mm): the 90th percentile of their distances
/// from the median alignment. On a genuine document every block of the pattern lies where
/// the registration puts it, give or take the page's curve; a background redrawn a few per
/// cent off in scale or a degree off in angle needs each block moved its own way, which the
/// per-block alignment would otherwise absorb. None with fewer than three blocks.
fn shift_spread(offsets: &[(f64, f64)]) -> Option<f64> {
    if offsets.len() < 3 {
        return None;
    }
    let mut xs: Vec<f64> = offsets.iter().map(|o| o.0).collect();
    let mut ys: Vec<f64> = offsets.iter().map(|o| o.1).collect();
    xs.sort_by(f64::total_cmp);
    ys.sort_by(f64::total_cmp);
    let (mx, my) = (*xs.get(xs.len() / 2)?, *ys.get(ys.len() / 2)?);
    let mut d: Vec<f64> = offsets
        .iter()
        .map(|o| ((o.0 - mx).powi(2) + (o.1 - my).powi(2)).sqrt())
        .collect();
    d.sort_by(f64::total_cmp);
    d.get(((d.len() - 1) as f64 * 0.9).round() as usize)
        .copied()
}

/// SSIM of two planes over their common valid pixels, after scaling `b` to `a`'s mean (the
/// light falling on a capture is not the print).
fn ssim(a: &Plane, b: &Plane) -> Option<f64> {
    let (ma, _) = mean_std(a)?;
    let (mb, _) = mean_std(b)?;
    if mb < 1.0 {
        return None;
    }
    let g = ma / mb;
    let (mut n, mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for i in 0..a.v.len() {
        if !(a.valid.get(i).copied().unwrap_or(false) && b.valid.get(i).copied().unwrap_or(false)) {
            continue;
        }
        let (x, y) = (
            f64::from(a.v.get(i).copied().unwrap_or(0.0)),
            f64::from(b.v.get(i).copied().unwrap_or(0.0)) * g,
        );
        n += 1.0;
        sa += x;
        sb += y;
        saa += x * x;
        sbb += y * y;
        sab += x * y;
    }
    if n < 4.0 {
        return None;
    }
    let (mx, my) = (sa / n, sb / n);
    let (vx, vy, cxy) = (saa / n - mx * mx, sbb / n - my * my, sab / n - mx * my);
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    Some(((2.0 * mx * my + c1) * (2.0 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_moved_their_own_way_spread_and_a_common_shift_does_not() {
        let common: Vec<(f64, f64)> = (0..9).map(|_| (0.3, -0.2)).collect();
        assert_eq!(shift_spread(&common), Some(0.0));
        // A pattern 3% larger: blocks 12 mm apart drift by 0.36 mm per block.
        let scaled: Vec<(f64, f64)> = (0..9)
            .map(|i| {
                (
                    0.36 * f64::from(i % 3) - 0.36,
                    0.36 * f64::from(i / 3) - 0.36,
                )
            })
            .collect();
        assert!(shift_spread(&scaled).is_some_and(|d| d > 0.3));
        assert_eq!(shift_spread(&common[..2]), None);
    }
}
