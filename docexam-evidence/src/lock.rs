//! One writer at a time: an exclusive lock on the case's lock file, held while a process changes
//! the case and released when it ends (also when it is killed).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use super::error::EvidenceError;

/// Name of the lock file in a case directory.
pub(crate) const LOCK_FILE: &str = ".lock";

/// How long a writer waits for another one to finish before giving up.
const WAIT: Duration = Duration::from_secs(60);

/// An exclusive lock on a case; released on drop.
#[derive(Debug)]
pub(crate) struct CaseLock {
    _file: File,
}

impl CaseLock {
    /// Takes the lock of the case at `dir`, waiting up to a minute for another writer.
    pub(crate) fn acquire(dir: &Path) -> Result<Self, EvidenceError> {
        let path: PathBuf = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| EvidenceError::io("cannot open the case lock", &path, source))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < WAIT => {
                    thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(EvidenceError::InUse { path });
                }
                Err(std::fs::TryLockError::Error(source)) => {
                    return Err(EvidenceError::io("cannot lock the case", &path, source));
                }
            }
        }
    }
}
