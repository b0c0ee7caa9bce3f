//! Pictures of a finding for the reader of a report or the examiner at the workstation: the
//! questioned region beside the reference's, sampled through the registration at one scale so
//! that the same millimetre lands on the same pixel of both.

use image::{GrayImage, RgbImage};

use crate::raster::{Homography, Pyramid, View};
use crate::register::ReferenceImage;
use crate::specimen::RectMm;

/// How far around a feature's region (mm) its pictures reach, so that its edges show.
pub const REGION_MARGIN_MM: f64 = 1.5;

/// A region of the questioned capture and the same region of the reference, pixel for pixel.
#[derive(Debug, Clone)]
pub struct RegionPair {
    /// The questioned document's region (white outside its capture).
    pub questioned: RgbImage,
    /// The reference specimen's region.
    pub reference: RgbImage,
    /// The region pictured, in millimetres on the document (the feature's, grown by
    /// [`REGION_MARGIN_MM`]).
    pub rect_mm: RectMm,
    /// Pixels per millimetre of both pictures.
    pub px_per_mm: f64,
}

/// The region `rect` (grown by [`REGION_MARGIN_MM`]) of the page registered by `mm_to_px` and
/// of `reference`, at one scale: the longer side `longest_px` pixels, but never finer than
/// `max_px_per_mm`.
pub fn region_pair(
    page: &Pyramid,
    mm_to_px: Homography,
    reference: &ReferenceImage,
    rect: RectMm,
    longest_px: u32,
    max_px_per_mm: f64,
) -> RegionPair {
    let m = REGION_MARGIN_MM;
    let r = [
        rect[0] - m,
        rect[1] - m,
        rect[2] + 2.0 * m,
        rect[3] + 2.0 * m,
    ];
    let px_mm = (f64::from(longest_px) / r[2].max(r[3]).max(1e-3)).min(max_px_per_mm);
    let questioned = View {
        pyramid: page,
        mm_to_px,
    }
    .sample(r, px_mm)
    .to_image([255, 255, 255]);
    let reference = reference.view().sample(r, px_mm).to_image([255, 255, 255]);
    RegionPair {
        questioned,
        reference,
        rect_mm: r,
        px_per_mm: px_mm,
    }
}

/// A heat map in colour: pale where the documents agree, through orange to dark red where
/// the questioned one departs most.
pub fn heat_picture(map: &GrayImage) -> RgbImage {
    RgbImage::from_fn(map.width(), map.height(), |x, y| {
        let v = f32::from(map.get_pixel(x, y).0[0]) / 255.0;
        let lerp = |a: f32, b: f32, t: f32| (a + (b - a) * t).round().clamp(0.0, 255.0) as u8;
        if v < 0.5 {
            let t = v * 2.0;
            image::Rgb([
                lerp(250.0, 245.0, t),
                lerp(250.0, 160.0, t),
                lerp(245.0, 40.0, t),
            ])
        } else {
            let t = (v - 0.5) * 2.0;
            image::Rgb([
                lerp(245.0, 150.0, t),
                lerp(160.0, 0.0, t),
                lerp(40.0, 10.0, t),
            ])
        }
    })
}

/// How a character of an MRZ stands in its checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharMark {
    /// Nothing points at it.
    Plain,
    /// It lies in the coverage of a failing check digit (one of these may be wrong).
    Covered,
    /// A failing check digit, or the place of an error the parser found.
    Failing,
    /// Read as another character and changed, the change confirmed by check digits
    /// ([`repair_sentences`] says which).
    Repaired,
}

/// Each repair made to `mrz` as a sentence for the examiner: where, what was read, what it was
/// taken as, and the check digits that confirm it.
pub fn repair_sentences(mrz: &crate::mrz::Mrz) -> Vec<String> {
    mrz.repairs()
        .iter()
        .map(|r| {
            format!(
                "line {}, position {}: read '{}', taken as '{}' ({})",
                r.line + 1,
                r.column + 1,
                r.from,
                r.to,
                r.basis()
            )
        })
        .collect()
}

/// Each character of each line of `mrz`, marked by what its checks say of it.
pub fn mrz_marks(mrz: &crate::mrz::Mrz) -> Vec<Vec<(char, CharMark)>> {
    use crate::mrz::{CheckStatus, Severity};
    let failing: Vec<_> = mrz
        .checks()
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .collect();
    mrz.lines()
        .iter()
        .enumerate()
        .map(|(li, line)| {
            line.chars()
                .enumerate()
                .map(|(ci, ch)| {
                    let (l, c) = (li as u8, ci as u8);
                    let at_digit = failing
                        .iter()
                        .any(|k| k.at.line == l && k.at.start <= c && c < k.at.end);
                    let at_finding = mrz.findings().iter().any(|x| {
                        x.severity() == Severity::Error
                            && x.span
                                .is_some_and(|s| s.line == l && s.start <= c && c < s.end)
                    });
                    let repaired = mrz.repairs().iter().any(|r| r.line == l && r.column == c);
                    let mark = if at_digit || at_finding {
                        CharMark::Failing
                    } else if repaired {
                        CharMark::Repaired
                    } else if failing.iter().any(|k| k.covers.contains(l, c)) {
                        CharMark::Covered
                    } else {
                        CharMark::Plain
                    };
                    (ch, mark)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;
    use crate::mrz::MrzParser;

    #[test]
    fn a_repaired_misreading_is_marked_and_said_where_and_why() {
        // The ICAO 9303 specimen with the date of birth's 0 read as O.
        let text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                    L898902C36UTO74O8122F1204159ZE184226B<<<<<10";
        let mrz = MrzParser::builder()
            .repair(true)
            .build()
            .parse(text)
            .unwrap();
        assert!(mrz.is_valid());
        let marks = mrz_marks(&mrz);
        assert_eq!(marks[1][15], ('0', CharMark::Repaired));
        let repaired = marks
            .iter()
            .flatten()
            .filter(|(_, m)| *m == CharMark::Repaired)
            .count();
        assert_eq!(repaired, 1);
        let said = repair_sentences(&mrz);
        assert_eq!(said.len(), 1);
        assert!(
            said[0].starts_with(
                "line 2, position 16: read 'O', taken as '0' (confirmed by the date of birth \
                 check digit"
            ),
            "{}",
            said[0]
        );
        // Without repair nothing is marked repaired; the failing check digit is.
        let raw = MrzParser::builder().build().parse(text).unwrap();
        assert!(
            mrz_marks(&raw)
                .iter()
                .flatten()
                .all(|(_, m)| *m != CharMark::Repaired)
        );
        assert_eq!(mrz_marks(&raw)[1][19].1, CharMark::Failing);
        assert!(repair_sentences(&raw).is_empty());
    }
}
