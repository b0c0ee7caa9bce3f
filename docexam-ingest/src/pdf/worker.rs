//! The PDF worker process: how it is started, what it prints, and how its answer is checked.
//!
//! Protocol (one line each on stdout): a greeting `docexam-pdf-worker 1`; one JSON object per
//! extracted page naming a temporary file it wrote in the output directory; a final JSON
//! object, `{"done": …}` or `{"error": …}`. The parent trusts nothing: it re-hashes every file
//! and accepts only temporary names of its own run.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::ExtractedPage;
use super::extract::{PdfSummary, for_each_page};
use crate::error::IngestError;
use crate::limits::Limits;
use crate::media::MediaType;
use docexam_base::hash::EvidenceHash;

/// The first argument that makes an executable act as the PDF worker.
pub const WORKER_ARG: &str = "__docexam-pdf-worker";

const GREETING: &str = "docexam-pdf-worker 1";

/// Longest line of the worker's answer kept.
const MAX_LINE_BYTES: u64 = 64 * 1024;

/// Most lines of the worker's answer kept (a page per line, plus two).
const MAX_LINES: usize = 10_010;

#[derive(Serialize, Deserialize)]
struct PageLine {
    page: u32,
    width: u32,
    height: u32,
    dpi: Option<[f32; 2]>,
    media_type: MediaType,
    file: String,
    hash: EvidenceHash,
    bytes: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Last {
    Done {
        pages_total: u32,
        skipped: Vec<(u32, String)>,
    },
    Error {
        kind: ErrorKind,
        detail: String,
    },
}

/// The kind of a worker's error, so the parent rebuilds the same [`IngestError`].
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ErrorKind {
    Encrypted,
    Unsupported,
    Truncated,
    Empty,
    Corrupt,
}

impl ErrorKind {
    fn of(e: &IngestError) -> (ErrorKind, String) {
        match e {
            IngestError::Encrypted => (ErrorKind::Encrypted, String::new()),
            IngestError::Empty => (ErrorKind::Empty, String::new()),
            IngestError::Unsupported { what, .. } => (ErrorKind::Unsupported, what.clone()),
            IngestError::Truncated { detail, .. } => (ErrorKind::Truncated, detail.clone()),
            IngestError::Corrupt { detail, .. } => (ErrorKind::Corrupt, detail.clone()),
            other => (ErrorKind::Corrupt, other.to_string()),
        }
    }

    fn rebuild(self, detail: String) -> IngestError {
        match self {
            ErrorKind::Encrypted => IngestError::Encrypted,
            ErrorKind::Empty => IngestError::Empty,
            ErrorKind::Unsupported => IngestError::Unsupported {
                format: MediaType::Pdf,
                what: detail,
            },
            ErrorKind::Truncated => IngestError::truncated(MediaType::Pdf, detail),
            ErrorKind::Corrupt => IngestError::corrupt(MediaType::Pdf, detail),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Job {
    pdf: PathBuf,
    out_dir: PathBuf,
    run: String,
    limits: Limits,
    memory_bytes: u64,
    cpu_seconds: u64,
}

fn temp_prefix(run: &str) -> String {
    format!("{}pdf-{run}-", docexam_base::temp_name::TEMP_PREFIX)
}

/// Reads the PDF in `bytes` and writes each page scan as a temporary file in `out_dir` as soon
/// as it is read; on error removes what it wrote.
pub(super) fn extract_to_files(
    bytes: Vec<u8>,
    limits: &Limits,
    out_dir: &Path,
    run: &str,
) -> Result<(PdfSummary, Vec<ExtractedPage>), IngestError> {
    let mut out: Vec<ExtractedPage> = Vec::new();
    // Pages with the same image share one temporary file: a PDF of 5,000 pages over one
    // picture writes it once, not 5,000 times.
    let mut written: std::collections::HashMap<EvidenceHash, PathBuf> = Default::default();
    let result = for_each_page(bytes, limits, |p| {
        let hash = EvidenceHash::of_bytes(&p.data);
        let temp = match written.get(&hash) {
            Some(temp) => temp.clone(),
            None => {
                let temp = out_dir.join(format!(
                    "{}{}.{}",
                    temp_prefix(run),
                    p.page,
                    p.media_type.extension()
                ));
                fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&temp)
                    .and_then(|mut f| f.write_all(&p.data).and_then(|()| f.sync_all()))
                    .inspect_err(|_| {
                        let _ = fs::remove_file(&temp);
                    })?;
                written.insert(hash, temp.clone());
                temp
            }
        };
        out.push(ExtractedPage {
            page: p.page,
            width: p.width,
            height: p.height,
            dpi: p.dpi,
            media_type: p.media_type,
            hash,
            bytes: p.data.len() as u64,
            temp,
        });
        Ok(())
    });
    let summary = match result {
        Ok(s) if !out.is_empty() => s,
        Ok(s) => {
            let reasons: Vec<String> = s
                .skipped
                .iter()
                .take(3)
                .map(|(n, why)| format!("page {n}: {why}"))
                .collect();
            Err(IngestError::Unsupported {
                format: MediaType::Pdf,
                what: format!(
                    "a PDF without a readable page scan ({} pages; {})",
                    s.pages_total,
                    if reasons.is_empty() {
                        "no pages".to_owned()
                    } else {
                        reasons.join("; ")
                    }
                ),
            })?
        }
        Err(e) => {
            for done in &out {
                let _ = fs::remove_file(&done.temp);
            }
            return Err(e);
        }
    };
    Ok((summary, out))
}

/// In a program's `main`: if this process was started as the PDF worker, does the work and
/// returns the exit code to end with; otherwise returns `None` at once.
pub fn run_worker_if_requested() -> Option<i32> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != WORKER_ARG {
        return None;
    }
    let job: Option<Job> = args
        .next()
        .and_then(|a| serde_json::from_str(&a.to_string_lossy()).ok());
    let Some(job) = job else {
        // Nothing to do if stderr itself fails: the exit code says it.
        let _ = writeln!(
            std::io::stderr(),
            "docexam PDF worker: missing or invalid job"
        );
        return Some(2);
    };
    Some(work(&job))
}

/// Sets the limits that contain a crafted file: address space and CPU time. A limit that
/// cannot be set is an error: the PDF is then not parsed at all (fail closed).
#[cfg(unix)]
fn apply_limits(job: &Job) -> Result<(), IngestError> {
    let refuse = |what: &str, e: std::io::Error| IngestError::Unsupported {
        format: MediaType::Pdf,
        what: format!(
            "parsing in a worker whose {what} limit cannot be set ({e}); PDFs are parsed only \
             under their limits"
        ),
    };
    rlimit::setrlimit(rlimit::Resource::AS, job.memory_bytes, job.memory_bytes)
        .map_err(|e| refuse("memory (RLIMIT_AS)", e))?;
    rlimit::setrlimit(rlimit::Resource::CPU, job.cpu_seconds, job.cpu_seconds)
        .map_err(|e| refuse("CPU-time (RLIMIT_CPU)", e))?;
    Ok(())
}

/// Without Unix resource limits the worker cannot contain a crafted file, so it refuses.
#[cfg(not(unix))]
fn apply_limits(_job: &Job) -> Result<(), IngestError> {
    Err(IngestError::Unsupported {
        format: MediaType::Pdf,
        what: "parsing on a platform without per-process memory and CPU limits".into(),
    })
}

fn work(job: &Job) -> i32 {
    let limited = apply_limits(job);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(out, "{GREETING}");
    let limits = job.limits;
    let result = limited
        .and_then(|()| {
            docexam_base::untrusted_file::read_limited(&job.pdf, limits.max_file_bytes)
                .map_err(IngestError::from)
        })
        .and_then(|bytes| extract_to_files(bytes, &limits, &job.out_dir, &job.run));
    let last = match result {
        Ok((summary, written)) => {
            for w in &written {
                let line = PageLine {
                    page: w.page,
                    width: w.width,
                    height: w.height,
                    dpi: w.dpi,
                    media_type: w.media_type,
                    file: w
                        .temp
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    hash: w.hash,
                    bytes: w.bytes,
                };
                let _ = serde_json::to_writer(&mut out, &line);
                let _ = writeln!(out);
            }
            Last::Done {
                pages_total: summary.pages_total,
                skipped: summary.skipped,
            }
        }
        Err(e) => {
            let (kind, detail) = ErrorKind::of(&e);
            Last::Error { kind, detail }
        }
    };
    let code = if matches!(last, Last::Done { .. }) {
        0
    } else {
        3
    };
    let _ = serde_json::to_writer(&mut out, &last);
    let _ = writeln!(out);
    let _ = out.flush();
    code
}

/// Starts the worker on `pdf`, waits at most `timeout`, and checks its answer.
pub(super) fn run(
    exe: &Path,
    pdf: &Path,
    out_dir: &Path,
    limits: &Limits,
    timeout: Duration,
    memory_bytes: u64,
) -> Result<Vec<ExtractedPage>, IngestError> {
    let run_id = docexam_base::temp_name::random_hex(8);
    let job = Job {
        pdf: pdf.to_path_buf(),
        out_dir: out_dir.to_path_buf(),
        run: run_id.clone(),
        limits: *limits,
        memory_bytes,
        cpu_seconds: timeout.as_secs().max(1),
    };
    let job = serde_json::to_string(&job).map_err(|e| IngestError::Io(std::io::Error::other(e)))?;
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .arg(job)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    // Both pipes are drained to the end (a worker must never block on, or die of, a full or
    // closed pipe), keeping only a bounded amount of what they carry.
    let reader = thread::spawn(move || {
        let mut lines = Vec::new();
        if let Some(s) = stdout {
            let mut s = BufReader::new(s);
            let mut line = Vec::new();
            loop {
                line.clear();
                match (&mut s).take(MAX_LINE_BYTES).read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line.last() != Some(&b'\n') && line.len() as u64 >= MAX_LINE_BYTES => {
                        // An overlong line: not the protocol. Skip to its end.
                        let mut skip = Vec::new();
                        let _ = s.read_until(b'\n', &mut skip);
                        lines.push(String::new());
                    }
                    Ok(_) if lines.len() < MAX_LINES => {
                        lines.push(
                            String::from_utf8_lossy(line.strip_suffix(b"\n").unwrap_or(&line))
                                .into_owned(),
                        );
                    }
                    Ok(_) => {}
                }
            }
        }
        lines
    });
    let err_reader = thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(mut s) = stderr {
            let _ = (&mut s).take(16 * 1024).read_to_end(&mut text);
            let _ = std::io::copy(&mut s, &mut std::io::sink());
        }
        String::from_utf8_lossy(&text).into_owned()
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    let lines = reader.join().unwrap_or_default();
    let stderr_text = err_reader.join().unwrap_or_default();
    let result = interpret(
        &lines,
        status,
        &stderr_text,
        out_dir,
        &run_id,
        timeout,
        limits,
    );
    if result.is_err() {
        remove_run_files(out_dir, &run_id);
    }
    result
}

fn interpret(
    lines: &[String],
    status: Option<std::process::ExitStatus>,
    stderr: &str,
    out_dir: &Path,
    run: &str,
    timeout: Duration,
    limits: &Limits,
) -> Result<Vec<ExtractedPage>, IngestError> {
    let Some(status) = status else {
        return Err(IngestError::corrupt(
            MediaType::Pdf,
            format!(
                "reading the PDF took longer than {} s and was stopped",
                timeout.as_secs()
            ),
        ));
    };
    if lines.first().map(String::as_str) != Some(GREETING) {
        return Err(IngestError::Io(std::io::Error::other(format!(
            "the PDF worker did not answer ({status}); a program embedding docexam must call \
             docexam_ingest::pdf::run_worker_if_requested() at the start of main, or set \
             PdfReader::with_worker"
        ))));
    }
    let last = lines
        .last()
        .and_then(|l| serde_json::from_str::<Last>(l).ok());
    match last {
        Some(Last::Done { .. }) if status.success() => {}
        Some(Last::Error { kind, detail }) => return Err(kind.rebuild(detail)),
        _ => {
            let detail = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            return Err(IngestError::corrupt(
                MediaType::Pdf,
                format!(
                    "the PDF reader stopped on this file ({status}); a malformed or hostile PDF, \
                     for example with a reference loop{}",
                    if detail.is_empty() {
                        String::new()
                    } else {
                        format!(": {detail}")
                    }
                ),
            ));
        }
    }
    let prefix = temp_prefix(run);
    let mut pages = Vec::new();
    let mut checked: std::collections::HashMap<String, ExtractedPage> = Default::default();
    for line in lines
        .get(1..lines.len().saturating_sub(1))
        .unwrap_or_default()
    {
        let p: PageLine = serde_json::from_str(line).map_err(|e| {
            IngestError::corrupt(MediaType::Pdf, format!("unreadable worker answer: {e}"))
        })?;
        if !p.file.starts_with(&prefix) || p.file.contains(['/', '\\']) {
            return Err(IngestError::corrupt(
                MediaType::Pdf,
                "the worker named a file it may not write",
            ));
        }
        let temp = out_dir.join(&p.file);
        if let Some(seen) = checked.get(&p.file) {
            // A file shared by pages with the same image, checked once.
            if seen.hash != p.hash {
                return Err(IngestError::corrupt(
                    MediaType::Pdf,
                    "an extracted image does not match its hash",
                ));
            }
            pages.push(ExtractedPage {
                page: p.page,
                dpi: p.dpi,
                ..seen.clone()
            });
            continue;
        }
        // The worker read hostile bytes: check what it wrote rather than what it says.
        let meta = fs::symlink_metadata(&temp)?;
        if !meta.is_file() {
            return Err(IngestError::corrupt(
                MediaType::Pdf,
                "the worker wrote something that is not a file",
            ));
        }
        let hash = EvidenceHash::of_file(&temp)?;
        if hash != p.hash {
            return Err(IngestError::corrupt(
                MediaType::Pdf,
                "an extracted image does not match its hash",
            ));
        }
        let file = fs::File::open(&temp)?;
        let info = crate::probe(std::io::BufReader::new(file), limits)?;
        let first = info.pages.first().copied().ok_or_else(|| {
            IngestError::corrupt(MediaType::Pdf, "an extracted image has no picture")
        })?;
        let page = ExtractedPage {
            page: p.page,
            width: first.width,
            height: first.height,
            dpi: p.dpi,
            media_type: info.media_type,
            hash,
            bytes: meta.len(),
            temp,
        };
        checked.insert(p.file, page.clone());
        pages.push(page);
    }
    Ok(pages)
}

fn remove_run_files(out_dir: &Path, run: &str) {
    let prefix = temp_prefix(run);
    if let Ok(entries) = fs::read_dir(out_dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}
