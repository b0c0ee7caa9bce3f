//! [`EvidenceHash`]: the blake3 hash that names every piece of evidence.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;

/// Files at least this large are hashed through a memory map on all cores, as `b3sum` does;
/// smaller ones are read in one pass.
const MMAP_MIN_BYTES: u64 = 16 * 1024;

/// A blake3 hash of evidence. Equality is constant-time; shown and parsed as 64 lowercase hex
/// digits, the form `b3sum` prints.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EvidenceHash(blake3::Hash);

impl EvidenceHash {
    /// The hash of `bytes`.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self(blake3::hash(bytes))
    }

    /// The hash of everything `reader` yields, read in a streaming pass (memory does not grow
    /// with the input).
    pub fn of_reader(mut reader: impl Read) -> io::Result<Self> {
        let mut hasher = blake3::Hasher::new();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    hasher.update(buf.get(..n).unwrap_or_default());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self(hasher.finalize()))
    }

    /// The hash of the file at `path`: large files through a memory map hashed on every core
    /// (the speed of `b3sum`), small ones read in one pass. Memory does not grow with the file.
    pub fn of_file(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        if meta.len() < MMAP_MIN_BYTES {
            return Self::of_reader(file);
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update_mmap_rayon(path)?;
        Ok(Self(hasher.finalize()))
    }

    /// The 32 bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// A hash from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(blake3::Hash::from_bytes(bytes))
    }

    /// The hash as 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        self.0.to_hex().to_string()
    }

    /// The all-zero value, used as the "previous entry" of the first audit-log entry.
    pub fn zero() -> Self {
        Self::from_bytes([0; 32])
    }
}

/// Orders hashes by their bytes, for sorted listings (ordering need not be constant-time).
impl Ord for EvidenceHash {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl PartialOrd for EvidenceHash {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A streaming hasher that also counts bytes, for hashing while copying.
#[derive(Default)]
pub(crate) struct HashingCounter {
    hasher: blake3::Hasher,
    len: u64,
}

impl HashingCounter {
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.len += bytes.len() as u64;
    }

    pub(crate) fn finish(&self) -> (EvidenceHash, u64) {
        (EvidenceHash(self.hasher.finalize()), self.len)
    }
}

impl fmt::Display for EvidenceHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.to_hex())
    }
}

impl fmt::Debug for EvidenceHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EvidenceHash({})", self.0.to_hex())
    }
}

/// Error from parsing an [`EvidenceHash`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid blake3 hash {text:?}: expected 64 hex digits")]
pub struct ParseHashError {
    /// The text that was not a hash.
    pub text: String,
}

impl FromStr for EvidenceHash {
    type Err = ParseHashError;

    /// Parses 64 hex digits (either case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        blake3::Hash::from_hex(s)
            .map(Self)
            .map_err(|_| ParseHashError {
                text: s.chars().take(80).collect(),
            })
    }
}

impl serde::Serialize for EvidenceHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for EvidenceHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answer() {
        // blake3("abc"), as published with the reference implementation.
        let h = EvidenceHash::of_bytes(b"abc");
        assert_eq!(
            h.to_string(),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
        assert_eq!(h.to_hex().parse::<EvidenceHash>().unwrap(), h);
        assert_eq!(
            h.to_hex().to_uppercase().parse::<EvidenceHash>().unwrap(),
            h
        );
    }

    #[test]
    fn refuses_what_is_not_a_hash() {
        for bad in ["", "abc", &"g".repeat(64), &"0".repeat(63), &"0".repeat(65)] {
            assert!(bad.parse::<EvidenceHash>().is_err(), "{bad}");
        }
    }

    #[test]
    fn file_reader_and_bytes_agree_at_every_size_class() {
        let dir = std::env::temp_dir().join(format!("docexam-hash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for len in [0usize, 1, 1023, 1024, 16 * 1024, 1_000_003] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.join(format!("f{len}"));
            std::fs::write(&path, &data).unwrap();
            let want = EvidenceHash::of_bytes(&data);
            assert_eq!(EvidenceHash::of_file(&path).unwrap(), want, "{len}");
            assert_eq!(EvidenceHash::of_reader(&data[..]).unwrap(), want, "{len}");
        }
        assert!(
            EvidenceHash::of_file(&dir).is_err(),
            "a directory is not evidence"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
