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
    Some(Locus {
        input: input.to_string(),
        side: i.side,
        light: i.light,
        region_px: bounds(corners.iter().map(|c| [c[0] as f32, c[1] as f32])),
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
    let mut corners = Vec::with_capacity(4);
    for (cx, cy) in [(x, y), (x + w, y), (x + w, y + h), (x, y + h)] {
        let (px, py) = g.mm_to_px.apply(cx, cy)?;
        corners.push([px as f32, py as f32]);
    }
    Some(Locus {
        input: input.name.clone(),
        side: f.side,
        light: f.light,
        region_px: bounds(corners),
    })
}

/// The bounding box (x, y, width, height) of `points`.
fn bounds(points: impl IntoIterator<Item = [f32; 2]>) -> [f32; 4] {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for [x, y] in points {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if x0 > x1 {
        return [0.0; 4];
    }
    [x0, y0, x1 - x0, y1 - y0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounding_box_holds_every_point() {
        assert_eq!(
            bounds([[10.0, 40.0], [30.0, 5.0], [25.0, 50.0], [12.0, 20.0]]),
            [10.0, 5.0, 20.0, 45.0]
        );
        assert_eq!(bounds([]), [0.0; 4]);
    }
}
