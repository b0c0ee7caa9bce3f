//! The audit log: one JSON object per line, each naming the hash of the line before it, so
//! that any change, removal, reordering or truncation breaks the chain.

use serde::{Deserialize, Serialize};

use super::aside::SetAside;
use super::hash::EvidenceHash;
use super::item::Item;
use super::notes::{Annotation, Conclusion};
use docexam_base::date::Timestamp;

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
        /// blake3 of the archive.
        archive_hash: EvidenceHash,
    },
    /// Entries an interrupted write left after the committed head were moved out of the log
    /// into `discarded/`, so the next write could proceed; nothing is deleted.
    Discard {
        /// Bytes moved out.
        bytes: u64,
        /// blake3 of those bytes, the name of the file under `discarded/`.
        hash: EvidenceHash,
    },
    /// The case was created from an archive that verified.
    Import {
        /// The archive's file name.
        archive: String,
        /// blake3 of the archive.
        archive_hash: EvidenceHash,
    },
    /// A document was examined; its reports are stored under `derived/`.
    Examine(Examination),
    /// The examiner marked a region of an item's image with a note.
    Annotate(Annotation),
    /// The examiner recorded a conclusion on a document.
    Conclude(Conclusion),
    /// A file found among the inputs was not received (neither image nor PDF, or too damaged
    /// to read); its hash and size are recorded, the file is not stored.
    SetAside(SetAside),
}

/// The outcome of one examination, as the audit log records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Examination {
    /// The document's name.
    pub document: String,
    /// The items examined (their numbers in the case).
    pub items: Vec<u32>,
    /// The specimen compared with, when one was identified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specimen: Option<String>,
    /// blake3 of that specimen's manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specimen_hash: Option<EvidenceHash>,
    /// The assessment (`no_anomaly_found`, `anomalies_found`, `inconclusive`).
    pub result: String,
    /// blake3 of the JSON report, stored under `derived/`.
    pub report: EvidenceHash,
    /// blake3 of the PDF report, stored under `derived/`, when one was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<EvidenceHash>,
}

impl Action {
    /// The files under the case's areas this action records: (area, hash).
    pub fn stored_files(&self) -> Vec<(&'static str, EvidenceHash)> {
        use super::case::{DERIVED, DISCARDED, ORIGINALS};
        match self {
            Action::Add { item } => {
                let mut v = vec![(ORIGINALS, item.original)];
                v.extend(item.extracted.as_ref().map(|x| (DERIVED, x.hash)));
                v
            }
            Action::Discard { hash, .. } => vec![(DISCARDED, *hash)],
            Action::Examine(x) => {
                let mut v = vec![(DERIVED, x.report)];
                v.extend(x.pdf.map(|h| (DERIVED, h)));
                v
            }
            _ => Vec::new(),
        }
    }

    /// A short name for listings.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Init { .. } => "init",
            Action::Add { .. } => "add",
            Action::Sign { .. } => "sign",
            Action::Export { .. } => "export",
            Action::Discard { .. } => "discard",
            Action::Import { .. } => "import",
            Action::Examine(_) => "examine",
            Action::Annotate(_) => "annotate",
            Action::Conclude(_) => "conclude",
            Action::SetAside(_) => "set_aside",
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
    /// For each chained entry, the byte offset just past its line and the hash of its line.
    pub ends: Vec<(u64, EvidenceHash)>,
    /// Where the chain breaks, if it does.
    pub break_at: Option<ChainBreak>,
}

impl Chain {
    /// Byte length of the first `n` chained lines (`None` if fewer chain).
    pub fn len_of(&self, n: usize) -> Option<u64> {
        match n {
            0 => Some(0),
            _ => self.ends.get(n - 1).map(|(end, _)| *end),
        }
    }

    /// Hash of the `n`-th chained line, zero for none (`None` if fewer chain).
    pub fn head_of(&self, n: usize) -> Option<EvidenceHash> {
        match n {
            0 => Some(EvidenceHash::zero()),
            _ => self.ends.get(n - 1).map(|(_, h)| *h),
        }
    }

    /// What `log` (the bytes this chain was followed from) holds after its first `committed`
    /// entries.
    ///
    /// A writer appends the entries of one commit, syncs, and only then moves the head in
    /// `case.json`; an interrupted write therefore leaves complete entries of one commit (one
    /// time, one actor) chained to the head, then at most one line cut short. Anything else
    /// after the head was not left by docexam.
    pub fn uncommitted(&self, log: &[u8], committed: usize) -> Uncommitted {
        let Some(committed_len) = self.len_of(committed) else {
            return Uncommitted::Foreign {
                bytes: log.len() as u64,
                entries: 0,
            };
        };
        let bytes = (log.len() as u64).saturating_sub(committed_len);
        if bytes == 0 {
            return Uncommitted::None;
        }
        let after = self.entries.get(committed..).unwrap_or_default();
        let one_commit = committed > 0
            && after
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.time == b.time && a.actor == b.actor));
        let chained_len = self.len_of(self.entries.len()).unwrap_or(committed_len);
        let cut_short_line = usize::try_from(chained_len)
            .ok()
            .and_then(|n| log.get(n..))
            .is_some_and(|rest| !rest.contains(&b'\n'));
        if one_commit && cut_short_line {
            Uncommitted::Interrupted {
                bytes,
                entries: after.len(),
            }
        } else {
            Uncommitted::Foreign {
                bytes,
                entries: after.len(),
            }
        }
    }
}

/// What a log holds after its committed entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uncommitted {
    /// Nothing.
    None,
    /// What one interrupted write leaves: not part of the case, safe to set aside.
    Interrupted {
        /// Bytes after the committed entries.
        bytes: u64,
        /// Complete entries among them.
        entries: usize,
    },
    /// More than one interrupted write leaves: `case.json` was moved back, or entries were
    /// appended by hand.
    Foreign {
        /// Bytes after the committed entries.
        bytes: u64,
        /// Complete entries among them that chain to the head.
        entries: usize,
    },
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
    let mut ends = Vec::new();
    let mut head = EvidenceHash::zero();
    let mut offset = 0u64;
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
        offset += raw.len() as u64;
        ends.push((offset, head));
        entries.push(entry);
    }
    Chain {
        entries,
        ends,
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
                archive_hash: EvidenceHash::zero(),
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
        assert_eq!(chain.len_of(5), Some(bytes.len() as u64));
        assert_eq!(chain.len_of(6), None);
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
                    c.break_at.is_some() || c.head_of(3) != intact.head_of(3),
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
