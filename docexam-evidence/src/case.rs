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
//!   discarded/<b3>     log entries of interrupted writes, moved out of the log, never deleted
//! ```
//!
//! Every change takes the case's lock, writes files under temporary names, flushes them,
//! renames them into place, appends to the log and finally moves the committed head in
//! `case.json` — the single atomic step that makes the change part of the case. A process
//! killed at any moment leaves the case as it was before the change, or with the change whole.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::atomic::{TEMP_PREFIX, commit_file, copy_hashing, random_hex, write_atomic};
use super::audit::{self, Action, AuditEntry, LOG_FILE, Uncommitted};
use super::error::EvidenceError;
use super::hash::EvidenceHash;
use super::item::{ExtractedImage, Item};
use super::lock::CaseLock;
use super::manifest::{CASE_FILE, CASE_FORMAT, LogEnd, Manifest};
use docexam_base::date::Timestamp;
use docexam_ingest::{self as ingest, LightSource, Limits, MediaType, Side, naming};

/// Directory of the originals.
pub const ORIGINALS: &str = "originals";
/// Directory of derived artefacts.
pub const DERIVED: &str = "derived";
/// Directory of signed head statements.
pub const SIGNATURES: &str = "signatures";
/// Directory of log entries moved out of the log after an interrupted write.
pub const DISCARDED: &str = "discarded";

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
    /// Byte length of the committed log.
    log_len: u64,
    _lock: Option<CaseLock>,
}

impl Case {
    /// Creates a case in `dir` (which must be absent or empty) for `examiner`.
    pub fn init(dir: &Path, examiner: &str) -> Result<Case, EvidenceError> {
        fs::create_dir_all(dir)
            .map_err(|e| EvidenceError::io("cannot create the case directory", dir, e))?;
        // Lock first, then look: two inits racing cannot both see an empty directory.
        let lock = CaseLock::acquire(dir)?;
        let occupied = fs::read_dir(dir)
            .map_err(|e| EvidenceError::io("cannot read the directory", dir, e))?
            .flatten()
            .any(|e| e.file_name() != super::lock::LOCK_FILE);
        if occupied {
            return Err(EvidenceError::NotEmpty {
                path: dir.to_path_buf(),
            });
        }
        for sub in [ORIGINALS, DERIVED, SIGNATURES, DISCARDED] {
            let p = dir.join(sub);
            fs::create_dir_all(&p)
                .map_err(|e| EvidenceError::io("cannot create a case directory", &p, e))?;
        }
        let log_path = dir.join(LOG_FILE);
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&log_path)
            .map_err(|e| EvidenceError::io("cannot create the audit log", &log_path, e))?;
        let created = Timestamp::now();
        let case_id = random_hex(16);
        let mut case = Case {
            dir: dir.to_path_buf(),
            manifest: Manifest {
                format: CASE_FORMAT.into(),
                case_id: case_id.clone(),
                created,
                examiner: examiner.into(),
                head: LogEnd {
                    entries: 0,
                    hash: EvidenceHash::zero(),
                },
            },
            entries: Vec::new(),
            log_len: 0,
            _lock: Some(lock),
        };
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
        let (Some(log_len), Some(head)) = (chain.len_of(committed), chain.head_of(committed))
        else {
            return Err(EvidenceError::Damaged {
                what: format!(
                    "the audit log chains {} entries but case.json commits {committed}; run verify",
                    chain.entries.len()
                ),
                path: log_path,
            });
        };
        if head != manifest.head.hash {
            return Err(EvidenceError::Damaged {
                what: "the audit log's committed entries do not end at the head case.json \
                       records; run verify"
                    .into(),
                path: log_path,
            });
        }
        let mut entries = chain.entries;
        entries.truncate(committed);
        Ok(Case {
            dir: dir.to_path_buf(),
            manifest,
            entries,
            log_len,
            _lock: None,
        })
    }

    /// Opens the case at `dir` for writing, or creates it there (with `examiner`) when `dir`
    /// holds none. Two processes doing this at once on a new folder end with one case: the one
    /// that loses the race to create it opens what the other created (waiting for its lock as
    /// [`Case::open_for_writing`] does) instead of failing on a folder that is no longer empty.
    pub fn open_or_init(dir: &Path, examiner: &str) -> Result<Case, EvidenceError> {
        if dir.join(CASE_FILE).is_file() {
            return Case::open_for_writing(dir);
        }
        match Case::init(dir, examiner) {
            Err(EvidenceError::NotEmpty { .. }) if dir.join(CASE_FILE).is_file() => {
                Case::open_for_writing(dir)
            }
            other => other,
        }
    }

    /// Opens a case to change it: takes its lock, and moves the uncommitted tail an interrupted
    /// write left in the log to `discarded/` (logging that it did), so that nothing is lost.
    pub fn open_for_writing(dir: &Path) -> Result<Case, EvidenceError> {
        if !dir.join(CASE_FILE).is_file() {
            return Err(EvidenceError::NotACase {
                path: dir.to_path_buf(),
            });
        }
        let lock = CaseLock::acquire(dir)?;
        let mut case = Case::open(dir)?;
        case._lock = Some(lock);
        // Temporary files are written only under the lock: any left now are from a writer that
        // was killed (a copy of an original, a PDF's page images), never from a live one.
        remove_stale_temps(dir);
        let log_path = case.path(LOG_FILE);
        let bytes = fs::read(&log_path)
            .map_err(|e| EvidenceError::io("cannot read the audit log", &log_path, e))?;
        let committed = usize::try_from(case.manifest.head.entries).unwrap_or(usize::MAX);
        if let Uncommitted::Foreign { bytes: n, entries } =
            audit::follow(&bytes).uncommitted(&bytes, committed)
        {
            return Err(EvidenceError::Damaged {
                what: format!(
                    "{n} bytes ({entries} entries) after the committed head are more than one \
                     interrupted write leaves; run verify before changing this case"
                ),
                path: log_path,
            });
        }
        let tail = usize::try_from(case.log_len)
            .ok()
            .and_then(|n| bytes.get(n..))
            .unwrap_or_default();
        if !tail.is_empty() {
            let hash = EvidenceHash::of_bytes(tail);
            let area = case.path(DISCARDED);
            fs::create_dir_all(&area)
                .map_err(|e| EvidenceError::io("cannot create a case directory", &area, e))?;
            let target = area.join(hash.to_hex());
            if !target.exists() {
                write_atomic(&target, tail)
                    .and_then(|()| {
                        // Kept as evidence of the interrupted write, like an original: read-only.
                        let mut perms = fs::metadata(&target)?.permissions();
                        perms.set_readonly(true);
                        fs::set_permissions(&target, perms)
                    })
                    .map_err(|e| EvidenceError::io("cannot keep discarded entries", &target, e))?;
            }
            let actor = case.manifest.examiner.clone();
            let action = Action::Discard {
                bytes: tail.len() as u64,
                hash,
            };
            case.commit(vec![(Timestamp::now(), actor, action, vec![hash])])?;
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

    /// Byte length of the committed log.
    pub(crate) fn log_len(&self) -> u64 {
        self.log_len
    }

    fn next_item_id(&self) -> Result<u32, EvidenceError> {
        let last = self.items().map(|i| i.id).max().unwrap_or(0);
        last.checked_add(1).ok_or_else(|| EvidenceError::Damaged {
            what: "the case has no item numbers left".into(),
            path: self.dir.clone(),
        })
    }

    /// Receives the file at `path`: copies it into the case under a temporary name (hashing it
    /// on the way), checks the copy's structure, then stores it once under its blake3 and logs
    /// one entry per item (a PDF or multi-page TIFF gives one item per page). Nothing is stored
    /// or logged if the file cannot be read as an image or PDF.
    pub fn add(&mut self, path: &Path, options: &AddOptions) -> Result<Vec<Item>, EvidenceError> {
        self.require_lock()?;
        // Opened without blocking and judged on the descriptor: a FIFO, device or directory
        // (also behind a link) is refused, never waited on or read.
        let (file, meta) =
            docexam_base::untrusted_file::open_regular(path).map_err(|e| match e {
                docexam_base::untrusted_file::UntrustedFileError::NotRegular { .. } => {
                    EvidenceError::NotAFile {
                        path: path.to_path_buf(),
                    }
                }
                other => EvidenceError::io("cannot open the file", path, other.into()),
            })?;
        let ingest_err = |source| EvidenceError::Ingest {
            path: path.to_path_buf(),
            source,
        };
        let limits = &options.limits;
        if meta.len() > limits.max_file_bytes {
            return Err(ingest_err(ingest::IngestError::TooLarge {
                bytes: meta.len(),
                limit: limits.max_file_bytes,
            }));
        }
        let originals = self.path(ORIGINALS);
        let incoming = copy_hashing(
            file.take(limits.max_file_bytes.saturating_add(1)),
            &originals,
        )
        .map_err(|e| EvidenceError::io("cannot copy the file into the case", path, e))?;
        let (temp, hash, bytes) = (incoming.path.clone(), incoming.hash, incoming.len);
        // From here on the copy is the evidence: every check reads it, not the source. The disk
        // writes the copy while it is checked.
        let (checked, flushed) = std::thread::scope(|scope| {
            let flush = scope.spawn(|| incoming.file.sync_all());
            let checked = self.check_copy(&temp, bytes, options);
            let flushed = flush
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("flushing the copy failed")));
            (checked, flushed)
        });
        drop(incoming);
        let checked = match (checked, flushed) {
            (Ok(c), Ok(())) => Ok(c),
            (Err(e), _) => Err(ingest_err(e)),
            (Ok(_), Err(e)) => Err(EvidenceError::io(
                "cannot copy the file into the case",
                path,
                e,
            )),
        };
        let (media_type, pages, pdf_pages) = match checked {
            Ok(c) => c,
            Err(e) => {
                let _ = fs::remove_file(&temp);
                return Err(e);
            }
        };
        // Page images not yet stored are removed whatever ends this add early (the original
        // failing to store, a page failing, the log refusing the entries).
        let _unstored = RemoveOnDrop(pdf_pages.iter().map(|p| p.temp.clone()).collect());
        let stored = self.original_path(&hash);
        commit_file(&temp, &stored, &hash)
            .map_err(|e| EvidenceError::io("cannot store the original", &stored, e))?;

        let source = path
            .file_name()
            .map(naming::file_name_text)
            .unwrap_or_default();
        let named = naming::from_file_name(&source);
        let template = Item {
            id: 0,
            document: options.document.clone().unwrap_or(named.document),
            side: options.side.unwrap_or(named.side),
            light: options.light.unwrap_or(named.light),
            source,
            bytes,
            media_type,
            original: hash,
            page: None,
            extracted: None,
            width: 0,
            height: 0,
            dpi: None,
        };
        let mut items = Vec::new();
        let mut id = self.next_item_id()?;
        let mut next = |mut item: Item| -> Result<Item, EvidenceError> {
            item.id = id;
            id = id.checked_add(1).ok_or_else(|| EvidenceError::Damaged {
                what: "the case has no item numbers left".into(),
                path: self.dir.clone(),
            })?;
            Ok(item)
        };
        let multi = pages.len() > 1;
        for (i, p) in pages.iter().enumerate() {
            let (width, height) = p.oriented_size();
            let page = multi.then(|| u32::try_from(i + 1).unwrap_or(u32::MAX));
            items.push(next(Item {
                page,
                width,
                height,
                dpi: p.dpi,
                ..template.clone()
            })?);
        }
        for p in pdf_pages {
            let target = self.derived_path(&p.hash);
            commit_file(&p.temp, &target, &p.hash).map_err(|e| {
                EvidenceError::io("cannot store an extracted page image", &target, e)
            })?;
            let extracted = ExtractedImage {
                hash: p.hash,
                media_type: p.media_type,
                bytes: p.bytes,
            };
            items.push(next(Item {
                page: Some(p.page),
                width: p.width,
                height: p.height,
                dpi: p.dpi,
                extracted: Some(extracted),
                ..template.clone()
            })?);
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

    /// Checks the copied file: its format, pages and (for PDFs) the extracted page scans.
    #[allow(clippy::type_complexity)]
    fn check_copy(
        &self,
        temp: &Path,
        bytes: u64,
        options: &AddOptions,
    ) -> Result<
        (
            MediaType,
            Vec<ingest::ImageInfo>,
            Vec<ingest::pdf::ExtractedPage>,
        ),
        ingest::IngestError,
    > {
        if bytes > options.limits.max_file_bytes {
            return Err(ingest::IngestError::TooLarge {
                bytes,
                limit: options.limits.max_file_bytes,
            });
        }
        let head = ingest::read_head(temp)?;
        if MediaType::sniff(&head) == Some(MediaType::Pdf) {
            let pages = options
                .pdf
                .extract(temp, &self.path(DERIVED), &options.limits)?;
            Ok((MediaType::Pdf, Vec::new(), pages))
        } else {
            let probe = ingest::probe_file(temp, &options.limits)?;
            // A PNG's or TIFF's headers can hold while its pixels do not decode (a corrupt
            // IDAT, float or short strips): decoded once here, so that no item is stored that
            // every examination would fail on. JPEG decoders read damaged data tolerantly, and
            // most scans are JPEG: those are not decoded twice.
            if matches!(probe.media_type, MediaType::Png | MediaType::Tiff) {
                ingest::for_each_page_file(temp, &options.limits, |_| Ok(()))?;
            }
            Ok((probe.media_type, probe.pages, Vec::new()))
        }
    }

    /// The items received from a file with blake3 `hash` (empty if it was never received).
    pub fn items_of(&self, hash: &EvidenceHash) -> Vec<&Item> {
        self.items().filter(|i| i.original == *hash).collect()
    }

    /// Every examination the log records, oldest first.
    pub fn examinations(&self) -> impl Iterator<Item = &audit::Examination> {
        self.entries.iter().filter_map(|e| match &e.action {
            Action::Examine(x) => Some(x),
            _ => None,
        })
    }

    /// Stores `bytes` (a report made from the case's items) under `derived/`, named by its
    /// blake3, and returns the hash. It becomes part of the case only when an entry records
    /// it ([`Case::log_examination`]); until then `verify` lists it as unrecorded.
    pub fn store_derived(&mut self, bytes: &[u8]) -> Result<EvidenceHash, EvidenceError> {
        self.require_lock()?;
        let hash = EvidenceHash::of_bytes(bytes);
        let target = self.derived_path(&hash);
        let temp = super::atomic::temp_path(&target);
        let stored = fs::write(&temp, bytes)
            .and_then(|()| File::open(&temp)?.sync_all())
            .and_then(|()| commit_file(&temp, &target, &hash));
        if let Err(e) = stored {
            let _ = fs::remove_file(&temp);
            return Err(EvidenceError::io("cannot store a derived file", &target, e));
        }
        Ok(hash)
    }

    /// Logs an examination whose reports [`Case::store_derived`] stored. Every item it names
    /// must be in the case and every report stored.
    pub fn log_examination(
        &mut self,
        actor: &str,
        examination: audit::Examination,
    ) -> Result<(), EvidenceError> {
        self.require_lock()?;
        let known: std::collections::BTreeSet<u32> = self.items().map(|i| i.id).collect();
        if let Some(missing) = examination.items.iter().find(|i| !known.contains(i)) {
            return Err(EvidenceError::Damaged {
                what: format!("an examination names item {missing}, which the case does not hold"),
                path: self.dir.clone(),
            });
        }
        let mut hashes: Vec<EvidenceHash> = self
            .items()
            .filter(|i| examination.items.contains(&i.id))
            .map(|i| i.original)
            .collect();
        hashes.dedup();
        for h in std::iter::once(examination.report).chain(examination.pdf) {
            let p = self.derived_path(&h);
            if !p.is_file() {
                return Err(EvidenceError::io(
                    "the report to log is not stored",
                    &p,
                    std::io::Error::from(std::io::ErrorKind::NotFound),
                ));
            }
            hashes.push(h);
        }
        hashes.extend(examination.specimen_hash);
        self.commit_one(actor, Action::Examine(examination), hashes)
    }

    /// Signs the committed head with `key`: writes the statement and its signature under
    /// `signatures/`, then logs the signing with the statement's blake3. Returns the
    /// statement's path.
    pub fn sign_head(
        &mut self,
        key: &super::sign::LabKey,
        actor: &str,
    ) -> Result<PathBuf, EvidenceError> {
        self.require_lock()?;
        let head = self.manifest.head;
        let statement =
            super::sign::head_statement(&self.manifest.case_id, head.entries, &head.hash);
        let (txt, sig) = signature_paths(&self.dir, head.entries);
        write_atomic(&sig, &key.sign(statement.as_bytes()))
            .map_err(|e| EvidenceError::io("cannot write the signature", &sig, e))?;
        write_atomic(&txt, statement.as_bytes())
            .map_err(|e| EvidenceError::io("cannot write the statement", &txt, e))?;
        let action = Action::Sign {
            entries: head.entries,
            key: super::sign::key_id(&key.public()),
        };
        let hashes = vec![EvidenceHash::of_bytes(statement.as_bytes())];
        self.commit_one(actor, action, hashes)?;
        Ok(txt)
    }

    pub(crate) fn require_lock(&self) -> Result<(), EvidenceError> {
        if self._lock.is_none() {
            return Err(EvidenceError::Damaged {
                what: "the case was opened for reading; open it for writing to change it".into(),
                path: self.dir.clone(),
            });
        }
        Ok(())
    }

    /// Appends `actions` to the log and commits them by moving the head in `case.json`.
    ///
    /// The log is first cut back to its committed length, so the remains of a commit that
    /// failed half-way (a full disk) never end up inside the committed log.
    /// Appends one entry by `actor`, stamped now (see [`Case::commit`]).
    pub(crate) fn commit_one(
        &mut self,
        actor: &str,
        action: Action,
        hashes: Vec<EvidenceHash>,
    ) -> Result<(), EvidenceError> {
        self.commit(vec![(Timestamp::now(), actor.to_string(), action, hashes)])
    }

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
        let append = || -> std::io::Result<()> {
            let mut log = OpenOptions::new().write(true).open(&log_path)?;
            log.set_len(self.log_len)?;
            log.seek(SeekFrom::Start(self.log_len))?;
            log.write_all(&bytes)?;
            log.sync_all()
        };
        append().map_err(|e| EvidenceError::io("cannot append to the audit log", &log_path, e))?;
        let mut manifest = self.manifest.clone();
        manifest.head = LogEnd {
            entries: seq,
            hash: prev,
        };
        let case_file = self.path(CASE_FILE);
        write_atomic(&case_file, &manifest.to_bytes())
            .map_err(|e| EvidenceError::io("cannot commit case.json", &case_file, e))?;
        self.manifest = manifest;
        self.entries.extend(new_entries);
        self.log_len += bytes.len() as u64;
        Ok(())
    }
}

/// Temporary files removed when dropped (those already renamed into place are gone).
struct RemoveOnDrop(Vec<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}

/// Removes the temporary files an interrupted writer left in the case folder and its areas
/// (best effort: one that cannot be removed is reported by `verify` as before).
fn remove_stale_temps(dir: &Path) {
    let folders = std::iter::once(dir.to_path_buf())
        .chain([ORIGINALS, DERIVED, DISCARDED, SIGNATURES].map(|a| dir.join(a)));
    for folder in folders {
        let Ok(listing) = fs::read_dir(&folder) else {
            continue;
        };
        for e in listing.flatten() {
            let stale = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
                && e.file_type().is_ok_and(|t| t.is_file());
            if stale {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// The statement and signature files of a head signed at `entries`.
pub(crate) fn signature_paths(dir: &Path, entries: u64) -> (PathBuf, PathBuf) {
    let base = dir.join(SIGNATURES).join(format!("head-{entries:08}"));
    (base.with_extension("txt"), base.with_extension("sig"))
}

/// Reads and parses `case.json`.
pub(crate) fn read_manifest(dir: &Path) -> Result<Manifest, EvidenceError> {
    let path = dir.join(CASE_FILE);
    let bytes = fs::read(&path).map_err(|_| EvidenceError::NotACase {
        path: dir.to_path_buf(),
    })?;
    Manifest::parse(&bytes).map_err(|e| EvidenceError::Damaged {
        what: e.to_string(),
        path,
    })
}
