//! A design made from any specimen (a lab's own scans, not only the Utopia set): its reference
//! images, with every personalised zone blanked to the paper around it, become the base onto
//! which new personal data, MRZ, portrait and barcode are printed in the manifest's zones.

use std::sync::Arc;

use docexam_core::specimen::{SizeClass, Specimen, SpecimenSource, ZoneKind};
use image::{Rgb, RgbImage};

use crate::design::{Base, Design, FieldSpot, MrzSpot, SideDesign};
use crate::draw::Rect;

/// The median colour of a ring `ring_mm` wide around `r` (mm) in `img` at `px_mm`.
fn surround(img: &RgbImage, r: Rect, px_mm: f64, ring_mm: f64) -> Rgb<u8> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let px = |v: f64| (v * px_mm).round() as i64;
    let (x0, y0) = (px(r[0] - ring_mm).max(0), px(r[1] - ring_mm).max(0));
    let (x1, y1) = (
        px(r[0] + r[2] + ring_mm).min(w),
        px(r[1] + r[3] + ring_mm).min(h),
    );
    let (ix0, iy0, ix1, iy1) = (px(r[0]), px(r[1]), px(r[0] + r[2]), px(r[1] + r[3]));
    let mut ch: [Vec<u8>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let step = (((x1 - x0) * (y1 - y0)) / 20_000).max(1).isqrt().max(1) as usize;
    for y in (y0..y1).step_by(step) {
        for x in (x0..x1).step_by(step) {
            if (ix0..ix1).contains(&x) && (iy0..iy1).contains(&y) {
                continue;
            }
            let p = img.get_pixel(x as u32, y as u32);
            for (c, v) in ch.iter_mut().zip(p.0) {
                c.push(v);
            }
        }
    }
    let med = |v: &mut Vec<u8>| {
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(255)
    };
    let [r0, g0, b0] = &mut ch;
    Rgb([med(r0), med(g0), med(b0)])
}

/// The MRZ layout of a size class: lines and characters per line.
fn mrz_shape(size: SizeClass) -> (usize, usize) {
    match size {
        SizeClass::Td1 => (3, 30),
        SizeClass::Td3 | SizeClass::MrvA => (2, 44),
        SizeClass::Td2 | SizeClass::MrvB => (2, 36),
    }
}

/// A design from `specimen`, its images read from `source`.
pub fn from_specimen(specimen: &Specimen, source: &dyn SpecimenSource) -> Result<Design, String> {
    let m = &specimen.manifest;
    let doc = &m.document;
    let (w, h) = doc.size_class.size_mm();
    let mut images = Vec::new();
    for im in &m.images {
        let img = specimen
            .load_image(source, im.side, im.light)
            .map_err(|e| e.to_string())?
            .to_rgb8();
        let px_mm = f64::from(img.width()) / w;
        let mut img = img;
        for z in m.zones.iter().filter(|z| z.side == im.side) {
            let r = z.rect_mm;
            let paper = surround(&img, r, px_mm, 0.8);
            let (x0, y0) = ((r[0] * px_mm) as u32, (r[1] * px_mm) as u32);
            let (x1, y1) = (
                (((r[0] + r[2]) * px_mm) as u32).min(img.width()),
                (((r[1] + r[3]) * px_mm) as u32).min(img.height()),
            );
            for y in y0..y1 {
                for x in x0..x1 {
                    img.put_pixel(x, y, paper);
                }
            }
        }
        images.push((im.side, im.light, img));
    }
    let (lines, chars) = mrz_shape(doc.size_class);
    let sides = doc
        .sides
        .iter()
        .map(|&side| {
            let zones: Vec<_> = m.zones.iter().filter(|z| z.side == side).collect();
            let first = |k: ZoneKind| zones.iter().find(|z| z.kind == k).map(|z| z.rect_mm);
            let fields = zones
                .iter()
                .filter(|z| z.kind == ZoneKind::Field)
                .filter_map(|z| {
                    let r = z.rect_mm;
                    Some(FieldSpot {
                        holds: z.holds.clone()?,
                        label: String::new(),
                        x: r[0] + 0.3,
                        // The value's baseline sits 0.8 mm above the zone's bottom.
                        y: r[1] + r[3] - 5.0,
                        w: r[2],
                    })
                })
                .collect();
            let mrz = first(ZoneKind::Mrz).map(|r| MrzSpot {
                lines,
                chars,
                last_baseline_from_bottom: (h - (r[1] + r[3])) + 1.2 + 0.8,
                line_pitch: ((r[3] - 3.0) / lines as f64).clamp(3.5, 5.5),
            });
            SideDesign {
                side,
                title: None,
                portrait: first(ZoneKind::Portrait),
                ghost: first(ZoneKind::GhostImage),
                ovd: None,
                fields,
                mrz,
                barcode: first(ZoneKind::Barcode),
                rosette: (0.0, 0.0, 0.0, 0.0),
                uv_emblem: (0.0, 0.0, 0.0),
                microprint: Vec::new(),
                plain: [0.0, 0.0, w, h],
            }
        })
        .collect();
    Ok(Design {
        id: doc.id.clone(),
        folder: doc.id.to_ascii_lowercase(),
        name: doc.name.clone(),
        size: doc.size_class,
        code: doc.document_code.clone(),
        state: doc.issuing_state.clone(),
        hue: 0.0,
        guilloche: [0.0; 4],
        sides,
        seed: 0,
        base: Some(Arc::new(Base { images })),
    })
}
