//! The barcode stage of an examination. Where the specimen says a code is printed, the
//! registered zone is searched with every attempt the decoder has; the rest of each white page
//! gets one quick search for codes nobody expects (a seal sticker, a code printed over the
//! data). Without a specimen every white page is searched thoroughly.

use rayon::prelude::*;

use crate::barcode::{ImageBarcodes, ParseOptions, read_image, read_quick, read_region};
use crate::compare::{Capture, CaptureRegistration, page_box};
use crate::ingest::LightSource;
use crate::specimen::{Specimen, ZoneKind};

use super::input::DocumentImage;
use super::report::BarcodeRecord;

/// How far around a specimen's barcode zone (mm) the code is looked for.
pub const ZONE_MARGIN_MM: f64 = 4.0;

/// Every white image in grey levels, for the decoder, with its index in the images (made
/// once for the whole-page search and the search of the specimen's zones; converted from the
/// pixels in place: no copy of the colour image is made).
#[derive(Default)]
pub struct GreyPages(Vec<(usize, image::GrayImage)>);

impl GreyPages {
    /// The white images of `images` in grey levels.
    pub fn of(images: &[DocumentImage]) -> GreyPages {
        let whites: Vec<(usize, &DocumentImage)> = images
            .iter()
            .enumerate()
            .filter(|(_, i)| i.light == LightSource::White)
            .collect();
        GreyPages(
            whites
                .par_iter()
                .map(|(n, i)| (*n, crate::raster::luma::luma(i.image.as_ref())))
                .collect(),
        )
    }

    /// These pages while a search still needs them: without a specimen (every page is
    /// searched thoroughly) or with one that has barcode zones; otherwise none, so that they
    /// do not take memory through the comparison.
    pub fn kept_for(self, specimen: Option<&Specimen>) -> GreyPages {
        match specimen {
            Some(s) if !s.manifest.zones.iter().any(|z| z.kind == ZoneKind::Barcode) => {
                GreyPages::default()
            }
            _ => self,
        }
    }

    fn get(&self, n: usize) -> Option<&image::GrayImage> {
        self.0.iter().find(|(k, _)| *k == n).map(|(_, g)| g)
    }
}

fn record(input: &DocumentImage, read: Result<ImageBarcodes, String>) -> BarcodeRecord {
    match read {
        Ok(r) => BarcodeRecord {
            input: input.name.clone(),
            codes: r.codes,
            cross_checks: Vec::new(),
            undecodable: r.undecodable,
            error: None,
        },
        Err(e) => BarcodeRecord {
            input: input.name.clone(),
            codes: Vec::new(),
            cross_checks: Vec::new(),
            undecodable: Vec::new(),
            error: Some(e),
        },
    }
}

/// Searches every white image (`greys`: those of `images`): quickly when a specimen will say
/// where its codes are (`quick`), thoroughly otherwise. One record per white image, in input
/// order.
pub fn whole_pages(
    images: &[DocumentImage],
    greys: &GreyPages,
    opts: &ParseOptions<'_>,
    quick: bool,
) -> Vec<BarcodeRecord> {
    greys
        .0
        .par_iter()
        .filter_map(|(n, g)| {
            let read = if quick {
                read_quick(g, opts)
            } else {
                read_image(g, opts)
            };
            Some(record(images.get(*n)?, read.map_err(|e| e.to_string())))
        })
        .collect()
}

/// Adds to `records` what a thorough search of each of the specimen's barcode zones finds on
/// the registered white captures. A code found both ways is kept once.
pub fn search_zones(
    records: &mut Vec<BarcodeRecord>,
    specimen: &Specimen,
    images: &[DocumentImage],
    greys: &GreyPages,
    captures: &[Capture],
    registrations: &[CaptureRegistration],
    opts: &ParseOptions<'_>,
) {
    let zones: Vec<_> = specimen
        .manifest
        .zones
        .iter()
        .filter(|z| z.kind == ZoneKind::Barcode)
        .collect();
    let jobs: Vec<(usize, [u32; 4])> = images
        .iter()
        .enumerate()
        .filter(|(_, i)| i.light == LightSource::White)
        .flat_map(|(n, i)| {
            let reg = registrations
                .get(n)
                .and_then(|r| r.registration.as_ref())
                .filter(|g| g.stage != "outline");
            zones
                .iter()
                .filter(|z| z.side == i.side)
                .filter_map(move |z| {
                    let g = reg?;
                    let page = &captures.get(n)?.pyramid;
                    page_box(&g.mm_to_px, z.rect_mm, ZONE_MARGIN_MM, page).map(|b| (n, b))
                })
        })
        .collect();
    let found: Vec<(usize, Result<ImageBarcodes, String>)> = jobs
        .par_iter()
        .filter_map(|&(n, b)| {
            let g = greys.get(n)?;
            Some((n, read_region(g, b, opts).map_err(|e| e.to_string())))
        })
        .collect();
    for (n, read) in found {
        let Some(input) = images.get(n) else { continue };
        let pos = match records.iter().position(|r| r.input == input.name) {
            Some(p) => p,
            None => {
                records.push(record(input, Ok(empty())));
                records.len() - 1
            }
        };
        let Some(rec) = records.get_mut(pos) else {
            continue;
        };
        match read {
            Ok(r) => {
                for c in r.codes {
                    let known = rec.codes.iter().any(|k| {
                        k.code.blake3 == c.code.blake3 && k.code.symbology == c.code.symbology
                    });
                    if !known {
                        rec.codes.push(c);
                    }
                }
                rec.undecodable.extend(r.undecodable);
            }
            Err(e) => rec.error = Some(e),
        }
    }
    // Keep input order and drop pages where nothing was found and nothing went wrong.
    records.sort_by_key(|r| images.iter().position(|i| i.name == r.input));
    records.retain(|r| !r.codes.is_empty() || !r.undecodable.is_empty() || r.error.is_some());
}

fn empty() -> ImageBarcodes {
    ImageBarcodes {
        codes: Vec::new(),
        undecodable: Vec::new(),
        attempts: Vec::new(),
    }
}
