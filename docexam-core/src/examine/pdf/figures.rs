//! Pictures for the report: a capture with the specimen's features outlined in the colour of
//! their status, and a feature's region in the questioned document beside the reference's,
//! sampled at the same scale, with the difference heat map.

use std::sync::Arc;

use image::{GrayImage, RgbImage, imageops::FilterType};

use crate::compare::{FeatureResult, Status};
use crate::raster::{Homography, Pyramid};
use crate::register::ReferenceImage;
use crate::specimen::RectMm;

use super::layout::{AMBER, GREEN, RED, Rgb, SLATE};

/// Longest side of a capture embedded in the report.
pub const OVERVIEW_SIDE: u32 = 1600;
/// Longest side of one crop of a feature's region.
pub const CROP_SIDE: u32 = 520;

/// The colour of a status.
pub fn status_colour(s: Status) -> Rgb {
    match s {
        Status::Pass => GREEN,
        Status::Fail => RED,
        Status::Inconclusive => AMBER,
        Status::NotApplicable => SLATE,
    }
}

/// A picture encoded as JPEG, with its size in pixels.
#[derive(Debug)]
pub struct Jpeg {
    /// The JPEG bytes.
    pub data: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// `img` as JPEG (quality 85).
pub fn jpeg(img: &RgbImage) -> Arc<Jpeg> {
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    if enc
        .encode(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .is_err()
    {
        out.clear();
    }
    Arc::new(Jpeg {
        data: out,
        width: img.width(),
        height: img.height(),
    })
}

/// `img` scaled down so that its longest side is at most `side` pixels (and, when it was
/// larger, at least three eighths of it); the factor applied. Halved by 2 × 2 means while the
/// half is still at least three quarters of `side` (fast, and a picture that size is sharp
/// enough for a page), then filtered down to `side` if still larger.
pub fn shrink(img: &RgbImage, side: u32) -> (RgbImage, f64) {
    let long = img.width().max(img.height());
    if long <= side {
        return (img.clone(), 1.0);
    }
    let mut half: Option<RgbImage> = None;
    loop {
        let cur = half.as_ref().unwrap_or(img);
        if cur.width().max(cur.height()) / 2 < side * 3 / 4 || cur.width().min(cur.height()) < 2 {
            break;
        }
        half = Some(crate::raster::pyramid::halve(cur));
    }
    let base = half.as_ref().unwrap_or(img);
    let base_long = base.width().max(base.height());
    if base_long <= side {
        let s = f64::from(base_long) / f64::from(long);
        return (half.unwrap_or_else(|| img.clone()), s);
    }
    let s = f64::from(side) / f64::from(long);
    let w = ((f64::from(img.width()) * s).round() as u32).max(1);
    let h = ((f64::from(img.height()) * s).round() as u32).max(1);
    (image::imageops::resize(base, w, h, FilterType::Triangle), s)
}

/// The corners of `rect` (mm) on the page through `mm_to_px`, scaled by `s`.
pub fn outline(mm_to_px: &Homography, rect: RectMm, s: f64) -> Option<Vec<(f64, f64)>> {
    let [x, y, w, h] = rect;
    [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        .iter()
        .map(|&(a, b)| mm_to_px.apply(a, b).map(|(px, py)| (px * s, py * s)))
        .collect()
}

/// The region `rect` (grown by 1.5 mm) of the questioned capture and of the reference,
/// sampled at one scale so that the longer is at most [`CROP_SIDE`] pixels.
pub fn crops(
    page: &Pyramid,
    mm_to_px: Homography,
    reference: &ReferenceImage,
    rect: RectMm,
) -> (RgbImage, RgbImage) {
    let p = crate::examine::views::region_pair(page, mm_to_px, reference, rect, CROP_SIDE, 12.0);
    (p.questioned, p.reference)
}

/// A heat map in colour ([`crate::examine::views::heat_picture`]).
pub fn heat(map: &GrayImage) -> RgbImage {
    crate::examine::views::heat_picture(map)
}

/// Whether a feature gets its own figure: it failed, or could not be judged although its
/// capture was there.
pub fn needs_figure(f: &FeatureResult) -> bool {
    matches!(f.status, Status::Fail | Status::Inconclusive)
}
