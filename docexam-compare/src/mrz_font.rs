//! The MRZ's font and position: how well its glyphs match OCR-B and its pitch the ICAO
//! 2.54 mm (from the MRZ reader), and where it sits on the document against where the
//! reference's MRZ sits (through the registration).

use super::inputs::FeatureInputs;
use super::result::{Measured, Measurement, Score};
use docexam_mrz::read::FONT_THRESHOLD;

/// Largest MRZ pitch error (mm) a genuine document shows by default. The pitch is 2.54 mm
/// by design, but it is measured through the registration, whose scale on a card or a
/// curved page is off by up to a few per mille across a 90 mm line: genuine TD1 backs
/// measured 0.10–0.13 mm.
pub const PITCH_ERROR_MAX_MM: f64 = 0.16;

/// Least genuine spread of the pitch error (mm), whatever a lab's exemplars show.
pub const PITCH_SPREAD_MM: f64 = 0.03;

/// Largest offset (mm) of the MRZ's centre from the specimen's by default: personalisation
/// printers place the MRZ within about ±1.5 mm of where the design puts it, and genuine
/// documents measured up to 2.0 mm.
pub const POSITION_OFFSET_MAX_MM: f64 = 2.5;

/// Least genuine spread of the MRZ position (mm), whatever a lab's exemplars show: one
/// batch of documents from one printer shows less than the printers of a whole issuing
/// state.
pub const POSITION_SPREAD_MM: f64 = 0.5;

/// Compares the MRZ's font and position.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    let Some(read) = ctx.mrz else {
        // The registration placed the page, but no OCR-B MRZ reads in the MRZ zone, even
        // when looked for there in the specimen's format: the MRZ is missing, or printed
        // in another font or so badly that no reader can read it.
        return Ok(Measured {
            scores: vec![Score::min(
                "font_score",
                0.0,
                "1",
                f64::from(FONT_THRESHOLD),
            )],
            heat_map: None,
            note: Some(
                "no OCR-B machine-readable zone could be read in the MRZ zone, though the page \
                 was placed on the specimen"
                    .into(),
            ),
        });
    };
    let mut scores = vec![Score::min(
        "font_score",
        f64::from(read.source.font_score),
        "1",
        f64::from(FONT_THRESHOLD),
    )];
    // The pitch on the document, through the registration (the reader's own pitch needs a
    // resolution the file may not state).
    let inv = ctx.registration.mm_to_px.inverse();
    let longest = read.source.lines.iter().max_by_key(|l| l.len());
    if let (Some(inv), Some(line)) = (inv, longest)
        && let (Some(a), Some(b)) = (line.first(), line.last())
        && line.len() > 1
        && let (Some(pa), Some(pb)) = (
            inv.apply(f64::from(a.centre[0]), f64::from(a.centre[1])),
            inv.apply(f64::from(b.centre[0]), f64::from(b.centre[1])),
        )
    {
        let pitch =
            ((pb.0 - pa.0).powi(2) + (pb.1 - pa.1).powi(2)).sqrt() / (line.len() - 1) as f64;
        scores.push(
            Score::max(
                "pitch_error_mm",
                (pitch - 2.54).abs(),
                "mm",
                PITCH_ERROR_MAX_MM,
            )
            .spread_at_least(PITCH_SPREAD_MM),
        );
    }
    if let (Some(q), Some(r)) = (
        read.centre_mm(&ctx.registration.mm_to_px),
        ctx.reference.mrz_centre_mm,
    ) {
        let d = ((q.0 - r.0).powi(2) + (q.1 - r.1).powi(2)).sqrt();
        scores.push(
            Score::max("position_offset_mm", d, "mm", POSITION_OFFSET_MAX_MM)
                .spread_at_least(POSITION_SPREAD_MM),
        );
    }
    Ok(Measured {
        scores,
        heat_map: None,
        note: Some(format!(
            "font evidence {:.3} against OCR-B",
            read.source.font_score
        )),
    })
}
