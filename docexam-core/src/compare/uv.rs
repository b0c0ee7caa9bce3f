//! Under UV light: the fluorescent pattern is present and as on the reference (NCC of its
//! fine structure), fibres glow in the substrate at the reference's density, and the
//! substrate itself stays dull (ordinary paper with optical brighteners glows).

use super::ctx::{Ctx, heat_from_difference};
use super::result::{Measured, Outcome, Score};
use crate::raster::{ColourPlane, Plane};

/// A fluorescent pattern (an emblem): present and in place.
pub fn pattern(ctx: &Ctx<'_>) -> Outcome {
    let px = ctx.px_mm(4.0);
    let (a, b, _) = ctx.grey_pair(ctx.feature.rect_mm, px, 1.0);
    let (ha, hb) = (a.high_pass(4), b.high_pass(4));
    let n = crate::raster::ncc(&ha, &hb, a.v.len() / 4).ok_or("the region was not captured")?;
    Ok(Measured {
        scores: vec![Score::min("ncc", n, "1", 0.3)],
        heat_map: Some(heat_from_difference(&norm(&ha), &norm(&hb), 3.0)),
        note: None,
    })
}

/// Fluorescent fibres: the share of the region covered by bright, saturated strands
/// standing out from the substrate, against the reference's share.
pub fn fibres(ctx: &Ctx<'_>) -> Outcome {
    let px = ctx.px_mm(6.0);
    let (a, b, _) = ctx.colour_pair(ctx.feature.rect_mm, px, 0.0);
    let (da, db) = (fibre_share(&a), fibre_share(&b));
    let da = da.ok_or("the region was not captured")?;
    let db = db.ok_or("the region was not captured")?;
    if da < 1e-4 {
        return Err("the reference shows no fibres in the region".into());
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

/// The substrate's brightness under UV against the reference's (grey levels above it).
pub fn dull(ctx: &Ctx<'_>) -> Outcome {
    let px = ctx.px_mm(2.0);
    let (a, b, _) = ctx.grey_pair(ctx.feature.rect_mm, px, 0.0);
    let (Some(ra), Some(rb)) = (a.quantile(0.5), b.quantile(0.5)) else {
        return Err("the region was not captured".into());
    };
    Ok(Measured {
        scores: vec![Score::max(
            "substrate_brightening",
            f64::from(rb - ra),
            "grey levels",
            60.0,
        )],
        heat_map: None,
        note: Some(format!("substrate median {rb:.0}, reference {ra:.0}")),
    })
}

fn norm(p: &Plane) -> Plane {
    let s = crate::raster::mean_std(p).map_or(1.0, |(_, s)| s.max(1e-3)) as f32;
    Plane {
        v: p.v.iter().map(|v| v / s).collect(),
        ..p.clone()
    }
}

/// Share of valid pixels that are fibre: much brighter than the local substrate in their
/// brightest channel.
fn fibre_share(p: &ColourPlane) -> Option<f64> {
    let bright = Plane {
        width: p.width,
        height: p.height,
        v: p.px.iter().map(|c| c[0].max(c[1]).max(c[2])).collect(),
        valid: p.valid.clone(),
    };
    let local = bright.box_blur(6);
    let (mut n, mut hit) = (0usize, 0usize);
    for i in 0..p.px.len() {
        if !p.valid.get(i).copied().unwrap_or(false) {
            continue;
        }
        n += 1;
        let (Some(b), Some(l)) = (bright.v.get(i), local.v.get(i)) else {
            continue;
        };
        // Brightness only: JPEG's halved colour resolution bleeds a thin fibre's colour away.
        if b - l > 25.0 {
            hit += 1;
        }
    }
    (n > 0).then(|| hit as f64 / n as f64)
}
