//! A capture that holds no colour: a greyscale scan (or a colour file of a greyscale scan)
//! cannot show a colour, so the colour of a region is not checked on it rather than failed.
//! Without this, a greyscale capture of a genuine passport reads as forged: its rainbow print
//! and its OVD are "off in colour" by the whole of their colour.

use super::inputs::FeatureInputs;

/// Mean spread between the channels (grey levels, 0–255) at or below which a region holds no
/// colour: sensor noise and JPEG chroma subsampling of a greyscale scan stay well under it.
const GREY_SPREAD: f32 = 2.5;

/// Mean spread between the channels above which the reference region is coloured.
const COLOURED_SPREAD: f32 = 8.0;

/// Mean of the largest difference between two channels over the valid pixels.
fn spread(px: &[[f32; 3]], valid: &[bool]) -> Option<f32> {
    let (mut sum, mut n) = (0f32, 0u32);
    for (p, _) in px.iter().zip(valid).filter(|(_, v)| **v) {
        let [r, g, b] = *p;
        sum += (r - g).abs().max((g - b).abs()).max((r - b).abs());
        n += 1;
    }
    (n > 0).then(|| sum / n as f32)
}

/// Why the colour of the feature's region cannot be checked on this capture, if it cannot:
/// the reference region is coloured and the questioned capture holds no colour anywhere on
/// the document. The whole page is judged, not the region: a counterfeit whose rainbow print
/// came out grey on a colour capture is measured (and fails), not excused.
pub(super) fn reason(ctx: &FeatureInputs<'_>) -> Option<String> {
    let (reference, _, _) = ctx.colour_pair(ctx.feature.rect_mm, 2.0, 0.0);
    let r = spread(&reference.px, &reference.valid)?;
    if r <= COLOURED_SPREAD {
        return None;
    }
    let (w, h) = ctx.reference.size_mm;
    let (_, page, _) = ctx.colour_pair([0.0, 0.0, w, h], 1.0, 0.0);
    let q = spread(&page.px, &page.valid)?;
    (q <= GREY_SPREAD).then(|| {
        format!(
            "the capture holds no colour (its channels differ by {q:.1} grey levels on average \
             over the document, the specimen's by {r:.1} here): a greyscale scan; colour not \
             checked"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn grey_pixels_have_no_spread_and_coloured_ones_do() {
        let grey = vec![[120.0, 120.5, 119.5]; 10];
        let coloured = vec![[200.0, 120.0, 40.0]; 10];
        let valid = vec![true; 10];
        assert!(spread(&grey, &valid).is_some_and(|s| s <= super::GREY_SPREAD));
        assert!(spread(&coloured, &valid).is_some_and(|s| s > super::COLOURED_SPREAD));
        assert_eq!(spread(&grey, &[false; 10]), None);
    }
}
