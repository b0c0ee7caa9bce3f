//! Reading untrusted files by position, with every read checked against the file's length.

use std::io::{self, Read, Seek, SeekFrom};

use super::error::IngestError;
use super::media::MediaType;

/// A seekable file of known length, read by absolute position.
pub(crate) struct Source<R> {
    inner: R,
    len: u64,
    format: MediaType,
}

impl<R: Read + Seek> Source<R> {
    pub(crate) fn new(mut inner: R, format: MediaType) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        Ok(Self { inner, len, format })
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    pub(crate) fn inner(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Whether `n` bytes starting at `at` lie inside the file.
    pub(crate) fn has(&self, at: u64, n: u64) -> bool {
        at.checked_add(n).is_some_and(|end| end <= self.len)
    }

    /// Reads `buf.len()` bytes at `at`, or reports the file as truncated with `what`.
    pub(crate) fn read_at(
        &mut self,
        at: u64,
        buf: &mut [u8],
        what: &str,
    ) -> Result<(), IngestError> {
        if !self.has(at, buf.len() as u64) {
            return Err(IngestError::truncated(
                self.format,
                format!(
                    "{what} at byte {at} needs {} bytes; the file ends at byte {}",
                    buf.len(),
                    self.len
                ),
            ));
        }
        self.inner.seek(SeekFrom::Start(at))?;
        self.inner.read_exact(buf)?;
        Ok(())
    }

    /// Reads `n` (at most `cap`) bytes at `at` into a new buffer.
    pub(crate) fn read_vec(
        &mut self,
        at: u64,
        n: u64,
        cap: u64,
        what: &str,
    ) -> Result<Vec<u8>, IngestError> {
        let mut buf = vec![0u8; usize::try_from(n.min(cap)).unwrap_or(0)];
        self.read_at(at, &mut buf, what)?;
        Ok(buf)
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        at: u64,
        what: &str,
    ) -> Result<[u8; N], IngestError> {
        let mut buf = [0u8; N];
        self.read_at(at, &mut buf, what)?;
        Ok(buf)
    }
}

pub(crate) fn be16(b: &[u8]) -> u16 {
    match b {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    }
}

pub(crate) fn be32(b: &[u8]) -> u32 {
    match b {
        [a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

pub(crate) fn le16(b: &[u8]) -> u16 {
    match b {
        [a, b, ..] => u16::from_le_bytes([*a, *b]),
        _ => 0,
    }
}

pub(crate) fn le32(b: &[u8]) -> u32 {
    match b {
        [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}
