//! `docexam examine`: one examination of one document from its images (or a PDF page), with
//! the findings as text or the JSON report (docs/report-schema.json).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use docexam_core::compare::Status;
use docexam_core::date::CivilDate;
use docexam_core::examine::{
    AnomalySeverity, CrossCheckStatus, DocumentImage, ExamOptions, Library, Report, Verdict,
    examine,
};
use docexam_core::ingest::{LightSource, Side};

use crate::specimens::library;

/// Exit code: the document was examined and no anomaly was found.
pub const EXIT_NO_ANOMALY: u8 = 0;
/// Exit code: anomalies were found.
pub const EXIT_ANOMALIES: u8 = 1;
/// Exit code: no anomaly was found but the examination is incomplete.
pub const EXIT_INCONCLUSIVE: u8 = 3;

/// Arguments of `docexam examine`.
#[derive(Debug, Args)]
pub struct ExamineArgs {
    /// Images of one document (`front.png front_uv.png back.png …`: side and light from the
    /// names) or one page of a PDF.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print the JSON report (docs/report-schema.json) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write the PDF report for the case file to OUT.pdf (kept in the case too, with
    /// `--case`).
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: Option<PathBuf>,
    /// The specimen to compare with, or `auto` to identify it (MRZ, then content).
    #[arg(long, default_value = "auto", value_name = "ID|auto")]
    pub specimen: String,
    /// The light source of every file, instead of the one the names give.
    #[arg(long, value_name = "white|uv|ir")]
    pub light: Option<LightSource>,
    /// The side of every file, instead of the one the names give.
    #[arg(long, value_name = "front|back")]
    pub side: Option<Side>,
    /// The page of a PDF to examine (from 1; needed when it has several).
    #[arg(long, value_name = "N")]
    pub page: Option<u32>,
    /// Judge validity and expiry on this date instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<CivilDate>,
    /// A folder of certificates to verify barcode signatures with.
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// Leave out when the examination ran and its timings, so that the same input gives a
    /// byte-identical report.
    #[arg(long)]
    pub reproducible: bool,
    /// Receive the files into this case (created if absent), examine the stored copies, and
    /// log the examination with its report.
    #[arg(long, value_name = "DIR")]
    pub case: Option<PathBuf>,
    /// Who examines (recorded in the case's log).
    #[arg(long)]
    pub examiner: Option<String>,
    /// More specimen folders (repeatable; also `DOCEXAM_SPECIMENS`).
    #[arg(long = "specimens", value_name = "DIR")]
    pub specimens: Vec<PathBuf>,
}

/// Runs `docexam examine`.
pub fn run(a: &ExamineArgs) -> Result<u8> {
    let start = Instant::now();
    let trust = crate::warnings::trust_store(a.trust.as_deref())?;
    let lib = Library::new(library(&a.specimens))
        .with_cache(crate::examiner::settings().prepared_cache());
    let t = Instant::now();
    let mut case = a.case.as_deref().map(|dir| open_case(dir, a)).transpose()?;
    let (images, items) = match &mut case {
        Some((case, who)) => {
            let items = receive_all(case, who, a)?;
            (
                docexam_core::examine::casework::images(case, &items)?,
                items,
            )
        }
        None => (load_images(&a.files, a.side, a.light, a.page)?, Vec::new()),
    };
    let decode_ms = t.elapsed().as_secs_f64() * 1e3;
    let document = docexam_core::ingest::naming::document_name(&a.files);
    let opts = ExamOptions {
        specimen: (a.specimen != "auto").then(|| a.specimen.clone()),
        trust: &trust,
        as_of: a.as_of.unwrap_or_else(CivilDate::today_utc),
        record_run: !a.reproducible,
        cancel: None,
    };
    let mut report = examine(&lib, &document, &images, &opts)?;
    if let Some(run) = &mut report.run {
        run.timings_ms.insert("decode_ms".into(), decode_ms);
        run.timings_ms
            .insert("total_ms".into(), start.elapsed().as_secs_f64() * 1e3);
    }
    let line = report.to_json_line();
    let pdf = match &a.pdf {
        Some(out) => {
            let t = Instant::now();
            let prepared = report
                .specimen
                .as_ref()
                .map(|s| lib.prepared(&s.id))
                .transpose()?;
            let bytes = docexam_core::examine::casework::render_pdf(
                &report,
                &line,
                &images,
                prepared.as_deref(),
                case.as_ref().map(|(c, _)| c.manifest().case_id.clone()),
                &items,
                match &case {
                    Some((_, who)) => who.clone(),
                    None => crate::examiner::resolve(a.examiner.as_deref(), None),
                },
            )?;
            std::fs::write(out, &bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            errln!(
                "docexam: PDF report written to {} in {:.0} ms (blake3 {})",
                out.display(),
                t.elapsed().as_secs_f64() * 1e3,
                blake3::hash(&bytes).to_hex()
            );
            Some(bytes)
        }
        None => None,
    };
    if let Some((case, who)) = &mut case {
        let x = docexam_core::examine::casework::record(
            case,
            who,
            &items,
            &report,
            &line,
            pdf.as_deref(),
        )?;
        errln!(
            "docexam: examination of items {:?} logged in {} (report blake3 {})",
            x.items,
            case.dir().display(),
            x.report
        );
    }
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", report.to_json_pretty())?;
    } else {
        print_text(&mut out, &report)?;
    }
    Ok(exit_code(report.assessment.result))
}

/// The case of `--case`, created if absent, with the examiner acting.
fn open_case(dir: &Path, a: &ExamineArgs) -> Result<(docexam_core::evidence::Case, String)> {
    use docexam_core::evidence::Case;
    let case = Case::open_or_init(dir, &crate::examiner::resolve(a.examiner.as_deref(), None))?;
    let who = crate::examiner::resolve(a.examiner.as_deref(), Some(&case.manifest().examiner));
    Ok((case, who))
}

/// Receives every file into the case and returns the items to examine (of a PDF or
/// multi-page file: the page of `--page`, or its only page).
fn receive_all(
    case: &mut docexam_core::evidence::Case,
    who: &str,
    a: &ExamineArgs,
) -> Result<Vec<docexam_core::evidence::Item>> {
    let mut options = docexam_core::evidence::AddOptions::new(who);
    options.light = a.light;
    options.side = a.side;
    let items = docexam_core::examine::casework::receive_document(
        case,
        &a.files,
        &options,
        a.page,
        |_, _| Ok::<(), docexam_core::examine::casework::CaseworkError>(()),
    )
    .map_err(|e| match e {
        docexam_core::examine::casework::CaseworkError::PageNeeded { path, pages } => {
            anyhow::anyhow!(
                "{}: has {pages} pages; name the one to examine with --page (or use `docexam batch`, which examines each page)",
                path.display()
            )
        }
        other => other.into(),
    })?;
    Ok(items)
}

/// The exit code of a verdict.
pub fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::NoAnomalyFound => EXIT_NO_ANOMALY,
        Verdict::AnomaliesFound => EXIT_ANOMALIES,
        Verdict::Inconclusive => EXIT_INCONCLUSIVE,
    }
}

/// Decodes `files` (images, or one page of a PDF) under the default limits.
pub fn load_images(
    files: &[PathBuf],
    side: Option<Side>,
    light: Option<LightSource>,
    page: Option<u32>,
) -> Result<Vec<DocumentImage>> {
    let opts = docexam_core::examine::LoadOptions {
        side,
        light,
        page,
        ..Default::default()
    };
    docexam_core::examine::load_files(files, &opts).map_err(|e| match e {
        docexam_core::examine::LoadError::PageNeeded { path, pages } => anyhow::anyhow!(
            "{}: has {pages} pages; name the one to examine with --page (or use `docexam batch`, which examines each page)",
            path.display()
        ),
        other => other.into(),
    })
}

/// Prints the report for a reader at a terminal.
pub fn print_text(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let a = &r.assessment;
    writeln!(
        out,
        "{}: {}",
        r.document,
        a.result.name().replace('_', " ").to_uppercase()
    )?;
    writeln!(out, "  {}", a.summary)?;
    if let Some(d) = &r.document_score {
        writeln!(out, "  {}", d.sentence)?;
    }
    match &r.specimen {
        Some(s) => writeln!(
            out,
            "  specimen: {} ({}), {}; blake3 {}",
            s.id,
            s.name,
            r.identification.note,
            &s.blake3[..16]
        )?,
        None => writeln!(out, "  specimen: none — {}", r.identification.note)?,
    }
    if let Some(c) = r.specimen.as_ref().and_then(|s| s.calibration.as_ref()) {
        writeln!(
            out,
            "  calibration: {} on {} exemplars ({}), false-alarm rate {}, {} scores modelled",
            c.method, c.exemplars, c.date, c.false_alarm_rate, c.scores
        )?;
    }
    for i in &r.inputs {
        writeln!(
            out,
            "  input: {} ({} {}, {}×{} px) blake3 {}",
            i.name,
            i.side.name(),
            i.light.name(),
            i.width,
            i.height,
            &i.blake3[..16]
        )?;
    }
    for m in &r.mrz {
        writeln!(
            out,
            "  mrz {}/{}: {} — {}",
            m.side.name(),
            m.light.name(),
            if m.record.is_valid() {
                "valid"
            } else {
                "INVALID"
            },
            m.record.lines().join(" / ")
        )?;
    }
    for b in &r.barcodes {
        for c in &b.codes {
            writeln!(
                out,
                "  barcode in {}: {} — {}; signature {}: {}",
                b.input,
                c.code.symbology,
                c.payload.description,
                c.payload.signature.authenticity.phrase(),
                c.payload.signature.sentence()
            )?;
        }
    }
    if !a.anomalies.is_empty() {
        writeln!(out, "  anomalies:")?;
        for x in &a.anomalies {
            let sev = match x.severity {
                AnomalySeverity::Critical => "CRITICAL",
                AnomalySeverity::Major => "major",
                AnomalySeverity::Minor => "minor",
            };
            writeln!(out, "    [{sev}] {}: {}", x.source, x.sentence)?;
        }
    }
    let pass = r
        .features
        .iter()
        .filter(|f| f.status == Status::Pass)
        .count();
    writeln!(
        out,
        "  features: {pass} of {} consistent with the specimen",
        r.features.len()
    )?;
    let count = |s: CrossCheckStatus| r.cross_checks.iter().filter(|c| c.status == s).count();
    writeln!(
        out,
        "  cross-checks: {} agree, {} disagree, {} not checked",
        count(CrossCheckStatus::Agrees),
        count(CrossCheckStatus::Mismatch),
        count(CrossCheckStatus::NotChecked)
    )?;
    let blocking: Vec<_> = a.not_checked.iter().filter(|n| n.blocking).collect();
    if !blocking.is_empty() {
        writeln!(out, "  not checked:")?;
        for n in blocking {
            writeln!(out, "    {}: {}", n.what, n.why)?;
        }
    }
    Ok(())
}
