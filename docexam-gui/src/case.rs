//! The case open at the workstation, as a snapshot the panels draw: its identity, its audit
//! log, its items, the examiner's annotations, and the outcome of the last verification.
//!
//! Everything here reads or appends through [`docexam_core::evidence`]: originals are stored
//! read-only by blake3, and the workstation only ever appends to the log; nothing it does can
//! alter an original.

use std::path::{Path, PathBuf};

use crate::document::{DocumentRef, Source};
use docexam_core::evidence::{
    Action, Annotation, AuditEntry, Case, Conclusion, Item, Verification, annotations_in,
    conclusion_in, verify,
};

/// What the panels show of the open case.
#[derive(Clone, Debug)]
pub struct CaseSnapshot {
    /// The case directory.
    pub dir: PathBuf,
    /// The case's identifier.
    pub id: String,
    /// The examiner acting (from the environment, else the case's examiner).
    pub examiner: String,
    /// The committed audit log, oldest first.
    pub entries: Vec<AuditEntry>,
    /// Every item received.
    pub items: Vec<Item>,
    /// The last verification, once one has run.
    pub verification: Option<VerifyOutcome>,
}

/// A document in a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDocument {
    /// Its name, as its examinations are logged.
    pub name: String,
    /// The items it is read from.
    pub items: Vec<u32>,
    /// The verdict of its latest examination (`no_anomaly_found`, `anomalies_found`,
    /// `inconclusive`), if it has been examined.
    pub result: Option<String>,
}

impl CaseDocument {
    /// The document to open: its items, read from the stored copies of the case in `dir`.
    pub fn questioned(&self, dir: &Path) -> DocumentRef {
        DocumentRef {
            name: self.name.clone(),
            source: Source::Items(dir.to_path_buf(), self.items.clone()),
        }
    }
}

/// The outcome of verifying a case.
#[derive(Clone, Debug)]
pub enum VerifyOutcome {
    /// Every entry chains, every stored file re-hashed to its name.
    Intact {
        /// Entries in the log.
        entries: u64,
        /// Items received.
        items: u64,
        /// Stored files re-hashed.
        files: u64,
    },
    /// The problems found, each naming what and where.
    Tampered(Vec<String>),
    /// Verification could not run.
    Failed(String),
}

impl VerifyOutcome {
    /// The outcome of `verify`.
    pub fn from_result(r: Result<Verification, String>) -> VerifyOutcome {
        match r {
            Ok(v) if v.is_intact() => VerifyOutcome::Intact {
                entries: v.entries,
                items: v.items as u64,
                files: v.files_checked as u64,
            },
            Ok(v) => VerifyOutcome::Tampered(
                v.problems
                    .iter()
                    .map(|p| format!("{}: {}", p.path, p.detail))
                    .collect(),
            ),
            Err(e) => VerifyOutcome::Failed(e),
        }
    }
}

impl CaseSnapshot {
    /// Reads the case in `dir` (without its lock: a writer elsewhere is not disturbed).
    pub fn load(dir: &Path) -> Result<CaseSnapshot, String> {
        let case = Case::open(dir).map_err(|e| e.to_string())?;
        Ok(CaseSnapshot::of(&case))
    }

    /// The snapshot of an open case.
    pub fn of(case: &Case) -> CaseSnapshot {
        let m = case.manifest();
        CaseSnapshot {
            dir: case.dir().to_path_buf(),
            id: m.case_id.clone(),
            examiner: crate::host::examiner(Some(&m.examiner)),
            entries: case.entries().to_vec(),
            items: case.items().cloned().collect(),
            verification: None,
        }
    }

    /// Every annotation recorded, oldest first.
    pub fn annotations(&self) -> impl Iterator<Item = &Annotation> {
        annotations_in(&self.entries)
    }

    /// The documents in the case, in the order they were first received: each with the items
    /// it was read from and the verdict of its latest examination (none yet for items
    /// received but not examined). Documents of the same name read from different items are
    /// listed apart.
    pub fn documents(&self) -> Vec<CaseDocument> {
        let mut docs: Vec<CaseDocument> = Vec::new();
        // A document is its name and its items: two documents of the same name (from two
        // folders, two imports) stay apart; examining one again updates its verdict.
        let same = |a: &[u32], b: &[u32]| {
            let (mut a, mut b) = (a.to_vec(), b.to_vec());
            a.sort_unstable();
            b.sort_unstable();
            a == b
        };
        for e in &self.entries {
            if let Action::Examine(x) = &e.action {
                match docs
                    .iter_mut()
                    .find(|d| d.name == x.document && same(&d.items, &x.items))
                {
                    Some(d) => d.result = Some(x.result.clone()),
                    None => docs.push(CaseDocument {
                        name: x.document.clone(),
                        items: x.items.clone(),
                        result: Some(x.result.clone()),
                    }),
                }
            }
        }
        let examined: std::collections::BTreeSet<u32> =
            docs.iter().flat_map(|d| d.items.iter().copied()).collect();
        for i in self.items.iter().filter(|i| !examined.contains(&i.id)) {
            let name = match i.page {
                Some(p) => format!("{}#{p}", i.document),
                None => i.document.clone(),
            };
            match docs
                .iter_mut()
                .find(|d| d.name == name && d.result.is_none())
            {
                Some(d) => d.items.push(i.id),
                None => docs.push(CaseDocument {
                    name,
                    items: vec![i.id],
                    result: None,
                }),
            }
        }
        let first = |d: &CaseDocument| d.items.iter().min().copied().unwrap_or(u32::MAX);
        docs.sort_by_key(first);
        docs
    }

    /// The latest conclusion recorded on `document`.
    pub fn conclusion(&self, document: &str) -> Option<&Conclusion> {
        conclusion_in(&self.entries, document)
    }
}

/// Creates a case in `dir` (empty or new) for the examiner the environment names.
pub fn create(dir: &Path) -> Result<CaseSnapshot, String> {
    let examiner = crate::host::examiner(None);
    let case = Case::init(dir, &examiner).map_err(|e| e.to_string())?;
    Ok(CaseSnapshot::of(&case))
}

/// Verifies the case in `dir`: the chain, the head, and every stored file re-hashed.
pub fn verify_case(dir: &Path) -> VerifyOutcome {
    VerifyOutcome::from_result(verify(dir, None).map_err(|e| e.to_string()))
}

/// Opens the case in `dir` for writing, does `f` with it, and returns the new snapshot.
pub fn write(
    dir: &Path,
    f: impl FnOnce(&mut Case, &str) -> Result<(), String>,
) -> Result<CaseSnapshot, String> {
    let mut case = Case::open_for_writing(dir).map_err(|e| e.to_string())?;
    let examiner = crate::host::examiner(Some(&case.manifest().examiner));
    f(&mut case, &examiner)?;
    Ok(CaseSnapshot::of(&case))
}

/// Whether `dir` holds a case.
pub fn is_case(dir: &Path) -> bool {
    dir.join(docexam_core::evidence::CASE_FILE).is_file()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use docexam_core::evidence::{AddOptions, Examination};

    use super::*;

    #[test]
    fn the_case_lists_each_document_once_with_its_latest_verdict() {
        let samples = docexam_core::specimen::bundled_dir()
            .unwrap()
            .join("samples");
        let tmp = tempfile::tempdir().unwrap();
        let mut case = Case::init(&tmp.path().join("case"), "examiner").unwrap();
        let mut add = |file: &str, document: &str| {
            let mut o = AddOptions::new("examiner");
            o.document = Some(document.into());
            case.add(&samples.join(file), &o).unwrap()[0].id
        };
        // Two documents named alike (from two folders), and one never examined.
        let a = vec![add("passport-genuine_front_white.jpg", "p1")];
        let b = vec![add("passport-photo-substituted_front_white.jpg", "p1")];
        let c = add("idcard-genuine_front_white.jpg", "id7");
        let mut log = |items: &[u32], result: &str| {
            let report = case.store_derived(result.as_bytes()).unwrap();
            let x = Examination {
                document: "p1".into(),
                items: items.to_vec(),
                specimen: None,
                specimen_hash: None,
                result: result.into(),
                report,
                pdf: None,
            };
            case.log_examination("examiner", x).unwrap();
        };
        log(&a, "no_anomaly_found");
        log(&b, "anomalies_found");
        log(&a, "inconclusive");
        let docs = CaseSnapshot::of(&case).documents();
        let seen: Vec<(&str, &[u32], Option<&str>)> = docs
            .iter()
            .map(|d| (d.name.as_str(), d.items.as_slice(), d.result.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("p1", a.as_slice(), Some("inconclusive")),
                ("p1", b.as_slice(), Some("anomalies_found")),
                ("id7", &[c][..], None),
            ]
        );
        let dir = case.dir().to_path_buf();
        assert_eq!(
            docs[1].questioned(&dir).source,
            Source::Items(dir.clone(), b.clone())
        );
    }
}
