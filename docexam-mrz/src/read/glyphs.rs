//! OCR-B character templates, rendered from the vendored public-domain font on first use.
//!
//! Every template shares one frame: the glyph's cap height is [`CAP`] pixels, its advance is
//! centred horizontally, and the middle of the cap height sits at row [`MID`]. Windows cut
//! from a page are sampled in the same frame, so a template and a window compare pixel by
//! pixel.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, point};

/// The OCR-B font (Debian `fonts-ocr-b`, public domain).
pub const OCRB_FONT: &[u8] = include_bytes!("../../fonts/OCRB.otf");

/// The characters an MRZ holds, in template order.
pub(super) const ALPHABET: &[u8; 37] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

/// Cap height of a template, in pixels.
pub(super) const CAP: f32 = 20.0;
/// Template width in pixels (the OCR-B advance at this size is about 20.6 pixels).
pub(super) const TW: usize = 24;
/// Template height in pixels.
pub(super) const TH: usize = 28;
/// Row of the middle of the cap height.
pub(super) const MID: f32 = 14.0;
/// Column of the middle of the advance.
pub(super) const CENTRE: f32 = TW as f32 / 2.0;

/// One character's template: ink coverage, zero-mean and unit-norm, plus its ink centroid.
pub(super) struct Template {
    /// The character.
    pub ch: u8,
    /// TW × TH values, zero mean, unit norm.
    pub norm: Vec<f32>,
    /// TW × TH ink, softened and less its background opening as every window is (for a
    /// template made [`Template::from_ink`], the mean of a document's own windows).
    pub ink: Vec<f32>,
    /// Column of the ink centroid.
    pub cx: f32,
}

/// The template set (rendered once per process).
pub(super) fn templates() -> &'static [Template] {
    static SET: OnceLock<Vec<Template>> = OnceLock::new();
    SET.get_or_init(render_all)
}

impl Template {
    /// A template from ink coverage in the template frame (e.g. the mean of a document's own
    /// glyphs); `None` for a blank one.
    pub fn from_ink(ch: u8, ink: Vec<f32>) -> Option<Template> {
        let norm = normalise(&ink)?;
        let cx = centroid_x(&ink, TW);
        Some(Template { ch, norm, ink, cx })
    }
}

fn render_all() -> Vec<Template> {
    let Ok(font) = FontRef::try_from_slice(OCRB_FONT) else {
        return Vec::new();
    };
    // Scale so that the cap height (top of `H` above the baseline) is CAP pixels.
    let h_id = font.glyph_id('H');
    let cap_units = font
        .outline(h_id)
        .map_or(701.0, |o| o.bounds.max.y.max(o.bounds.min.y));
    let height_units = font.height_unscaled();
    let scale = PxScale::from(CAP * height_units / cap_units);
    let px_per_unit = CAP / cap_units;
    let baseline = MID + CAP / 2.0;
    ALPHABET
        .iter()
        .map(|&ch| {
            let id = font.glyph_id(char::from(ch));
            let advance = font.h_advance_unscaled(id) * px_per_unit;
            let glyph = id.with_scale_and_position(scale, point(CENTRE - advance / 2.0, baseline));
            let mut ink = vec![0f32; TW * TH];
            if let Some(outlined) = font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|x, y, c| {
                    let px = b.min.x as i64 + i64::from(x);
                    let py = b.min.y as i64 + i64::from(y);
                    if (0..TW as i64).contains(&px)
                        && (0..TH as i64).contains(&py)
                        && let Some(v) = ink.get_mut(py as usize * TW + px as usize)
                    {
                        *v = c.clamp(0.0, 1.0);
                    }
                });
            }
            // Softened as print and scan soften edges, then with its background opened away
            // as every window's is.
            let ink = super::classify::top_hat(&soften(&ink));
            let cx = centroid_x(&ink, TW);
            Template {
                ch,
                norm: normalise(&ink).unwrap_or_else(|| vec![0.0; TW * TH]),
                ink,
                cx,
            }
        })
        .collect()
}

/// A light 3 × 3 blur (weights 1-2-1), as a print and a scan soften edges.
fn soften(v: &[f32]) -> Vec<f32> {
    let at = |x: i64, y: i64| -> f32 {
        if (0..TW as i64).contains(&x) && (0..TH as i64).contains(&y) {
            v.get(y as usize * TW + x as usize).copied().unwrap_or(0.0)
        } else {
            0.0
        }
    };
    let mut out = vec![0f32; v.len()];
    for y in 0..TH as i64 {
        for x in 0..TW as i64 {
            let mut s = 0.0;
            for (dy, wy) in [(-1, 1.0), (0, 2.0), (1, 1.0)] {
                for (dx, wx) in [(-1, 1.0), (0, 2.0), (1, 1.0)] {
                    s += wy * wx * at(x + dx, y + dy);
                }
            }
            if let Some(o) = out.get_mut(y as usize * TW + x as usize) {
                *o = s / 16.0;
            }
        }
    }
    out
}

/// Column of the ink centroid of a `width`-wide image (the centre when there is no ink).
pub(super) fn centroid_x(ink: &[f32], width: usize) -> f32 {
    let (mut s, mut sx) = (0f32, 0f32);
    for (i, &v) in ink.iter().enumerate() {
        s += v;
        sx += v * (i % width) as f32;
    }
    if s > 1e-6 { sx / s } else { width as f32 / 2.0 }
}

/// Zero mean, unit norm; `None` for a flat image.
pub(super) fn normalise(v: &[f32]) -> Option<Vec<f32>> {
    let n = v.len() as f32;
    let mean = v.iter().sum::<f32>() / n;
    let norm = v
        .iter()
        .map(|x| (x - mean) * (x - mean))
        .sum::<f32>()
        .sqrt();
    (norm > 1e-4).then(|| v.iter().map(|x| (x - mean) / norm).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_has_a_distinct_template() {
        let t = templates();
        assert_eq!(t.len(), 37);
        for a in t {
            let self_ncc: f32 = a.norm.iter().map(|x| x * x).sum();
            assert!((self_ncc - 1.0).abs() < 1e-3, "{}", char::from(a.ch));
            for b in t.iter().filter(|b| b.ch != a.ch) {
                let ncc: f32 = a.norm.iter().zip(&b.norm).map(|(x, y)| x * y).sum();
                assert!(
                    ncc < 0.95,
                    "{} and {} look alike: {ncc}",
                    char::from(a.ch),
                    char::from(b.ch)
                );
            }
        }
    }
}
