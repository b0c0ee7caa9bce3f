//! The audit log: one JSON object per line, each naming the hash of the line before it, so
//! that any change, removal, reordering or truncation breaks the chain.

use serde::{Deserialize, Serialize};

use super::hash::EvidenceHash;
use super::item::Item;
use crate::date::Timestamp;

/// Name of the audit log in a case directory.
pub const LOG_FILE: &str = "audit.jsonl";

/// One audit-log entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it happened (UTC).
    pub time: Timestamp,
    /// Who did it (the examiner).
    pub actor: String,
    /// What was done.
    pub action: Action,
    /// The tool and version that did it.
    pub tool: String,
    /// Every evidence hash the action involves.
    pub hashes: Vec<EvidenceHash>,
    /// Hash of the previous line of the log (all zeros for the first).
    pub prev: EvidenceHash,
}

/// What an audit entry records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// The case was created.
    Init {
        /// The case's random identifier.
        case_id: String,
        /// The default examiner.
        examiner: String,
    },
    /// A file was received and registered as an item (one entry per item: a PDF or
    /// multi-page TIFF gives one per page).
    Add {
        /// The item.
        item: Item,
    },
    /// The head of the log was signed.
    Sign {
        /// The number of entries the signature covers.
        entries: u64,
        /// The blake3 hash of the signing key's public key.
        key: EvidenceHash,
    },
    /// The case was written to an archive.
    Export {
        /// The archive's file name.
        archive: String,
    },
    /// The case was created from an archive that verified.
    Import {
        /// The archive's file name.
        archive: String,
        /// blake3 of the archive.
        archive_hash: EvidenceHash,
    },
}

impl Action {
    /// A short name for listings.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Init { .. } => "init",
            Action::Add { .. } => "add",
            Action::Sign { .. } => "sign",
            Action::Export { .. } => "export",
            Action::Import { .. } => "import",
        }
    }
}

/// The tool string written into every entry.
pub fn tool() -> String {
    format!("docexam {}", env!("CARGO_PKG_VERSION"))
}

/// The hash that links a line to the next: blake3 of its bytes without the newline.
pub fn line_hash(line: &[u8]) -> EvidenceHash {
    EvidenceHash::of_bytes(line)
}

/// How far the log holds together.
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    /// The entries that parse and chain, in order.
    pub entries: Vec<AuditEntry>,
    /// Hash of the last chained line (zero if none).
    pub head: EvidenceHash,
    /// Byte length of the chained lines, newlines included.
    pub chained_len: u64,
    /// Where the chain breaks, if it does.
    pub break_at: Option<ChainBreak>,
}

/// Where and why the chain breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainBreak {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong there.
    pub problem: ChainProblem,
}

/// Why the chain breaks at a line.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ChainProblem {
    /// The line is not a valid entry (edited, or cut short).
    Unreadable(String),
    /// The last line has no newline: an append was cut short.
    Unterminated,
    /// The entry's number is not its position: an entry was removed, inserted or moved.
    Sequence {
        /// The number expected at this position.
        expected: u64,
        /// The number found.
        found: u64,
    },
    /// The entry does not name the previous line's hash: the previous line was edited, or
    /// entries were removed or reordered.
    Link,
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Unreadable(e) => write!(f, "not a valid audit entry ({e})"),
            ChainProblem::Unterminated => write!(f, "the last entry is cut short (no newline)"),
            ChainProblem::Sequence { expected, found } => write!(
                f,
                "entry number {found} where {expected} belongs: an entry was removed, inserted or moved"
            ),
            ChainProblem::Link => write!(
                f,
                "does not name the hash of the line before it: that line was edited, or entries \
                 were removed or reordered"
            ),
        }
    }
}

/// Reads a log's bytes and follows the chain as far as it holds.
pub fn follow(bytes: &[u8]) -> Chain {
    let mut entries = Vec::new();
    let mut head = EvidenceHash::zero();
    let mut offset = 0usize;
    let mut break_at = None;
    for (i, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        let Some(line) = raw.strip_suffix(b"\n") else {
            break_at = Some(ChainBreak {
                line: line_no,
                problem: ChainProblem::Unterminated,
            });
            break;
        };
        let entry: AuditEntry = match serde_json::from_slice(line) {
            Ok(e) => e,
            Err(e) => {
                let problem = ChainProblem::Unreadable(e.to_string());
                break_at = Some(ChainBreak {
                    line: line_no,
                    problem,
                });
                break;
            }
        };
        let expected = entries.len() as u64;
        if entry.seq != expected {
            let problem = ChainProblem::Sequence {
                expected,
                found: entry.seq,
            };
            break_at = Some(ChainBreak {
                line: line_no,
                problem,
            });
            break;
        }
        if entry.prev != head {
            break_at = Some(ChainBreak {
                line: line_no,
                problem: ChainProblem::Link,
            });
            break;
        }
        head = line_hash(line);
        offset += raw.len();
        entries.push(entry);
    }
    Chain {
        entries,
        head,
        chained_len: offset as u64,
        break_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, prev: EvidenceHash) -> AuditEntry {
        AuditEntry {
            seq,
            time: Timestamp::from_unix_ms(1_795_996_021_123 + seq as i64),
            actor: "examiner".into(),
            action: Action::Export {
                archive: format!("a{seq}.tar"),
            },
            tool: tool(),
            hashes: vec![],
            prev,
        }
    }

    fn log(n: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut prev = EvidenceHash::zero();
        for seq in 0..n {
            let line = serde_json::to_vec(&entry(seq, prev)).unwrap();
            prev = line_hash(&line);
            out.extend_from_slice(&line);
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn an_intact_log_chains_to_its_end() {
        let bytes = log(5);
        let chain = follow(&bytes);
        assert_eq!(chain.entries.len(), 5);
        assert_eq!(chain.break_at, None);
        assert_eq!(chain.chained_len, bytes.len() as u64);
    }

    #[test]
    fn every_single_bit_flip_breaks_the_chain_or_its_head() {
        let bytes = log(3);
        let intact = follow(&bytes);
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                let c = follow(&b);
                assert!(
                    c.break_at.is_some() || c.head != intact.head,
                    "flip at byte {i} bit {bit} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn removal_reordering_and_cut_short_appends_are_named() {
        let bytes = log(4);
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        let removed = [lines[0], lines[2], lines[3]].concat();
        assert!(matches!(
            follow(&removed).break_at,
            Some(ChainBreak {
                line: 2,
                problem: ChainProblem::Sequence {
                    expected: 1,
                    found: 2
                }
            })
        ));
        let swapped = [lines[0], lines[2], lines[1], lines[3]].concat();
        assert_eq!(follow(&swapped).break_at.unwrap().line, 2);
        let cut = &bytes[..bytes.len() - 10];
        let c = follow(cut);
        assert_eq!(c.entries.len(), 3);
        assert_eq!(c.break_at.unwrap().problem, ChainProblem::Unterminated);
    }
}
