//! Under IR light: inks meant to drop out do (the region shows no more structure than the
//! reference), and inks meant to stay do (the region keeps the reference's contrast).

use super::ctx::{Ctx, heat_from_difference};
use super::result::{Measured, Outcome, Score};
use crate::raster::{Plane, mean_std};

/// Drop-out inks: fine structure left in the region, relative to its brightness (%),
/// against the reference's; and how much of it is the drop-out print itself (the best
/// correlation of its fine structure with the white-light reference of the region, within
/// ±1.5 mm: ink that should have vanished, seen in place).
pub fn dropout(ctx: &Ctx<'_>) -> Outcome {
    let px = ctx.px_mm(8.0);
    let rect = ctx.feature.rect_mm;
    let (a, b, _) = ctx.grey_pair(rect, px, 0.0);
    let (sa, sb) = (structure(&a), structure(&b));
    let (Some(sa), Some(sb)) = (sa, sb) else {
        return Err("the region was not captured".into());
    };
    let mut scores = vec![Score::max("residual_structure", sb - sa, "%", 3.0)];
    if let Some(white) = ctx.white {
        let px = ctx.px_mm(6.0);
        let w = white.view().sample(rect, px).grey().high_pass(2);
        if let Some(best) = ctx.best_match(&w, rect, 1.5, 2) {
            scores.push(Score::max("dropout_print_ncc", best, "1", 0.3));
        }
    }
    Ok(Measured {
        scores,
        heat_map: Some(heat_from_difference(&a.high_pass(2), &b.high_pass(2), 40.0)),
        note: Some(format!("structure {sb:.2}% (reference {sa:.2}%)")),
    })
}

/// IR-visible inks: the region's contrast (spread of grey levels over the bright level)
/// over the reference's.
pub fn visible(ctx: &Ctx<'_>) -> Outcome {
    let px = ctx.px_mm(4.0);
    let (a, b, _) = ctx.grey_pair(ctx.feature.rect_mm, px, 0.0);
    let contrast = |p: &Plane| -> Option<f64> {
        let hi = f64::from(p.quantile(0.9)?);
        let lo = f64::from(p.quantile(0.03)?);
        (hi > 1.0).then(|| (hi - lo) / hi)
    };
    let (Some(ca), Some(cb)) = (contrast(&a), contrast(&b)) else {
        return Err("the region was not captured".into());
    };
    if ca < 0.05 {
        return Err("the reference shows no ink in the region".into());
    }
    Ok(Measured {
        scores: vec![Score::min("contrast_ratio", cb / ca, "1", 0.5)],
        heat_map: None,
        note: Some(format!("contrast {cb:.2} (reference {ca:.2})")),
    })
}

/// Standard deviation of the fine structure over the mean level, in %.
fn structure(p: &Plane) -> Option<f64> {
    let (m, _) = mean_std(p)?;
    let (_, s) = mean_std(&p.high_pass(2))?;
    (m > 1.0).then(|| 100.0 * s / m)
}
