//! Microprint: along the line, segment by segment (each aligned on its own), how well the
//! questioned print correlates with the reference at the finest resolution the capture has,
//! and how much of the reference's resolvable high-frequency energy it keeps (a reprint or a
//! photocopy loses it).

use rayon::prelude::*;

use super::inputs::{FeatureInputs, heat_from_cells};
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{ncc, quantile};

/// Segment length along the line (mm).
const SEGMENT_MM: f64 = 8.0;

/// Compares a microprint line.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(16.0);
    if px < 7.0 {
        return Err(format!(
            "the capture resolves {px:.1} px/mm, too few for 0.25 mm microprint (7 needed)"
        ));
    }
    let r = ctx.feature.rect_mm;
    let horizontal = r[2] >= r[3];
    let (len, across) = if horizontal {
        (r[2], r[3])
    } else {
        (r[3], r[2])
    };
    let n = (len / SEGMENT_MM).floor().max(1.0) as usize;
    let seg = len / n as f64;
    // A margin across the line so that the alignment can move it.
    let pad = 0.3;
    let cells: Vec<Option<(f64, f64)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let rect = if horizontal {
                [r[0] + i as f64 * seg, r[1] - pad, seg, across + 2.0 * pad]
            } else {
                [r[0] - pad, r[1] + i as f64 * seg, across + 2.0 * pad, seg]
            };
            let (a, b, _) = ctx.grey_pair(rect, px, 0.4);
            if a.valid_share() < 0.6 {
                return None;
            }
            let (ha, hb) = (a.high_pass(1), b.high_pass(1));
            let c = ncc(&ha, &hb, a.v.len() / 2)?;
            // Energy relative to the local level, so the light on the capture cancels.
            let level = |p: &docexam_base::raster::Plane| {
                p.quantile(0.9).map_or(1.0, |v| f64::from(v).max(1.0))
            };
            let ea = ha.rms().unwrap_or(0.0) / level(&a);
            if ea < 1e-3 {
                return None;
            }
            Some((c, (hb.rms().unwrap_or(0.0) / level(&b)) / ea))
        })
        .collect();
    let mut c: Vec<f32> = cells.iter().flatten().map(|v| v.0 as f32).collect();
    let mut hf: Vec<f32> = cells.iter().flatten().map(|v| v.1 as f32).collect();
    if c.is_empty() {
        return Err("no segment of the line was captured".into());
    }
    let heat: Vec<Option<f64>> = cells
        .iter()
        .map(|v| v.map(|v| ((0.8 - v.0) / 0.8).clamp(0.0, 1.0)))
        .collect();
    let (cols, rows) = if horizontal { (n, 1) } else { (1, n) };
    Ok(Measured {
        scores: vec![
            Score::min(
                "ncc",
                f64::from(quantile(&mut c, 0.5).unwrap_or(0.0)),
                "1",
                0.3,
            ),
            Score::min(
                "hf_energy_ratio",
                f64::from(quantile(&mut hf, 0.5).unwrap_or(0.0)),
                "1",
                0.4,
            ),
        ],
        heat_map: Some(heat_from_cells(&heat, cols, rows, 16)),
        note: Some(format!("{} segments at {px:.1} px/mm", c.len())),
    })
}
