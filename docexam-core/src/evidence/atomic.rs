//! Crash-safe file writes: a temporary file in the same directory, written and flushed to
//! disk, then renamed over the target, then the directory flushed. A crash at any moment
//! leaves either the old file or the new one, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::hash::{EvidenceHash, HashingCounter};

/// Prefix of temporary files; anything starting with it is an interrupted write.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

/// A unique temporary path beside `target`.
pub(crate) fn temp_path(target: &Path) -> PathBuf {
    let mut id = [0u8; 8];
    let suffix = match getrandom::fill(&mut id) {
        Ok(()) => id.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        Err(_) => format!("{}", std::process::id()),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!("{TEMP_PREFIX}{name}-{suffix}"))
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
    let temp = temp_path(target);
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
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

/// Copies everything `source` yields into a new temporary file beside `target_dir/name`,
/// hashing it on the way (one pass, constant memory). Returns the temporary path, the hash and
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
        let (hash, len) = counter.finish();
        Ok((hash, len))
    })();
    match result {
        Ok((hash, len)) => Ok((temp, hash, len)),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Moves a fully written temporary file to `target` (unless an identical file is already
/// there), makes it read-only, and flushes the directory.
pub(crate) fn commit_file(temp: &Path, target: &Path) -> io::Result<()> {
    if target.exists() {
        // Content-addressed: same name, same bytes. Keep the stored copy.
        fs::remove_file(temp)?;
        return Ok(());
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
}
