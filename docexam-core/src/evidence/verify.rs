//! Verifying a case: every stored file re-hashed, the audit log's chain walked to the head
//! `case.json` commits, the manifest compared byte for byte with what docexam writes, and
//! every signed head checked. The report names each problem and where it is.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use ed25519_dalek::VerifyingKey;
use serde::Serialize;

use super::atomic::TEMP_PREFIX;
use super::audit::{self, Action, LOG_FILE};
use super::case::{DERIVED, ORIGINALS, SIGNATURES, committed_head, committed_len};
use super::error::EvidenceError;
use super::hash::EvidenceHash;
use super::lock::LOCK_FILE;
use super::manifest::{CASE_FILE, CASE_FORMAT, Manifest};
use super::sign::{key_id, parse_head_statement, verify_signature};

/// The outcome of verifying a case.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    /// The case's identifier, if its manifest could be read.
    pub case_id: Option<String>,
    /// Committed audit entries.
    pub entries: u64,
    /// Items among them.
    pub items: usize,
    /// Stored files re-hashed.
    pub files_checked: usize,
    /// Everything that shows tampering or damage; empty when the case is intact.
    pub problems: Vec<Problem>,
    /// Facts worth knowing that are not tampering (an interrupted write, an unchecked signature).
    pub notes: Vec<Problem>,
}

impl Verification {
    /// Whether the case is intact.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing verification found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// What kind.
    pub kind: ProblemKind,
    /// The file, relative to the case directory.
    pub path: String,
    /// A sentence saying what is wrong.
    pub detail: String,
}

/// Kinds of verification findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// `case.json` cannot be read.
    ManifestUnreadable,
    /// `case.json` differs from what docexam writes for its content.
    ManifestEdited,
    /// `case.json` contradicts the log's first entry.
    ManifestMismatch,
    /// An audit entry was edited, removed, inserted or reordered.
    LogBroken,
    /// The audit log ends before the head `case.json` commits.
    LogTruncated,
    /// A file the log records is missing.
    MissingFile,
    /// A stored file's bytes changed.
    ChangedFile,
    /// A signed head does not hold.
    SignatureInvalid,
    /// Entries after the committed head: an interrupted write (a note).
    UncommittedTail,
    /// A stored file the log does not record (a note).
    UnrecordedFile,
    /// A temporary file of an interrupted write (a note).
    TempFile,
    /// A stored original that is writable (a note).
    Writable,
    /// A signature not checked for want of the public key (a note).
    SignatureUnchecked,
    /// A signature checked and valid (a note).
    SignatureValid,
}

struct Findings {
    problems: Vec<Problem>,
    notes: Vec<Problem>,
}

impl Findings {
    fn problem(&mut self, kind: ProblemKind, path: &str, detail: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            path: path.into(),
            detail: detail.into(),
        });
    }

    fn note(&mut self, kind: ProblemKind, path: &str, detail: impl Into<String>) {
        self.notes.push(Problem {
            kind,
            path: path.into(),
            detail: detail.into(),
        });
    }
}

/// Verifies the case at `dir`, checking signed heads with `public_key` when given. Fails only
/// when `dir` is not a case at all.
pub fn verify(
    dir: &Path,
    public_key: Option<&VerifyingKey>,
) -> Result<Verification, EvidenceError> {
    if !dir.join(CASE_FILE).exists() && !dir.join(LOG_FILE).exists() {
        return Err(EvidenceError::NotACase {
            path: dir.to_path_buf(),
        });
    }
    let mut f = Findings {
        problems: Vec::new(),
        notes: Vec::new(),
    };

    let manifest = read_manifest(dir, &mut f);
    let log = fs::read(dir.join(LOG_FILE)).unwrap_or_else(|_| {
        f.problem(
            ProblemKind::MissingFile,
            LOG_FILE,
            "the audit log is missing",
        );
        Vec::new()
    });
    let chain = audit::follow(&log);
    let committed = manifest
        .as_ref()
        .map_or(chain.entries.len() as u64, |m| m.head.entries);
    let committed_n = usize::try_from(committed).unwrap_or(usize::MAX);
    match &chain.break_at {
        Some(b) if b.line <= committed_n => {
            f.problem(
                ProblemKind::LogBroken,
                LOG_FILE,
                format!("line {}: {}", b.line, b.problem),
            );
        }
        _ if chain.entries.len() < committed_n => f.problem(
            ProblemKind::LogTruncated,
            LOG_FILE,
            format!(
                "the log has {} entries; case.json commits {committed}",
                chain.entries.len()
            ),
        ),
        _ => {
            if let Some(m) = &manifest
                && committed_head(&log, committed_n) != m.head.hash
            {
                f.problem(
                    ProblemKind::LogBroken,
                    LOG_FILE,
                    format!("entry {} (line {committed}) is not the head case.json commits: it was edited", committed.saturating_sub(1)),
                );
            }
            let tail = log.len() as u64 - committed_len(&log, committed_n);
            if tail > 0 {
                f.note(
                    ProblemKind::UncommittedTail,
                    LOG_FILE,
                    format!("{tail} bytes after the committed head: an interrupted write, not part of the case"),
                );
            }
        }
    }
    let entries: Vec<_> = chain.entries.into_iter().take(committed_n).collect();

    if let (Some(m), Some(first)) = (&manifest, entries.first()) {
        match &first.action {
            Action::Init { case_id, examiner }
                if *case_id == m.case_id && *examiner == m.examiner && first.time == m.created => {}
            _ => f.problem(
                ProblemKind::ManifestMismatch,
                CASE_FILE,
                "case.json does not name the case, examiner and time the log's first entry records",
            ),
        }
    }

    // Every file the committed log records, re-hashed.
    let mut recorded: BTreeSet<(&'static str, EvidenceHash)> = BTreeSet::new();
    let mut items = 0;
    for e in &entries {
        if let Action::Add { item } = &e.action {
            items += 1;
            recorded.insert((ORIGINALS, item.original));
            if let Some(x) = &item.extracted {
                recorded.insert((DERIVED, x.hash));
            }
        }
    }
    for (area, hash) in &recorded {
        check_file(dir, area, hash, &mut f);
    }
    for area in [ORIGINALS, DERIVED] {
        list_unrecorded(dir, area, &recorded, &mut f);
    }
    if let Ok(listing) = fs::read_dir(dir) {
        for e in listing.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let known = [
                CASE_FILE, LOG_FILE, ORIGINALS, DERIVED, SIGNATURES, LOCK_FILE,
            ];
            if name.starts_with(TEMP_PREFIX) {
                f.note(
                    ProblemKind::TempFile,
                    &name,
                    "temporary file of an interrupted write",
                );
            } else if !known.contains(&name.as_str()) {
                f.note(
                    ProblemKind::UnrecordedFile,
                    &name,
                    "not part of a docexam case",
                );
            }
        }
    }
    let case_id = manifest.as_ref().map(|m| m.case_id.clone());
    check_signatures(dir, case_id.as_deref(), &log, committed, public_key, &mut f);

    Ok(Verification {
        case_id,
        entries: entries.len() as u64,
        items,
        files_checked: recorded.len(),
        problems: f.problems,
        notes: f.notes,
    })
}

fn read_manifest(dir: &Path, f: &mut Findings) -> Option<Manifest> {
    let bytes = match fs::read(dir.join(CASE_FILE)) {
        Ok(b) => b,
        Err(e) => {
            f.problem(
                ProblemKind::ManifestUnreadable,
                CASE_FILE,
                format!("cannot read case.json: {e}"),
            );
            return None;
        }
    };
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) => {
            if m.format != CASE_FORMAT {
                f.problem(
                    ProblemKind::ManifestUnreadable,
                    CASE_FILE,
                    format!(
                        "case.json declares the layout {:?}; this docexam reads {CASE_FORMAT:?}",
                        m.format
                    ),
                );
            }
            if m.to_bytes() != bytes {
                f.problem(
                    ProblemKind::ManifestEdited,
                    CASE_FILE,
                    "case.json is not byte for byte what docexam writes for its content: it was edited",
                );
            }
            Some(m)
        }
        Err(e) => {
            f.problem(
                ProblemKind::ManifestUnreadable,
                CASE_FILE,
                format!("case.json is not a docexam manifest: {e}"),
            );
            None
        }
    }
}

fn check_file(dir: &Path, area: &str, hash: &EvidenceHash, f: &mut Findings) {
    let rel = format!("{area}/{}", hash.to_hex());
    let path = dir.join(&rel);
    match fs::symlink_metadata(&path) {
        Err(_) => f.problem(
            ProblemKind::MissingFile,
            &rel,
            "recorded in the log but missing",
        ),
        Ok(meta) if !meta.is_file() => {
            f.problem(
                ProblemKind::ChangedFile,
                &rel,
                "not a regular file (a link or a directory)",
            );
        }
        Ok(meta) => {
            match EvidenceHash::of_file(&path) {
                Ok(h) if h == *hash => {}
                Ok(h) => f.problem(
                    ProblemKind::ChangedFile,
                    &rel,
                    format!("the bytes changed: blake3 is now {h}"),
                ),
                Err(e) => f.problem(
                    ProblemKind::MissingFile,
                    &rel,
                    format!("cannot be read: {e}"),
                ),
            }
            if area == ORIGINALS && !meta.permissions().readonly() {
                f.note(
                    ProblemKind::Writable,
                    &rel,
                    "the original is writable; docexam stores originals read-only",
                );
            }
        }
    }
}

fn list_unrecorded(
    dir: &Path,
    area: &'static str,
    recorded: &BTreeSet<(&'static str, EvidenceHash)>,
    f: &mut Findings,
) {
    let Ok(listing) = fs::read_dir(dir.join(area)) else {
        return;
    };
    let mut names: Vec<String> = listing
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let rel = format!("{area}/{name}");
        if name.starts_with(TEMP_PREFIX) {
            f.note(
                ProblemKind::TempFile,
                &rel,
                "temporary file of an interrupted write",
            );
        } else if !name
            .parse::<EvidenceHash>()
            .is_ok_and(|h| recorded.contains(&(area, h)))
        {
            f.note(
                ProblemKind::UnrecordedFile,
                &rel,
                "not recorded in the committed log (left by an interrupted add, or placed by hand)",
            );
        }
    }
}

fn check_signatures(
    dir: &Path,
    case_id: Option<&str>,
    log: &[u8],
    committed: u64,
    key: Option<&VerifyingKey>,
    f: &mut Findings,
) {
    let Ok(listing) = fs::read_dir(dir.join(SIGNATURES)) else {
        return;
    };
    let mut statements: Vec<String> = listing
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    statements.sort();
    for name in statements {
        let rel = format!("{SIGNATURES}/{name}");
        let sig_rel = format!("{}.sig", rel.trim_end_matches(".txt"));
        let text = fs::read_to_string(dir.join(&rel)).unwrap_or_default();
        let Some((id, entries, head)) = parse_head_statement(&text) else {
            f.problem(
                ProblemKind::SignatureInvalid,
                &rel,
                "not a docexam head statement",
            );
            continue;
        };
        let n = usize::try_from(entries).unwrap_or(usize::MAX);
        if Some(id.as_str()) != case_id || entries > committed || committed_head(log, n) != head {
            f.problem(
                ProblemKind::SignatureInvalid,
                &rel,
                format!("the signed head (entry {entries}) is not in this case's committed log"),
            );
            continue;
        }
        let Ok(sig) = fs::read(dir.join(&sig_rel)) else {
            f.problem(
                ProblemKind::SignatureInvalid,
                &sig_rel,
                "the signature file is missing",
            );
            continue;
        };
        match key {
            Some(k) if verify_signature(k, text.as_bytes(), &sig) => f.note(
                ProblemKind::SignatureValid,
                &sig_rel,
                format!(
                    "the first {entries} entries are signed by key {}",
                    key_id(k)
                ),
            ),
            Some(k) => f.problem(
                ProblemKind::SignatureInvalid,
                &sig_rel,
                format!("not a valid signature by key {}", key_id(k)),
            ),
            None => f.note(
                ProblemKind::SignatureUnchecked,
                &sig_rel,
                "signed head present; give the lab's public key to check it",
            ),
        }
    }
}
