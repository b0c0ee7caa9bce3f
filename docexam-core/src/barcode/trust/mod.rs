//! Trust material for barcode signatures: certificates the user supplies (DER, PEM, CSCA
//! master lists, JSON trust lists holding base64 certificates), the checks that a certificate
//! signed a payload, and that a CSCA in the store signed that certificate.

mod cert;
mod check;
mod curves;
mod ecdsa;
mod masterlist;
mod rsa;
mod verdict;

use std::fs;
use std::path::{Path, PathBuf};

pub use cert::{Certificate, CertificateSummary, PublicKey};
pub use ecdsa::Domain;
pub use verdict::{CertificateMatch, SignatureCheck, SignatureStatus, TrustStatus};

pub(crate) use check::{Scheme, Signed, check};

use crate::barcode::codec::base64_any;
use crate::date::CivilDate;

/// Largest trust file read (a full CSCA master list is a few MB).
const MAX_TRUST_FILE: u64 = 64 << 20;

/// Certificates the user trusts, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    certs: Vec<Certificate>,
    skipped: Vec<(PathBuf, String)>,
}

/// The trust folder could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the trust folder {}: {source}", path.display())]
pub struct TrustError {
    /// The folder.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl TrustStore {
    /// An empty store: every signature then reports `no_key`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads every certificate found in the files of `dir` and of its sub-folders (up to four
    /// levels; hidden files and folders are skipped). Files that hold no certificate are listed in
    /// [`skipped`](Self::skipped), never an error.
    pub fn load_dir(dir: &Path) -> Result<Self, TrustError> {
        let mut store = Self::new();
        store.add_dir(dir, 0)?;
        Ok(store)
    }

    fn add_dir(&mut self, dir: &Path, depth: u32) -> Result<(), TrustError> {
        let err = |source| TrustError {
            path: dir.to_path_buf(),
            source,
        };
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                if depth < 4 {
                    self.add_dir(&path, depth + 1)?;
                }
                continue;
            }
            match read_limited(&path) {
                Ok(bytes) => {
                    if self.add_bytes(&bytes) == 0 {
                        self.skipped
                            .push((path, "holds no certificate docexam can read".into()));
                    }
                }
                Err(why) => self.skipped.push((path, why)),
            }
        }
        Ok(())
    }

    /// Adds every certificate in `bytes` (a DER certificate, PEM text, a CSCA master list, or
    /// JSON holding base64 certificates); returns how many were added.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> usize {
        let found = parse_any(bytes);
        let n = found.len();
        found.into_iter().for_each(|c| self.add(c));
        n
    }

    /// Adds one certificate (once: a certificate already held is not added again).
    pub fn add(&mut self, cert: Certificate) {
        if !self.certs.iter().any(|k| k.der == cert.der) {
            self.certs.push(cert);
        }
    }

    /// The certificates, in the order they were loaded.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certs
    }

    /// Files that held no readable certificate, and why.
    pub fn skipped(&self) -> &[(PathBuf, String)] {
        &self.skipped
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// How far `cert` is trusted: itself in the store (a trust list names its signers), or
    /// signed by a CA certificate in the store. `as_of` checks the anchor's validity too.
    pub fn trust_of(&self, cert: &Certificate, in_store: bool, as_of: CivilDate) -> TrustStatus {
        if let Some(anchor) = self
            .certs
            .iter()
            .find(|a| a.der != cert.der && cert.is_signed_by(a))
        {
            return TrustStatus::Chain {
                anchor: anchor.summary(),
                anchor_valid: anchor.valid_on(as_of),
            };
        }
        if in_store {
            TrustStatus::Listed
        } else {
            TrustStatus::Untrusted
        }
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_TRUST_FILE {
        return Err(format!(
            "{} bytes, more than the {} a trust file may have",
            meta.len(),
            MAX_TRUST_FILE
        ));
    }
    fs::read(path).map_err(|e| e.to_string())
}

/// Every certificate `bytes` holds, in whichever form.
fn parse_any(bytes: &[u8]) -> Vec<Certificate> {
    if let Some(c) = Certificate::from_der(bytes) {
        return vec![c];
    }
    if let Some(list) = masterlist::certificates(bytes) {
        return list;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let pem = Certificate::from_pem(text);
    if !pem.is_empty() {
        return pem;
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        let mut out = Vec::new();
        json_certificates(&json, &mut out);
        return out;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64_any(&compact)
        .and_then(|b| Certificate::from_der(&b))
        .into_iter()
        .collect()
}

fn json_certificates(v: &serde_json::Value, out: &mut Vec<Certificate>) {
    match v {
        serde_json::Value::String(s) if s.len() >= 200 => {
            if let Some(c) = base64_any(s).and_then(|b| Certificate::from_der(&b)) {
                out.push(c);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_certificates(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_certificates(x, out)),
        _ => {}
    }
}
