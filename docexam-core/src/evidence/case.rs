//! A case: a directory holding the originals as received, the artefacts derived from them, and
//! the audit log that says who did what to which bytes.
//!
//! ```text
//! CASE/
//!   case.json          what the case is; where the committed log ends
//!   audit.jsonl        the hash-chained audit log
//!   originals/<b3>     every file as received, named by its blake3, read-only
//!   derived/<b3>       artefacts made from originals (page images of PDFs, reports)
//!   signatures/        signed statements of the log head
//! ```
//!
//! Every change takes the case's lock, writes files under temporary names, flushes them,
//! renames them into place, appends to the log and finally moves the committed head in
//! `case.json` — the single atomic step that makes the change part of the case. A process
//! killed at any moment leaves the case as it was before the change, or with the change whole.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::atomic::{commit_file, copy_hashing, write_atomic};
use super::audit::{self, Action, AuditEntry, LOG_FILE};
use super::error::EvidenceError;
use super::hash::EvidenceHash;
use super::item::{ExtractedImage, Item};
use super::lock::CaseLock;
use super::manifest::{CASE_FILE, CASE_FORMAT, Head, Manifest};
use crate::date::Timestamp;
use crate::ingest::{self, LightSource, Limits, MediaType, Side, naming};

/// Directory of the originals.
pub const ORIGINALS: &str = "originals";
/// Directory of derived artefacts.
pub const DERIVED: &str = "derived";
/// Directory of signed head statements.
pub const SIGNATURES: &str = "signatures";

/// How a file is added.
#[derive(Clone, Debug)]
pub struct AddOptions {
    /// Who adds it (recorded in the log).
    pub actor: String,
    /// The light source, instead of the one the file name gives.
    pub light: Option<LightSource>,
    /// The side, instead of the one the file name gives.
    pub side: Option<Side>,
    /// The document, instead of the one the file name gives.
    pub document: Option<String>,
    /// Limits for reading the file.
    pub limits: Limits,
    /// How PDFs are read.
    pub pdf: ingest::pdf::PdfReader,
}

impl AddOptions {
    /// Options for `actor` with the default limits and the default PDF reader.
    pub fn new(actor: impl Into<String>) -> Self {
        Self {
            actor: actor.into(),
            light: None,
            side: None,
            document: None,
            limits: Limits::DEFAULT,
            pdf: ingest::pdf::PdfReader::default(),
        }
    }
}

/// An open case.
#[derive(Debug)]
pub struct Case {
    dir: PathBuf,
    manifest: Manifest,
    entries: Vec<AuditEntry>,
    _lock: Option<CaseLock>,
}

fn random_id() -> String {
    let mut id = [0u8; 16];
    match getrandom::fill(&mut id) {
        Ok(()) => id.iter().map(|b| format!("{b:02x}")).collect(),
        Err(_) => format!("{:x}-{:x}", Timestamp::now().unix_ms(), std::process::id()),
    }
}

impl Case {
    /// Creates a case in `dir` (which must be absent or empty) for `examiner`.
    pub fn init(dir: &Path, examiner: &str) -> Result<Case, EvidenceError> {
        if dir.exists() {
            let mut entries = fs::read_dir(dir)
                .map_err(|e| EvidenceError::io("cannot read the directory", dir, e))?;
            if entries.next().is_some() {
                return Err(EvidenceError::NotEmpty {
                    path: dir.to_path_buf(),
                });
            }
        } else {
            fs::create_dir_all(dir)
                .map_err(|e| EvidenceError::io("cannot create the case directory", dir, e))?;
        }
        let lock = CaseLock::acquire(dir)?;
        for sub in [ORIGINALS, DERIVED, SIGNATURES] {
            let p = dir.join(sub);
            fs::create_dir_all(&p)
                .map_err(|e| EvidenceError::io("cannot create a case directory", &p, e))?;
        }
        let created = Timestamp::now();
        let case_id = random_id();
        let mut case = Case {
            dir: dir.to_path_buf(),
            manifest: Manifest {
                format: CASE_FORMAT.into(),
                case_id: case_id.clone(),
                created,
                examiner: examiner.into(),
                head: Head {
                    entries: 0,
                    hash: EvidenceHash::zero(),
                },
            },
            entries: Vec::new(),
            _lock: Some(lock),
        };
        fs::File::create(case.path(LOG_FILE)).map_err(|e| {
            EvidenceError::io("cannot create the audit log", &case.path(LOG_FILE), e)
        })?;
        let action = Action::Init {
            case_id,
            examiner: examiner.into(),
        };
        case.commit(vec![(created, examiner.into(), action, vec![])])?;
        Ok(case)
    }

    /// Opens a case to read it (no lock; a concurrent writer's uncommitted entries are ignored).
    pub fn open(dir: &Path) -> Result<Case, EvidenceError> {
        let manifest = read_manifest(dir)?;
        let log_path = dir.join(LOG_FILE);
        let bytes = fs::read(&log_path)
            .map_err(|e| EvidenceError::io("cannot read the audit log", &log_path, e))?;
        let chain = audit::follow(&bytes);
        let committed = usize::try_from(manifest.head.entries).unwrap_or(usize::MAX);
        if chain.entries.len() < committed {
            return Err(EvidenceError::Damaged {
                what: format!(
                    "the audit log chains {} entries but case.json records {committed}; run verify",
                    chain.entries.len()
                ),
                path: log_path,
            });
        }
        let mut entries = chain.entries;
        entries.truncate(committed);
        let head = committed_head(&bytes, committed);
        if head != manifest.head.hash {
            return Err(EvidenceError::Damaged {
                what: "the audit log's committed entries do not end at the head case.json records; run verify".into(),
                path: log_path,
            });
        }
        Ok(Case {
            dir: dir.to_path_buf(),
            manifest,
            entries,
            _lock: None,
        })
    }

    /// Opens a case to change it: takes its lock and discards the uncommitted tail of an
    /// interrupted write.
    pub fn open_for_writing(dir: &Path) -> Result<Case, EvidenceError> {
        if !dir.join(CASE_FILE).is_file() {
            return Err(EvidenceError::NotACase {
                path: dir.to_path_buf(),
            });
        }
        let lock = CaseLock::acquire(dir)?;
        let mut case = Case::open(dir)?;
        case._lock = Some(lock);
        let log_path = case.path(LOG_FILE);
        let bytes = fs::read(&log_path)
            .map_err(|e| EvidenceError::io("cannot read the audit log", &log_path, e))?;
        let keep = committed_len(&bytes, case.entries.len());
        if (bytes.len() as u64) > keep {
            let f = OpenOptions::new()
                .write(true)
                .open(&log_path)
                .map_err(|e| EvidenceError::io("cannot open the audit log", &log_path, e))?;
            f.set_len(keep).and_then(|()| f.sync_all()).map_err(|e| {
                EvidenceError::io("cannot discard an interrupted write", &log_path, e)
            })?;
        }
        Ok(case)
    }

    /// The case directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The committed audit entries, in order.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// Every item of the case, in the order they were added.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.entries.iter().filter_map(|e| match &e.action {
            Action::Add { item } => Some(item),
            _ => None,
        })
    }

    /// Path of the stored original with hash `hash`.
    pub fn original_path(&self, hash: &EvidenceHash) -> PathBuf {
        self.dir.join(ORIGINALS).join(hash.to_hex())
    }

    /// Path of the derived artefact with hash `hash`.
    pub fn derived_path(&self, hash: &EvidenceHash) -> PathBuf {
        self.dir.join(DERIVED).join(hash.to_hex())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn next_item_id(&self) -> u32 {
        self.items().map(|i| i.id).max().unwrap_or(0) + 1
    }

    /// Receives the file at `path`: checks it, stores it once under its blake3, and logs one
    /// entry per item (a PDF or multi-page TIFF gives one item per page). Nothing is stored or
    /// logged if the file cannot be read as an image or PDF.
    pub fn add(&mut self, path: &Path, options: &AddOptions) -> Result<Vec<Item>, EvidenceError> {
        self.require_lock()?;
        let meta =
            fs::metadata(path).map_err(|e| EvidenceError::io("cannot read the file", path, e))?;
        if !meta.is_file() {
            return Err(EvidenceError::NotAFile {
                path: path.to_path_buf(),
            });
        }
        let ingest_err = |source| EvidenceError::Ingest {
            path: path.to_path_buf(),
            source,
        };
        let mut file =
            File::open(path).map_err(|e| EvidenceError::io("cannot open the file", path, e))?;
        let mut head = [0u8; 1024];
        let n = read_up_to(&mut file, &mut head)
            .map_err(|e| EvidenceError::io("cannot read the file", path, e))?;
        let is_pdf = MediaType::sniff(head.get(..n).unwrap_or_default()) == Some(MediaType::Pdf);
        let pages = if is_pdf {
            None
        } else {
            Some(ingest::probe_file(path, &options.limits).map_err(ingest_err)?)
        };
        file.seek(SeekFrom::Start(0))
            .map_err(|e| EvidenceError::io("cannot read the file", path, e))?;
        let originals = self.path(ORIGINALS);
        let (temp, hash, bytes) = copy_hashing(&mut file, &originals)
            .map_err(|e| EvidenceError::io("cannot copy the file into the case", path, e))?;
        let stored = self.original_path(&hash);
        // From here on, the temporary copy is the evidence: read PDFs from it, not the source.
        let pdf_pages = if is_pdf {
            match options
                .pdf
                .extract(&temp, &self.path(DERIVED), &options.limits)
            {
                Ok(p) => Some(p),
                Err(e) => {
                    let _ = fs::remove_file(&temp);
                    return Err(ingest_err(e));
                }
            }
        } else {
            None
        };
        commit_file(&temp, &stored)
            .map_err(|e| EvidenceError::io("cannot store the original", &stored, e))?;

        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let named = naming::from_file_name(&source);
        let document = options.document.clone().unwrap_or(named.document);
        let side = options.side.unwrap_or(named.side);
        let light = options.light.unwrap_or(named.light);
        let mut id = self.next_item_id();
        let mut items = Vec::new();
        let mut base = |page: Option<u32>, media_type: MediaType, width: u32, height: u32, dpi| {
            let item = Item {
                id,
                document: document.clone(),
                side,
                light,
                source: source.clone(),
                bytes,
                media_type,
                original: hash,
                page,
                extracted: None,
                width,
                height,
                dpi,
            };
            id += 1;
            item
        };
        if let Some(probe) = pages {
            let multi = probe.pages.len() > 1;
            for (i, p) in probe.pages.iter().enumerate() {
                let page = multi.then(|| u32::try_from(i + 1).unwrap_or(u32::MAX));
                let (w, h) = p.oriented_size();
                items.push(base(page, probe.media_type, w, h, p.dpi));
            }
        }
        if let Some(pdf_pages) = pdf_pages {
            for p in pdf_pages {
                let mut item = base(Some(p.page), MediaType::Pdf, p.width, p.height, p.dpi);
                let target = self.derived_path(&p.hash);
                commit_file(&p.temp, &target).map_err(|e| {
                    EvidenceError::io("cannot store an extracted page image", &target, e)
                })?;
                item.extracted = Some(ExtractedImage {
                    hash: p.hash,
                    media_type: p.media_type,
                    bytes: p.bytes,
                });
                items.push(item);
            }
        }
        let now = Timestamp::now();
        let batch = items
            .iter()
            .map(|item| {
                let mut hashes = vec![item.original];
                hashes.extend(item.extracted.as_ref().map(|e| e.hash));
                (
                    now,
                    options.actor.clone(),
                    Action::Add { item: item.clone() },
                    hashes,
                )
            })
            .collect();
        self.commit(batch)?;
        Ok(items)
    }

    /// Signs the committed head with `key`: writes the statement and its signature under
    /// `signatures/`, then logs the signing. Returns the statement's path.
    pub fn sign_head(
        &mut self,
        key: &super::sign::LabKey,
        actor: &str,
    ) -> Result<PathBuf, EvidenceError> {
        self.require_lock()?;
        let head = self.manifest.head;
        let statement =
            super::sign::head_statement(&self.manifest.case_id, head.entries, &head.hash);
        let base = self
            .path(SIGNATURES)
            .join(format!("head-{:08}", head.entries));
        let txt = base.with_extension("txt");
        let sig = base.with_extension("sig");
        write_atomic(&txt, statement.as_bytes())
            .map_err(|e| EvidenceError::io("cannot write the statement", &txt, e))?;
        write_atomic(&sig, &key.sign(statement.as_bytes()))
            .map_err(|e| EvidenceError::io("cannot write the signature", &sig, e))?;
        let action = Action::Sign {
            entries: head.entries,
            key: super::sign::key_id(&key.public()),
        };
        let hashes = vec![EvidenceHash::of_bytes(statement.as_bytes())];
        self.commit(vec![(Timestamp::now(), actor.into(), action, hashes)])?;
        Ok(txt)
    }

    fn require_lock(&self) -> Result<(), EvidenceError> {
        if self._lock.is_none() {
            return Err(EvidenceError::Damaged {
                what: "the case was opened for reading; open it for writing to change it".into(),
                path: self.dir.clone(),
            });
        }
        Ok(())
    }

    /// Appends `actions` to the log and commits them by moving the head in `case.json`.
    pub(crate) fn commit(
        &mut self,
        actions: Vec<(Timestamp, String, Action, Vec<EvidenceHash>)>,
    ) -> Result<(), EvidenceError> {
        self.require_lock()?;
        if actions.is_empty() {
            return Ok(());
        }
        let mut prev = self.manifest.head.hash;
        let mut seq = self.manifest.head.entries;
        let mut bytes = Vec::new();
        let mut new_entries = Vec::new();
        for (time, actor, action, hashes) in actions {
            let entry = AuditEntry {
                seq,
                time,
                actor,
                action,
                tool: audit::tool(),
                hashes,
                prev,
            };
            let line = serde_json::to_vec(&entry).map_err(|e| EvidenceError::Damaged {
                what: format!("cannot write an audit entry: {e}"),
                path: self.path(LOG_FILE),
            })?;
            prev = audit::line_hash(&line);
            bytes.extend_from_slice(&line);
            bytes.push(b'\n');
            seq += 1;
            new_entries.push(entry);
        }
        let log_path = self.path(LOG_FILE);
        let mut log = OpenOptions::new()
            .append(true)
            .open(&log_path)
            .map_err(|e| EvidenceError::io("cannot open the audit log", &log_path, e))?;
        log.write_all(&bytes)
            .and_then(|()| log.sync_all())
            .map_err(|e| EvidenceError::io("cannot append to the audit log", &log_path, e))?;
        let mut manifest = self.manifest.clone();
        manifest.head = Head {
            entries: seq,
            hash: prev,
        };
        let case_file = self.path(CASE_FILE);
        write_atomic(&case_file, &manifest.to_bytes())
            .map_err(|e| EvidenceError::io("cannot commit case.json", &case_file, e))?;
        self.manifest = manifest;
        self.entries.extend(new_entries);
        Ok(())
    }
}

/// Reads and parses `case.json`.
pub(crate) fn read_manifest(dir: &Path) -> Result<Manifest, EvidenceError> {
    let path = dir.join(CASE_FILE);
    let bytes = fs::read(&path).map_err(|_| EvidenceError::NotACase {
        path: dir.to_path_buf(),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| EvidenceError::Damaged {
        what: format!("case.json is not a docexam manifest: {e}"),
        path,
    })
}

/// Byte length of the first `entries` lines of a log.
pub(crate) fn committed_len(bytes: &[u8], entries: usize) -> u64 {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .take(entries)
        .map(|l| l.len() as u64)
        .sum()
}

/// Hash of the `entries`-th line of a log (zero for none).
pub(crate) fn committed_head(bytes: &[u8], entries: usize) -> EvidenceHash {
    match entries
        .checked_sub(1)
        .and_then(|i| bytes.split_inclusive(|&b| b == b'\n').nth(i))
    {
        Some(line) => audit::line_hash(line.strip_suffix(b"\n").unwrap_or(line)),
        None => EvidenceHash::zero(),
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(buf.get_mut(got..).unwrap_or_default())? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}
