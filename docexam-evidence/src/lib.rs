//! Evidence: the hash that names every piece of evidence, and the case — an append-only,
//! verifiable store of originals, derived artefacts and a hash-chained audit log.
//!
//! A lab must be able to show that what it examined is what was seized, untouched. Every file
//! enters a [`Case`] once, named by its blake3 ([`EvidenceHash`]) and never written again; every
//! action is an [`AuditEntry`] naming the hash of the entry before it; [`verify`] re-hashes
//! every file and walks the chain, naming exactly what changed.

pub mod archive;
mod aside;
mod atomic;
pub mod audit;
mod case;
pub mod checkfile;
mod describe;
pub use describe::one_line;
mod error;
use docexam_base::hash;
mod item;
mod lock;
mod manifest;
mod notes;
mod sign;
mod verify;

pub use aside::SetAside;
pub use audit::{Action, AuditEntry, Examination, LOG_FILE, Uncommitted};
pub use case::{AddOptions, Case, DERIVED, ORIGINALS, SIGNATURES};
pub use error::EvidenceError;
pub use hash::{EvidenceHash, ParseHashError};
pub use item::{ExtractedImage, Item};
pub use manifest::{CASE_FILE, CASE_FORMAT, LogEnd, Manifest, ManifestError};
pub use notes::{
    Annotation, Conclusion, ExaminerFinding, MAX_NOTE_CHARS, annotations_in, conclusion_in,
    region_text,
};
pub use sign::{LabKey, MAX_SIGNED_BYTES, key_id, load_public_key, verify_file, verify_signature};
pub use verify::{Problem, ProblemKind, Verification, verify};
