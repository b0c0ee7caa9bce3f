//! Files handed over with the evidence that are not received as items: notes or checksums in
//! a seized folder (neither image nor PDF), or images too damaged to be read. Their blake3 and
//! size go into the audit log, so the case accounts for every file it was given, but the file
//! itself is not stored and is never examined.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::audit::Action;
use super::case::Case;
use super::error::EvidenceError;
use super::hash::EvidenceHash;
use super::notes::MAX_NOTE_CHARS;

/// A file set aside: found among the inputs, hashed, not received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    /// Where the file was found: its path under the folder given, or as given.
    pub source: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its blake3.
    pub blake3: EvidenceHash,
    /// Why it was not received (at most 4000 characters).
    pub reason: String,
}

impl Case {
    /// Hashes the file at `path` (found as `source`) and logs that it was set aside for
    /// `reason`. A file already set aside with the same source, hash and reason is not logged
    /// again (a resumed batch finds it once more); the entry found is returned.
    pub fn set_aside(
        &mut self,
        actor: &str,
        path: &Path,
        source: &str,
        reason: &str,
    ) -> Result<SetAside, EvidenceError> {
        self.require_lock()?;
        let meta = std::fs::metadata(path)
            .map_err(|e| EvidenceError::io("cannot read the file", path, e))?;
        if !meta.is_file() {
            return Err(EvidenceError::NotAFile {
                path: path.to_path_buf(),
            });
        }
        let blake3 = EvidenceHash::of_file(path)
            .map_err(|e| EvidenceError::io("cannot hash the file", path, e))?;
        let reason: String = reason.chars().take(MAX_NOTE_CHARS).collect();
        let aside = SetAside {
            source: source.to_string(),
            bytes: meta.len(),
            blake3,
            reason,
        };
        if self.set_aside_files().any(|s| *s == aside) {
            return Ok(aside);
        }
        self.commit_one(actor, Action::SetAside(aside.clone()), vec![blake3])?;
        Ok(aside)
    }

    /// Every file the log records as set aside, oldest first.
    pub fn set_aside_files(&self) -> impl Iterator<Item = &SetAside> {
        self.entries().iter().filter_map(|e| match &e.action {
            Action::SetAside(s) => Some(s),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_set_aside_is_hashed_logged_once_and_verifies() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("case");
        let mut case = Case::init(&dir, "examiner").unwrap();
        let notes = tmp.path().join("notes.txt");
        std::fs::write(&notes, b"seized 2026-12-01, bag 4").unwrap();
        let set_aside = |case: &mut Case| {
            case.set_aside(
                "examiner",
                &notes,
                "bag4/notes.txt",
                "neither an image nor a PDF",
            )
            .unwrap()
        };
        let first = set_aside(&mut case);
        assert_eq!(first.bytes, 24);
        assert_eq!(
            first.blake3,
            EvidenceHash::of_bytes(b"seized 2026-12-01, bag 4")
        );
        let entries = case.entries().len();
        let again = set_aside(&mut case);
        assert_eq!(again, first);
        assert_eq!(case.entries().len(), entries, "logged twice");
        let last = case.entries().last().unwrap();
        assert_eq!(last.hashes, vec![first.blake3]);
        assert!(last.action.describe().contains("bag4/notes.txt"));
        // Nothing is stored, and the case verifies: the entry names no stored file.
        assert!(
            std::fs::read_dir(dir.join(super::super::ORIGINALS))
                .unwrap()
                .next()
                .is_none()
        );
        drop(case);
        let v = super::super::verify(&dir, None).unwrap();
        assert!(v.problems.is_empty(), "{:?}", v.problems);

        let folder = tmp.path().join("sub");
        std::fs::create_dir(&folder).unwrap();
        let mut case = Case::open_for_writing(&dir).unwrap();
        assert!(matches!(
            case.set_aside("examiner", &folder, "sub", "x"),
            Err(EvidenceError::NotAFile { .. })
        ));
    }
}
