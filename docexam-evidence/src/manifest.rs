//! `case.json`: what the case is and where its committed log ends.

use serde::{Deserialize, Serialize};

use super::hash::EvidenceHash;
use docexam_base::date::Timestamp;

/// Name of the manifest in a case directory.
pub const CASE_FILE: &str = "case.json";

/// The format tag of the case layout.
pub const CASE_FORMAT: &str = "docexam-case/1";

/// The case manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Layout version ([`CASE_FORMAT`]).
    pub format: String,
    /// Random identifier of the case.
    pub case_id: String,
    /// When the case was created.
    pub created: Timestamp,
    /// The examiner named at creation.
    pub examiner: String,
    /// The end of the committed log.
    pub head: LogEnd,
}

/// Why `case.json` cannot be read as this docexam's manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON of a manifest's shape (the parser says where).
    #[error("case.json is not a docexam manifest: {0}")]
    NotAManifest(#[source] serde_json::Error),
    /// A manifest of another layout (a later or earlier docexam).
    #[error("case.json declares the layout {found:?}; this docexam reads {CASE_FORMAT:?}")]
    OtherLayout {
        /// The layout it declares.
        found: String,
    },
}

/// The committed end of the audit log: entries after it belong to an interrupted write.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEnd {
    /// Number of committed entries.
    pub entries: u64,
    /// Hash of the last committed line.
    pub hash: EvidenceHash,
}

impl Manifest {
    /// Parses `case.json`, refusing another layout.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        let m: Manifest = serde_json::from_slice(bytes).map_err(ManifestError::NotAManifest)?;
        if m.format != CASE_FORMAT {
            return Err(ManifestError::OtherLayout { found: m.format });
        }
        Ok(m)
    }

    /// The exact bytes docexam writes for this manifest (verification compares them).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }
}
