//! `docexam barcode`: find, decode and verify every barcode in document images.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use docexam_core::barcode::{ParseOptions, read_image};
use docexam_core::date::CivilDate;
use docexam_core::ingest::{Limits, decode_file};
use serde_json::json;

use crate::payload_cmd::{load_trust, payload_json, print_text, status_of};
use crate::{EXIT_INVALID, EXIT_VALID};

/// Arguments of `docexam barcode`.
#[derive(Debug, Args)]
pub struct BarcodeArgs {
    /// Print JSON (docs/barcode.md) instead of text.
    #[arg(long)]
    json: bool,
    /// A folder of certificates to verify signatures with (DER, PEM, CSCA master lists,
    /// DCC trust lists).
    #[arg(long, value_name = "DIR")]
    trust: Option<PathBuf>,
    /// Judge validity on this date instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<CivilDate>,
    /// Images (PNG, JPEG, TIFF, BMP, WebP).
    #[arg(required = true)]
    images: Vec<PathBuf>,
}

/// Runs `docexam barcode`.
pub fn run(args: &BarcodeArgs) -> Result<u8> {
    let trust = load_trust(args.trust.as_ref())?;
    let opts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: args.as_of.unwrap_or_else(CivilDate::today_utc),
    };
    let mut out = std::io::stdout().lock();
    let mut status = EXIT_VALID;
    let mut all = Vec::new();
    for path in &args.images {
        let pages = decode_file(path, &Limits::DEFAULT)
            .with_context(|| format!("cannot read the image {}", path.display()))?;
        for page in pages {
            let gray = page.image.to_luma8();
            let (codes, report) = read_image(&gray, &opts)
                .with_context(|| format!("reading barcodes in {}", path.display()))?;
            for c in &codes {
                status = status.max(status_of(&c.payload));
            }
            if !report.undecodable.is_empty() {
                status = status.max(EXIT_INVALID);
            }
            if args.json {
                let codes: Vec<serde_json::Value> = codes
                    .iter()
                    .map(|c| {
                        let mut v = payload_json(&c.code.bytes, &c.payload);
                        if let (Some(obj), Ok(serde_json::Value::Object(code))) =
                            (v.as_object_mut(), serde_json::to_value(&c.code))
                        {
                            obj.extend(code);
                        }
                        v
                    })
                    .collect();
                all.push(json!({
                    "file": path.display().to_string(),
                    "page": page.page,
                    "width": gray.width(),
                    "height": gray.height(),
                    "codes": codes,
                    "undecodable": report.undecodable,
                    "attempts": report.attempts,
                }));
                continue;
            }
            let page_name = page.page.map(|p| format!(" page {p}")).unwrap_or_default();
            writeln!(out, "{}{page_name}:", path.display())?;
            if codes.is_empty() && report.undecodable.is_empty() {
                writeln!(
                    out,
                    "  no barcode found (tried: {})",
                    report.attempts.join(", ")
                )?;
            }
            for c in &codes {
                let p = c.code.position;
                writeln!(
                    out,
                    "  {} {} at ({},{})–({},{}), {} bytes, blake3 {}, found by {}",
                    c.code.symbology,
                    c.code.symbology_identifier,
                    p[0][0],
                    p[0][1],
                    p[2][0],
                    p[2][1],
                    c.code.bytes.len(),
                    c.code.blake3,
                    c.code.found_by
                )?;
                print_text(&mut out, &c.payload, "    ")?;
            }
            for u in &report.undecodable {
                let p = u.position;
                writeln!(
                    out,
                    "  {} found at ({},{})–({},{}), not decoded: {} (tried: {})",
                    u.symbology,
                    p[0][0],
                    p[0][1],
                    p[2][0],
                    p[2][1],
                    u.error,
                    report.attempts.join(", ")
                )?;
            }
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)?;
    }
    Ok(status)
}
