//! Under UV light: the fluorescent pattern is present and as on the reference (NCC of its
//! fine structure), fibres glow in the substrate at the reference's density, and the
//! substrate itself stays dull (ordinary paper with optical brighteners glows).

use super::inputs::{FeatureInputs, heat_from_difference};
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{ColourPlane, Plane, quantile};

/// A fluorescent pattern (an emblem): present and in place.
pub fn pattern(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(4.0);
    let (a, b, _) = ctx.grey_pair(ctx.feature.rect_mm, px, 1.0);
    let (ha, hb) = (a.high_pass(4), b.high_pass(4));
    let n =
        docexam_base::raster::ncc(&ha, &hb, a.v.len() / 4).ok_or("the region was not captured")?;
    Ok(Measured {
        scores: vec![Score::min("ncc", n, "1", 0.3)],
        heat_map: Some(heat_from_difference(&norm(&ha), &norm(&hb), 3.0)),
        note: None,
    })
}

/// Fluorescent fibres: the share of the region covered by bright, saturated strands
/// standing out from the substrate, against the reference's share.
pub fn fibres(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(6.0);
    let (a, b, _) = ctx.colour_pair(ctx.feature.rect_mm, px, 0.0);
    let substrate = a.grey().quantile(0.5);
    let (da, _) = fibre_share(&a, None).ok_or("the region was not captured")?;
    let (db, seen) = fibre_share(&b, substrate).ok_or("the region was not captured")?;
    if da < 1e-4 {
        return Err("the reference shows no fibres in the region".into());
    }
    if seen < 0.5 {
        return Err(format!(
            "the substrate is much brighter than the reference's over {:.0}% of the region \
             (glare, a reflection or glowing paper): fibres cannot be counted there",
            100.0 * (1.0 - seen)
        ));
    }
    Ok(Measured {
        scores: vec![Score::min("fibre_density_ratio", db / da, "1", 0.3)],
        heat_map: None,
        note: Some(format!(
            "fibres cover {:.2}% (reference {:.2}%)",
            db * 100.0,
            da * 100.0
        )),
    })
}

/// Side of the cells the substrate is measured in (mm): small enough that a glare spot or a
/// reflection band covering most of a narrow region still leaves a cell it lifts little (with
/// 5 mm cells a band along a 10 mm region lifted every cell), large enough (25 pixels at the
/// comparison's 2 px/mm) that a cell's median is not the capture's noise.
const DULL_CELL_MM: f64 = 2.5;

/// The substrate's brightness under UV against the reference's (grey levels above it), cell
/// by cell: each cell's median against the reference's, and of those the least brightened
/// cell. Paper with optical brighteners glows all over, so every cell rises; a glare spot, a
/// laminate reflection or the scanner bed raises only some of them, often most of a narrow
/// region (a lower quartile still counted a spot over three quarters of it as glow). A shadow
/// lowers cells, which can only hide part of a glow that lifts a whole page by far more.
pub fn dull(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(2.0);
    let r = ctx.feature.rect_mm;
    let cols = (r[2] / DULL_CELL_MM).round().max(1.0) as usize;
    let rows = (r[3] / DULL_CELL_MM).round().max(1.0) as usize;
    let (cw, ch) = (r[2] / cols as f64, r[3] / rows as f64);
    let mut lift: Vec<f32> = Vec::new();
    let (mut levels_q, mut levels_r) = (Vec::new(), Vec::new());
    for j in 0..rows {
        for i in 0..cols {
            let cell = [r[0] + i as f64 * cw, r[1] + j as f64 * ch, cw, ch];
            let (a, b, _) = ctx.grey_pair(cell, px, 0.0);
            if a.valid_share() < 0.5 {
                continue;
            }
            let (Some(ra), Some(rb)) = (a.quantile(0.5), b.quantile(0.5)) else {
                continue;
            };
            lift.push(rb - ra);
            levels_q.push(rb);
            levels_r.push(ra);
        }
    }
    let n = lift.len();
    let Some(least) = lift.iter().copied().min_by(f32::total_cmp) else {
        return Err("the region was not captured".into());
    };
    let (mq, mr) = (
        quantile(&mut levels_q, 0.5).unwrap_or(0.0),
        quantile(&mut levels_r, 0.5).unwrap_or(0.0),
    );
    Ok(Measured {
        scores: vec![Score::max(
            "substrate_brightening",
            f64::from(least),
            "grey levels",
            60.0,
        )],
        heat_map: None,
        note: Some(format!(
            "substrate median {mq:.0}, reference {mr:.0}, over {n} cells of {DULL_CELL_MM} mm"
        )),
    })
}

fn norm(p: &Plane) -> Plane {
    let s = docexam_base::raster::mean_std(p).map_or(1.0, |(_, s)| s.max(1e-3)) as f32;
    Plane {
        v: p.v.iter().map(|v| v / s).collect(),
        ..p.clone()
    }
}

/// Share of the valid pixels that are fibre: brighter than the local substrate, in their
/// brightest channel, by more than [`FIBRE_CONTRAST`] of the substrate's own level (a shadow
/// dims fibre and substrate alike). `substrate` is where the comparison expects the
/// substrate: pixels whose neighbourhood is much brighter (glare, a reflection, paper that
/// glows) cannot show a fibre and are not counted.
fn fibre_share(p: &ColourPlane, substrate: Option<f32>) -> Option<(f64, f64)> {
    let bright = Plane {
        width: p.width,
        height: p.height,
        v: p.px.iter().map(|c| c[0].max(c[1]).max(c[2])).collect(),
        valid: p.valid.clone(),
    };
    let local = bright.box_blur(6);
    let (mut n, mut hit, mut total) = (0usize, 0usize, 0usize);
    for i in 0..p.px.len() {
        if !p.valid.get(i).copied().unwrap_or(false) {
            continue;
        }
        total += 1;
        let (Some(b), Some(l)) = (bright.v.get(i), local.v.get(i)) else {
            continue;
        };
        if substrate.is_some_and(|s| *l > 1.6 * s + 25.0) {
            continue;
        }
        n += 1;
        // Brightness only: JPEG's halved colour resolution bleeds a thin fibre's colour away.
        if b - l > FIBRE_CONTRAST * l.max(FIBRE_FLOOR) {
            hit += 1;
        }
    }
    (n > 0).then(|| (hit as f64 / n as f64, n as f64 / total.max(1) as f64))
}

/// How much brighter than its local substrate a fibre pixel is, as a share of the
/// substrate's level.
const FIBRE_CONTRAST: f32 = 0.45;

/// Lowest substrate level the fibre contrast is measured against (grey levels): on a very
/// dark substrate, noise alone would pass a share of nothing.
const FIBRE_FLOOR: f32 = 40.0;
