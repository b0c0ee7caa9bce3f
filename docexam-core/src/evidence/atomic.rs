//! Crash-safe file writes: a temporary file in the same directory, written and flushed to
//! disk, then renamed over the target, then the directory flushed. A crash at any moment
//! leaves either the old file or the new one, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::hash::{EvidenceHash, HashingCounter};

/// Prefix of temporary files; anything starting with it is an interrupted write.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

/// `n` random bytes as hex (the process id and time if the system has no randomness).
pub(crate) fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    match getrandom::fill(&mut bytes) {
        Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        Err(_) => format!(
            "{:x}{:x}",
            std::process::id(),
            crate::date::Timestamp::now().unix_ms()
        ),
    }
}

/// A unique temporary path beside `target`.
pub(crate) fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!("{TEMP_PREFIX}{name}-{}", random_hex(8)))
}

/// Flushes a directory's entries (the rename) to disk.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Replaces `target` with `bytes`, atomically and durably.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_mode(target, bytes, false)
}

/// Like [`write_atomic`]; with `private`, the file is readable by its owner only from the moment
/// it exists (for keys).
pub(crate) fn write_atomic_mode(target: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let temp = temp_path(target);
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let mut f = options.open(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&temp, target)?;
        sync_dir(target.parent().unwrap_or(Path::new(".")))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Copies everything `source` yields into a new temporary file in `dir`, hashing it on the
/// way (one pass, constant memory), and flushes it. Returns the temporary path, the hash and
/// the length. The caller renames it into place (or removes it).
pub(crate) fn copy_hashing(
    mut source: impl Read,
    dir: &Path,
) -> io::Result<(PathBuf, EvidenceHash, u64)> {
    let temp = temp_path(&dir.join("incoming"));
    let result = (|| {
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        let mut counter = HashingCounter::default();
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = match source.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let chunk = buf.get(..n).unwrap_or_default();
            counter.update(chunk);
            out.write_all(chunk)?;
        }
        out.sync_all()?;
        Ok(counter.finish())
    })();
    match result {
        Ok((hash, len)) => Ok((temp, hash, len)),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Moves a fully written temporary file to `target`, named by the blake3 `hash` of its bytes,
/// makes it read-only and flushes the directory. If `target` already exists it must be a
/// regular file with those bytes (content addressing: the stored copy is kept); anything else
/// there is damage, reported, and nothing is changed.
pub(crate) fn commit_file(temp: &Path, target: &Path, hash: &EvidenceHash) -> io::Result<()> {
    match fs::symlink_metadata(target) {
        Ok(meta) => {
            let same = meta.is_file() && EvidenceHash::of_file(target).is_ok_and(|h| h == *hash);
            let _ = fs::remove_file(temp);
            return if same {
                Ok(())
            } else {
                Err(io::Error::other(
                    "the file already stored under this name is not these bytes, or not a \
                     regular file; run verify",
                ))
            };
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut perms = fs::metadata(temp)?.permissions();
    perms.set_readonly(true);
    fs::set_permissions(temp, perms)?;
    fs::rename(temp, target)?;
    sync_dir(target.parent().unwrap_or(Path::new(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("docexam-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("f.json");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_never_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("docexam-private-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("key");
        write_atomic_mode(&target, b"secret", true).unwrap();
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o777,
            0o600
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
