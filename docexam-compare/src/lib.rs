//! Comparing a questioned document's security features with its reference specimen, one
//! comparator per feature kind, all deterministic; and [`register`](mod@register), which
//! maps the page onto the specimen's millimetre frame first.
//!
//! For each capture (side × light) the page is registered onto the reference image of the
//! same side and light ([`register`](mod@crate::register)); each feature of the specimen is
//! then cut out of both at a matched resolution, aligned locally, and measured (one private
//! module each):
//!
//! | comparator | measures |
//! |---|---|
//! | `pattern.rs` | tile NCC and SSIM of the fine structure, line continuity |
//! | `microprint.rs` | NCC and kept high-frequency energy at the capture's finest resolution |
//! | `halftone.rs` | isolated periodic Fourier peaks (a screen) beyond the reference's |
//! | `colour.rs` | CIE ΔE2000 across the region, brightness matched per bin |
//! | `uv.rs` | fluorescent pattern NCC, fibre density, substrate dullness |
//! | `ir.rs` | structure left where inks drop out, contrast where they stay |
//! | `portrait.rs` | ghost ↔ portrait correlation, border profile, background around it |
//! | `ovd.rs` | diffractive line structure and colour play |
//! | `mrz_font.rs` | OCR-B match, pitch, position |
//! | `printed.rs` | printed data drawn from the MRZ, character by character |
//!
//! Every result carries its scores with units, the thresholds (from the specimen, where
//! calibrated by `docexam specimen calibrate`, or the comparator's defaults) and a
//! sentence; a feature that cannot be judged is `inconclusive` with the reason, never a
//! false `fail`.

pub mod register;

pub mod augment;
pub mod calibrate;
mod colour;
mod colourless;
mod copymove;
mod halftone;
pub mod inputs;
mod ir;
mod light;
mod microprint;
pub mod model;
mod mrz_font;
mod ovd;
mod pattern;
mod portrait;
mod printed;
mod result;
mod uv;

use rayon::prelude::*;
use serde::Serialize;

use crate::register::{ReferenceImage, Registration, register, register_scored, scored_placements};
use docexam_base::raster::{Pyramid, View};
use docexam_ingest::{LightSource, Side};
use docexam_mrz::MrzParser;
use docexam_mrz::read::{ImageRead, ReadOptions, ink_plane_rgb};
use docexam_specimen::{Comparator, Feature, Specimen, ZoneKind};

pub use inputs::FeatureInputs;
pub use light::LightField;
pub use result::{
    FeatureResult, Measured, Measurement, Score, Status, Threshold, ThresholdSource, judge,
    unjudged,
};

/// One image of the questioned document.
pub struct Capture {
    /// Side.
    pub side: Side,
    /// Light.
    pub light: LightSource,
    /// The page.
    pub pyramid: Pyramid,
}

/// How one capture was registered.
#[derive(Clone, Debug, Serialize)]
pub struct CaptureRegistration {
    /// Side.
    pub side: Side,
    /// Light.
    pub light: LightSource,
    /// The registration, when the document was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// Why it was not, otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Everything the comparison found.
#[derive(Debug)]
pub struct DocumentComparison {
    /// The registrations, one per capture.
    pub registrations: Vec<CaptureRegistration>,
    /// The MRZ read on each capture it was read on: (side, light, read).
    pub mrz: Vec<(Side, LightSource, ImageRead)>,
    /// Every feature of the specimen, in manifest order.
    pub features: Vec<FeatureResult>,
}

impl DocumentComparison {
    /// The MRZ read on the white capture of `side`.
    pub fn mrz_of(&self, side: Side) -> Option<&ImageRead> {
        white_mrz(&self.mrz, side)
    }
}

/// The MRZ read on the white capture of `side`, among `reads`.
fn white_mrz(reads: &[(Side, LightSource, ImageRead)], side: Side) -> Option<&ImageRead> {
    reads
        .iter()
        .find(|(s, l, _)| *s == side && *l == LightSource::White)
        .map(|(_, _, r)| r)
}

/// Largest share of a feature's region that glare may wash out for it to be judged.
pub const MAX_WASHED_OUT: f64 = 0.5;

/// Largest registration residual (mm) a comparison is made on; comparators align each
/// region locally within it.
pub const MAX_RESIDUAL_MM: f64 = 1.0;

/// Whether `feature` can be judged on a registration that found only the document's place
/// on the page (`outline`): region statistics of the substrate and inks, not patterns.
pub fn judged_on_outline(f: &Feature) -> bool {
    matches!(
        f.comparator(),
        Comparator::UvDull | Comparator::IrDropout | Comparator::IrVisible
    ) || f.kind == docexam_specimen::FeatureKind::UvFibres
}

/// The checks every specimen gets without declaring them: a duplicated-region search on each
/// side with a white reference, unless the manifest declares one for that side (to set its
/// thresholds).
pub fn implicit_features(manifest: &docexam_specimen::Manifest) -> Vec<Feature> {
    let (w, h) = manifest.document.size_class.size_mm();
    manifest
        .document
        .sides
        .iter()
        .filter(|&&side| {
            manifest
                .images
                .iter()
                .any(|i| i.side == side && i.light == LightSource::White)
                && !manifest.features.iter().any(|f| {
                    f.side == side && f.kind == docexam_specimen::FeatureKind::DuplicatedRegions
                })
        })
        .map(|&side| Feature {
            id: format!("{}-duplicated-regions", side.name()),
            kind: docexam_specimen::FeatureKind::DuplicatedRegions,
            side,
            light: LightSource::White,
            rect_mm: [0.0, 0.0, w, h],
            comparator: None,
            thresholds: Default::default(),
            mask_zones: Vec::new(),
            mask: None,
            description: Some("no region of the page copied over another".into()),
        })
        .collect()
}

/// Whether `c` compares the preprinted design's print (background, lines, colours), which
/// personalised print on top of it would disturb. Fluorescence is not among them: personal
/// data is printed in inks that do not glow, and masking it would leave little of an emblem.
fn compares_preprint(c: Comparator) -> bool {
    matches!(
        c,
        Comparator::Pattern | Comparator::Microprint | Comparator::Colour
    )
}

/// The zones (rectangles, mm) left out of `f`: those its `mask_zones` names and, for a
/// comparator of the preprinted design, every personalised zone of its side that overlaps
/// it (personal data differs from document to document, so it is masked by default).
pub fn masked_zones(
    f: &Feature,
    zones: &[docexam_specimen::Zone],
) -> Vec<docexam_specimen::RectMm> {
    zones
        .iter()
        .filter(|z| z.side == f.side)
        .filter(|z| {
            f.mask_zones.contains(&z.id)
                || (compares_preprint(f.comparator())
                    && crate::register::reference::overlaps_any(&[f.rect_mm], z.rect_mm, 0.0))
        })
        .map(|z| z.rect_mm)
        .collect()
}

/// Runs the comparator of `feature` (not judged).
pub fn measure(ctx: &FeatureInputs<'_>) -> Measurement {
    let f = ctx.feature;
    if matches!(f.comparator(), Comparator::Colour | Comparator::Ovd)
        && let Some(why) = colourless::reason(ctx)
    {
        return Err(why);
    }
    match f.comparator() {
        Comparator::Pattern => pattern::compare(ctx),
        Comparator::Microprint => microprint::compare(ctx),
        Comparator::Halftone => halftone::compare(ctx),
        Comparator::Colour => colour::compare(ctx),
        Comparator::UvPattern if f.kind == docexam_specimen::FeatureKind::UvFibres => {
            uv::fibres(ctx)
        }
        Comparator::UvPattern => uv::pattern(ctx),
        Comparator::UvDull => uv::dull(ctx),
        Comparator::IrDropout => ir::dropout(ctx),
        Comparator::IrVisible => ir::visible(ctx),
        Comparator::Portrait if f.kind == docexam_specimen::FeatureKind::GhostImage => {
            portrait::ghost(ctx)
        }
        Comparator::Portrait => portrait::portrait(ctx),
        Comparator::Ovd => ovd::compare(ctx),
        Comparator::MrzFont => mrz_font::compare(ctx),
        Comparator::PrintedData => printed::compare(ctx),
        Comparator::CopyMove => copymove::compare(ctx),
    }
}

/// How far around the specimen's MRZ zone (mm) an MRZ is looked for again.
pub const MRZ_RETRY_MARGIN_MM: f64 = 4.0;

/// The box of page pixels (x, y, width, height) covering `rect` (mm) grown by `margin_mm`
/// through `mm_to_px`, clipped to the page.
pub fn page_box(
    mm_to_px: &docexam_base::raster::Homography,
    rect: docexam_specimen::RectMm,
    margin_mm: f64,
    page: &Pyramid,
) -> Option<[u32; 4]> {
    let (x0, y0) = (rect[0] - margin_mm, rect[1] - margin_mm);
    let (x1, y1) = (rect[0] + rect[2] + margin_mm, rect[1] + rect[3] + margin_mm);
    let pts: Vec<(f64, f64)> = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        .iter()
        .filter_map(|&(x, y)| mm_to_px.apply(x, y))
        .collect();
    if pts.len() < 4 {
        return None;
    }
    let (w, h) = page.dimensions();
    let lo_x = pts.iter().map(|p| p.0).fold(f64::MAX, f64::min).max(0.0);
    let lo_y = pts.iter().map(|p| p.1).fold(f64::MAX, f64::min).max(0.0);
    let hi_x = pts
        .iter()
        .map(|p| p.0)
        .fold(f64::MIN, f64::max)
        .min(f64::from(w));
    let hi_y = pts
        .iter()
        .map(|p| p.1)
        .fold(f64::MIN, f64::max)
        .min(f64::from(h));
    (hi_x > lo_x + 8.0 && hi_y > lo_y + 8.0).then_some([
        lo_x as u32,
        lo_y as u32,
        (hi_x - lo_x) as u32,
        (hi_y - lo_y) as u32,
    ])
}

/// Reads the MRZ on `page` (its ink plane), if the page has one.
pub fn read_mrz(page: &Pyramid, parser: &MrzParser) -> Option<ImageRead> {
    let ink = ink_plane_rgb(page.image());
    docexam_mrz::read::read(&ink, parser, &ReadOptions::default()).ok()
}

/// Compares every feature of `specimen` (whose reference images are `references`) with the
/// `captures` of one questioned document.
pub fn compare_document(
    specimen: &Specimen,
    references: &[ReferenceImage],
    captures: &[Capture],
    parser: &MrzParser,
) -> DocumentComparison {
    compare_document_with(specimen, references, captures, parser, &[])
}

/// What was found of one capture before the comparison (while identifying its specimen),
/// for the comparison to use instead of finding it again.
#[derive(Clone, Debug, Default)]
pub struct Prior {
    /// The MRZ read on its whole page: `Some(read)` when the page was searched already,
    /// `None` when not.
    pub mrz: Option<Option<ImageRead>>,
    /// Its placements scored against the specimen's reference of its side and light, best
    /// first ([`crate::register::scored_placements`] with the MRZ of [`Prior::mrz`]), when
    /// they were scored already.
    pub placements: Option<Vec<(f64, crate::register::locate::Placement)>>,
}

/// [`compare_document`], given what was found of some captures already (`known[i]` for
/// capture `i`), which is not found again.
pub fn compare_document_with(
    specimen: &Specimen,
    references: &[ReferenceImage],
    captures: &[Capture],
    parser: &MrzParser,
    known: &[Prior],
) -> DocumentComparison {
    let has_mrz = |side: Side| {
        specimen
            .manifest
            .zones
            .iter()
            .any(|z| z.side == side && z.kind == ZoneKind::Mrz)
    };
    // Read the MRZ (white and IR, where the side has one) and register, capture by capture.
    let per_capture: Vec<(Option<ImageRead>, CaptureRegistration)> = captures
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let wanted = has_mrz(c.side) && c.light != LightSource::Uv;
            let prior = known.get(i);
            let mrz = match prior.and_then(|p| p.mrz.as_ref()) {
                Some(read) if wanted => read.clone(),
                _ => wanted.then(|| read_mrz(&c.pyramid, parser)).flatten(),
            };
            // Placements scored with the same MRZ read are the ones registration would score.
            let scored = prior
                .filter(|p| p.mrz.is_some() && wanted)
                .and_then(|p| p.placements.clone());
            let registered = references
                .iter()
                .find(|r| r.side == c.side && r.light == c.light)
                .ok_or_else(|| {
                    format!(
                        "the specimen has no {} reference of the {}",
                        c.light.name(),
                        c.side.name()
                    )
                })
                .and_then(|r| {
                    let scored =
                        scored.unwrap_or_else(|| scored_placements(&c.pyramid, r, mrz.as_ref()));
                    register_scored(&c.pyramid, r, scored)
                        .or_else(|e| {
                            // A UV capture that could not be placed by its content (ordinary
                            // paper glows and hides the pattern) may still show its MRZ plainly.
                            let uv_mrz = (has_mrz(c.side) && c.light == LightSource::Uv)
                                .then(|| read_mrz(&c.pyramid, parser))
                                .flatten()
                                .ok_or(e)?;
                            register(&c.pyramid, r, Some(&uv_mrz))
                        })
                        .map_err(|e| e.to_string())
                });
            let (registration, error) = match registered {
                Ok(r) => (Some(r), None),
                Err(e) => (None, Some(e)),
            };
            let reg = CaptureRegistration {
                side: c.side,
                light: c.light,
                registration,
                error,
            };
            (mrz, reg)
        })
        .collect();
    let mut mrz = Vec::new();
    let mut registrations = Vec::new();
    let mut retry = Vec::new();
    for (i, (c, (m, r))) in captures.iter().zip(per_capture).enumerate() {
        match m {
            Some(m) => mrz.push((c.side, c.light, m)),
            None if has_mrz(c.side) && c.light != LightSource::Uv => retry.push(i),
            None => {}
        }
        registrations.push(r);
    }
    // An MRZ not found on the whole page is looked for again where the registration puts
    // the specimen's MRZ zone, in the specimen's format (a zone printed in another font
    // can escape the search of a whole page).
    let format = specimen.manifest.document.size_class.mrz_format();
    let again: Vec<(usize, ImageRead)> = retry
        .par_iter()
        .filter_map(|&i| {
            let (c, r) = (captures.get(i)?, registrations.get(i)?);
            let reg = r.registration.as_ref().filter(|g| g.stage != "outline")?;
            let zone = specimen
                .manifest
                .zones
                .iter()
                .find(|z| z.side == c.side && z.kind == ZoneKind::Mrz)?;
            let region = page_box(&reg.mm_to_px, zone.rect_mm, MRZ_RETRY_MARGIN_MM, &c.pyramid)?;
            let ink = ink_plane_rgb(c.pyramid.image());
            let opts = ReadOptions {
                format: Some(format),
                region: Some(region),
                dpi: None,
            };
            docexam_mrz::read::read(&ink, parser, &opts)
                .ok()
                .map(|m| (i, m))
        })
        .collect();
    for (i, m) in again {
        if let Some(c) = captures.get(i) {
            mrz.push((c.side, c.light, m));
        }
    }
    // The light on each white capture whose content was registered.
    let lights: Vec<Option<LightField>> = captures
        .par_iter()
        .zip(&registrations)
        .map(|(c, r)| {
            let reg = r.registration.as_ref().filter(|g| g.stage != "outline")?;
            if c.light != LightSource::White {
                return None;
            }
            let reference = references
                .iter()
                .find(|x| x.side == c.side && x.light == c.light)?;
            let view = View {
                pyramid: &c.pyramid,
                mm_to_px: reg.mm_to_px,
            };
            LightField::estimate(&view, reference)
        })
        .collect();
    let implicit = implicit_features(&specimen.manifest);
    let features: Vec<FeatureResult> = specimen
        .manifest
        .features
        .par_iter()
        .chain(implicit.par_iter())
        .map(|f| {
            compare_feature(
                specimen,
                f,
                references,
                captures,
                &registrations,
                &lights,
                &mrz,
            )
        })
        .collect();
    DocumentComparison {
        registrations,
        mrz,
        features,
    }
}

fn compare_feature(
    specimen: &Specimen,
    f: &Feature,
    references: &[ReferenceImage],
    captures: &[Capture],
    registrations: &[CaptureRegistration],
    lights: &[Option<LightField>],
    mrz: &[(Side, LightSource, ImageRead)],
) -> FeatureResult {
    let not = |status: Status, why: String| unjudged(f, status, &why);
    let Some(i) = captures
        .iter()
        .position(|c| c.side == f.side && c.light == f.light)
    else {
        return not(
            Status::NotApplicable,
            format!("no {} capture of the {}", f.light.name(), f.side.name()),
        );
    };
    let (Some(capture), Some(cr)) = (captures.get(i), registrations.get(i)) else {
        return not(
            Status::Inconclusive,
            "internal: capture without registration".into(),
        );
    };
    let Some(reg) = &cr.registration else {
        return not(
            Status::Inconclusive,
            format!(
                "could not align: {}",
                cr.error.as_deref().unwrap_or("no registration")
            ),
        );
    };
    let Some(reference) = references
        .iter()
        .find(|r| r.side == f.side && r.light == f.light)
    else {
        return not(
            Status::Inconclusive,
            "the specimen has no reference image".into(),
        );
    };
    let judgeable = match reg.stage {
        "outline" => judged_on_outline(f),
        _ => reg.residual_mm.is_finite() && reg.residual_mm <= MAX_RESIDUAL_MM,
    };
    if !judgeable {
        return not(
            Status::Inconclusive,
            if reg.stage == "outline" {
                "could not align: the document was found on the page but its content does not \
                 match the reference closely enough to place this feature"
                    .to_string()
            } else {
                format!(
                    "could not align closely enough: {} stage, residual {:.2} mm (needs {MAX_RESIDUAL_MM} mm)",
                    reg.stage, reg.residual_mm
                )
            },
        );
    }
    let zones: Vec<_> = specimen
        .manifest
        .zones
        .iter()
        .filter(|z| z.side == f.side)
        .cloned()
        .collect();
    let masked = masked_zones(f, &zones);
    let ctx = FeatureInputs {
        feature: f,
        q: View {
            pyramid: &capture.pyramid,
            mm_to_px: reg.mm_to_px,
        },
        reference,
        registration: reg,
        zones: &zones,
        masked,
        mrz: white_mrz(mrz, f.side),
        document_mrz: white_mrz(mrz, f.side).or_else(|| {
            mrz.iter()
                .find(|(_, l, _)| *l == LightSource::White)
                .map(|(_, _, r)| r)
        }),
        white: references
            .iter()
            .find(|r| r.side == f.side && r.light == LightSource::White),
        light: lights.get(i).and_then(Option::as_ref),
    };
    let share = ctx.captured_share();
    if share < 0.9 {
        return not(
            Status::Inconclusive,
            format!("only {:.0}% of the region was captured", share * 100.0),
        );
    }
    let washed = ctx.washed_out_share();
    if washed > MAX_WASHED_OUT {
        return not(
            Status::Inconclusive,
            format!(
                "glare or reflection left too little contrast over {:.0}% of the region",
                washed * 100.0
            ),
        );
    }
    judge(f, measure(&ctx))
}
