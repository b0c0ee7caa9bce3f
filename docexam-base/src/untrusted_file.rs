//! The one rule for opening a file that came from outside (a questioned image, a PDF, a trust
//! folder's certificate, a case archive): regular files only, opened without blocking, read
//! within a bound.
//!
//! A path may name a FIFO (opening it blocks until a writer comes), a device (`/dev/zero`
//! never ends, and its metadata says 0 bytes), a socket or a directory, directly or through a
//! symbolic link. The file is opened non-blocking and judged by the descriptor's own metadata,
//! so a path swapped between a check and the open cannot slip through; only a regular file is
//! read, and never past the bound the caller gives.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why an untrusted file was not read.
#[derive(Debug, thiserror::Error)]
pub enum UntrustedFileError {
    /// The path is not a regular file.
    #[error("not a regular file ({kind}): only files are read, never devices, pipes or sockets")]
    NotRegular {
        /// What it is instead.
        kind: &'static str,
    },
    /// The file is larger than the bound.
    #[error("{size} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its size, or how far it was read.
        size: u64,
        /// The bound.
        limit: u64,
    },
    /// The file grew past the bound while it was read.
    #[error("grew past the {limit} bytes allowed while it was read")]
    Grew {
        /// The bound.
        limit: u64,
    },
    /// The operating system refused (not found, permission, I/O error).
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl From<UntrustedFileError> for io::Error {
    fn from(e: UntrustedFileError) -> Self {
        match e {
            UntrustedFileError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// What a file that is not regular is, in words.
fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// Opens a regular file for reading without ever blocking: a FIFO, device, socket or
/// directory (also behind a symbolic link) is refused, judged on the opened descriptor.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), UntrustedFileError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking: opening a FIFO without a writer returns at once. No controlling
        // terminal is taken from a tty device.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(UntrustedFileError::NotRegular {
            kind: kind_of(&meta),
        });
    }
    Ok((file, meta))
}

/// Reads a whole regular file of at most `limit` bytes (see [`open_regular`]).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, UntrustedFileError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(UntrustedFileError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut out = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(UntrustedFileError::Grew { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_within_its_bound() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.bin");
        std::fs::write(&p, b"12345").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_limited(&p, 5).ok(), Some(b"12345".to_vec()));
        assert!(matches!(
            read_limited(&p, 4),
            Err(UntrustedFileError::TooLarge { size: 5, limit: 4 })
        ));
        assert!(matches!(
            open_regular(dir.path()),
            Err(UntrustedFileError::NotRegular {
                kind: "a directory"
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_blocking() {
        let e = read_limited(Path::new("/dev/zero"), 1 << 20);
        assert!(
            matches!(
                e,
                Err(UntrustedFileError::NotRegular {
                    kind: "a character device"
                })
            ),
            "{e:?}"
        );
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo (coreutils) made no FIFO"
        );
        // With no writer, a blocking open would never return.
        let e = open_regular(&fifo);
        assert!(
            matches!(
                e,
                Err(UntrustedFileError::NotRegular {
                    kind: "a named pipe"
                })
            ),
            "{e:?}"
        );
        let link = dir.path().join("zero.jpg");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            open_regular(&link),
            Err(UntrustedFileError::NotRegular { .. })
        ));
    }
}
