//! Trust material for barcode signatures: certificates the user supplies (DER, PEM, CSCA
//! master lists whose own signature holds, JSON trust lists holding base64 certificates) and
//! revocation lists; the checks that a certificate signed a payload, that a CA certificate of
//! the store issued that certificate, and what the seal's authenticity then is.
//!
//! Cryptography and ASN.1 come from well-kept crates: `x509-parser` reads certificates and
//! CRLs, `cms` master lists, `der` and `spki` keys and the few structures no crate types, the
//! RustCrypto `ecdsa` curve crates and `rsa` verify. What is left here is the domain logic:
//! which certificate a payload names, how a chain is built, what counts against a signer.

mod cert;
mod chain;
mod check;
mod crl;
mod curves;
mod explicit;
mod fallback;
mod hash;
mod key;
mod masterlist;
mod rsa;
mod verdict;
#[cfg(test)]
mod wycheproof_tests;

use std::fs;
use std::path::{Path, PathBuf};

use docexam_base::Warned;

pub use cert::{Certificate, CertificateSummary};
pub use crl::Crl;
pub use key::{EcCurve, MAX_RSA_BITS, PublicKey};
pub use verdict::{Authenticity, CertificateMatch, SignatureCheck, SignatureStatus, TrustStatus};

pub(crate) use check::{Scheme, Signed, Usage, check, dcc_entry_name};

use crate::codec::base64_any;

/// Largest trust file read (a full CSCA master list is a few MB).
const MAX_TRUST_FILE: u64 = 64 << 20;

/// Certificates and revocation lists the user trusts, and what could not be read or used.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    certs: Vec<Certificate>,
    /// Revocation lists a CA certificate of the store signed (checked once, when both are in).
    crls: Vec<Crl>,
    /// Revocation lists no CA certificate of the store has signed so far, and their files.
    pending: Vec<(Crl, Option<PathBuf>)>,
}

/// A file of a trust folder that is not used, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it is not used.
    pub reason: String,
}

/// What one trust file held.
#[derive(Debug, Default)]
struct Found {
    certs: Vec<Certificate>,
    crls: Vec<Crl>,
    /// Why the file's content is not used, when it is not (a master list whose signature
    /// fails).
    refused: Option<String>,
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
    /// levels; hidden files and folders are skipped). Files that hold no certificate are
    /// warnings ([`Skipped`]), never an error. Revocation lists that no CA certificate of the
    /// folder signed are warnings too, and not used; so are master lists whose own signature
    /// does not hold.
    pub fn load_dir(dir: &Path) -> Result<Warned<Self, Skipped>, TrustError> {
        let mut store = Self::new();
        let mut skipped = Vec::new();
        store.add_dir(dir, 0, &mut skipped)?;
        for (l, path) in std::mem::take(&mut store.pending) {
            skipped.push(Skipped {
                path: path.unwrap_or_else(|| dir.to_path_buf()),
                reason: format!(
                    "a revocation list from {} that no CA certificate in the trust material \
                     signed: not used",
                    l.issuer
                ),
            });
        }
        Ok(Warned::new(store, skipped))
    }

    fn add_dir(
        &mut self,
        dir: &Path,
        depth: u32,
        skipped: &mut Vec<Skipped>,
    ) -> Result<(), TrustError> {
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
                    self.add_dir(&path, depth + 1, skipped)?;
                }
                continue;
            }
            match read_limited(&path) {
                Ok(bytes) => {
                    let found = parse_any(&bytes);
                    if let Some(reason) = found.refused {
                        skipped.push(Skipped { path, reason });
                    } else if found.certs.is_empty() && found.crls.is_empty() {
                        skipped.push(Skipped {
                            path,
                            reason: "holds no certificate or revocation list docexam can read"
                                .into(),
                        });
                    } else {
                        self.absorb(found, Some(&path));
                    }
                }
                Err(reason) => skipped.push(Skipped { path, reason }),
            }
        }
        Ok(())
    }

    /// Adds every certificate and revocation list in `bytes` (a DER certificate or CRL, PEM
    /// text, a CSCA master list whose signature holds, or JSON holding base64 certificates);
    /// returns how many were added. A revocation list counts only where a CA certificate of
    /// the store signed it.
    pub fn add_bytes(&mut self, bytes: &[u8]) -> usize {
        let found = parse_any(bytes);
        let n = found.certs.len() + found.crls.len();
        self.absorb(found, None);
        n
    }

    fn absorb(&mut self, found: Found, from: Option<&Path>) {
        found.certs.into_iter().for_each(|c| self.add(c));
        for l in found.crls {
            let held = self.crls.iter().chain(self.pending.iter().map(|(p, _)| p));
            if !held.into_iter().any(|k| k.der == l.der) {
                self.pending.push((l, from.map(Path::to_path_buf)));
            }
        }
        self.settle();
    }

    /// Moves the pending revocation lists that a CA certificate of the store signed to the
    /// lists in use.
    fn settle(&mut self) {
        let (signed, unsigned) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|(l, _)| self.certs.iter().any(|c| l.is_signed_by(c)));
        self.pending = unsigned;
        self.crls
            .extend(signed.into_iter().map(|(l, _): (Crl, Option<PathBuf>)| l));
    }

    /// Adds one certificate (once: a certificate already held is not added again).
    pub fn add(&mut self, cert: Certificate) {
        if !self.certs.iter().any(|k| k.der == cert.der) {
            let may_sign_crls = cert.may_sign_crls();
            self.certs.push(cert);
            if may_sign_crls && !self.pending.is_empty() {
                self.settle();
            }
        }
    }

    /// The certificates, in the order they were loaded.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certs
    }

    /// The revocation lists in use: those a CA certificate of the store signed.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }
}

/// A trust file's bytes: a regular file of at most [`MAX_TRUST_FILE`] bytes, opened without
/// blocking (a FIFO or a link to `/dev/zero` in the folder is refused, not waited on or read).
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    docexam_base::untrusted_file::read_limited(path, MAX_TRUST_FILE).map_err(|e| e.to_string())
}

/// Every certificate and revocation list `bytes` holds, in whichever form.
fn parse_any(bytes: &[u8]) -> Found {
    let certs = |certs| Found {
        certs,
        ..Found::default()
    };
    if let Some(c) = Certificate::from_der(bytes) {
        return certs(vec![c]);
    }
    if let Some(l) = Crl::from_der(bytes) {
        return Found {
            crls: vec![l],
            ..Found::default()
        };
    }
    match masterlist::read(bytes) {
        Some(Ok(list)) => return certs(list.certificates),
        Some(Err(why)) => {
            return Found {
                refused: Some(format!("a CSCA master list that is not used: {why}")),
                ..Found::default()
            };
        }
        None => {}
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Found::default();
    };
    let pem = Certificate::from_pem(text);
    if !pem.is_empty() {
        return certs(pem);
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        let mut out = Vec::new();
        json_certificates(&json, &mut out);
        return certs(out);
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    certs(
        base64_any(&compact)
            .and_then(|b| Certificate::from_der(&b))
            .into_iter()
            .collect(),
    )
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
