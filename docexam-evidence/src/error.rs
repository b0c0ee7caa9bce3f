//! Errors of the evidence layer.

use std::io;
use std::path::{Path, PathBuf};

use docexam_ingest::IngestError;

/// What went wrong with a case. Messages name what failed, then the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvidenceError {
    /// An operating-system error on a path.
    #[error("{what}: {source} ({})", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// The directory is not a docexam case.
    #[error("not a docexam case: no readable case.json ({})", path.display())]
    NotACase {
        /// The directory.
        path: PathBuf,
    },
    /// `init` on a directory that is not empty.
    #[error("cannot create a case in a directory that is not empty ({})", path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// Another process holds the case.
    #[error("case is in use by another docexam process (waited 60 s for its lock: {})", path.display())]
    InUse {
        /// The lock file.
        path: PathBuf,
    },
    /// A file given as evidence is not a regular file.
    #[error("not a regular file ({})", path.display())]
    NotAFile {
        /// The path given.
        path: PathBuf,
    },
    /// The case's own files do not hold together (run `verify` for the full account).
    #[error("the case is damaged: {what} ({})", path.display())]
    Damaged {
        /// What is wrong.
        what: String,
        /// The file concerned.
        path: PathBuf,
    },
    /// A file could not be ingested.
    #[error("{source} ({})", path.display())]
    Ingest {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: IngestError,
    },
    /// An archive that cannot be imported.
    #[error("cannot import the archive: {what} ({})", path.display())]
    Archive {
        /// What is wrong.
        what: String,
        /// The archive.
        path: PathBuf,
    },
    /// Something the examiner asked to record that cannot be recorded as given.
    #[error("cannot record it: {what}")]
    Rejected {
        /// What is wrong.
        what: String,
    },
    /// A signing key that cannot be used.
    #[error("{what} ({})", path.display())]
    Key {
        /// What is wrong.
        what: String,
        /// The key file.
        path: PathBuf,
    },
}

impl EvidenceError {
    pub(crate) fn io(what: &'static str, path: &Path, source: io::Error) -> Self {
        EvidenceError::Io {
            what,
            path: path.to_path_buf(),
            source,
        }
    }
}
