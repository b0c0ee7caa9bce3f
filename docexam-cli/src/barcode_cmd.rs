//! `docexam barcode`: find, decode and verify every barcode in document images.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use docexam_core::barcode::{ParseOptions, read_image};
use docexam_core::ingest::{Limits, decode_page_file, probe_file};
use serde_json::json;

use crate::payload_cmd::{
    VerifyArgs, checks_status, cross_checks, payload_json, print_checks, print_text, status_of,
};
use crate::{EXIT_INVALID, EXIT_VALID};

/// Arguments of `docexam barcode`.
#[derive(Debug, Args)]
pub struct BarcodeArgs {
    #[command(flatten)]
    verify: VerifyArgs,
    /// Images (PNG, JPEG, TIFF, BMP, WebP).
    #[arg(required = true)]
    images: Vec<PathBuf>,
}

/// Runs `docexam barcode`.
pub fn run(args: &BarcodeArgs) -> Result<u8> {
    let trust = args.verify.trust_store()?;
    let mrz = args.verify.mrz_identity()?;
    let opts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: args.verify.as_of(),
    };
    let mut out = std::io::stdout().lock();
    let mut status = EXIT_VALID;
    let mut all = Vec::new();
    for path in &args.images {
        // One page decoded at a time: a many-page TIFF never holds more than one in memory.
        let pages = probe_file(path, &Limits::DEFAULT)
            .with_context(|| format!("cannot read the image {}", path.display()))?
            .pages
            .len();
        for number in 1..=u32::try_from(pages).unwrap_or(u32::MAX) {
            let page = decode_page_file(path, number, &Limits::DEFAULT)
                .with_context(|| format!("cannot read the image {}", path.display()))?;
            let gray = page.image.to_luma8();
            let read = read_image(&gray, &opts)
                .with_context(|| format!("reading barcodes in {}", path.display()))?;
            let checks: Vec<_> = read
                .codes
                .iter()
                .map(|c| cross_checks(&c.payload, mrz.as_ref()))
                .collect();
            for (c, ch) in read.codes.iter().zip(&checks) {
                status = status
                    .max(status_of(&c.payload))
                    .max(checks_status(ch.as_deref()));
            }
            if !read.undecodable.is_empty() {
                status = status.max(EXIT_INVALID);
            }
            if args.verify.json {
                let codes: Vec<serde_json::Value> = read
                    .codes
                    .iter()
                    .zip(&checks)
                    .map(|(c, ch)| {
                        let mut v = payload_json(&c.code.bytes, &c.payload, ch.as_deref());
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
                    "undecodable": read.undecodable,
                    "attempts": read.attempts,
                }));
                continue;
            }
            let page_name = page.page.map(|p| format!(" page {p}")).unwrap_or_default();
            writeln!(out, "{}{page_name}:", path.display())?;
            if read.codes.is_empty() && read.undecodable.is_empty() {
                writeln!(
                    out,
                    "  no barcode found (tried: {})",
                    read.attempts.join(", ")
                )?;
            }
            for (c, ch) in read.codes.iter().zip(&checks) {
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
                if let Some(ch) = ch {
                    print_checks(&mut out, ch, "    ")?;
                }
            }
            for u in &read.undecodable {
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
                    read.attempts.join(", ")
                )?;
            }
        }
    }
    if args.verify.json {
        serde_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)?;
    }
    Ok(status)
}
