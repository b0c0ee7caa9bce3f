//! The OVD (hologram, kinegram) window: its diffractive pattern is there (the structure of
//! its fine lines against the reference, whatever colours this capture's angle shows) and
//! it shows the colour play of a diffractive surface (spread of hue across the window).

use super::colour::lab;
use super::inputs::FeatureInputs;
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{ColourPlane, ncc};

/// Compares the OVD window.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(8.0);
    let (a, b, _) = ctx.colour_pair(ctx.feature.rect_mm, px, 0.4);
    // Structure: gradient magnitude of the grey planes (colour-blind).
    let (ga, gb) = (a.grey().high_pass(1), b.grey().high_pass(1));
    let grad = |p: &docexam_base::raster::Plane| docexam_base::raster::Plane {
        v: p.v.iter().map(|v| v.abs()).collect(),
        ..p.clone()
    };
    let s = ncc(&grad(&ga), &grad(&gb), a.px.len() / 3).ok_or("the window was not captured")?;
    let (ca, cb) = (chroma_spread(&a), chroma_spread(&b));
    let (Some(ca), Some(cb)) = (ca, cb) else {
        return Err("the window was not captured".into());
    };
    Ok(Measured {
        scores: vec![
            Score::min("structure_ncc", s, "1", 0.3),
            Score::min("colour_play_ratio", cb / ca.max(1e-3), "1", 0.3),
        ],
        heat_map: None,
        note: Some(format!("chroma spread {cb:.1} (reference {ca:.1})")),
    })
}

/// Standard deviation of a* and b* across the valid pixels.
fn chroma_spread(p: &ColourPlane) -> Option<f64> {
    let labs: Vec<[f64; 3]> =
        p.px.iter()
            .zip(&p.valid)
            .filter(|(_, v)| **v)
            .map(|(c, _)| lab(c.map(f64::from)))
            .collect();
    if labs.len() < 8 {
        return None;
    }
    let n = labs.len() as f64;
    let (ma, mb) = labs
        .iter()
        .fold((0.0, 0.0), |s, l| (s.0 + l[1], s.1 + l[2]));
    let (ma, mb) = (ma / n, mb / n);
    let var = labs
        .iter()
        .map(|l| (l[1] - ma).powi(2) + (l[2] - mb).powi(2))
        .sum::<f64>()
        / n;
    Some(var.sqrt())
}
