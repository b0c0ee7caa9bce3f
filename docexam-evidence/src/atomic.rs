//! Crash-safe file writes: a temporary file in the same directory, written and flushed to
//! disk, then renamed over the target, then the directory flushed. A crash at any moment
//! leaves either the old file or the new one, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::hash::{EvidenceHash, HashingCounter};

pub(crate) use docexam_base::temp_name::{TEMP_PREFIX, random_hex};

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

/// A file copied into a case under a temporary name, not yet flushed.
pub(crate) struct Incoming {
    /// Its temporary path.
    pub(crate) path: PathBuf,
    /// blake3 of its bytes.
    pub(crate) hash: EvidenceHash,
    /// Its length.
    pub(crate) len: u64,
    /// The open file, for flushing.
    pub(crate) file: File,
}

/// Buffers in flight between the reading and the writing side of a copy.
const COPY_BUFFERS: usize = 3;

/// Size of each copy buffer.
const COPY_BUFFER_BYTES: usize = 1 << 20;

/// Copies everything `source` yields into a new temporary file in `dir`, hashing it on the
/// way: one pass, constant memory (three 1 MiB buffers), reading on one thread while hashing
/// and writing on another, so that the kernel's copies in and out overlap. Returns the file
/// unflushed, so the caller can flush it while it checks it; the caller renames it into place
/// (or removes it).
pub(crate) fn copy_hashing(source: impl Read + Send, dir: &Path) -> io::Result<Incoming> {
    let path = temp_path(&dir.join("incoming"));
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    match pipe(source, &mut out) {
        Ok((hash, len)) => Ok(Incoming {
            path,
            hash,
            len,
            file: out,
        }),
        Err(e) => {
            drop(out);
            let _ = fs::remove_file(&path);
            Err(e)
        }
    }
}

/// Reads `source` on a helper thread and hashes and writes it here.
fn pipe(mut source: impl Read + Send, out: &mut File) -> io::Result<(EvidenceHash, u64)> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Filled>(COPY_BUFFERS);
    let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(COPY_BUFFERS);
    for _ in 0..COPY_BUFFERS {
        let _ = empty_tx.send(vec![0u8; COPY_BUFFER_BYTES]);
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            // Ends when the source ends or fails, or when the writing side hangs up.
            while let Ok(mut buf) = empty_rx.recv() {
                let read = loop {
                    match source.read(&mut buf) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        other => break other,
                    }
                };
                let done = !matches!(read, Ok(n) if n > 0);
                if full_tx.send(read.map(|n| (buf, n))).is_err() || done {
                    break;
                }
            }
        });
        // Owning the channel ends, the writing side hangs up when it returns, even on an error,
        // which ends the reader.
        write_side(&full_rx, empty_tx, out)
    })
}

type Filled = io::Result<(Vec<u8>, usize)>;

fn write_side(
    full: &mpsc::Receiver<Filled>,
    empty: mpsc::SyncSender<Vec<u8>>,
    out: &mut File,
) -> io::Result<(EvidenceHash, u64)> {
    let mut counter = HashingCounter::default();
    loop {
        let (buf, n) = full
            .recv()
            .map_err(|_| io::Error::other("the reading side of a copy stopped"))??;
        if n == 0 {
            return Ok(counter.finish());
        }
        let chunk = buf.get(..n).unwrap_or_default();
        counter.update(chunk);
        out.write_all(chunk)?;
        // The reader may have finished already; then the buffer is not needed.
        let _ = empty.send(buf);
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
    let placed = (|| {
        let mut perms = fs::metadata(temp)?.permissions();
        perms.set_readonly(true);
        fs::set_permissions(temp, perms)?;
        fs::rename(temp, target)
    })();
    if let Err(e) = placed {
        // The temporary copy is never left behind: it is stored under its name or removed.
        let _ = fs::remove_file(temp);
        return Err(e);
    }
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

    /// Yields `data` in uneven pieces, then fails if `fail` is set.
    struct Uneven<'a> {
        data: &'a [u8],
        step: usize,
        fail: bool,
    }

    impl Read for Uneven<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.data.is_empty() {
                return if self.fail {
                    Err(io::Error::other("the disk went away"))
                } else {
                    Ok(0)
                };
            }
            self.step = self.step * 7 % 1_000_003 + 1;
            let n = self.step.min(buf.len()).min(self.data.len());
            let (head, rest) = self.data.split_at(n);
            buf[..n].copy_from_slice(head);
            self.data = rest;
            Ok(n)
        }
    }

    #[test]
    fn a_copy_hashes_what_it_writes_and_a_failed_one_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("docexam-copy-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // More than the buffers in flight hold, so buffers are reused.
        let data: Vec<u8> = (0..5_000_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let source = Uneven {
            data: &data,
            step: 1,
            fail: false,
        };
        let incoming = copy_hashing(source, &dir).unwrap();
        assert_eq!(incoming.hash, EvidenceHash::of_bytes(&data));
        assert_eq!(incoming.len, data.len() as u64);
        assert_eq!(fs::read(&incoming.path).unwrap(), data);
        fs::remove_file(&incoming.path).unwrap();
        let empty = copy_hashing(io::empty(), &dir).unwrap();
        assert_eq!((empty.len, empty.hash), (0, EvidenceHash::of_bytes(b"")));
        fs::remove_file(&empty.path).unwrap();
        let failing = Uneven {
            data: &data,
            step: 1,
            fail: true,
        };
        let err = copy_hashing(failing, &dir).err().unwrap();
        assert_eq!(err.to_string(), "the disk went away");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            0,
            "the partial copy is removed"
        );
        // A failing write ends the reading side too (no hang), whatever the source holds.
        fs::write(dir.join("read-only"), b"").unwrap();
        let mut read_only = File::open(dir.join("read-only")).unwrap();
        let endless = io::repeat(7);
        assert!(pipe(endless, &mut read_only).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
