//! A reference image prepared for registration and comparison: its pyramid, the zones whose
//! pixels are personalised, and the anchors (textured, static patches) registration matches.

use image::RgbImage;

use docexam_base::raster::{Homography, Plane, Pyramid, View, mean_std};
use docexam_ingest::{LightSource, Side};
use docexam_specimen::{RectMm, Specimen, SpecimenError, SpecimenSource, ZoneKind};

use super::prepared_cache::PreparedCache;

/// Resolution of the coarse whole-document comparison that picks among placements.
pub const COARSE_PX_MM: f64 = 2.0;

/// The resolutions (px/mm) the whole reference is kept at: placement scoring, then the
/// coarse, medium and fine stages of [`super::refine`].
pub const WHOLE_PX_MM: [f64; 4] = [
    COARSE_PX_MM,
    super::refine::COARSE.px_mm,
    super::refine::MEDIUM.px_mm,
    FINE_PX_MM,
];

/// Radius (pixels at [`COARSE_PX_MM`], 4 mm) of the local contrast placements are scored in.
pub const CONTRAST_RADIUS_PX: usize = 20;

/// Smallest standard deviation (grey levels) local contrast divides by: plain paper stays
/// plain instead of its noise being blown up.
pub const CONTRAST_FLOOR: f32 = 16.0;

/// Side of an anchor patch for the fine stage (mm).
pub const FINE_PATCH_MM: f64 = 5.0;

/// Resolution of the fine stage.
pub const FINE_PX_MM: f64 = 6.0;

/// One side of a specimen under one light, ready to register against.
#[derive(Clone, Debug)]
pub struct ReferenceImage {
    /// Which side.
    pub side: Side,
    /// Which light.
    pub light: LightSource,
    /// The document's size in mm.
    pub size_mm: (f64, f64),
    /// The image and its smaller copies.
    pub pyramid: Pyramid,
    /// Millimetres → pixels of the image.
    pub mm_to_px: Homography,
    /// Zones on this side whose content is personalised (differs on every document).
    pub personalised: Vec<RectMm>,
    /// The specimen's MRZ zone on this side, if any.
    pub mrz_zone: Option<RectMm>,
    /// Where the reference's own MRZ characters are centred (mm), when it has one and it
    /// was read.
    pub mrz_centre_mm: Option<(f64, f64)>,
    /// The whole document, grey, at each resolution registration works at
    /// ([`WHOLE_PX_MM`]), prepared once.
    whole: Vec<Plane>,
    /// The whole document at [`COARSE_PX_MM`] in local contrast (the light taken out), what
    /// placements are scored against.
    whole_contrast: Plane,
    /// Centres (mm) of static textured patches for the fine stage.
    pub anchors: Vec<(f64, f64)>,
    /// Fonts of the printed fields of this side (zone id, font), for the white reference.
    pub fonts: Vec<(String, std::sync::Arc<ab_glyph::FontVec>)>,
    /// Mask images of features on this side and light (feature id, mask at the reference
    /// image's size: white compared, black left out).
    pub masks: Vec<(String, image::GrayImage)>,
}

/// What preparing a reference image computes from its pixels (everything else comes from
/// the manifest): what [`super::prepared_cache`] keeps on disk.
#[derive(Clone, Debug, PartialEq)]
pub struct ComputedReference {
    /// The image and its smaller copies.
    pub pyramid: Pyramid,
    /// The whole document, grey, at each of [`WHOLE_PX_MM`].
    pub whole: Vec<Plane>,
    /// The whole document at [`COARSE_PX_MM`] in local contrast.
    pub whole_contrast: Plane,
    /// Centres (mm) of static textured patches for the fine stage.
    pub anchors: Vec<(f64, f64)>,
    /// Where the reference's own MRZ characters are centred (mm), when read.
    pub mrz_centre_mm: Option<(f64, f64)>,
}

/// What the manifest says of one side of a specimen drawn at one resolution.
struct Frame {
    size_mm: (f64, f64),
    personalised: Vec<RectMm>,
    mrz_zone: Option<RectMm>,
    mm_to_px: Homography,
}

impl Frame {
    fn of(specimen: &Specimen, side: Side, dpi: u32) -> Frame {
        let zones: Vec<_> = specimen
            .manifest
            .zones
            .iter()
            .filter(|z| z.side == side)
            .collect();
        Frame {
            size_mm: specimen.size_mm(),
            personalised: zones.iter().map(|z| z.rect_mm).collect(),
            mrz_zone: zones
                .iter()
                .find(|z| z.kind == ZoneKind::Mrz)
                .map(|z| z.rect_mm),
            mm_to_px: Homography::similarity(f64::from(dpi) / 25.4, 0.0, 0.0, 0.0),
        }
    }
}

/// Computes from `img` (drawn at `dpi`, `side` of `specimen` under `light`) what a
/// [`ReferenceImage`] needs beyond its manifest.
pub fn compute(
    specimen: &Specimen,
    side: Side,
    light: LightSource,
    img: RgbImage,
    dpi: u32,
) -> ComputedReference {
    let frame = Frame::of(specimen, side, dpi);
    let size_mm = frame.size_mm;
    let pyramid = Pyramid::new(img);
    let view = View {
        pyramid: &pyramid,
        mm_to_px: frame.mm_to_px,
    };
    let whole: Vec<Plane> = WHOLE_PX_MM
        .iter()
        .map(|px| view.sample([0.0, 0.0, size_mm.0, size_mm.1], *px).grey())
        .collect();
    let fine = whole.last().cloned().unwrap_or_default();
    let whole_contrast = whole
        .first()
        .map(|p| p.local_contrast(CONTRAST_RADIUS_PX, CONTRAST_FLOOR))
        .unwrap_or_default();
    let anchors = anchors(&fine, size_mm, &frame.personalised);
    let mrz_centre_mm = frame
        .mrz_zone
        .filter(|_| light != LightSource::Uv)
        .and_then(|_| {
            let ink = docexam_mrz::read::ink_plane_rgb(pyramid.image());
            let read = docexam_mrz::read::read(
                &ink,
                &docexam_mrz::MrzParser::default(),
                &docexam_mrz::read::ReadOptions::default(),
            )
            .ok()?;
            read.centre_mm(&frame.mm_to_px)
        });
    ComputedReference {
        pyramid,
        whole,
        whole_contrast,
        anchors,
        mrz_centre_mm,
    }
}

impl ReferenceImage {
    /// Prepares `img` (drawn at `dpi`) of `side` under `light` for `specimen`.
    pub fn new(
        specimen: &Specimen,
        side: Side,
        light: LightSource,
        img: RgbImage,
        dpi: u32,
    ) -> ReferenceImage {
        let computed = compute(specimen, side, light, img, dpi);
        ReferenceImage::assemble(specimen, side, light, dpi, computed)
    }

    /// The reference image of `side` under `light` of `specimen` (drawn at `dpi`) from what
    /// was [`compute`]d of its pixels.
    pub fn assemble(
        specimen: &Specimen,
        side: Side,
        light: LightSource,
        dpi: u32,
        computed: ComputedReference,
    ) -> ReferenceImage {
        let frame = Frame::of(specimen, side, dpi);
        ReferenceImage {
            side,
            light,
            size_mm: frame.size_mm,
            pyramid: computed.pyramid,
            mm_to_px: frame.mm_to_px,
            personalised: frame.personalised,
            mrz_zone: frame.mrz_zone,
            mrz_centre_mm: computed.mrz_centre_mm,
            whole: computed.whole,
            whole_contrast: computed.whole_contrast,
            anchors: computed.anchors,
            fonts: Vec::new(),
            masks: Vec::new(),
        }
    }

    /// The font the field zone `zone` is printed in, when the specimen names one.
    pub fn font(&self, zone: &str) -> Option<&ab_glyph::FontVec> {
        self.fonts
            .iter()
            .find(|(id, _)| id == zone)
            .map(|(_, f)| f.as_ref())
    }

    /// Whether the mask of `feature` (if it has one) leaves the point at (`x`, `y`) mm out.
    pub fn masked_out(&self, feature: &str, x: f64, y: f64) -> bool {
        let Some((_, m)) = self.masks.iter().find(|(id, _)| id == feature) else {
            return false;
        };
        let Some((px, py)) = self.mm_to_px.apply(x, y) else {
            return true;
        };
        if px < 0.0 || py < 0.0 {
            return true;
        }
        m.get_pixel_checked(px as u32, py as u32)
            .is_none_or(|p| p.0[0] < 128)
    }

    /// The whole document in grey at `px_mm`: the prepared plane for the resolutions of
    /// [`WHOLE_PX_MM`], sampled now for any other.
    pub fn whole(&self, px_mm: f64) -> std::borrow::Cow<'_, Plane> {
        match WHOLE_PX_MM
            .iter()
            .position(|p| (p - px_mm).abs() < 1e-9)
            .and_then(|i| self.whole.get(i))
        {
            Some(p) => std::borrow::Cow::Borrowed(p),
            None => std::borrow::Cow::Owned(
                self.view()
                    .sample([0.0, 0.0, self.size_mm.0, self.size_mm.1], px_mm)
                    .grey(),
            ),
        }
    }

    /// The whole document at [`COARSE_PX_MM`] in local contrast
    /// ([`Plane::local_contrast`] with [`CONTRAST_RADIUS_PX`] and [`CONTRAST_FLOOR`]).
    pub fn whole_contrast(&self) -> &Plane {
        &self.whole_contrast
    }

    /// The reference seen in its own millimetre frame.
    pub fn view(&self) -> View<'_> {
        View {
            pyramid: &self.pyramid,
            mm_to_px: self.mm_to_px,
        }
    }

    /// Whether `r` (mm) overlaps a personalised zone grown by `margin` mm.
    pub fn touches_personalised(&self, r: RectMm, margin: f64) -> bool {
        overlaps_any(&self.personalised, r, margin)
    }
}

/// Whether `r` overlaps any of `zones` grown by `margin`.
pub fn overlaps_any(zones: &[RectMm], r: RectMm, margin: f64) -> bool {
    zones.iter().any(|z| {
        r[0] < z[0] + z[2] + margin
            && z[0] - margin < r[0] + r[2]
            && r[1] < z[1] + z[3] + margin
            && z[1] - margin < r[1] + r[3]
    })
}

/// Static, textured patch centres on a grid (every 4 mm, at least 2 mm from the edge).
fn anchors(fine: &Plane, size_mm: (f64, f64), personalised: &[RectMm]) -> Vec<(f64, f64)> {
    let half = FINE_PATCH_MM / 2.0;
    let step = 4.0;
    let mut out = Vec::new();
    let mut y = 2.0 + half;
    while y + half + 2.0 <= size_mm.1 {
        let mut x = 2.0 + half;
        while x + half + 2.0 <= size_mm.0 {
            let r = [x - half, y - half, FINE_PATCH_MM, FINE_PATCH_MM];
            if !overlaps_any(personalised, r, 0.5) {
                let p = patch(fine, r, FINE_PX_MM);
                if mean_std(&p).is_some_and(|(_, s)| s > 6.0) {
                    out.push((x, y));
                }
            }
            x += step;
        }
        y += step;
    }
    out
}

/// The part of a whole-document plane at `px_mm` covering `r` (mm).
pub fn patch(whole: &Plane, r: RectMm, px_mm: f64) -> Plane {
    let x = (r[0] * px_mm).round().max(0.0) as usize;
    let y = (r[1] * px_mm).round().max(0.0) as usize;
    let w = (r[2] * px_mm).round().max(1.0) as usize;
    let h = (r[3] * px_mm).round().max(1.0) as usize;
    whole.crop(x, y, w, h)
}

/// Every reference image of `specimen`, prepared.
pub fn prepare_all(
    specimen: &Specimen,
    source: &dyn SpecimenSource,
) -> Result<Vec<ReferenceImage>, SpecimenError> {
    specimen
        .manifest
        .images
        .iter()
        .map(|im| prepare_one(specimen, source, im.side, im.light, None))
        .collect()
}

/// The reference image of `specimen` for `side` under `light`, prepared: its pixels, the fonts
/// of the fields printed on it (white light) and the masks of its features. With a `cache`,
/// what was computed of the pixels before is read from it (the image file is still read and
/// its hash checked), and what is computed now is kept in it.
pub fn prepare_one(
    specimen: &Specimen,
    source: &dyn SpecimenSource,
    side: Side,
    light: LightSource,
    cache: Option<&PreparedCache>,
) -> Result<ReferenceImage, SpecimenError> {
    let dpi = specimen.image_ref(side, light).map_or(0, |i| i.dpi);
    let cached = cache.and_then(|c| c.load(specimen, side, light, dpi));
    let computed = match cached {
        Some(c) => {
            // The pixels come from the cache; the file must still be the one hashed.
            specimen.verify_image(source, side, light)?;
            c
        }
        None => {
            let img = specimen.load_image(source, side, light)?.into_rgb8();
            let c = compute(specimen, side, light, img, dpi);
            if let Some(cache) = cache {
                // A cache that cannot be written costs the next examination time, not this
                // one its result.
                let _ = cache.store(specimen, side, light, dpi, &c);
            }
            c
        }
    };
    let mut r = ReferenceImage::assemble(specimen, side, light, dpi, computed);
    if light == LightSource::White {
        // One parsed copy of each font file, shared by the fields printed in it.
        let mut loaded: Vec<(String, std::sync::Arc<ab_glyph::FontVec>)> = Vec::new();
        for z in specimen.manifest.zones.iter().filter(|z| z.side == side) {
            let Some(p) = &z.print else { continue };
            let font = match loaded.iter().find(|(f, _)| *f == p.font.blake3) {
                Some((_, f)) => f.clone(),
                None => {
                    let f = std::sync::Arc::new(specimen.load_font(source, &p.font)?);
                    loaded.push((p.font.blake3.clone(), f.clone()));
                    f
                }
            };
            r.fonts.push((z.id.clone(), font));
        }
    }
    for f in &specimen.manifest.features {
        if f.side != side || f.light != light {
            continue;
        }
        if let Some(m) = &f.mask {
            r.masks.push((f.id.clone(), specimen.load_mask(source, m)?));
        }
    }
    Ok(r)
}
