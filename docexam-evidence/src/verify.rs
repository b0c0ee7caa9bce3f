//! Verifying a case: every stored file re-hashed, the audit log's chain walked to the head
//! `case.json` commits, the manifest compared byte for byte with what docexam writes, and
//! every signed head checked. The report names each problem and where it is.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use ed25519_dalek::VerifyingKey;
use serde::Serialize;

use super::atomic::TEMP_PREFIX;
use super::audit::{self, Action, LOG_FILE, Uncommitted};
use super::audit::{AuditEntry, Chain};
use super::case::{DERIVED, DISCARDED, ORIGINALS, SIGNATURES, signature_paths};
use super::error::EvidenceError;
use super::hash::EvidenceHash;
use super::lock::LOCK_FILE;
use super::manifest::{CASE_FILE, Manifest};
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
    /// A public key was given to check the case against, and no signed head in the case is
    /// signed by it.
    NotSignedByKey,
    /// Entries after the committed head: an interrupted write (a note).
    UncommittedTail,
    /// Entries after the committed head that no single interrupted write leaves: the head in
    /// `case.json` was moved back, or entries were appended by hand.
    UncommittedEntries,
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

/// Stored areas of a case.
const AREAS: [&str; 4] = [ORIGINALS, DERIVED, DISCARDED, SIGNATURES];

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

    // The manifest first, then the log: a writer appends before it commits, so this order never
    // sees a head beyond the log.
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
    check_chain(&chain, &log, manifest.as_ref(), committed_n, &mut f);

    // Every committed line, read on its own: files named after a break are still checked.
    let entries: Vec<AuditEntry> = log
        .split(|&b| b == b'\n')
        .take(committed_n)
        .filter_map(|line| serde_json::from_slice(line).ok())
        .collect();

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

    let mut recorded: BTreeSet<(&'static str, EvidenceHash)> = BTreeSet::new();
    let mut items = 0;
    for e in &entries {
        if matches!(e.action, Action::Add { .. }) {
            items += 1;
        }
        for (area, hash) in e.action.stored_files() {
            recorded.insert((area, hash));
        }
    }
    for (area, hash) in &recorded {
        check_file(dir, area, hash, &mut f);
    }
    let signed = check_signatures(dir, manifest.as_ref(), &chain, &entries, public_key, &mut f);
    for area in AREAS {
        list_unrecorded(dir, area, &recorded, &signed, &mut f);
    }
    if let Ok(listing) = fs::read_dir(dir) {
        for e in listing.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) {
                f.note(
                    ProblemKind::TempFile,
                    &name,
                    "temporary file of an interrupted write",
                );
            } else if ![CASE_FILE, LOG_FILE, LOCK_FILE].contains(&name.as_str())
                && !AREAS.contains(&name.as_str())
            {
                f.note(
                    ProblemKind::UnrecordedFile,
                    &name,
                    "not part of a docexam case",
                );
            }
        }
    }
    Ok(Verification {
        case_id: manifest.as_ref().map(|m| m.case_id.clone()),
        entries: entries.len() as u64,
        items,
        files_checked: recorded.len() + signed.len(),
        problems: f.problems,
        notes: f.notes,
    })
}

/// The chain up to the committed head, and what lies after it.
fn check_chain(
    chain: &Chain,
    log: &[u8],
    manifest: Option<&Manifest>,
    committed_n: usize,
    f: &mut Findings,
) {
    let committed = committed_n as u64;
    match &chain.break_at {
        Some(b) if b.line <= committed_n => {
            f.problem(
                ProblemKind::LogBroken,
                LOG_FILE,
                format!("line {}: {}", b.line, b.problem),
            );
            return;
        }
        _ => {}
    }
    if chain.len_of(committed_n).is_none() {
        f.problem(
            ProblemKind::LogTruncated,
            LOG_FILE,
            format!(
                "the log has {} entries; case.json commits {committed}",
                chain.entries.len()
            ),
        );
        return;
    }
    if let Some(m) = manifest
        && chain.head_of(committed_n) != Some(m.head.hash)
    {
        f.problem(
            ProblemKind::LogBroken,
            LOG_FILE,
            format!(
                "entry {} (line {committed}) is not the head case.json commits: it was edited",
                committed.saturating_sub(1)
            ),
        );
    }
    match chain.uncommitted(log, committed_n) {
        Uncommitted::None => {}
        Uncommitted::Interrupted { bytes, .. } => f.note(
            ProblemKind::UncommittedTail,
            LOG_FILE,
            format!(
                "{bytes} bytes after the committed head: an interrupted write, not part of the case"
            ),
        ),
        Uncommitted::Foreign { bytes, entries } => f.problem(
            ProblemKind::UncommittedEntries,
            LOG_FILE,
            format!(
                "{bytes} bytes ({entries} entries) after the committed head are more than one \
                 interrupted write leaves: case.json was moved back, or entries were appended"
            ),
        ),
    }
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
    match Manifest::parse(&bytes) {
        Ok(m) => {
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
            f.problem(ProblemKind::ManifestUnreadable, CASE_FILE, e.to_string());
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
            if !meta.permissions().readonly() {
                f.note(
                    ProblemKind::Writable,
                    &rel,
                    "the stored file is writable; docexam stores files read-only",
                );
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                if meta.nlink() > 1 {
                    f.note(
                        ProblemKind::Writable,
                        &rel,
                        format!("the stored file has {} hard links: it can be reached from outside the case", meta.nlink()),
                    );
                }
            }
        }
    }
}

fn list_unrecorded(
    dir: &Path,
    area: &'static str,
    recorded: &BTreeSet<(&'static str, EvidenceHash)>,
    signed: &BTreeSet<String>,
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
        let known = if area == SIGNATURES {
            signed.contains(&rel)
        } else {
            name.len() == 64
                && name
                    .parse::<EvidenceHash>()
                    .is_ok_and(|h| recorded.contains(&(area, h)))
        };
        if name.starts_with(TEMP_PREFIX) {
            f.note(
                ProblemKind::TempFile,
                &rel,
                "temporary file of an interrupted write",
            );
        } else if !known {
            f.note(
                ProblemKind::UnrecordedFile,
                &rel,
                "not recorded in the committed log (left by an interrupted write, or placed by hand)",
            );
        }
    }
}

/// Checks every signing the committed log records; returns the signature files it accounts for.
fn check_signatures(
    dir: &Path,
    manifest: Option<&Manifest>,
    chain: &Chain,
    entries: &[AuditEntry],
    key: Option<&VerifyingKey>,
    f: &mut Findings,
) -> BTreeSet<String> {
    let mut accounted = BTreeSet::new();
    let mut signed_by_key = false;
    for e in entries {
        let Action::Sign {
            entries: n,
            key: signer,
        } = &e.action
        else {
            continue;
        };
        let (txt, sig) = signature_paths(dir, *n);
        let rel = |p: &Path| {
            p.strip_prefix(dir)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        };
        let (txt_rel, sig_rel) = (rel(&txt), rel(&sig));
        accounted.insert(txt_rel.clone());
        accounted.insert(sig_rel.clone());
        let Ok(text) = fs::read(&txt) else {
            f.problem(
                ProblemKind::MissingFile,
                &txt_rel,
                "the signed statement the log records is missing",
            );
            continue;
        };
        if e.hashes.first() != Some(&EvidenceHash::of_bytes(&text)) {
            f.problem(
                ProblemKind::ChangedFile,
                &txt_rel,
                "the signed statement is not the one the log records",
            );
            continue;
        }
        let statement = String::from_utf8_lossy(&text);
        let holds = parse_head_statement(&statement).is_some_and(|(id, entries, head)| {
            Some(id.as_str()) == manifest.map(|m| m.case_id.as_str())
                && entries == *n
                && usize::try_from(entries).ok().and_then(|k| chain.head_of(k)) == Some(head)
        });
        if !holds {
            f.problem(
                ProblemKind::SignatureInvalid,
                &txt_rel,
                format!("the statement does not name this case's head at entry {n}"),
            );
            continue;
        }
        let Ok(signature) = fs::read(&sig) else {
            f.problem(
                ProblemKind::MissingFile,
                &sig_rel,
                "the signature the log records is missing",
            );
            continue;
        };
        match key {
            Some(k) if key_id(k) != *signer => f.note(
                ProblemKind::SignatureUnchecked,
                &sig_rel,
                format!(
                    "signed with key {signer}, not with the key given ({})",
                    key_id(k)
                ),
            ),
            Some(k) if verify_signature(k, &text, &signature) => {
                signed_by_key = true;
                f.note(
                    ProblemKind::SignatureValid,
                    &sig_rel,
                    format!("the first {n} entries are signed by key {}", key_id(k)),
                );
            }
            Some(k) => f.problem(
                ProblemKind::SignatureInvalid,
                &sig_rel,
                format!("not a valid signature by key {}", key_id(k)),
            ),
            None => f.note(
                ProblemKind::SignatureUnchecked,
                &sig_rel,
                format!("signed with key {signer}; give that public key to check it"),
            ),
        }
    }
    if let Some(k) = key
        && !signed_by_key
    {
        f.problem(
            ProblemKind::NotSignedByKey,
            SIGNATURES,
            format!("no signed head in this case holds for key {}", key_id(k)),
        );
    }
    accounted
}
