//! `docexam payload`: parse raw barcode payload bytes, as a handheld 2D scanner delivers them,
//! and verify their signature against trust material.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use docexam_core::barcode::payload::{MAX_PAYLOAD_BYTES, identity_of};
use docexam_core::barcode::{
    Authenticity, CrossCheck, Identity, ParseOptions, Payload, PayloadKind, TrustStore, cross_check,
};
use docexam_core::date::CivilDate;
use docexam_core::mrz::{MrzFormat, MrzParser};
use serde_json::json;

use crate::input::Source;
use crate::{EXIT_INVALID, EXIT_VALID};

/// What `payload` and `barcode` share: output form, trust material, the "as of" date.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Print JSON (docs/barcode.md) instead of text.
    #[arg(long)]
    pub json: bool,
    /// A folder of certificates to verify signatures with (DER, PEM, CSCA master lists,
    /// DCC trust lists); every certificate that fits is used.
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// Judge validity on this date instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<CivilDate>,
    /// The document's printed MRZ (a text file of its lines) to cross-check every payload
    /// with: name, birth date, document number, expiry and sex.
    #[arg(long, value_name = "FILE")]
    pub mrz: Option<PathBuf>,
}

impl VerifyArgs {
    /// The trust store of `--trust` (empty without it), telling on stderr which files held
    /// nothing.
    pub fn trust_store(&self) -> Result<TrustStore> {
        crate::warnings::trust_store(self.trust.as_deref())
    }

    /// The identity the `--mrz` file states, or an error naming the file if it holds no MRZ.
    pub fn mrz_identity(&self) -> Result<Option<Identity>> {
        let Some(path) = &self.mrz else {
            return Ok(None);
        };
        let source = Source::File(path.clone());
        let bytes = source.read_limited(4096, "an MRZ is at most three lines of 44 characters")?;
        let text = String::from_utf8(bytes)
            .with_context(|| format!("{}: the MRZ is not UTF-8 text", path.display()))?;
        let mrz = MrzParser::builder()
            .build()
            .parse(&text)
            .map_err(|e| anyhow!("{}: not an MRZ: {e}", path.display()))?;
        if mrz.format() == MrzFormat::Unknown {
            let why = mrz
                .findings()
                .first()
                .map(|f| f.message())
                .unwrap_or_default();
            bail!("{}: not an MRZ: {why}", path.display());
        }
        Ok(Some(identity_of(&mrz)))
    }

    /// The "as of" date: `--as-of`, or today (UTC).
    pub fn as_of(&self) -> CivilDate {
        self.as_of.unwrap_or_else(CivilDate::today_utc)
    }
}

/// Arguments of `docexam payload`.
#[derive(Debug, Args)]
pub struct PayloadArgs {
    #[command(flatten)]
    verify: VerifyArgs,
    /// The payload kind, or auto to detect it from the content.
    #[arg(long, default_value = "auto", value_parser = parse_kind)]
    kind: KindArg,
    /// The payload file, or - for standard input.
    file: Option<PathBuf>,
}

/// `--kind`, parsed.
#[derive(Debug, Clone, Copy)]
pub struct KindArg(pub Option<PayloadKind>);

fn parse_kind(s: &str) -> Result<KindArg, String> {
    PayloadKind::from_name(s)
        .map(KindArg)
        .map_err(|e| e.to_string())
}

/// The JSON of one parsed payload, with the bytes it came from and, when an MRZ was given,
/// the cross-checks against it.
pub fn payload_json(bytes: &[u8], p: &Payload, checks: Option<&[CrossCheck]>) -> serde_json::Value {
    use base64::Engine;
    let mut v = json!({
        "bytes_b64": base64::engine::general_purpose::STANDARD.encode(bytes),
        "blake3": blake3::hash(bytes).to_hex().to_string(),
        "length": bytes.len(),
        "payload": p,
    });
    if let (Some(obj), Some(checks)) = (v.as_object_mut(), checks) {
        obj.insert("cross_checks".into(), json!(checks));
    }
    v
}

/// The payload's cross-checks against the MRZ, if one was given.
pub fn cross_checks(p: &Payload, mrz: Option<&Identity>) -> Option<Vec<CrossCheck>> {
    mrz.map(|m| cross_check(&p.identity, m))
}

/// Prints cross-checks as text.
pub fn print_checks(
    out: &mut impl Write,
    checks: &[CrossCheck],
    indent: &str,
) -> std::io::Result<()> {
    if checks.is_empty() {
        writeln!(
            out,
            "{indent}  cross-check with the MRZ: nothing in common to compare"
        )?;
    }
    for c in checks {
        let verdict = if c.agrees { "agrees" } else { "MISMATCH" };
        writeln!(
            out,
            "{indent}  cross-check {}: {verdict} — {}",
            c.field, c.message
        )?;
    }
    Ok(())
}

/// Exit status of cross-checks: invalid if any disagrees.
pub fn checks_status(checks: Option<&[CrossCheck]>) -> u8 {
    if checks.is_some_and(|c| c.iter().any(|c| !c.agrees)) {
        EXIT_INVALID
    } else {
        EXIT_VALID
    }
}

/// Prints a payload as text.
pub fn print_text(out: &mut impl Write, p: &Payload, indent: &str) -> std::io::Result<()> {
    writeln!(out, "{indent}{} ({})", p.description, p.kind.name())?;
    for f in &p.fields {
        let id = f.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default();
        writeln!(out, "{indent}  {id}{}: {}", f.name, f.value)?;
    }
    if let Some(t) = &p.text {
        writeln!(out, "{indent}  text: {t}")?;
    }
    let s = &p.signature;
    writeln!(
        out,
        "{indent}  signature: {}, {} — {}",
        serde_json::to_value(s.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        s.authenticity.phrase(),
        s.detail
    )?;
    for problem in &s.problems {
        writeln!(out, "{indent}    against it: {problem}")?;
    }
    for c in &s.chain {
        writeln!(
            out,
            "{indent}    issued by: {} (serial {})",
            c.subject, c.serial
        )?;
    }
    for w in &s.warnings {
        writeln!(out, "{indent}    note: {w}")?;
    }
    for f in &p.findings {
        let at = f
            .offset
            .map(|o| format!(" at byte {o}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{indent}  {:?} {}{at}: {}",
            f.severity, f.code, f.message
        )?;
    }
    Ok(())
}

/// Exit status of a payload: invalid if any error finding, a signature that does not verify,
/// or, with trust material supplied, a seal whose authenticity it does not prove.
pub fn status_of(p: &Payload) -> u8 {
    if p.has_errors()
        || matches!(
            p.signature.authenticity,
            Authenticity::False | Authenticity::Unproven
        )
    {
        EXIT_INVALID
    } else {
        EXIT_VALID
    }
}

/// Runs `docexam payload`.
pub fn run(args: &PayloadArgs) -> Result<u8> {
    let source = Source::from_arg(args.file.as_deref());
    let bytes = source.read_limited(
        MAX_PAYLOAD_BYTES as u64,
        "a barcode payload is at most 64 KiB",
    )?;
    let trust = args.verify.trust_store()?;
    let mrz = args.verify.mrz_identity()?;
    let opts = ParseOptions {
        kind: args.kind.0,
        trust: &trust,
        as_of: args.verify.as_of(),
    };
    let p = docexam_core::barcode::parse(&bytes, &opts);
    let checks = cross_checks(&p, mrz.as_ref());
    let mut out = std::io::stdout().lock();
    if args.verify.json {
        serde_json::to_writer_pretty(&mut out, &payload_json(&bytes, &p, checks.as_deref()))?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "blake3 {}  {} bytes",
            blake3::hash(&bytes).to_hex(),
            bytes.len()
        )?;
        print_text(&mut out, &p, "")?;
        if let Some(checks) = &checks {
            print_checks(&mut out, checks, "")?;
        }
    }
    Ok(status_of(&p).max(checks_status(checks.as_deref())))
}
