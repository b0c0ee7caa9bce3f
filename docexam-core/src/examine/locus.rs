//! Where on the document an anomaly is: the image it was found on and the region of it, so a
//! report's reader (the workstation, a case system) can show it.

use serde::Serialize;

use crate::compare::FeatureResult;
use crate::ingest::{LightSource, Side};

use super::report::{MrzRecord, Report};

/// An image of the document and a region of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Locus {
    /// The input (image) the region is on, as named in the report's `inputs`.
    pub input: String,
    /// Its side.
    pub side: Side,
    /// Its light.
    pub light: LightSource,
    /// The region: x, y, width, height in pixels of that image.
    pub region_px: [f32; 4],
}

/// Where `m`'s MRZ was read.
pub fn of_mrz(m: &MrzRecord) -> Locus {
    Locus {
        input: m.input.clone(),
        side: m.side,
        light: m.light,
        region_px: m.bbox,
    }
}

/// Where the MRZ read on the capture labelled `label` (`mrz front/white`, as cross-checks
/// name their sources) was read.
pub fn of_mrz_label(report: &Report, label: &str) -> Option<Locus> {
    report
        .mrz
        .iter()
        .find(|m| label == mrz_label(m.side, m.light))
        .map(of_mrz)
}

/// How the assessment and the cross-checks name the MRZ read on one capture.
pub fn mrz_label(side: Side, light: LightSource) -> String {
    format!("mrz {}/{}", side.name(), light.name())
}

/// The bounding box of `corners` (pixels) on `input`.
pub fn of_corners(report: &Report, input: &str, corners: &[[i32; 2]; 4]) -> Option<Locus> {
    let i = report.inputs.iter().find(|i| i.name == input)?;
    let xs = corners.iter().map(|c| c[0] as f32);
    let ys = corners.iter().map(|c| c[1] as f32);
    let (x0, x1) = xs.fold((f32::MAX, f32::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let (y0, y1) = ys.fold((f32::MAX, f32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    Some(Locus {
        input: input.to_string(),
        side: i.side,
        light: i.light,
        region_px: [x0, y0, x1 - x0, y1 - y0],
    })
}

/// Where feature `f` lies on its capture, through that capture's registration.
pub fn of_feature(report: &Report, f: &FeatureResult) -> Option<Locus> {
    let index = report
        .inputs
        .iter()
        .position(|i| i.side == f.side && i.light == f.light)?;
    let input = report.inputs.get(index)?;
    let g = report.registrations.get(index)?.registration.as_ref()?;
    let [x, y, w, h] = f.region_mm;
    let mut xs = Vec::with_capacity(4);
    let mut ys = Vec::with_capacity(4);
    for (cx, cy) in [(x, y), (x + w, y), (x + w, y + h), (x, y + h)] {
        let (px, py) = g.mm_to_px.apply(cx, cy)?;
        xs.push(px as f32);
        ys.push(py as f32);
    }
    let min = |v: &[f32]| v.iter().copied().fold(f32::MAX, f32::min);
    let max = |v: &[f32]| v.iter().copied().fold(f32::MIN, f32::max);
    Some(Locus {
        input: input.name.clone(),
        side: f.side,
        light: f.light,
        region_px: [min(&xs), min(&ys), max(&xs) - min(&xs), max(&ys) - min(&ys)],
    })
}
