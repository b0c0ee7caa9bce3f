//! Reading untrusted files by position, with every read checked against the file's length.

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use super::error::IngestError;
use super::media::MediaType;

/// Most structural steps (chunks, segments, markers) a probe takes in one file; real files
/// take thousands at most.
const MAX_STEPS: u64 = 4_000_000;

/// A seekable file of known length, read by absolute position through a buffer that short
/// moves do not discard, with every read checked against the file's length.
pub(crate) struct Source<R> {
    inner: BufReader<R>,
    len: u64,
    format: MediaType,
    /// Where the buffered reader stands, when known.
    pos: Option<u64>,
    steps: u64,
}

impl<R: Read + Seek> Source<R> {
    pub(crate) fn new(mut inner: R, format: MediaType) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        Ok(Self {
            inner: BufReader::with_capacity(64 * 1024, inner),
            len,
            format,
            pos: Some(0),
            steps: 0,
        })
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The reader itself, for code that reads sequentially (the next `read_at` seeks afresh).
    pub(crate) fn inner(&mut self) -> &mut BufReader<R> {
        self.pos = None;
        &mut self.inner
    }

    /// Counts one structural step; refuses files that take more than real ones do.
    pub(crate) fn step(&mut self, what: &'static str) -> Result<(), IngestError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(IngestError::OverLimit {
                format: self.format,
                what,
                found: self.steps,
                limit: MAX_STEPS,
            });
        }
        Ok(())
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
        match self.pos {
            Some(pos) if pos == at => {}
            Some(pos) => {
                let diff =
                    i64::try_from(at).unwrap_or(i64::MAX) - i64::try_from(pos).unwrap_or(i64::MAX);
                self.inner.seek_relative(diff)?;
            }
            None => {
                self.inner.seek(SeekFrom::Start(at))?;
            }
        }
        self.pos = None;
        self.inner.read_exact(buf)?;
        self.pos = Some(at + buf.len() as u64);
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
