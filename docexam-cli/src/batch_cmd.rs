//! `docexam batch`: examine a whole seizure. Every input is received into the case (hashed,
//! stored once), grouped into documents by name (each page of a PDF is a document), examined
//! from the case's copies on `--jobs` threads, logged, and written as one JSON line per
//! document in a fixed order. Resumable; `--shard K/N` splits a seizure between machines.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use docexam_core::date::CivilDate;
use docexam_core::evidence::{AddOptions, Case, Item};
use docexam_core::examine::{ExamOptions, Library, Verdict, examine};
use docexam_core::ingest::folder::{Found, NOT_A_SCAN, files_under, not_a_scan, under};
use serde_json::{Value, json};

use crate::specimens::library;
use crate::{EXIT_USAGE, EXIT_VALID, examiner};
use docexam_core::examine::casework;

/// Arguments of `docexam batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Folders (searched recursively), image files and PDFs.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The case every input is received into (created if absent).
    #[arg(long, value_name = "DIR")]
    pub case: PathBuf,
    /// The JSON Lines file of reports, one per document (appended to; documents already in
    /// it are skipped).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Documents examined at once (threads; default: every core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Examine only shard K of N (1-based): documents are assigned by the blake3 of their
    /// name, so N machines given the same inputs split them without overlap.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// The specimen to compare every document with, or `auto`.
    #[arg(long, default_value = "auto", value_name = "ID|auto")]
    pub specimen: String,
    /// Judge validity and expiry on this date instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<CivilDate>,
    /// A folder of certificates to verify barcode signatures with.
    #[arg(long, value_name = "DIR")]
    pub trust: Option<PathBuf>,
    /// Who examines (recorded in the case's log).
    #[arg(long)]
    pub examiner: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// More specimen folders (repeatable; also `DOCEXAM_SPECIMENS`).
    #[arg(long = "specimens", value_name = "DIR")]
    pub specimens: Vec<PathBuf>,
}

/// A shard `K/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which, from 1.
    pub k: u64,
    /// Of how many.
    pub n: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("--shard {s:?}: expected K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// Whether the document named `key` belongs to this shard.
    pub fn holds(self, key: &str) -> bool {
        let h = blake3::hash(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&h.as_bytes()[..8]);
        u64::from_le_bytes(first) % self.n == self.k - 1
    }
}

/// One document to examine: its name and items.
struct Doc {
    key: String,
    items: Vec<Item>,
}

/// The signature of a document's inputs (blake3 and page of each, sorted): how a report in
/// the output is matched to a document when resuming.
fn signature<'a>(inputs: impl Iterator<Item = (&'a str, Option<u64>)>) -> String {
    let mut v: Vec<String> = inputs
        .map(|(h, p)| format!("{h}#{}", p.unwrap_or(0)))
        .collect();
    v.sort();
    v.join(",")
}

fn item_signature(items: &[Item]) -> String {
    let hex: Vec<(String, Option<u64>)> = items
        .iter()
        .map(|i| (i.original.to_hex(), i.page.map(u64::from)))
        .collect();
    signature(hex.iter().map(|(h, p)| (h.as_str(), *p)))
}

/// Cuts off a last line without its newline (a write interrupted by a kill before this
/// change, or by a full disk): appending after it would join two reports into one invalid
/// line. Its document is examined again.
fn drop_unfinished_line(out: &Path) -> Result<()> {
    let Ok(mut f) = OpenOptions::new().read(true).write(true).open(out) else {
        return Ok(());
    };
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    // Look back for the last newline, a block at a time.
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    let keep = loop {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        let block = buf.get_mut(..n).unwrap_or_default();
        f.seek(SeekFrom::Start(start))?;
        f.read_exact(block)?;
        if let Some(i) = block.iter().rposition(|&b| b == b'\n') {
            break start + i as u64 + 1;
        }
        if start == 0 {
            break 0;
        }
        end = start;
    };
    if keep < len {
        errln!(
            "docexam: warning: {}: the last {} bytes are an unfinished line (an interrupted \
             write); removed, and its document is examined again",
            out.display(),
            len - keep
        );
        f.set_len(keep)
            .with_context(|| format!("cannot repair {}", out.display()))?;
    }
    Ok(())
}

/// The signatures of the reports already in `out`.
fn done_in(out: &Path) -> Result<BTreeSet<String>> {
    let mut done = BTreeSet::new();
    let Ok(f) = File::open(out) else {
        return Ok(done);
    };
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", out.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            errln!(
                "docexam: warning: {} line {}: not JSON (an interrupted write?); its document is examined again",
                out.display(),
                n + 1
            );
            continue;
        };
        if let Some(inputs) = v.get("inputs").and_then(Value::as_array) {
            let sig = signature(inputs.iter().map(|i| {
                (
                    i.get("blake3").and_then(Value::as_str).unwrap_or(""),
                    i.get("page").and_then(Value::as_u64),
                )
            }));
            done.insert(sig);
        }
    }
    Ok(done)
}

/// `name` in the folder `rel` (relative to an input folder; empty: the input itself).
/// Every file under `inputs` (folders recursively, names sorted; hidden files skipped). A
/// folder that cannot be listed or an entry that is neither a file nor a folder is noted and
/// skipped; only an input that does not exist at all is an error.
fn files(inputs: &[PathBuf]) -> Result<Found> {
    if let Some(i) = inputs.iter().find(|i| !i.exists()) {
        bail!("{}: no such file or folder", i.display());
    }
    Ok(files_under(inputs))
}

/// What the summary reads of a report line.
#[derive(serde::Deserialize)]
struct Line {
    schema: String,
    assessment: LineAssessment,
}

#[derive(serde::Deserialize)]
struct LineAssessment {
    result: String,
    anomalies: Vec<LineAnomaly>,
}

#[derive(serde::Deserialize)]
struct LineAnomaly {
    kind: String,
    source: String,
}

/// Counts for the summary.
#[derive(Default)]
struct Tally {
    per_result: BTreeMap<String, u64>,
    per_anomaly: BTreeMap<String, u64>,
    documents: u64,
}

impl Tally {
    fn add(&mut self, report: &LineAssessment) {
        self.documents += 1;
        *self.per_result.entry(report.result.clone()).or_default() += 1;
        let kinds: BTreeSet<String> = report
            .anomalies
            .iter()
            .map(|a| match a.kind.as_str() {
                // Group by what failed, not where: an MRZ finding by its code.
                "mrz" => format!("mrz: {}", a.source.rsplit(": ").next().unwrap_or(&a.source)),
                "barcode" => "barcode".to_string(),
                _ => a.source.clone(),
            })
            .collect();
        for k in kinds {
            *self.per_anomaly.entry(k).or_default() += 1;
        }
    }
}

/// Runs `docexam batch`.
pub fn run(a: &BatchArgs) -> Result<u8> {
    let start = Instant::now();
    let trust = crate::warnings::trust_store(a.trust.as_deref())?;
    let mut case = Case::open_or_init(&a.case, &examiner::resolve(a.examiner.as_deref(), None))?;
    let who = examiner::resolve(a.examiner.as_deref(), Some(&case.manifest().examiner));
    let lib = Library::new(library(&a.specimens))
        .with_cache(crate::examiner::settings().prepared_cache());
    if a.specimen != "auto" {
        lib.prepared(&a.specimen)
            .with_context(|| format!("specimen {}", a.specimen))?;
    }
    let interactive = std::io::stderr().is_terminal();

    // Receive every input (a file already in the case is found again, not copied twice).
    // What is not received is set aside: hashed into the log, not stored.
    let found = files(&a.inputs)?;
    let mut failed = found.warnings.len() as u64;
    for p in &found.warnings {
        errln!("docexam: error: {p}; skipped");
    }
    let all = found.value;
    // Keyed by document and page apart: `scan#2.jpg` is its own document, not page 2 of
    // `scan.tif`.
    let mut docs: BTreeMap<(String, Option<u32>), Vec<Item>> = BTreeMap::new();
    let mut ignored = 0u64;
    let mut set_aside = 0u64;
    for (path, rel) in &all {
        let source = under(
            rel,
            &path
                .file_name()
                .map(docexam_core::ingest::naming::file_name_text)
                .unwrap_or_default(),
        );
        let mut aside =
            |case: &mut Case, reason: &str| match case.set_aside(&who, path, &source, reason) {
                Ok(_) => set_aside += 1,
                Err(e) => errln!("docexam: error: {source} could not be set aside: {e}"),
            };
        // A file that is no image or PDF at all (notes, checksums in the folder) is not
        // evidence to examine; a damaged image or PDF is, and is reported below.
        if !a.inputs.contains(path) && not_a_scan(path) {
            ignored += 1;
            aside(&mut case, NOT_A_SCAN);
            continue;
        }
        let named = docexam_core::ingest::naming::from_file_name(&path.to_string_lossy());
        let mut options = AddOptions::new(who.clone());
        if !rel.is_empty() {
            options.document = Some(format!("{rel}/{}", named.document));
        }
        match casework::receive(&mut case, path, &options) {
            Ok(items) => {
                for item in items {
                    docs.entry((item.document.clone(), item.page))
                        .or_default()
                        .push(item);
                }
            }
            Err(e) => {
                failed += 1;
                errln!("docexam: error: {e}; skipped");
                aside(&mut case, &format!("not received: {e}"));
            }
        }
    }
    drop_unfinished_line(&a.out)?;
    let done = done_in(&a.out)?;
    let shard = a.shard;
    let mut skipped = 0u64;
    let pending: Vec<Doc> = docs
        .into_iter()
        .map(|((document, page), items)| {
            let key = match page {
                Some(p) => format!("{document}#{p}"),
                None => document,
            };
            (key, items)
        })
        .filter(|(key, _)| shard.is_none_or(|s| s.holds(key)))
        .filter(|(_, items)| {
            let seen = done.contains(&item_signature(items));
            skipped += u64::from(seen);
            !seen
        })
        .map(|(key, items)| Doc { key, items })
        .collect();
    if !a.json {
        errln!(
            "docexam: {} files{}, {} documents to examine ({} already in {}){}",
            all.len(),
            if ignored > 0 {
                format!(" ({ignored} neither image nor PDF, set aside: hashed into the case)")
            } else {
                String::new()
            },
            pending.len(),
            skipped,
            a.out.display(),
            shard.map_or(String::new(), |s| format!(", shard {}/{}", s.k, s.n))
        );
    }

    let mut out = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&a.out)
        .with_context(|| format!("cannot open {}", a.out.display()))?;
    let jobs = a
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let opts = ExamOptions {
        specimen: (a.specimen != "auto").then(|| a.specimen.clone()),
        trust: &trust,
        as_of: a.as_of.unwrap_or_else(CivilDate::today_utc),
        record_run: true,
        cancel: None,
    };
    let bar = interactive.then(|| {
        let b = indicatif::ProgressBar::new(pending.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} documents  {per_sec}  ETA {eta}  {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    // What the workers read: the stored copies' paths, so that they need not touch the case.
    let work: Vec<Vec<(Item, PathBuf)>> = pending
        .iter()
        .map(|d| {
            d.items
                .iter()
                .map(|i| (i.clone(), casework::stored_path(&case, i)))
                .collect()
        })
        .collect();

    // `jobs` workers take documents in order; this thread writes the reports in that order
    // and logs each into the case. At most a few reports wait at any time, so memory does not
    // grow with the size of the seizure.
    let mut errors = failed;
    let mut written = 0u64;
    let next_job = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel::<(usize, Result<ExaminedReport>)>(jobs);
        for _ in 0..jobs {
            let tx = tx.clone();
            let (work, pending, lib, opts, next_job) = (&work, &pending, &lib, &opts, &next_job);
            scope.spawn(move || {
                loop {
                    let i = next_job.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let (Some(stored), Some(d)) = (work.get(i), pending.get(i)) else {
                        break;
                    };
                    let r = examine_one(lib, &d.key, stored, opts);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut parked: BTreeMap<usize, Result<ExaminedReport>> = BTreeMap::new();
        let mut next = 0usize;
        for (i, r) in rx {
            parked.insert(i, r);
            while let Some(r) = parked.remove(&next) {
                let Some(d) = pending.get(next) else { break };
                next += 1;
                let msg = match r {
                    Ok(x) => {
                        // The case records the examination before the report is written, so a
                        // report in the output is always one the case holds; the line and its
                        // newline go out in one append, so a kill cannot split them.
                        casework::record(&mut case, &who, &d.items, &x.report, &x.line, None)?;
                        let mut line = Vec::with_capacity(x.line.len() + 1);
                        line.extend_from_slice(x.line.as_bytes());
                        line.push(b'\n');
                        out.write_all(&line)
                            .with_context(|| format!("cannot write {}", a.out.display()))?;
                        written += 1;
                        format!(
                            "{}: {} — {}",
                            d.key,
                            x.report.assessment.result.name(),
                            x.report.assessment.summary
                        )
                    }
                    Err(e) => {
                        errors += 1;
                        format!("error: {}: {e:#}; skipped", d.key)
                    }
                };
                match &bar {
                    Some(b) => {
                        if msg.starts_with("error") {
                            b.println(format!("docexam: {msg}"));
                        }
                        b.set_message(msg);
                        b.inc(1);
                    }
                    None if !a.json || msg.starts_with("error") => {
                        errln!("docexam: [{next}/{}] {msg}", pending.len());
                    }
                    None => {}
                }
            }
        }
        Ok(())
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    summary(
        a,
        written,
        skipped,
        set_aside,
        errors,
        start.elapsed().as_secs_f64(),
    )
}

/// One document examined.
struct ExaminedReport {
    report: docexam_core::examine::Report,
    line: String,
}

fn examine_one(
    lib: &Library,
    key: &str,
    stored: &[(Item, PathBuf)],
    opts: &ExamOptions<'_>,
) -> Result<ExaminedReport> {
    let images = casework::load(stored)?;
    let report = examine(lib, key, &images, opts)?;
    let line = report.to_json_line();
    Ok(ExaminedReport { report, line })
}

/// Prints the summary of everything in the output file (this run and earlier ones).
fn summary(
    a: &BatchArgs,
    written: u64,
    skipped: u64,
    set_aside: u64,
    errors: u64,
    seconds: f64,
) -> Result<u8> {
    let mut tally = Tally::default();
    let f = File::open(&a.out).with_context(|| format!("cannot read {}", a.out.display()))?;
    for line in BufReader::new(f).lines() {
        let line = line?;
        if let Ok(v) = serde_json::from_str::<Line>(&line)
            && v.schema == docexam_core::examine::REPORT_SCHEMA
        {
            tally.add(&v.assessment);
        }
    }
    let rate = if seconds > 0.0 {
        written as f64 * 60.0 / seconds
    } else {
        0.0
    };
    let count = |r: Verdict| tally.per_result.get(r.name()).copied().unwrap_or(0);
    if a.json {
        let v = json!({
            "documents": tally.documents,
            "examined_now": written,
            "already_done": skipped,
            "set_aside": set_aside,
            "errors": errors,
            "per_result": tally.per_result,
            "per_anomaly": tally.per_anomaly,
            "seconds": seconds,
            "documents_per_minute": rate,
        });
        outln!("{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        outln!(
            "{} documents in {}: {} no anomaly found, {} anomalies found, {} inconclusive; {} errors",
            tally.documents,
            a.out.display(),
            count(Verdict::NoAnomalyFound),
            count(Verdict::AnomaliesFound),
            count(Verdict::Inconclusive),
            errors
        )?;
        outln!(
            "examined now: {written} in {seconds:.1} s ({rate:.1} documents/min); already done: {skipped}; files set aside: {set_aside}"
        )?;
        if !tally.per_anomaly.is_empty() {
            outln!("documents per anomaly:")?;
            let mut rows: Vec<_> = tally.per_anomaly.iter().collect();
            rows.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
            for (k, n) in rows {
                outln!("  {n:>6}  {k}")?;
            }
        }
    }
    // The batch's own outcome: every document examined (whatever was found: that is in the
    // results), or some input could not be.
    Ok(if errors > 0 { EXIT_USAGE } else { EXIT_VALID })
}
