//! A chip dump: a folder holding the elementary files as read from the chip, one file each,
//! named as [`ElementaryFile::from_file_name`] reads them. Each is read under the untrusted-file
//! rule (a regular file, opened without blocking, at most [`MAX_FILE_BYTES`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use docexam_base::Warned;
use docexam_base::untrusted_file::{UntrustedFileError, read_limited};

use crate::files::ElementaryFile;

/// The largest elementary file read: 1 MiB (a DG2 with a large JPEG 2000 face is ~60 kB; the
/// LDS caps a file at 64 kB addressed by short reads, 16 MiB by extended ones).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// The elementary files of one chip.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dump {
    /// Each file's bytes, with the path it was read from.
    pub files: BTreeMap<ElementaryFile, (PathBuf, Vec<u8>)>,
}

/// Why a folder cannot be read as a dump.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// The folder cannot be listed.
    #[error("cannot read the chip dump {}: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// It holds no elementary file at all.
    #[error("{}: no chip dump here (no file named EF.COM, EF.SOD, EF.DG1 …, COM.bin, DG1.bin …)", path.display())]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// A file of the folder that is not used.
#[derive(Debug, thiserror::Error)]
pub enum DumpWarning {
    /// A name no elementary file has.
    #[error("{}: not an elementary file's name; not read", path.display())]
    NotAnElementaryFile {
        /// The file.
        path: PathBuf,
    },
    /// The same file under two names (`EF.DG1` and `DG1.bin`): the first in name order is used.
    #[error("{}: {file} again (already read from {}); not read", path.display(), first.display())]
    Duplicate {
        /// The file not read.
        path: PathBuf,
        /// Which file it is.
        file: ElementaryFile,
        /// The file read.
        first: PathBuf,
    },
    /// A file that cannot be read (not a regular file, too large, unreadable).
    #[error("{}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: UntrustedFileError,
    },
}

impl Dump {
    /// Reads the elementary files in `dir` (not its sub-folders), in name order.
    pub fn read_dir(dir: &Path) -> Result<Warned<Dump, DumpWarning>, DumpError> {
        let folder = |source| DumpError::Folder {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(folder)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| !p.is_dir())
            .collect();
        paths.sort();
        let mut dump = Dump::default();
        let mut warnings = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(file) = ElementaryFile::from_file_name(&name) else {
                warnings.push(DumpWarning::NotAnElementaryFile { path });
                continue;
            };
            if let Some((first, _)) = dump.files.get(&file) {
                warnings.push(DumpWarning::Duplicate {
                    first: first.clone(),
                    path,
                    file,
                });
                continue;
            }
            match read_limited(&path, MAX_FILE_BYTES) {
                Ok(bytes) => {
                    dump.files.insert(file, (path, bytes));
                }
                Err(source) => warnings.push(DumpWarning::Unreadable { path, source }),
            }
        }
        if dump.files.is_empty() {
            return Err(DumpError::Empty {
                path: dir.to_path_buf(),
            });
        }
        Ok(Warned::new(dump, warnings))
    }

    /// The bytes of `file`, when the dump holds it.
    pub fn bytes(&self, file: ElementaryFile) -> Option<&[u8]> {
        self.files.get(&file).map(|(_, b)| b.as_slice())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;

    #[test]
    fn a_dump_folder_is_read_by_name_with_what_is_not_used_said() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("EF.COM"), [0x60, 0x00]).unwrap();
        std::fs::write(d.join("DG1.bin"), [0x61, 0x00]).unwrap();
        std::fs::write(d.join("EF.DG1"), [0x61, 0x01, 0x00]).unwrap();
        std::fs::write(d.join("notes.txt"), b"seized 2026-12-01").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/dev/zero", d.join("EF.DG2")).unwrap();
        let (dump, warnings) = Dump::read_dir(d).unwrap().into_parts();
        assert_eq!(dump.bytes(ElementaryFile::Com), Some(&[0x60, 0x00][..]));
        // Name order: `DG1.bin` sorts before `EF.DG1`.
        assert_eq!(
            dump.bytes(ElementaryFile::DataGroup(1)),
            Some(&[0x61, 0x00][..])
        );
        assert_eq!(dump.bytes(ElementaryFile::DataGroup(2)), None);
        let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(said.iter().any(|w| w.contains("EF.DG1 again")), "{said:?}");
        assert!(said.iter().any(|w| w.contains("notes.txt")), "{said:?}");
        #[cfg(unix)]
        assert!(said.iter().any(|w| w.contains("EF.DG2")), "{said:?}");
    }

    #[test]
    fn a_folder_without_elementary_files_is_no_dump() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("front.jpg"), b"x").unwrap();
        assert!(matches!(
            Dump::read_dir(dir.path()),
            Err(DumpError::Empty { .. })
        ));
        assert!(matches!(
            Dump::read_dir(&dir.path().join("gone")),
            Err(DumpError::Folder { .. })
        ));
    }
}
