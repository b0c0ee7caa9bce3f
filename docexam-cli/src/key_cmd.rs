//! `docexam key generate`, `docexam sign` and `docexam verify-signature`: a lab's Ed25519 key
//! and signatures anyone can check with the public key alone.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use docexam_core::evidence::{LabKey, key_id, load_public_key, verify_file};

use crate::{EXIT_INVALID, EXIT_VALID};

/// Arguments of `docexam key`.
#[derive(Debug, Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Creates a key pair: FILE (private, PKCS#8 PEM, owner-only) and FILE.pub (public, SPKI
    /// PEM, to hand to anyone who checks signatures).
    Generate {
        /// Where to write the private key.
        file: PathBuf,
    },
}

/// Arguments of `docexam sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The file to sign (a report, an archive); the signature goes to FILE.sig.
    file: PathBuf,
    /// The lab's private key.
    #[arg(long)]
    key: PathBuf,
}

/// Arguments of `docexam verify-signature`.
#[derive(Debug, Args)]
pub struct VerifySignatureArgs {
    /// The signed file.
    file: PathBuf,
    /// The lab's public key (PEM).
    #[arg(long)]
    public_key: PathBuf,
    /// The signature (default: FILE.sig).
    #[arg(long)]
    signature: Option<PathBuf>,
}

/// Runs `docexam key`.
pub fn run_key(args: &KeyArgs) -> Result<u8> {
    match &args.command {
        KeyCommand::Generate { file } => {
            let key = LabKey::generate()?;
            let public = key.save(file)?;
            outln!("private key {} (keep it secret)", file.display())?;
            outln!(
                "public key  {} (key id {})",
                public.display(),
                key_id(&key.public())
            )?;
            Ok(EXIT_VALID)
        }
    }
}

/// Runs `docexam sign`.
pub fn run_sign(args: &SignArgs) -> Result<u8> {
    let key = LabKey::load(&args.key)?;
    let sig = key.sign_file(&args.file)?;
    outln!("{}", sig.display())?;
    Ok(EXIT_VALID)
}

/// Runs `docexam verify-signature`.
pub fn run_verify(args: &VerifySignatureArgs) -> Result<u8> {
    let key = load_public_key(&args.public_key)?;
    let sig = args
        .signature
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.sig", args.file.display())));
    if !sig.exists() {
        bail!("no signature file ({})", sig.display());
    }
    if verify_file(&key, &args.file, &sig)? {
        outln!(
            "GOOD signature by key {} on {}",
            key_id(&key),
            args.file.display()
        )?;
        Ok(EXIT_VALID)
    } else {
        outln!(
            "BAD signature: {} is not signed by key {} (or was changed)",
            args.file.display(),
            key_id(&key)
        )?;
        Ok(EXIT_INVALID)
    }
}
