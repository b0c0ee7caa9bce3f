//! `docexam mrz --image IMG`: read the MRZ from a page image.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use docexam_core::ingest::{Limits, decode_page_file};
use docexam_core::mrz::read::{CorrectionBasis, ImageRead, ReadOptions, ReadSource, read};
use docexam_core::mrz::{Mrz, MrzFormat, MrzParser};
use serde::Serialize;

use crate::{EXIT_INVALID, EXIT_VALID};

/// The JSON of an image read: the MRZ report as for text, plus where it was read.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    mrz: &'a Mrz,
    source: &'a ReadSource,
}

/// Reads the MRZ on the first page of `path`; returns the exit code.
pub fn run(parser: &MrzParser, path: &Path, format: Option<MrzFormat>, json: bool) -> Result<u8> {
    let page = decode_page_file(path, 1, &Limits::DEFAULT)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let gray = docexam_core::mrz::read::ink_plane(&page.image);
    let opts = ReadOptions {
        format,
        region: None,
        dpi: page.dpi.map(|d| (d[0] + d[1]) / 2.0),
    };
    let mut result: ImageRead =
        read(&gray, parser, &opts).with_context(|| format!("{}", path.display()))?;
    result.source.image = Some(path.display().to_string());
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer_pretty(
            &mut out,
            &Report {
                mrz: &result.mrz,
                source: &result.source,
            },
        )?;
        writeln!(out)?;
    } else {
        crate::mrz_cmd::write_report(&mut out, &result.mrz)?;
        write_source(&mut out, &result)?;
    }
    out.flush().context("cannot write to stdout")?;
    let font_ok = result.source.font.consistent_with_ocr_b;
    Ok(if result.mrz.is_valid() && font_ok {
        EXIT_VALID
    } else {
        EXIT_INVALID
    })
}

fn write_source(out: &mut impl Write, r: &ImageRead) -> io::Result<()> {
    let s = &r.source;
    let [x, y, w, h] = s.bbox;
    writeln!(out, "\nread from the image")?;
    writeln!(
        out,
        "  where            {w:.0}×{h:.0} px at ({x:.0}, {y:.0}), lines at {:.1}°",
        s.angle_deg
    )?;
    let mm = s
        .pitch_mm
        .map(|p| format!(" ({p:.2} mm)"))
        .unwrap_or_default();
    writeln!(out, "  pitch            {:.1} px{mm}", s.pitch_px)?;
    writeln!(
        out,
        "  font             OCR-B match {:.3} (threshold {:.2}){}",
        s.font_score,
        s.font.threshold,
        if s.font.consistent_with_ocr_b {
            ""
        } else {
            ": NOT OCR-B"
        }
    )?;
    if let Some(f) = &s.font.finding {
        writeln!(out, "  {}", f.message)?;
    }
    writeln!(
        out,
        "  lowest character confidence {:.2}",
        s.char_confidence_min
    )?;
    for c in &s.corrections {
        let why = match c.basis {
            CorrectionBasis::FieldClass => format!("the field cannot hold {}", c.read),
            CorrectionBasis::CodeList => "the state code read is on no list".to_owned(),
        };
        writeln!(
            out,
            "  corrected {}:{} {} -> {} ({why}; {} scored {:.2}, {} {:.2})",
            c.line + 1,
            c.column + 1,
            c.read,
            c.to,
            c.read,
            c.read_score,
            c.to,
            c.to_score
        )?;
    }
    for (li, line) in s.lines.iter().enumerate() {
        for (col, ch) in line.iter().enumerate() {
            if ch.confidence < 0.3 {
                let alts: Vec<String> = ch
                    .alternatives
                    .iter()
                    .map(|(c, v)| format!("{c} {v:.2}"))
                    .collect();
                writeln!(
                    out,
                    "  uncertain {}:{} {} {:.2} (alternatives: {})",
                    li + 1,
                    col + 1,
                    ch.ch,
                    ch.score,
                    if alts.is_empty() {
                        "none".to_string()
                    } else {
                        alts.join(", ")
                    }
                )?;
            }
        }
    }
    Ok(())
}
