//! A case as one archive (tar) that carries its own verification: the originals, derived
//! artefacts, signatures, manifest and audit log, nothing else. Import accepts only those
//! paths, only regular files, each once, and only if the extracted case verifies.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use tar::{Archive, Builder, EntryType, Header};

use super::atomic::{TEMP_PREFIX, sync_dir, temp_path};
use super::audit::{Action, LOG_FILE};
use super::case::{Case, DERIVED, ORIGINALS, SIGNATURES};
use super::error::EvidenceError;
use super::hash::EvidenceHash;
use super::manifest::CASE_FILE;
use super::verify::verify;
use crate::date::Timestamp;

/// Largest single file accepted from an archive.
const MAX_ENTRY_BYTES: u64 = 64 << 30;

fn archive_error(what: impl Into<String>, path: &Path) -> EvidenceError {
    EvidenceError::Archive {
        what: what.into(),
        path: path.to_path_buf(),
    }
}

/// Writes the case at `dir` to the tar archive `archive` (atomically), after logging the
/// export. Refuses a case that does not verify.
pub fn export(dir: &Path, archive: &Path, actor: &str) -> Result<(), EvidenceError> {
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
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    case.commit(vec![(
        Timestamp::now(),
        actor.into(),
        Action::Export { archive: name },
        vec![],
    )])?;
    let mut files: Vec<String> = vec![CASE_FILE.into(), LOG_FILE.into()];
    for area in [ORIGINALS, DERIVED, SIGNATURES] {
        let mut names: Vec<String> = fs::read_dir(dir.join(area))
            .map_err(|e| EvidenceError::io("cannot list the case", &dir.join(area), e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with(TEMP_PREFIX))
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("{area}/{n}")));
    }
    let mtime = u64::try_from(Timestamp::now().unix_ms() / 1000).unwrap_or(0);
    let temp = temp_path(archive);
    let result = (|| -> io::Result<()> {
        let out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        let mut builder = Builder::new(BufWriter::new(out));
        for area in [ORIGINALS, DERIVED, SIGNATURES] {
            let mut h = Header::new_gnu();
            h.set_entry_type(EntryType::Directory);
            h.set_mode(0o755);
            h.set_size(0);
            h.set_mtime(mtime);
            builder.append_data(&mut h, area, io::empty())?;
        }
        for rel in &files {
            let path = dir.join(rel);
            let file = File::open(&path)?;
            let mut h = Header::new_gnu();
            h.set_entry_type(EntryType::Regular);
            h.set_size(file.metadata()?.len());
            h.set_mode(if rel.starts_with(ORIGINALS) {
                0o444
            } else {
                0o644
            });
            h.set_mtime(mtime);
            builder.append_data(&mut h, rel, BufReader::new(file))?;
        }
        let mut out = builder.into_inner()?;
        out.flush()?;
        out.get_ref().sync_all()?;
        drop(out);
        fs::rename(&temp, archive)?;
        sync_dir(
            archive
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(EvidenceError::io("cannot write the archive", archive, e));
    }
    Ok(())
}

/// Where an archive path may go, relative to the case; `None` if it may not.
fn allowed(path: &Path) -> Option<(PathBuf, bool)> {
    let parts: Vec<&str> = path
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    match parts.as_slice() {
        [name] if *name == CASE_FILE || *name == LOG_FILE => Some((PathBuf::from(name), false)),
        [area] if [ORIGINALS, DERIVED, SIGNATURES].contains(area) => {
            Some((PathBuf::from(area), true))
        }
        [area, name]
            if (*area == ORIGINALS || *area == DERIVED)
                && name.parse::<EvidenceHash>().is_ok()
                && name.len() == 64 =>
        {
            Some((Path::new(area).join(name), false))
        }
        [area, name] if *area == SIGNATURES => {
            let (stem, ext) = name.rsplit_once('.')?;
            let digits = stem.strip_prefix("head-")?;
            (matches!(ext, "txt" | "sig")
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| (Path::new(area).join(name), false))
        }
        _ => None,
    }
}

/// Creates the case `dir` (absent or empty) from the tar archive `archive`: refuses paths
/// outside the case layout, links and special files, repeated entries, and an extracted case
/// that does not verify; then logs the import.
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
    let archive_hash = EvidenceHash::of_file(archive)
        .map_err(|e| EvidenceError::io("cannot read the archive", archive, e))?;
    let staging = temp_path(dir);
    fs::create_dir_all(&staging)
        .map_err(|e| EvidenceError::io("cannot create a staging directory", &staging, e))?;
    let result = unpack(archive, &staging).and_then(|()| {
        let check = verify(&staging, None)?;
        match check.problems.first() {
            None => Ok(()),
            Some(p) => Err(archive_error(
                format!(
                    "the archived case does not verify: {}: {}",
                    p.path, p.detail
                ),
                archive,
            )),
        }
    });
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        fs::remove_dir(dir)
            .map_err(|e| EvidenceError::io("cannot replace the empty directory", dir, e))?;
    }
    fs::rename(&staging, dir)
        .map_err(|e| EvidenceError::io("cannot move the imported case into place", dir, e))?;
    let mut case = Case::open_for_writing(dir)?;
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let action = Action::Import {
        archive: name,
        archive_hash,
    };
    case.commit(vec![(
        Timestamp::now(),
        actor.into(),
        action,
        vec![archive_hash],
    )])?;
    Ok(case)
}

fn unpack(archive: &Path, staging: &Path) -> Result<(), EvidenceError> {
    let file = File::open(archive)
        .map_err(|e| EvidenceError::io("cannot open the archive", archive, e))?;
    let mut tar = Archive::new(BufReader::new(file));
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
        let Some((rel, is_dir)) = allowed(&raw) else {
            return Err(archive_error(
                format!("entry {shown:?} is outside the case layout (absolute, '..', or unknown)"),
                archive,
            ));
        };
        let kind = entry.header().entry_type();
        match (kind, is_dir) {
            (EntryType::Regular | EntryType::Continuous, false) | (EntryType::Directory, true) => {}
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
        if entry.header().size().unwrap_or(u64::MAX) > MAX_ENTRY_BYTES {
            return Err(archive_error(
                format!("entry {shown:?} is larger than {MAX_ENTRY_BYTES} bytes"),
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
        io::copy(&mut entry, &mut out)
            .and_then(|_| out.sync_all())
            .map_err(|e| EvidenceError::io("cannot write an extracted file", &target, e))?;
        if rel.starts_with(ORIGINALS) {
            let mut perms = out
                .metadata()
                .map_err(|e| EvidenceError::io("cannot read back a file", &target, e))?
                .permissions();
            perms.set_readonly(true);
            fs::set_permissions(&target, perms)
                .map_err(|e| EvidenceError::io("cannot protect an original", &target, e))?;
        }
    }
    for area in [ORIGINALS, DERIVED, SIGNATURES] {
        let p = staging.join(area);
        fs::create_dir_all(&p)
            .map_err(|e| EvidenceError::io("cannot create a directory", &p, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_case_layout_is_allowed() {
        let h = "0".repeat(64);
        assert!(allowed(Path::new("case.json")).is_some());
        assert!(allowed(Path::new(&format!("originals/{h}"))).is_some());
        assert!(allowed(Path::new("signatures/head-00000003.sig")).is_some());
        for bad in [
            "../case.json".to_owned(),
            "/etc/passwd".to_owned(),
            format!("originals/../{h}"),
            format!("originals/{h}/x"),
            "originals/notahash".to_owned(),
            "signatures/evil.sh".to_owned(),
            "other.txt".to_owned(),
            "./case.json".to_owned(),
        ] {
            assert!(allowed(Path::new(&bad)).is_none(), "{bad}");
        }
    }
}
