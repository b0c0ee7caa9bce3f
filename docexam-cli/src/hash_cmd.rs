//! `docexam hash`: b3sum-compatible hashes, and `--check` of a b3sum check file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use docexam_core::evidence::{EvidenceHash, checkfile};

use crate::{EXIT_INVALID, EXIT_USAGE, EXIT_VALID};

/// Arguments of `docexam hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// Read check files (lines `HASH  PATH`, as written by b3sum or this command) and check
    /// every file they name.
    #[arg(long, short = 'c')]
    check: bool,
    /// Files to hash (or check files with --check).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs the command; returns the exit code (0 all fine, 1 a mismatch, 2 an unreadable file).
pub fn run(args: &HashArgs) -> Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut code = EXIT_VALID;
    for path in &args.files {
        if args.check {
            let file = File::open(path)
                .with_context(|| format!("cannot open the check file {}", path.display()))?;
            for (n, line) in BufReader::new(file).lines().enumerate() {
                let line = line.with_context(|| format!("cannot read {}", path.display()))?;
                let (want, target) = match checkfile::parse_line(&line) {
                    Ok(p) => p,
                    Err(e) => {
                        errln!("docexam: {}:{}: {e}", path.display(), n + 1);
                        code = code.max(EXIT_USAGE);
                        continue;
                    }
                };
                let shown = checkfile::format_line(&want, &target);
                let shown = shown.split_once("  ").map_or(shown.as_str(), |(_, p)| p);
                match EvidenceHash::of_file(&target) {
                    Ok(got) if got == want => writeln!(out, "{shown}: OK")?,
                    Ok(_) => {
                        writeln!(out, "{shown}: FAILED")?;
                        code = code.max(EXIT_INVALID);
                    }
                    Err(e) => {
                        writeln!(out, "{shown}: FAILED ({e})")?;
                        code = code.max(EXIT_INVALID);
                    }
                }
            }
        } else {
            match EvidenceHash::of_file(path) {
                Ok(h) => writeln!(out, "{}", checkfile::format_line(&h, path))?,
                Err(e) => {
                    out.flush()?;
                    errln!("docexam: error: cannot hash: {e} ({})", path.display());
                    code = code.max(EXIT_USAGE);
                }
            }
        }
    }
    out.flush()?;
    Ok(code)
}
