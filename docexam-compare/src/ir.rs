//! Under IR light: inks meant to drop out do (the region shows no more structure than the
//! reference), and inks meant to stay do (the region keeps the reference's contrast).

use super::inputs::{FeatureInputs, heat_from_difference};
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{Plane, mean_std, quantile};

/// Drop-out inks: fine structure left in the region, relative to its brightness (%),
/// against the reference's; and how much of it is the drop-out print itself (the best
/// correlation of its fine structure with the white-light reference of the region, within
/// ±1 mm: ink that should have vanished, seen in place). Personalised zones are left out of
/// both: their inks stay under IR.
pub fn dropout(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(STRUCTURE_PX_MM);
    let rect = ctx.feature.rect_mm;
    let (a, b, _) = ctx.grey_pair(rect, px, 0.0);
    let (ha, hb) = (a.high_pass(2), b.high_pass(2));
    let (sa, sb) = (structure(&a, &ha), structure(&b, &hb));
    let (Some(sa), Some(sb)) = (sa, sb) else {
        return Err("the region was not captured".into());
    };
    let mut scores = vec![Score::max("residual_structure", sb - sa, "%", 3.0)];
    if let Some(white) = ctx.white {
        let px = ctx.px_mm(DROPOUT_MATCH_PX_MM);
        let mut w = white.view().sample(rect, px).grey();
        ctx.mask(&mut w, rect, px);
        let w = w.high_pass(2);
        // A fine registration leaves the print within a fraction of a millimetre.
        let search = if ctx.fine() {
            DROPOUT_SEARCH_FINE_MM
        } else {
            DROPOUT_SEARCH_MM
        };
        if let Some(best) = ctx.best_match(&w, rect, search, 2) {
            scores.push(Score::max("dropout_print_ncc", best, "1", 0.3));
        }
    }
    Ok(Measured {
        scores,
        heat_map: Some(heat_from_difference(&ha, &hb, 40.0)),
        note: Some(format!("structure {sb:.2}% (reference {sa:.2}%)")),
    })
}

/// Resolution (px/mm) the residual structure is measured at: fine enough for a
/// background's lines to show as texture, coarse enough to cover a whole page quickly.
const STRUCTURE_PX_MM: f64 = 6.0;

/// How far (mm) the drop-out print is looked for when the capture was registered finely.
const DROPOUT_SEARCH_FINE_MM: f64 = 0.4;

/// Resolution (px/mm) the drop-out print is looked for at.
const DROPOUT_MATCH_PX_MM: f64 = 5.0;

/// How far (mm) the drop-out print is looked for around its place: an IR capture is
/// registered on little content, so more loosely than a white one.
const DROPOUT_SEARCH_MM: f64 = 1.0;

/// IR-visible inks: the region's contrast (spread of grey levels over the bright level)
/// over the reference's, part by part along the region (a shadow's edge or a glare spot
/// changes the light within it), the median of the parts.
pub fn visible(ctx: &FeatureInputs<'_>) -> Measurement {
    let px = ctx.px_mm(4.0);
    let r = ctx.feature.rect_mm;
    let horizontal = r[2] >= r[3];
    let parts =
        ((if horizontal { r[2] / r[3] } else { r[3] / r[2] }).round() as usize).clamp(1, 12);
    let contrast = |p: &Plane| -> Option<f64> {
        let hi = f64::from(p.quantile(0.9)?);
        let lo = f64::from(p.quantile(0.03)?);
        (hi > 1.0).then(|| (hi - lo) / hi)
    };
    let mut ratios: Vec<f32> = Vec::new();
    let (mut cq, mut cr) = (Vec::new(), Vec::new());
    for k in 0..parts {
        let t = k as f64 / parts as f64;
        let part = if horizontal {
            [r[0] + t * r[2], r[1], r[2] / parts as f64, r[3]]
        } else {
            [r[0], r[1] + t * r[3], r[2], r[3] / parts as f64]
        };
        let (a, b, _) = ctx.grey_pair(part, px, 0.0);
        if a.valid_share() < 0.5 {
            continue;
        }
        let (Some(ca), Some(cb)) = (contrast(&a), contrast(&b)) else {
            continue;
        };
        if ca < 0.05 {
            continue;
        }
        ratios.push((cb / ca) as f32);
        cq.push(cb as f32);
        cr.push(ca as f32);
    }
    let Some(ratio) = quantile(&mut ratios, 0.5) else {
        return Err("the reference shows no ink in the region, or it was not captured".into());
    };
    Ok(Measured {
        scores: vec![Score::min("contrast_ratio", f64::from(ratio), "1", 0.5)],
        heat_map: None,
        note: Some(format!(
            "contrast {:.2} (reference {:.2}), median of {} parts",
            quantile(&mut cq, 0.5).unwrap_or(0.0),
            quantile(&mut cr, 0.5).unwrap_or(0.0),
            ratios.len()
        )),
    })
}

/// Standard deviation of the fine structure (`high`, the high-passed `p`) over the mean
/// level of `p`, in %.
fn structure(p: &Plane, high: &Plane) -> Option<f64> {
    let (m, _) = mean_std(p)?;
    let (_, s) = mean_std(high)?;
    (m > 1.0).then(|| 100.0 * s / m)
}
