//! A case as one archive (tar) that carries its own verification: the manifest, the committed
//! log, and every stored file and signature the log records — nothing else. Import accepts only
//! those paths, only regular files, each once, within size limits, and only if the extracted
//! case verifies.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use tar::{Archive, Builder, EntryType, Header};

use super::atomic::{sync_dir, temp_path};
use super::audit::{Action, LOG_FILE};
use super::case::{Case, DERIVED, DISCARDED, ORIGINALS, SIGNATURES, signature_paths};
use super::error::EvidenceError;
use super::hash::{EvidenceHash, HashingCounter};
use super::manifest::CASE_FILE;
use super::verify::verify;
use docexam_base::date::Timestamp;

/// Largest stored file accepted from an archive.
const MAX_STORED_BYTES: u64 = 64 << 30;
/// Largest manifest accepted from an archive.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;
/// Largest audit log accepted from an archive.
const MAX_LOG_BYTES: u64 = 1 << 30;
/// Largest signature file accepted from an archive.
const MAX_SIGNATURE_BYTES: u64 = 64 << 10;

fn archive_error(what: impl Into<String>, path: &Path) -> EvidenceError {
    EvidenceError::Archive {
        what: what.into(),
        path: path.to_path_buf(),
    }
}

/// Writes the case at `dir` to the tar archive `archive` (atomically), then logs the export
/// with the archive's blake3. Refuses a case that does not verify.
pub fn export(dir: &Path, archive: &Path, actor: &str) -> Result<(), EvidenceError> {
    // The archive replaces a regular file at most: a device node, a pipe, a directory or a
    // symbolic link at that path (a link would be replaced, not followed) is refused.
    if let Ok(meta) = fs::symlink_metadata(archive)
        && !meta.file_type().is_file()
    {
        let what = if meta.file_type().is_symlink() {
            "a symbolic link"
        } else if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, pipe or socket)"
        };
        return Err(EvidenceError::io(
            "not exporting onto it",
            archive,
            io::Error::new(io::ErrorKind::AlreadyExists, format!("it is {what}")),
        ));
    }
    let mut case = Case::open_for_writing(dir)?;
    let check = verify(dir, None)?;
    if let Some(p) = check.problems.first() {
        return Err(EvidenceError::Damaged {
            what: format!(
                "the case does not verify ({}: {}); not exporting",
                p.path, p.detail
            ),
            path: dir.to_path_buf(),
        });
    }
    // Exactly the case: what the committed log records.
    let mut stored: BTreeSet<String> = BTreeSet::new();
    for e in case.entries() {
        for (area, hash) in e.action.stored_files() {
            stored.insert(format!("{area}/{hash}"));
        }
        if let Action::Sign { entries, .. } = &e.action {
            let (txt, sig) = signature_paths(Path::new(""), *entries);
            stored.insert(txt.to_string_lossy().into_owned());
            stored.insert(sig.to_string_lossy().into_owned());
        }
    }
    let log = fs::read(dir.join(LOG_FILE))
        .map_err(|e| EvidenceError::io("cannot read the audit log", &dir.join(LOG_FILE), e))?;
    let committed_log = log
        .get(..usize::try_from(case.log_len()).unwrap_or(usize::MAX))
        .unwrap_or(&log);
    let mtime = u64::try_from(Timestamp::now().unix_ms() / 1000).unwrap_or(0);
    let header = |kind: EntryType, size: u64, mode: u32| {
        let mut h = Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_mtime(mtime);
        h
    };
    let temp = temp_path(archive);
    let result = (|| -> io::Result<()> {
        let out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        let mut builder = Builder::new(BufWriter::new(out));
        let manifest = fs::read(dir.join(CASE_FILE))?;
        builder.append_data(
            &mut header(EntryType::Regular, manifest.len() as u64, 0o644),
            CASE_FILE,
            &manifest[..],
        )?;
        builder.append_data(
            &mut header(EntryType::Regular, committed_log.len() as u64, 0o644),
            LOG_FILE,
            committed_log,
        )?;
        for area in [ORIGINALS, DERIVED, DISCARDED, SIGNATURES] {
            builder.append_data(
                &mut header(EntryType::Directory, 0, 0o755),
                area,
                io::empty(),
            )?;
        }
        for rel in &stored {
            let file = File::open(dir.join(rel))?;
            let len = file.metadata()?.len();
            let mode = if rel.starts_with(ORIGINALS) {
                0o444
            } else {
                0o644
            };
            builder.append_data(
                &mut header(EntryType::Regular, len, mode),
                rel,
                BufReader::new(file),
            )?;
        }
        let mut out = builder.into_inner()?;
        out.flush()?;
        out.get_ref().sync_all()
    })();
    // The export is logged before the archive takes its name: an archive never stands at the
    // target without the case recording it (a failure after the rename, syncing the folder,
    // leaves an archive that is logged).
    let logged = result
        .map_err(|e| EvidenceError::io("cannot write the archive", archive, e))
        .and_then(|()| {
            let archive_hash = EvidenceHash::of_file(&temp)
                .map_err(|e| EvidenceError::io("cannot read back the archive", &temp, e))?;
            let action = Action::Export {
                archive: file_name(archive),
                archive_hash,
            };
            log_archive(&mut case, actor, action, archive_hash)
        });
    if let Err(e) = logged {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    if let Err(e) = fs::rename(&temp, archive) {
        let _ = fs::remove_file(&temp);
        return Err(EvidenceError::io(
            "the export is logged, but the archive could not take its name",
            archive,
            e,
        ));
    }
    sync_dir(
        archive
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .map_err(|e| {
        EvidenceError::io(
            "the archive is written and logged, but its folder could not be synced",
            archive,
            e,
        )
    })
}

/// The last component of an archive's path, as the log records it.
fn file_name(archive: &Path) -> String {
    archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Logs an export or import, naming the archive's hash.
fn log_archive(
    case: &mut Case,
    actor: &str,
    action: Action,
    archive_hash: EvidenceHash,
) -> Result<(), EvidenceError> {
    case.commit(vec![(
        Timestamp::now(),
        actor.into(),
        action,
        vec![archive_hash],
    )])
}

/// Where an archive path may go, relative to the case, and the most bytes it may have; `None`
/// if it may not. Directories have a limit of 0.
fn allowed(path: &Path) -> Option<(PathBuf, bool, u64)> {
    let parts: Vec<&str> = path
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let lower_hex =
        |s: &str| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    match parts.as_slice() {
        [name] if *name == CASE_FILE => Some((PathBuf::from(name), false, MAX_MANIFEST_BYTES)),
        [name] if *name == LOG_FILE => Some((PathBuf::from(name), false, MAX_LOG_BYTES)),
        [area] if [ORIGINALS, DERIVED, DISCARDED, SIGNATURES].contains(area) => {
            Some((PathBuf::from(area), true, 0))
        }
        [area, name] if [ORIGINALS, DERIVED, DISCARDED].contains(area) && lower_hex(name) => {
            Some((Path::new(area).join(name), false, MAX_STORED_BYTES))
        }
        [area, name] if *area == SIGNATURES => {
            let (stem, ext) = name.rsplit_once('.')?;
            let digits = stem.strip_prefix("head-")?;
            (matches!(ext, "txt" | "sig")
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| (Path::new(area).join(name), false, MAX_SIGNATURE_BYTES))
        }
        _ => None,
    }
}

/// A reader that hashes what passes through it.
struct HashingReader<R> {
    inner: R,
    hash: HashingCounter,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// Creates the case `dir` (absent or empty) from the tar archive `archive`: refuses paths
/// outside the case layout, links and special files, repeated entries, files over their size
/// limit and an extracted case that does not verify; then logs the import with the blake3 of
/// the bytes it read.
pub fn import(archive: &Path, dir: &Path, actor: &str) -> Result<Case, EvidenceError> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(EvidenceError::NotEmpty {
            path: dir.to_path_buf(),
        });
    }
    let staging = temp_path(dir);
    fs::create_dir_all(&staging)
        .map_err(|e| EvidenceError::io("cannot create a staging directory", &staging, e))?;
    let result = unpack(archive, &staging).and_then(|archive_hash| {
        let check = verify(&staging, None)?;
        match check.problems.first() {
            None => Ok(archive_hash),
            Some(p) => Err(archive_error(
                format!(
                    "the archived case does not verify: {}: {}",
                    p.path, p.detail
                ),
                archive,
            )),
        }
    });
    // The import is logged while the case is still staged: a case appears at `dir` only
    // whole, its import recorded, or not at all.
    let logged = result.and_then(|archive_hash| {
        let mut staged = Case::open_for_writing(&staging)?;
        let action = Action::Import {
            archive: file_name(archive),
            archive_hash,
        };
        log_archive(&mut staged, actor, action, archive_hash)
    });
    if let Err(e) = logged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let moved = (|| {
        if dir.exists() {
            fs::remove_dir(dir)?;
        }
        fs::rename(&staging, dir)?;
        sync_dir(
            dir.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
    })();
    if let Err(e) = moved {
        if !dir.join(CASE_FILE).exists() {
            let _ = fs::remove_dir_all(&staging);
            return Err(EvidenceError::io(
                "cannot move the imported case into place",
                dir,
                e,
            ));
        }
        return Err(EvidenceError::io(
            "the imported case is in place, but its folder could not be synced",
            dir,
            e,
        ));
    }
    Case::open_for_writing(dir)
}

/// Unpacks into `staging`; returns the blake3 of every byte of the archive read.
fn unpack(archive: &Path, staging: &Path) -> Result<EvidenceHash, EvidenceError> {
    let (file, _) = docexam_base::untrusted_file::open_regular(archive)
        .map_err(|e| EvidenceError::io("cannot open the archive", archive, e.into()))?;
    let mut reader = HashingReader {
        inner: BufReader::new(file),
        hash: HashingCounter::default(),
    };
    {
        let mut tar = Archive::new(&mut reader);
        let entries = tar
            .entries()
            .map_err(|e| archive_error(format!("not a tar archive: {e}"), archive))?;
        let mut seen = HashSet::new();
        for entry in entries {
            let mut entry =
                entry.map_err(|e| archive_error(format!("unreadable entry: {e}"), archive))?;
            let raw = entry
                .path()
                .map_err(|e| archive_error(format!("unreadable entry name: {e}"), archive))?
                .into_owned();
            let shown = raw.display().to_string();
            let Some((rel, is_dir, limit)) = allowed(&raw) else {
                return Err(archive_error(
                    format!(
                        "entry {shown:?} is outside the case layout (absolute, '..', or unknown)"
                    ),
                    archive,
                ));
            };
            let kind = entry.header().entry_type();
            match (kind, is_dir) {
                (EntryType::Regular | EntryType::Continuous, false)
                | (EntryType::Directory, true) => {}
                _ => {
                    return Err(archive_error(
                        format!("entry {shown:?} is a {kind:?}; only regular files are accepted"),
                        archive,
                    ));
                }
            }
            if !seen.insert(rel.clone()) {
                return Err(archive_error(
                    format!("entry {shown:?} appears twice"),
                    archive,
                ));
            }
            let target = staging.join(&rel);
            if is_dir {
                fs::create_dir_all(&target)
                    .map_err(|e| EvidenceError::io("cannot create a directory", &target, e))?;
                continue;
            }
            let size = entry.header().size().unwrap_or(u64::MAX);
            if size > limit {
                return Err(archive_error(
                    format!("entry {shown:?} has {size} bytes, above the limit of {limit}"),
                    archive,
                ));
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| EvidenceError::io("cannot create a directory", parent, e))?;
            }
            let mut out = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(|e| EvidenceError::io("cannot write an extracted file", &target, e))?;
            io::copy(&mut (&mut entry).take(limit), &mut out)
                .and_then(|_| out.sync_all())
                .map_err(|e| EvidenceError::io("cannot write an extracted file", &target, e))?;
            if rel.starts_with(ORIGINALS) || rel.starts_with(DERIVED) || rel.starts_with(DISCARDED)
            {
                let mut perms = out
                    .metadata()
                    .map_err(|e| EvidenceError::io("cannot read back a file", &target, e))?
                    .permissions();
                perms.set_readonly(true);
                fs::set_permissions(&target, perms)
                    .map_err(|e| EvidenceError::io("cannot protect a file", &target, e))?;
            }
        }
    }
    // The archive's hash covers every byte, including padding after the last entry.
    io::copy(&mut reader, &mut io::sink())
        .map_err(|e| EvidenceError::io("cannot read the archive", archive, e))?;
    for area in [ORIGINALS, DERIVED, DISCARDED, SIGNATURES] {
        let p = staging.join(area);
        fs::create_dir_all(&p)
            .map_err(|e| EvidenceError::io("cannot create a directory", &p, e))?;
    }
    Ok(reader.hash.finish().0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_case_layout_is_allowed() {
        let h = "0".repeat(64);
        assert!(allowed(Path::new("case.json")).is_some());
        assert!(allowed(Path::new(&format!("originals/{h}"))).is_some());
        assert!(allowed(Path::new(&format!("discarded/{h}"))).is_some());
        assert!(allowed(Path::new("signatures/head-00000003.sig")).is_some());
        for bad in [
            "../case.json".to_owned(),
            "/etc/passwd".to_owned(),
            format!("originals/../{h}"),
            format!("originals/{h}/x"),
            format!("originals/{}", "A".repeat(64)),
            "originals/notahash".to_owned(),
            "signatures/evil.sh".to_owned(),
            "other.txt".to_owned(),
            "./case.json".to_owned(),
        ] {
            assert!(allowed(Path::new(&bad)).is_none(), "{bad}");
        }
    }
}
