//! The PDF report for the case file: who examined what and when, the assessment, the document
//! images with every feature outlined in the colour of its status, the questioned region
//! beside the reference's with the heat map for every feature that failed or could not be
//! judged, the MRZ with failing characters marked, the barcodes, the cross-checks, the hash of
//! every input and of the specimen, and how to verify the report itself.

mod emit;
mod figures;
mod layout;

use std::sync::Arc;

use image::RgbImage;
use rayon::prelude::*;

use crate::compare::Status;
use crate::ingest::LightSource;
use crate::mrz::CheckStatus;
use crate::raster::Pyramid;
use crate::register::ReferenceImage;

use super::assess::AnomalySeverity;
use super::input::DocumentImage;
use super::report::{CrossCheckStatus, Report};
use super::views::CharMark;
use figures::{Jpeg, crops, heat, jpeg, needs_figure, outline, shrink, status_colour};
use layout::{
    AMBER, BLUE, COLUMN, Face, Flow, GREEN, GREY, INK, MARGIN_X, Metrics, Op, RED, RULE, Rgb, SLATE,
};

/// DejaVu Sans, cut down to the scripts and symbols reports use (see `fonts/README.md`).
pub const REGULAR_FONT: &[u8] = include_bytes!("../../../fonts/DejaVuSans-report.ttf");
/// DejaVu Sans Bold, cut down likewise.
pub const BOLD_FONT: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Bold-report.ttf");
/// OCR-B with TrueType outlines, for the MRZ (see `fonts/README.md`).
pub const MONO_FONT: &[u8] = include_bytes!("../../../fonts/OCRB-report.ttf");

/// Why no PDF could be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// A typeface built into docexam does not parse (a damaged build).
    #[error("PDF report: the {0} typeface built into docexam does not parse")]
    Font(&'static str),
}

/// What the report says about its context.
#[derive(Clone, Debug, Default)]
pub struct PdfMeta {
    /// The case, when the examination was logged in one.
    pub case_id: Option<String>,
    /// The case's item numbers examined.
    pub items: Vec<u32>,
    /// Who examined.
    pub examiner: String,
    /// When the report was written (shown as given).
    pub written: String,
    /// blake3 of the JSON report it accompanies.
    pub json_blake3: Option<String>,
}

impl PdfMeta {
    /// The context of a report written now: the case it is logged in (`case_id`), the
    /// `items` examined, the `examiner`, this moment, and the blake3 of the JSON report line
    /// (`json_line`, as [`Report::to_json_line`] gives it) the PDF accompanies. The CLI and the
    /// workstation both describe their reports so.
    pub fn for_report(
        json_line: &str,
        case_id: Option<String>,
        items: &[crate::evidence::Item],
        examiner: String,
    ) -> PdfMeta {
        PdfMeta {
            case_id,
            items: items.iter().map(|i| i.id).collect(),
            examiner,
            written: crate::date::Timestamp::now().to_string(),
            json_blake3: Some(blake3::hash(json_line.as_bytes()).to_hex().to_string()),
        }
    }
}

/// Writes the PDF report of `report`, drawing on its `images` and the specimen's
/// `references` (empty when no specimen was identified).
pub fn render(
    report: &Report,
    images: &[DocumentImage],
    references: &[ReferenceImage],
    meta: &PdfMeta,
) -> Result<Vec<u8>, PdfError> {
    let m = Metrics::new(REGULAR_FONT, BOLD_FONT, MONO_FONT)
        .ok_or(PdfError::Font("regular, bold or monospaced"))?;
    let mut f = Flow::new(&m);
    title(&mut f, report, meta);
    assessment(&mut f, report);
    overviews(&mut f, report, images);
    findings(&mut f, report, images, references);
    feature_table(&mut f, report);
    mrz(&mut f, report);
    barcodes(&mut f, report);
    cross_checks(&mut f, report);
    evidence(&mut f, report, meta);
    let header = format!(
        "docexam examination report — {} — {}",
        report.document,
        report.assessment.result.name().replace('_', " ")
    );
    emit::emit(
        &f.pages,
        &header,
        &format!("Examination of {}", report.document),
    )
}

fn kv_rows(rows: &[(&str, String)]) -> Vec<Vec<(String, Rgb)>> {
    rows.iter()
        .map(|(k, v)| vec![(k.to_string(), GREY), (v.clone(), INK)])
        .collect()
}

fn title(f: &mut Flow<'_>, r: &Report, meta: &PdfMeta) {
    f.push(Op::Text {
        x: MARGIN_X,
        y: f.y + 20.0,
        size: 19.0,
        face: Face::Bold,
        color: INK,
        text: "Document examination report".into(),
    });
    f.y += 30.0;
    f.para(
        "What docexam checked and what it found. It does not say whether the document is genuine: \
         that is the examiner's conclusion.",
        Face::Regular,
        9.0,
        GREY,
    );
    f.gap(6.0);
    let mut rows = vec![
        ("Document", r.document.clone()),
        (
            "Case",
            meta.case_id
                .clone()
                .unwrap_or_else(|| "— (not logged in a case)".into()),
        ),
    ];
    if !meta.items.is_empty() {
        rows.push((
            "Items",
            meta.items
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    rows.push(("Examiner", meta.examiner.clone()));
    rows.push(("Report written", meta.written.clone()));
    rows.push(("Judged as of", r.as_of.clone()));
    rows.push(("Tool", format!("{} {}", r.tool.name, r.tool.version)));
    match &r.specimen {
        Some(s) => {
            rows.push(("Specimen", format!("{} — {}", s.id, s.name)));
            rows.push(("Identified", r.identification.note.clone()));
            if let Some(c) = &s.calibration {
                rows.push((
                    "Calibration",
                    format!(
                        "{} on {} genuine exemplars, {}; false-alarm rate {}, {} scores \
                         modelled; leave-one-out flagged {}",
                        c.method,
                        c.exemplars,
                        c.date,
                        c.false_alarm_rate,
                        c.scores,
                        c.leave_one_out_false_alarms
                    ),
                ));
            }
        }
        None => rows.push(("Specimen", format!("none: {}", r.identification.note))),
    }
    f.table(&[110.0, COLUMN - 110.0], &["", ""], &kv_rows(&rows), 9.0);
}

fn assessment(f: &mut Flow<'_>, r: &Report) {
    let a = &r.assessment;
    let (colour, word) = match a.result {
        super::Verdict::NoAnomalyFound => (GREEN, "NO ANOMALY FOUND"),
        super::Verdict::AnomaliesFound => (RED, "ANOMALIES FOUND"),
        super::Verdict::Inconclusive => (AMBER, "INCONCLUSIVE"),
    };
    f.heading("Assessment");
    f.ensure(40.0);
    f.push(Op::Rect {
        x: MARGIN_X,
        y: f.y,
        w: 6.0,
        h: 26.0,
        fill: Some(colour),
        stroke: None,
    });
    f.push(Op::Text {
        x: MARGIN_X + 14.0,
        y: f.y + 18.0,
        size: 15.0,
        face: Face::Bold,
        color: colour,
        text: word.into(),
    });
    f.y += 32.0;
    f.para(&a.summary, Face::Regular, 10.0, INK);
    if let Some(d) = &r.document_score {
        f.para(&d.sentence, Face::Regular, 9.0, INK);
    }
    f.gap(4.0);
    if !a.anomalies.is_empty() {
        let rows: Vec<Vec<(String, Rgb)>> = a
            .anomalies
            .iter()
            .map(|x| {
                let (c, w) = match x.severity {
                    AnomalySeverity::Critical => (RED, "critical"),
                    AnomalySeverity::Major => (RED, "major"),
                    AnomalySeverity::Minor => (AMBER, "minor"),
                };
                vec![
                    (w.to_string(), c),
                    (x.source.clone(), INK),
                    (x.sentence.clone(), INK),
                ]
            })
            .collect();
        f.table(
            &[52.0, 130.0, COLUMN - 182.0],
            &["Severity", "Where", "Finding"],
            &rows,
            8.5,
        );
    }
    let blocking: Vec<_> = a.not_checked.iter().filter(|n| n.blocking).collect();
    if !blocking.is_empty() {
        f.para("Could not be checked:", Face::Bold, 9.5, INK);
        let rows: Vec<Vec<(String, Rgb)>> = blocking
            .iter()
            .map(|n| vec![(n.what.clone(), AMBER), (n.why.clone(), INK)])
            .collect();
        f.table(&[130.0, COLUMN - 130.0], &["What", "Why"], &rows, 8.5);
    }
    let optional = a.not_checked.len() - blocking.len();
    if optional > 0 {
        f.para(
            &format!(
                "{optional} further checks did not apply to the material given (no capture under their light)."
            ),
            Face::Regular,
            8.5,
            GREY,
        );
    }
}

fn legend(f: &mut Flow<'_>) {
    f.ensure(14.0);
    let mut x = MARGIN_X;
    for (c, w) in [
        (GREEN, "pass"),
        (RED, "fail"),
        (AMBER, "inconclusive"),
        (SLATE, "not applicable"),
    ] {
        f.push(Op::Rect {
            x,
            y: f.y + 2.0,
            w: 14.0,
            h: 7.0,
            fill: None,
            stroke: Some((c, 1.5)),
        });
        f.push(Op::Text {
            x: x + 18.0,
            y: f.y + 9.0,
            size: 8.0,
            face: Face::Regular,
            color: GREY,
            text: w.into(),
        });
        x += 26.0 + f.m.width(w, Face::Regular, 8.0);
    }
    f.y += 16.0;
}

fn overviews(f: &mut Flow<'_>, r: &Report, images: &[DocumentImage]) {
    f.heading("The document as captured, with the specimen's features");
    legend(f);
    // Front before back, white light first, then UV and IR.
    let rank = |l: LightSource| match l {
        LightSource::White => 0,
        LightSource::Uv => 1,
        _ => 2,
    };
    let mut order: Vec<usize> = (0..images.len()).collect();
    order.sort_by_key(|&i| {
        images
            .get(i)
            .map(|x| (x.side == crate::ingest::Side::Back, rank(x.light)))
    });
    // The pictures are made side by side (scaling and JPEG coding are most of the report's
    // time), then laid out in order.
    let pictures: Vec<(RgbImage, f64, Arc<Jpeg>)> = order
        .par_iter()
        .map(|&i| {
            let (small, s) = images
                .get(i)
                .map(|img| shrink(&img.image, figures::OVERVIEW_SIDE))
                .unwrap_or_default();
            let j = jpeg(&small);
            (small, s, j)
        })
        .collect();
    for (i, (small, s, picture)) in order.into_iter().zip(pictures) {
        let Some(img) = images.get(i) else { continue };
        let reg = r.registrations.get(i).and_then(|c| c.registration.as_ref());
        let (w, h) = (small.width() as f32, small.height() as f32);
        let scale = (COLUMN / w).min(300.0 / h);
        let (bw, bh) = (w * scale, h * scale);
        f.ensure(bh + 30.0);
        let caption = match reg {
            Some(g) => format!(
                "{} — {} {} light — registered ({} stage, residual {:.2} mm, {:.1} px/mm)",
                img.name,
                img.side.name(),
                img.light.name(),
                g.stage,
                g.residual_mm,
                g.px_per_mm
            ),
            None => format!(
                "{} — {} {} light — not registered{}",
                img.name,
                img.side.name(),
                img.light.name(),
                r.registrations
                    .get(i)
                    .and_then(|c| c.error.as_deref())
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
        };
        f.para(&caption, Face::Regular, 8.5, GREY);
        let x0 = MARGIN_X + (COLUMN - bw) / 2.0;
        let y0 = f.y;
        f.push(Op::Image {
            x: x0,
            y: y0,
            w: bw,
            h: bh,
            jpeg: picture,
        });
        if let Some(g) = reg {
            for feat in r
                .features
                .iter()
                .filter(|x| x.side == img.side && x.light == img.light)
            {
                let Some(pts) = outline(&g.mm_to_px, feat.region_mm, s) else {
                    continue;
                };
                let pts: Vec<(f32, f32)> = pts
                    .iter()
                    .map(|(px, py)| (x0 + *px as f32 * scale, y0 + *py as f32 * scale))
                    .collect();
                let colour = status_colour(feat.status);
                if let Some(&(lx, ly)) = pts.first() {
                    f.push(Op::Text {
                        x: lx + 1.5,
                        y: ly + 6.5,
                        size: 5.5,
                        face: Face::Bold,
                        color: colour,
                        text: feat.feature.clone(),
                    });
                }
                f.push(Op::Polygon {
                    points: pts,
                    stroke: (
                        colour,
                        if feat.status == Status::Fail {
                            1.6
                        } else {
                            0.9
                        },
                    ),
                });
            }
        }
        f.y += bh + 10.0;
    }
}

fn findings(f: &mut Flow<'_>, r: &Report, images: &[DocumentImage], refs: &[ReferenceImage]) {
    let wanted: Vec<_> = r.features.iter().filter(|x| needs_figure(x)).collect();
    if wanted.is_empty() {
        return;
    }
    f.heading("Features that failed or could not be judged");
    let mut pyramids: Vec<(usize, Pyramid)> = Vec::new();
    for feat in wanted {
        f.ensure(60.0);
        f.para(
            &format!(
                "{} — {} ({} light, {})",
                feat.feature,
                feat.status.name().replace('_', " "),
                feat.light.name(),
                feat.side.name()
            ),
            Face::Bold,
            10.0,
            status_colour(feat.status),
        );
        f.para(&feat.sentence, Face::Regular, 9.0, INK);
        let capture = images
            .iter()
            .position(|i| i.side == feat.side && i.light == feat.light);
        let reg = capture.and_then(|i| {
            r.registrations
                .get(i)
                .and_then(|c| c.registration.as_ref())
                .map(|g| (i, g))
        });
        let reference = refs
            .iter()
            .find(|x| x.side == feat.side && x.light == feat.light);
        if let (Some((i, g)), Some(reference)) = (reg, reference) {
            if !pyramids.iter().any(|(k, _)| *k == i)
                && let Some(img) = images.get(i)
            {
                pyramids.push((i, Pyramid::shared(img.image.clone())));
            }
            if let Some((_, page)) = pyramids.iter().find(|(k, _)| *k == i) {
                let (q, refd) = crops(page, g.mm_to_px, reference, feat.region_mm);
                let mut panels = vec![("questioned", q), ("reference", refd)];
                if let Some(h) = &feat.heat_map {
                    panels.push(("difference (dark: departs most)", heat(h)));
                }
                let n = panels.len() as f32;
                let gap = 8.0;
                let cell = (COLUMN - gap * (n - 1.0)) / n;
                let tallest = panels
                    .iter()
                    .map(|(_, p)| p.height() as f32 / p.width().max(1) as f32 * cell)
                    .fold(0.0f32, f32::max)
                    .min(220.0);
                f.ensure(tallest + 22.0);
                let y0 = f.y;
                for (k, (label, p)) in panels.iter().enumerate() {
                    let (pw, ph) = (p.width().max(1) as f32, p.height().max(1) as f32);
                    let s = (cell / pw).min(tallest / ph);
                    let x = MARGIN_X + k as f32 * (cell + gap);
                    f.push(Op::Image {
                        x,
                        y: y0,
                        w: pw * s,
                        h: ph * s,
                        jpeg: jpeg(p),
                    });
                    f.push(Op::Rect {
                        x,
                        y: y0,
                        w: pw * s,
                        h: ph * s,
                        fill: None,
                        stroke: Some((RULE, 0.5)),
                    });
                    f.push(Op::Text {
                        x,
                        y: y0 + tallest + 10.0,
                        size: 7.5,
                        face: Face::Regular,
                        color: GREY,
                        text: (*label).to_string(),
                    });
                }
                f.y = y0 + tallest + 16.0;
            }
        }
        if !feat.scores.is_empty() {
            let rows: Vec<Vec<(String, Rgb)>> = feat
                .scores
                .iter()
                .zip(&feat.thresholds)
                .map(|(s, t)| {
                    let beyond = if s.higher_is_better {
                        s.value < t.value
                    } else {
                        s.value > t.value
                    };
                    vec![
                        (s.name.to_string(), INK),
                        (
                            format!("{:.3} {}", s.value, if s.unit == "1" { "" } else { s.unit }),
                            if beyond { RED } else { INK },
                        ),
                        (
                            format!(
                                "{} {:.3} ({})",
                                if s.higher_is_better { "≥" } else { "≤" },
                                t.value,
                                match t.source {
                                    crate::compare::ThresholdSource::Specimen => "calibrated",
                                    crate::compare::ThresholdSource::Default => "default",
                                }
                            ),
                            GREY,
                        ),
                    ]
                })
                .collect();
            f.table(
                &[150.0, 110.0, 160.0],
                &["Score", "Measured", "Genuine documents"],
                &rows,
                8.5,
            );
        }
        f.gap(6.0);
    }
}

fn feature_table(f: &mut Flow<'_>, r: &Report) {
    if r.features.is_empty() {
        return;
    }
    f.heading("Every security feature");
    let rows: Vec<Vec<(String, Rgb)>> = r
        .features
        .iter()
        .map(|x| {
            let scores = x
                .scores
                .iter()
                .zip(&x.thresholds)
                .map(|(s, t)| {
                    format!(
                        "{} {:.3} ({} {:.3})",
                        s.name,
                        s.value,
                        if s.higher_is_better { "≥" } else { "≤" },
                        t.value
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                (x.feature.clone(), INK),
                (format!("{} {}", x.side.name(), x.light.name()), GREY),
                (x.status.name().replace('_', " "), status_colour(x.status)),
                (
                    if scores.is_empty() {
                        x.sentence.clone()
                    } else {
                        scores
                    },
                    INK,
                ),
            ]
        })
        .collect();
    f.table(
        &[120.0, 62.0, 66.0, COLUMN - 248.0],
        &["Feature", "Capture", "Status", "Scores (threshold)"],
        &rows,
        7.8,
    );
}

fn mrz(f: &mut Flow<'_>, r: &Report) {
    f.heading("Machine-readable zone");
    if r.mrz.is_empty() {
        f.para("No MRZ was read on any capture.", Face::Regular, 9.0, GREY);
        return;
    }
    // White-light readings first: they are what the document shows the eye.
    let mut reads: Vec<_> = r.mrz.iter().collect();
    reads.sort_by_key(|m| {
        (
            m.side == crate::ingest::Side::Back,
            m.light != LightSource::White,
        )
    });
    for (n, m) in reads.iter().enumerate() {
        let rec = &m.record;
        let same_as_first = n > 0
            && reads
                .first()
                .is_some_and(|a| a.record.lines() == rec.lines());
        f.ensure(80.0);
        f.para(
            &format!(
                "{} — {} {} light — {} (font match {:.2}, pitch {})",
                m.input,
                m.side.name(),
                m.light.name(),
                if rec.is_valid() { "valid" } else { "INVALID" },
                m.font_score,
                m.pitch_mm
                    .map_or_else(|| "unknown".to_string(), |p| format!("{p:.2} mm"))
            ),
            Face::Bold,
            9.5,
            if rec.is_valid() { INK } else { RED },
        );
        // Each character in OCR-B: red where a check digit fails or a finding points, amber
        // where a failing check digit's coverage lies, blue where a misreading was repaired.
        let size = 10.5;
        let adv = f.m.width("0", Face::Mono, size);
        for line in &crate::examine::views::mrz_marks(rec) {
            f.ensure(16.0);
            for (ci, &(ch, mark)) in line.iter().enumerate() {
                let color = match mark {
                    CharMark::Failing => RED,
                    CharMark::Covered => AMBER,
                    CharMark::Repaired => BLUE,
                    CharMark::Plain => INK,
                };
                f.push(Op::Text {
                    x: MARGIN_X + ci as f32 * adv,
                    y: f.y + size,
                    size,
                    face: Face::Mono,
                    color,
                    text: ch.to_string(),
                });
            }
            f.y += 15.0;
        }
        for r in crate::examine::views::repair_sentences(rec) {
            f.para(&format!("Repaired: {r}"), Face::Regular, 8.5, BLUE);
        }
        f.gap(3.0);
        if same_as_first {
            f.para(
                "The same characters as the first reading; fields, check digits and findings as above.",
                Face::Regular,
                8.5,
                GREY,
            );
            f.gap(4.0);
            continue;
        }
        let mut rows = Vec::new();
        for fld in rec.fields() {
            let value = rec.value(fld.kind).unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            rows.push(vec![
                (fld.kind.name().replace('_', " "), GREY),
                (value, INK),
            ]);
        }
        if !rows.is_empty() {
            f.table(&[140.0, COLUMN - 140.0], &["Field", "Value"], &rows, 8.0);
        }
        let checks: Vec<Vec<(String, Rgb)>> = rec
            .checks()
            .iter()
            .map(|c| {
                vec![
                    (c.kind.name().replace('_', " "), GREY),
                    (
                        format!("{:?}", c.status).to_lowercase(),
                        if c.status == CheckStatus::Fail {
                            RED
                        } else {
                            GREEN
                        },
                    ),
                    (
                        format!(
                            "found {}, computed {}",
                            c.found.map_or("—".to_string(), |b| (b as char).to_string()),
                            c.expected.map_or("—".to_string(), |d| d.to_string())
                        ),
                        INK,
                    ),
                ]
            })
            .collect();
        if !checks.is_empty() {
            f.table(
                &[140.0, 60.0, COLUMN - 200.0],
                &["Check digit", "Status", "Digits"],
                &checks,
                8.0,
            );
        }
        let notes: Vec<Vec<(String, Rgb)>> = rec
            .findings()
            .iter()
            .map(|x| {
                let c = match x.severity() {
                    crate::mrz::Severity::Error => RED,
                    crate::mrz::Severity::Warning => AMBER,
                    _ => GREY,
                };
                vec![(x.code().to_string(), c), (x.message(), INK)]
            })
            .collect();
        if !notes.is_empty() {
            f.table(&[140.0, COLUMN - 140.0], &["Finding", "What"], &notes, 8.0);
        }
    }
}

fn barcodes(f: &mut Flow<'_>, r: &Report) {
    let any = r
        .barcodes
        .iter()
        .any(|b| !b.codes.is_empty() || !b.undecodable.is_empty());
    if !any {
        return;
    }
    f.heading("Barcodes");
    for b in &r.barcodes {
        for (i, c) in b.codes.iter().enumerate() {
            f.para(
                &format!(
                    "{} — {} #{}: {} (blake3 {})",
                    b.input,
                    c.code.symbology,
                    i + 1,
                    c.payload.description,
                    &c.code.blake3[..16.min(c.code.blake3.len())]
                ),
                Face::Bold,
                9.5,
                INK,
            );
            let sig = &c.payload.signature;
            let sig_colour = match sig.authenticity {
                crate::barcode::Authenticity::Proven => GREEN,
                crate::barcode::Authenticity::False | crate::barcode::Authenticity::Unproven => RED,
                _ => AMBER,
            };
            f.para(
                &format!(
                    "Signature: {}. {}",
                    sig.authenticity.phrase(),
                    sig.sentence()
                ),
                Face::Regular,
                9.0,
                sig_colour,
            );
            let mut rows: Vec<Vec<(String, Rgb)>> = c
                .payload
                .fields
                .iter()
                .map(|x| vec![(x.name.to_string(), GREY), (x.value.clone(), INK)])
                .collect();
            if let Some(checks) = b.cross_checks.get(i) {
                for x in checks {
                    rows.push(vec![
                        (format!("vs MRZ: {}", x.field), GREY),
                        (x.message.clone(), if x.agrees { GREEN } else { RED }),
                    ]);
                }
            }
            if !rows.is_empty() {
                f.table(&[140.0, COLUMN - 140.0], &["Field", "Value"], &rows, 8.0);
            }
        }
        for u in &b.undecodable {
            f.para(
                &format!(
                    "{}: a {} was found but not decoded: {}",
                    b.input, u.symbology, u.error
                ),
                Face::Regular,
                9.0,
                AMBER,
            );
        }
    }
}

fn cross_checks(f: &mut Flow<'_>, r: &Report) {
    if r.cross_checks.is_empty() {
        return;
    }
    f.heading("Cross-checks");
    let rows: Vec<Vec<(String, Rgb)>> = r
        .cross_checks
        .iter()
        .map(|c| {
            let (w, colour) = match c.status {
                CrossCheckStatus::Agrees => ("agrees", GREEN),
                CrossCheckStatus::Mismatch => ("MISMATCH", RED),
                CrossCheckStatus::NotChecked => ("not checked", GREY),
            };
            vec![
                (c.check.clone(), INK),
                (format!("{} / {}", c.between[0], c.between[1]), GREY),
                (w.to_string(), colour),
                (c.detail.clone(), INK),
            ]
        })
        .collect();
    f.table(
        &[125.0, 120.0, 55.0, COLUMN - 300.0],
        &["Check", "Between", "Result", "Detail"],
        &rows,
        7.8,
    );
}

fn evidence(f: &mut Flow<'_>, r: &Report, meta: &PdfMeta) {
    f.heading("Evidence and verification");
    let rows: Vec<Vec<(String, Rgb)>> = r
        .inputs
        .iter()
        .map(|i| {
            vec![
                (i.name.clone(), INK),
                (
                    format!(
                        "{} {}{}",
                        i.side.name(),
                        i.light.name(),
                        if i.light == LightSource::White {
                            ""
                        } else {
                            " light"
                        }
                    ),
                    GREY,
                ),
                (
                    format!("{} bytes, {}×{} px", i.bytes, i.width, i.height),
                    GREY,
                ),
                (i.blake3.clone(), INK),
            ]
        })
        .collect();
    f.table(
        &[120.0, 55.0, 95.0, COLUMN - 270.0],
        &["Input", "Capture", "File", "blake3"],
        &rows,
        7.5,
    );
    let mut facts = Vec::new();
    if let Some(s) = &r.specimen {
        facts.push(("Specimen manifest", format!("{} blake3 {}", s.id, s.blake3)));
    }
    if let Some(j) = &meta.json_blake3 {
        facts.push(("JSON report", format!("blake3 {j}")));
    }
    facts.push(("Tool", format!("{} {}", r.tool.name, r.tool.version)));
    f.table(&[110.0, COLUMN - 110.0], &["", ""], &kv_rows(&facts), 8.0);
    let how = match &meta.case_id {
        Some(id) => format!(
            "Verification: this PDF and the JSON report are stored in case {id}, and the case's \
             audit log records the blake3 of both in the `examine` entry of {} (`docexam case log`). \
             `b3sum` of this file must print the PDF hash recorded there, and `docexam case verify` \
             re-hashes every input, report and log entry.",
            r.document
        ),
        None => "Verification: this report was not logged in a case; the blake3 of every input \
                 above identifies exactly what was examined."
            .to_string(),
    };
    f.para(&how, Face::Regular, 8.5, GREY);
}
