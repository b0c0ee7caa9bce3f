//! `docexam mrz`: parse and validate MRZ text.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use docexam_core::date::CivilDate;
use docexam_core::mrz::{
    Block, BlockError, CheckStatus, Mrz, MrzBlocks, MrzFormat, MrzParser, Severity,
};
use serde::Serialize;

use crate::input::Source;
use crate::{EXIT_INVALID, EXIT_USAGE, EXIT_VALID};

/// Most bytes read in single mode: far more than any MRZ with surrounding whitespace.
const SINGLE_INPUT_LIMIT: u64 = 1 << 20;

/// Arguments of `docexam mrz`.
#[derive(Debug, Args)]
pub struct MrzArgs {
    /// Repair OCR misreadings that a check digit confirms (every change is reported).
    #[arg(long)]
    repair: bool,
    /// Read raw OCR output: drop lines that are no MRZ line, remove spaces and stray marks,
    /// raise lower case, cut trailing characters (every change is reported), then repair.
    #[arg(long, conflicts_with_all = ["batch", "image"])]
    ocr_text: bool,
    /// Print JSON (one object; with --batch, one object per line).
    #[arg(long)]
    json: bool,
    /// Read many MRZs: blocks separated by blank lines, dense runs split by line shape.
    #[arg(long)]
    batch: bool,
    /// Judge expiry and age as of this date (YYYY-MM-DD) instead of today (UTC).
    #[arg(long, value_name = "DATE")]
    as_of: Option<CivilDate>,
    /// Read the MRZ from this page image (scan or photo; PNG, JPEG, TIFF, BMP, WebP) with the
    /// built-in OCR-B reader. Repair is always on for images.
    #[arg(long, value_name = "IMG", conflicts_with_all = ["batch", "file"])]
    image: Option<PathBuf>,
    /// With --image: the MRZ format expected (TD1, TD2, TD3, MRVA, MRVB).
    #[arg(long, value_name = "FORMAT", requires = "image", value_parser = parse_format)]
    format: Option<MrzFormat>,
    /// Text file with the MRZ lines; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

/// Runs the command; returns the exit code.
pub fn run(args: &MrzArgs) -> Result<u8> {
    let mut builder = MrzParser::builder().repair(args.repair);
    if let Some(date) = args.as_of {
        builder = builder.as_of(date);
    }
    let parser = builder.build();
    if let Some(image) = &args.image {
        return crate::mrz_image::run(&parser, image, args.format, args.json);
    }
    let source = Source::from_arg(args.file.as_deref());
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = if args.batch {
        run_batch(&parser, &source, args.json, &mut out)?
    } else {
        run_single(&parser, &source, args.json, args.ocr_text, &mut out)?
    };
    out.flush().context("cannot write to stdout")?;
    Ok(code)
}

fn run_single(
    parser: &MrzParser,
    source: &Source,
    json: bool,
    ocr_text: bool,
    out: &mut impl Write,
) -> Result<u8> {
    let bytes = source.read_limited(
        SINGLE_INPUT_LIMIT,
        "an MRZ is at most 3 lines of 44 characters (use --batch for a file of many MRZs)",
    )?;
    let mrz = if ocr_text {
        let text = std::str::from_utf8(&bytes)
            .with_context(|| format!("{} is not UTF-8 text", source.name()))?;
        parser.parse_ocr_output(text)
    } else {
        parser.parse_bytes(&bytes)
    }
    .with_context(|| format!("{} is not an MRZ", source.name()))?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &mrz)?;
        writeln!(out)?;
    } else {
        write_report(out, &mrz)?;
    }
    Ok(if mrz.is_valid() {
        EXIT_VALID
    } else {
        EXIT_INVALID
    })
}

/// One line of `--batch --json` output.
#[derive(Serialize)]
struct BatchRecord<'a> {
    input_line: usize,
    #[serde(flatten)]
    mrz: &'a Mrz,
}

/// One line of `--batch --json` output for a block that is not an MRZ.
#[derive(Serialize)]
struct BatchError<'a> {
    input_line: usize,
    error: &'a str,
}

fn run_batch(parser: &MrzParser, source: &Source, json: bool, out: &mut impl Write) -> Result<u8> {
    let mut invalid = 0usize;
    let mut errors = 0usize;
    let mut total = 0usize;
    for item in MrzBlocks::new(source.open()?) {
        let item = item.with_context(|| format!("cannot read {}", source.name()))?;
        total += 1;
        let parsed = item.and_then(|Block { first_line, text }| {
            parser
                .parse(&text)
                .map(|m| (first_line, m))
                .map_err(|error| BlockError { first_line, error })
        });
        match parsed {
            Ok((input_line, mrz)) => {
                if !mrz.is_valid() {
                    invalid += 1;
                }
                if json {
                    serde_json::to_writer(
                        &mut *out,
                        &BatchRecord {
                            input_line,
                            mrz: &mrz,
                        },
                    )?;
                    writeln!(out)?;
                } else {
                    write_summary(out, input_line, &mrz)?;
                }
            }
            Err(e) => {
                errors += 1;
                let message = e.error.to_string();
                if json {
                    let rec = BatchError {
                        input_line: e.first_line,
                        error: &message,
                    };
                    serde_json::to_writer(&mut *out, &rec)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{}: error: {message}", e.first_line)?;
                }
            }
        }
    }
    if !json {
        writeln!(
            out,
            "{total} MRZs: {} valid, {invalid} invalid, {errors} not MRZ text",
            total - invalid - errors
        )?;
    }
    Ok(if errors > 0 {
        EXIT_USAGE
    } else if invalid > 0 {
        EXIT_INVALID
    } else {
        EXIT_VALID
    })
}

fn yes_no(b: bool) -> &'static str {
    if b { "VALID" } else { "INVALID" }
}

fn write_summary(out: &mut impl Write, input_line: usize, mrz: &Mrz) -> io::Result<()> {
    let errors = mrz
        .findings()
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    let warnings = mrz
        .findings()
        .iter()
        .filter(|f| f.severity() == Severity::Warning)
        .count();
    writeln!(
        out,
        "{input_line}: {} {} {} {} ({errors} errors, {warnings} warnings)",
        mrz.format(),
        yes_no(mrz.is_valid()),
        mrz.document_number().unwrap_or_else(|| "-".into()),
        mrz.surname().unwrap_or_else(|| "-".into()),
    )
}

pub(crate) fn write_report(out: &mut impl Write, mrz: &Mrz) -> io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        yes_no(mrz.is_valid()),
        mrz.format().description()
    )?;
    for line in mrz.lines() {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "\nfields")?;
    let row = |out: &mut dyn Write, label: &str, value: Option<String>| -> io::Result<()> {
        match value {
            Some(v) => writeln!(out, "  {label:<16} {v}"),
            None => Ok(()),
        }
    };
    use docexam_core::mrz::FieldKind as K;
    row(out, "document code", mrz.value(K::DocumentCode))?;
    row(out, "issuing state", mrz.value(K::IssuingState))?;
    row(out, "surname", mrz.surname())?;
    row(out, "given names", mrz.given_names())?;
    row(out, "document number", mrz.document_number())?;
    row(out, "nationality", mrz.value(K::Nationality))?;
    let date = |raw: Option<String>, d: docexam_core::mrz::MrzDate| {
        raw.map(|r| match d.full() {
            Some(full) => format!("{r} ({full})"),
            None => r,
        })
    };
    row(
        out,
        "date of birth",
        date(mrz.raw(K::BirthDate), mrz.birth_date()),
    )?;
    row(out, "sex", mrz.raw(K::Sex))?;
    row(
        out,
        "date of expiry",
        date(mrz.raw(K::ExpiryDate), mrz.expiry_date()),
    )?;
    row(
        out,
        "optional data",
        mrz.value(K::OptionalData).filter(|s| !s.is_empty()),
    )?;
    row(
        out,
        "optional data 2",
        mrz.value(K::OptionalData2).filter(|s| !s.is_empty()),
    )?;
    for kind in [
        K::AdministrativeCode,
        K::IssueMonth,
        K::LanguageCode,
        K::PinCode,
        K::VersionNumber,
        K::BapConfiguration,
    ] {
        row(out, kind.label(), mrz.value(kind))?;
    }
    if !mrz.checks().is_empty() {
        writeln!(out, "\ncheck digits")?;
    }
    for c in mrz.checks() {
        let status = match c.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "FAIL",
            CheckStatus::NotApplicable => "n/a ",
        };
        let expected = c.expected.map_or("?".to_owned(), |d| d.to_string());
        let found = match (c.found, mrz.text().char_at(c.at.line, c.at.start)) {
            (Some(_), Some(ch)) => ch.to_string(),
            _ => "(missing)".to_owned(),
        };
        writeln!(
            out,
            "  {status}  {:<28} expected {expected}, found {found}  ({})",
            c.kind.label(),
            c.at
        )?;
    }
    if !mrz.findings().is_empty() {
        writeln!(out, "\nfindings")?;
    }
    for f in mrz.findings() {
        let sev = match f.severity() {
            Severity::Error => "error  ",
            Severity::Warning => "warning",
            Severity::Info => "info   ",
        };
        let at = f.span.map_or(String::new(), |s| format!(" ({s})"));
        writeln!(out, "  {sev} {}: {}{at}", f.code(), f.message())?;
    }
    if !mrz.repairs().is_empty() {
        writeln!(out, "\nrepairs")?;
    }
    for r in mrz.repairs() {
        writeln!(
            out,
            "  line {}, column {}: {:?} -> {:?}, {}",
            r.line + 1,
            r.column + 1,
            r.from,
            r.to,
            r.basis()
        )?;
    }
    Ok(())
}

/// An MRZ format by its report name (`TD1`, `TD3`, `MRVA`, …).
fn parse_format(s: &str) -> Result<MrzFormat, String> {
    MrzFormat::ALL
        .into_iter()
        .find(|f| f.name().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            let names: Vec<&str> = MrzFormat::ALL.iter().map(|f| f.name()).collect();
            format!("unknown MRZ format {s:?}; one of {}", names.join(", "))
        })
}
