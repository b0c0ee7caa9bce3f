//! [`EvidenceHash`]: the blake3 hash that names every piece of evidence. A leaf: ingest,
//! evidence and examination all name files by it.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;

/// Files at least this large are hashed on all cores, a piece at a time; smaller ones in one
/// streaming pass.
const PARALLEL_MIN_BYTES: u64 = 1 << 20;

/// Bytes read and hashed at a time.
const PIECE_BYTES: usize = 1 << 20;

/// Reads until `buf` is full or the end: the number of bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match reader.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

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

    /// The hash of the regular file at `path` (devices, pipes and directories are refused
    /// without blocking), read in 1 MiB pieces each hashed on every core. No memory map: a file
    /// truncated while it is hashed gives an error or a shorter hash, never a SIGBUS that ends
    /// the process. Memory does not grow with the file.
    pub fn of_file(path: &Path) -> io::Result<Self> {
        let (mut file, meta) = crate::untrusted_file::open_regular(path)?;
        if meta.len() < PARALLEL_MIN_BYTES {
            return Self::of_reader(file);
        }
        let mut hasher = blake3::Hasher::new();
        let mut buf = vec![0u8; PIECE_BYTES];
        loop {
            let n = read_full(&mut file, &mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update_rayon(buf.get(..n).unwrap_or_default());
        }
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
pub struct HashingCounter {
    hasher: blake3::Hasher,
    len: u64,
}

impl HashingCounter {
    /// Hashes `bytes` and counts them.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.len += bytes.len() as u64;
    }

    /// The hash of everything given so far, and how many bytes that was.
    pub fn finish(&self) -> (EvidenceHash, u64) {
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
    fn a_file_truncated_while_it_is_hashed_gives_a_result_not_a_crash() {
        // Through a memory map, the pages cut off while they are hashed raise SIGBUS and end
        // the whole process (a batch of thousands). Read in pieces, the hash covers what was
        // there or the read fails.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("shrinking.bin");
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        file.set_len(768 << 20).unwrap_or_else(|e| panic!("{e}"));
        let cutter = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(30));
            file.set_len(4096)
        });
        let hashed = EvidenceHash::of_file(&path);
        assert!(cutter.join().is_ok_and(|r| r.is_ok()));
        // Reaching this line is the test: through a memory map the process would have ended
        // with SIGBUS. The hash covers what was read, or the read failed; both are reported.
        drop(hashed);
    }

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
