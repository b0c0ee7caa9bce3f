//! Ed25519 signatures of a lab: keys in standard PEM files (PKCS#8 private, SPKI public), raw
//! 64-byte signatures, so anyone can check them with the public key alone — with docexam, or
//! with `openssl pkeyutl -verify -pubin -inkey lab.pub.pem -rawin -in FILE -sigfile FILE.sig`.

use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::atomic::{write_atomic, write_atomic_mode};
use super::error::EvidenceError;
use super::hash::EvidenceHash;

/// A lab's signing key.
#[derive(Clone)]
pub struct LabKey {
    key: SigningKey,
}

impl std::fmt::Debug for LabKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LabKey({})", key_id(&self.key.verifying_key()))
    }
}

/// The blake3 of a public key's 32 bytes: a short, stable name for the key in logs.
pub fn key_id(key: &VerifyingKey) -> EvidenceHash {
    EvidenceHash::of_bytes(key.as_bytes())
}

fn key_error(what: impl Into<String>, path: &Path) -> EvidenceError {
    EvidenceError::Key {
        what: what.into(),
        path: path.to_path_buf(),
    }
}

impl LabKey {
    /// A new random key.
    pub fn generate() -> Result<LabKey, EvidenceError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| key_error(format!("no randomness for a key: {e}"), Path::new("")))?;
        Ok(LabKey {
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Writes the private key to `path` (PKCS#8 PEM, readable by its owner only) and the public
    /// key to `path` with `.pub` added. Refuses to overwrite either.
    pub fn save(&self, path: &Path) -> Result<PathBuf, EvidenceError> {
        let public_path = PathBuf::from(format!("{}.pub", path.display()));
        for p in [path, public_path.as_path()] {
            if p.exists() {
                return Err(key_error("refusing to overwrite an existing key file", p));
            }
        }
        let private = self
            .key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| key_error(format!("cannot encode the key: {e}"), path))?;
        let public = self
            .key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| key_error(format!("cannot encode the public key: {e}"), &public_path))?;
        write_atomic_mode(path, private.as_bytes(), true)
            .map_err(|e| EvidenceError::io("cannot write the key", path, e))?;
        write_atomic(&public_path, public.as_bytes())
            .map_err(|e| EvidenceError::io("cannot write the public key", &public_path, e))?;
        Ok(public_path)
    }

    /// Reads a private key (PKCS#8 PEM).
    pub fn load(path: &Path) -> Result<LabKey, EvidenceError> {
        let pem = read_small_text(path, "cannot read the key")?;
        let key = SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
            key_error(
                format!("not an Ed25519 private key in PKCS#8 PEM: {e}"),
                path,
            )
        })?;
        Ok(LabKey { key })
    }

    /// The public half.
    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs `message`; the 64 raw signature bytes.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }

    /// Signs the file at `path` (a report: at most [`MAX_SIGNED_BYTES`]), writing the signature
    /// to `path` with `.sig` added.
    pub fn sign_file(&self, path: &Path) -> Result<PathBuf, EvidenceError> {
        let bytes = read_signable(path, "cannot read the file to sign")?;
        let sig_path = PathBuf::from(format!("{}.sig", path.display()));
        write_atomic(&sig_path, &self.sign(&bytes))
            .map_err(|e| EvidenceError::io("cannot write the signature", &sig_path, e))?;
        Ok(sig_path)
    }
}

/// Largest file signed or checked whole (Ed25519 signs the whole message, held in memory).
pub const MAX_SIGNED_BYTES: u64 = 1 << 30;

/// Largest key or signature file read (a PEM key is a few hundred bytes).
const MAX_KEY_FILE: u64 = 64 * 1024;

/// Reads a file to sign or check whole: a regular file of at most [`MAX_SIGNED_BYTES`] (a
/// pipe, a device such as `/dev/zero` or a larger file is refused without reading it).
fn read_signable(path: &Path, what: &'static str) -> Result<Vec<u8>, EvidenceError> {
    docexam_base::untrusted_file::read_limited(path, MAX_SIGNED_BYTES).map_err(|e| match e {
        docexam_base::untrusted_file::UntrustedFileError::TooLarge { size, .. } => key_error(
            format!(
                "{size} bytes is more than the {MAX_SIGNED_BYTES} docexam signs whole; sign the b3sum line of the file instead"
            ),
            path,
        ),
        other => EvidenceError::io(what, path, other.into()),
    })
}

/// Reads a key or signature file: a regular file of at most [`MAX_KEY_FILE`].
fn read_small(path: &Path, what: &'static str) -> Result<Vec<u8>, EvidenceError> {
    docexam_base::untrusted_file::read_limited(path, MAX_KEY_FILE)
        .map_err(|e| EvidenceError::io(what, path, e.into()))
}

fn read_small_text(path: &Path, what: &'static str) -> Result<String, EvidenceError> {
    String::from_utf8(read_small(path, what)?).map_err(|_| key_error("not text (PEM)", path))
}

/// Reads a public key (SPKI PEM).
pub fn load_public_key(path: &Path) -> Result<VerifyingKey, EvidenceError> {
    let pem = read_small_text(path, "cannot read the public key")?;
    VerifyingKey::from_public_key_pem(&pem)
        .map_err(|e| key_error(format!("not an Ed25519 public key in SPKI PEM: {e}"), path))
}

/// Whether `signature` (64 raw bytes) is `key`'s signature of `message`.
pub fn verify_signature(key: &VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    match Signature::from_slice(signature) {
        Ok(sig) => key.verify_strict(message, &sig).is_ok(),
        Err(_) => false,
    }
}

/// Checks the signature file `sig_path` of the file at `path` with `key`.
pub fn verify_file(
    key: &VerifyingKey,
    path: &Path,
    sig_path: &Path,
) -> Result<bool, EvidenceError> {
    let bytes = read_signable(path, "cannot read the signed file")?;
    let sig = read_small(sig_path, "cannot read the signature")?;
    Ok(verify_signature(key, &bytes, &sig))
}

/// The statement signed for a log head.
pub(crate) fn head_statement(case_id: &str, entries: u64, head: &EvidenceHash) -> String {
    format!("docexam case head\ncase {case_id}\nentries {entries}\nhead {head}\n")
}

/// Reads a head statement back: (case id, entries, head).
pub(crate) fn parse_head_statement(text: &str) -> Option<(String, u64, EvidenceHash)> {
    let mut lines = text.lines();
    if lines.next()? != "docexam case head" {
        return None;
    }
    let case_id = lines.next()?.strip_prefix("case ")?.to_owned();
    let entries = lines.next()?.strip_prefix("entries ")?.parse().ok()?;
    let head = lines.next()?.strip_prefix("head ")?.parse().ok()?;
    if lines.next().is_some() {
        return None;
    }
    Some((case_id, entries, head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn signs_and_verifies_and_round_trips_pem() {
        let dir = std::env::temp_dir().join(format!("docexam-sign-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let key = LabKey::generate().unwrap();
        let path = dir.join("lab.key");
        let public_path = key.save(&path).unwrap();
        assert!(key.save(&path).is_err(), "never overwrites a key");
        let loaded = LabKey::load(&path).unwrap();
        let public = load_public_key(&public_path).unwrap();
        assert_eq!(public, key.public());
        let sig = loaded.sign(b"report");
        assert!(verify_signature(&public, b"report", &sig));
        assert!(!verify_signature(&public, b"report!", &sig));
        assert!(!verify_signature(&public, b"report", &sig[..63]));
        let statement = head_statement("abc", 3, &EvidenceHash::of_bytes(b"x"));
        assert_eq!(
            parse_head_statement(&statement),
            Some(("abc".into(), 3, EvidenceHash::of_bytes(b"x")))
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
