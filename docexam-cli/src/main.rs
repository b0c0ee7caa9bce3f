//! `docexam`: examine travel documents from the command line.
//!
//! Exit codes (documented in `docs/cli.md`):
//! - 0: every document examined is valid;
//! - 1: input was read, but at least one document is invalid;
//! - 2: usage or input error (bad arguments, unreadable file, input that is not an MRZ);
//! - 3 (`examine`, `batch`): no anomaly found, but the examination is inconclusive.

#![deny(clippy::print_stdout)] // every line goes through `outln!`, which reports a closed stdout
#![deny(clippy::print_stderr)] // and every message through `errln!`, which survives a full disk

/// Writes one line to stdout, returning an error (never panicking, as `println!` does) when
/// stdout is closed: a reader that stops early (`| head`) ends the command with exit 2 and
/// a message, after what was written so far.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
            .map_err(|e| anyhow::Error::from(e).context("cannot write to the standard output"))
    }};
}

/// Writes one line to standard error. A failing write (stderr on a full disk or a closed pipe)
/// is ignored: the message had nowhere to go, and the exit code still says what happened,
/// where `eprintln!` would panic and turn an error into a crash.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod barcode_cmd;
mod batch_cmd;
mod bench_cmd;
mod calibrate_cmd;
mod calibrate_genuine;
mod case_cmd;
mod detect_bench;
mod examine_cmd;
mod examiner;
mod hash_cmd;
mod input;
mod key_cmd;
mod lab_bench;
mod labelled;
mod mrz_cmd;
mod mrz_image;
mod payload_cmd;
mod specimen_cmd;
mod specimens;
mod warnings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: everything examined is valid.
pub const EXIT_VALID: u8 = 0;
/// Exit code: input read, at least one document invalid.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage or input error.
pub const EXIT_USAGE: u8 = 2;

/// docexam examines travel documents: machine-readable zones, barcodes, security features and
/// evidence, offline.
#[derive(Debug, Parser)]
#[command(name = "docexam", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Examine one document: identify its specimen, read its MRZ and barcodes, compare every
    /// security feature, cross-check everything (exit 0 no anomaly, 1 anomalies, 3
    /// inconclusive, 2 error).
    Examine(examine_cmd::ExamineArgs),
    /// Examine a whole seizure: folders, images and PDFs into a case, one JSON line per
    /// document, resumable, shardable.
    Batch(batch_cmd::BatchArgs),
    /// Parse and validate machine-readable zone text (1-3 lines from FILE or stdin).
    Mrz(mrz_cmd::MrzArgs),
    /// Keep evidence: create cases, receive files, verify, export and import.
    Case(case_cmd::CaseArgs),
    /// Print blake3 hashes in b3sum's format, or check them (--check).
    Hash(hash_cmd::HashArgs),
    /// Find, decode and verify every barcode in document images.
    Barcode(barcode_cmd::BarcodeArgs),
    /// Parse raw barcode payload bytes (AAMVA, ICAO VDS/IDB, VDS-NC, EU DCC, IATA BCBP) and
    /// verify their signature.
    Payload(payload_cmd::PayloadArgs),
    /// Reference specimens: list, show, validate, and scaffold from a lab's own scans.
    Specimen(specimen_cmd::SpecimenArgs),
    /// Measure docexam on labelled documents from the specimen generator.
    Bench(bench_cmd::BenchArgs),
    /// Manage the lab's signing key.
    Key(key_cmd::KeyArgs),
    /// Sign a file (a report, an archive) with the lab's key; writes FILE.sig.
    Sign(key_cmd::SignArgs),
    /// Check a file's signature with the lab's public key.
    VerifySignature(key_cmd::VerifySignatureArgs),
}

fn main() -> ExitCode {
    // Reading a PDF happens in a worker process started from this binary.
    if let Some(code) = docexam_core::ingest::pdf::run_worker_if_requested() {
        return ExitCode::from(u8::try_from(code).unwrap_or(EXIT_USAGE));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_VALID
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Examine(args) => examine_cmd::run(&args),
        Command::Batch(args) => batch_cmd::run(&args),
        Command::Mrz(args) => mrz_cmd::run(&args),
        Command::Bench(args) => bench_cmd::run(&args),
        Command::Case(args) => case_cmd::run(&args),
        Command::Hash(args) => hash_cmd::run(&args),
        Command::Barcode(args) => barcode_cmd::run(&args),
        Command::Payload(args) => payload_cmd::run(&args),
        Command::Specimen(args) => specimen_cmd::run(&args),
        Command::Key(args) => key_cmd::run_key(&args),
        Command::Sign(args) => key_cmd::run_sign(&args),
        Command::VerifySignature(args) => key_cmd::run_verify(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            errln!("docexam: error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
