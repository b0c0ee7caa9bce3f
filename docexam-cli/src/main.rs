//! `docexam`: examine travel documents from the command line.
//!
//! Exit codes (documented in `docs/cli.md`):
//! - 0: every document examined is valid;
//! - 1: input was read, but at least one document is invalid;
//! - 2: usage or input error (bad arguments, unreadable file, input that is not an MRZ).

mod input;
mod mrz_cmd;

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
    /// Parse and validate machine-readable zone text (1-3 lines from FILE or stdin).
    Mrz(mrz_cmd::MrzArgs),
}

fn main() -> ExitCode {
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
        Command::Mrz(args) => mrz_cmd::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("docexam: error: {e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
