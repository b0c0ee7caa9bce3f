//! `docexam case`: create a case, receive files, verify, list the log, export and import.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand};
use docexam_core::evidence::archive;
use docexam_core::evidence::{
    AddOptions, AuditEntry, Case, LabKey, Verification, checkfile, load_public_key, verify,
};
use docexam_core::ingest::{LightSource, Side};

use crate::examiner;
use crate::{EXIT_INVALID, EXIT_USAGE, EXIT_VALID};

/// Arguments of `docexam case`.
#[derive(Debug, Args)]
pub struct CaseArgs {
    #[command(subcommand)]
    command: CaseCommand,
}

#[derive(Debug, Subcommand)]
enum CaseCommand {
    /// Creates a case in DIR (absent or empty).
    Init {
        /// The case directory.
        dir: PathBuf,
        /// The examiner in charge (default: DOCEXAM_EXAMINER, else the login name).
        #[arg(long)]
        examiner: Option<String>,
    },
    /// Receives files: stores each once under its blake3 and logs one item per image or page.
    /// Prints each file's blake3 and its item ids.
    Add {
        /// The case directory.
        dir: PathBuf,
        /// Scans, photos or PDFs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Who adds them (default: DOCEXAM_EXAMINER, else the case's examiner).
        #[arg(long)]
        examiner: Option<String>,
        /// Light source of every file (white, uv, ir), instead of the file names'.
        #[arg(long)]
        light: Option<LightSource>,
        /// Side of every file (front, back), instead of the file names'.
        #[arg(long)]
        side: Option<Side>,
        /// Document of every file, instead of the file names'.
        #[arg(long)]
        document: Option<String>,
    },
    /// Re-hashes every stored file and walks the audit log: exit 0 intact, 1 tampered, 2 error.
    Verify {
        /// The case directory.
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// The lab's public key, to check signed heads.
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
    /// Lists the audit log.
    Log {
        /// The case directory.
        dir: PathBuf,
        /// Print the committed entries as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Writes the case to a tar archive that carries its own verification.
    Export {
        /// The case directory.
        dir: PathBuf,
        /// The archive to write.
        archive: PathBuf,
        /// Who exports it.
        #[arg(long)]
        examiner: Option<String>,
    },
    /// Creates a case from an archive, if it verifies.
    Import {
        /// The archive.
        archive: PathBuf,
        /// The case directory to create (absent or empty).
        dir: PathBuf,
        /// Who imports it.
        #[arg(long)]
        examiner: Option<String>,
    },
    /// Signs the head of the audit log with the lab's key.
    Sign {
        /// The case directory.
        dir: PathBuf,
        /// The lab's private key (PEM).
        #[arg(long)]
        key: PathBuf,
        /// Who signs.
        #[arg(long)]
        examiner: Option<String>,
    },
}

/// Runs `docexam case`; returns the exit code.
pub fn run(args: &CaseArgs) -> Result<u8> {
    match &args.command {
        CaseCommand::Init { dir, examiner } => {
            let who = examiner::resolve(examiner.as_deref(), None);
            let case = Case::init(dir, &who)?;
            outln!(
                "created case {} in {} (examiner {who})",
                case.manifest().case_id,
                dir.display()
            )?;
            Ok(EXIT_VALID)
        }
        CaseCommand::Add {
            dir,
            files,
            examiner,
            light,
            side,
            document,
        } => {
            let mut case = Case::open_for_writing(dir)?;
            let who = examiner::resolve(examiner.as_deref(), Some(&case.manifest().examiner));
            let mut options = AddOptions::new(who);
            options.light = *light;
            options.side = *side;
            options.document = document.clone();
            add(&mut case, files, &options)
        }
        CaseCommand::Verify {
            dir,
            json,
            public_key,
        } => {
            let key = public_key.as_deref().map(load_public_key).transpose()?;
            let report = verify(dir, key.as_ref())?;
            if *json {
                let stdout = io::stdout();
                let mut out = stdout.lock();
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                print_verification(dir, &report)?;
            }
            Ok(if report.is_intact() {
                EXIT_VALID
            } else {
                EXIT_INVALID
            })
        }
        CaseCommand::Log { dir, json } => {
            let case = Case::open(dir)?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            for e in case.entries() {
                if *json {
                    serde_json::to_writer(&mut out, e)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{}", describe(e))?;
                }
            }
            out.flush()?;
            Ok(EXIT_VALID)
        }
        CaseCommand::Export {
            dir,
            archive: path,
            examiner,
        } => {
            let who = examiner::resolve(examiner.as_deref(), None);
            archive::export(dir, path, &who)?;
            outln!("exported {} to {}", dir.display(), path.display())?;
            Ok(EXIT_VALID)
        }
        CaseCommand::Import {
            archive: path,
            dir,
            examiner,
        } => {
            let who = examiner::resolve(examiner.as_deref(), None);
            let case = archive::import(path, dir, &who)?;
            outln!(
                "imported case {} into {} ({} items); it verifies",
                case.manifest().case_id,
                dir.display(),
                case.items().count()
            )?;
            Ok(EXIT_VALID)
        }
        CaseCommand::Sign { dir, key, examiner } => {
            let key = LabKey::load(key)?;
            let mut case = Case::open_for_writing(dir)?;
            let who = examiner::resolve(examiner.as_deref(), Some(&case.manifest().examiner));
            let statement = case.sign_head(&key, &who)?;
            outln!(
                "signed {} (statement {})",
                dir.display(),
                statement.display()
            )?;
            Ok(EXIT_VALID)
        }
    }
}

fn add(case: &mut Case, files: &[PathBuf], options: &AddOptions) -> Result<u8> {
    let mut code = EXIT_VALID;
    for file in files {
        match case.add(file, options) {
            Ok(items) => {
                let Some(first) = items.first() else { continue };
                let ids: Vec<String> = items.iter().map(|i| i.id.to_string()).collect();
                let what = if items.len() == 1 && first.page.is_none() {
                    format!(
                        "item {} ({} {} {})",
                        first.id,
                        first.document,
                        first.side.name(),
                        first.light.name()
                    )
                } else {
                    format!(
                        "items {} ({} pages of {})",
                        ids.join(","),
                        items.len(),
                        first.document
                    )
                };
                outln!("{}  {what}", checkfile::format_line(&first.original, file))?;
            }
            Err(e) => {
                errln!("docexam: error: {e}");
                code = EXIT_USAGE;
            }
        }
    }
    Ok(code)
}

fn describe(e: &AuditEntry) -> String {
    let what = e.action.describe();
    format!(
        "#{:<4} {}  {:<12} {:<6} {what}",
        e.seq,
        e.time,
        docexam_core::evidence::one_line(&e.actor),
        e.action.name()
    )
}

fn print_verification(dir: &Path, r: &Verification) -> anyhow::Result<()> {
    let id = r.case_id.as_deref().unwrap_or("(unreadable)");
    if r.is_intact() {
        outln!(
            "INTACT  case {id} in {}: {} entries, {} items, {} stored files re-hashed",
            dir.display(),
            r.entries,
            r.items,
            r.files_checked
        )?;
    } else {
        outln!(
            "TAMPERED  case {id} in {}: {} problem(s)",
            dir.display(),
            r.problems.len()
        )?;
        for p in &r.problems {
            outln!("  {:?}  {}: {}", p.kind, p.path, p.detail)?;
        }
    }
    for n in &r.notes {
        outln!("  note  {}: {}", n.path, n.detail)?;
    }
    Ok(())
}
