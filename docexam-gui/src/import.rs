//! Importing several documents at once (files or folders dropped on the window or picked):
//! what was given is sorted into documents, and a worker thread examines them one after
//! another, reporting each verdict as it comes, with a progress bar across them all and a
//! cancel that stops within the document under way. With a case open, every file is received
//! into it (files that are neither image nor PDF are set aside: hashed into the log, not
//! stored) and every examination is logged.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use docexam_core::date::CivilDate;
use docexam_core::evidence::Case;
use docexam_core::examine::{Library, Verdict};
use docexam_core::ingest::folder::{NOT_A_SCAN, files_under, not_a_scan, under};

use crate::case::CaseSnapshot;
use crate::document::{
    DocumentRef, ExaminedDocument, OpenError, Progress, Reading, Source, open_document,
};
use crate::worker::{Cancel, Gone, Waker, Worker};

/// What was given, sorted.
#[derive(Debug, Default, PartialEq)]
pub struct SortedInputs {
    /// The documents, by folder and name.
    pub documents: Vec<DocumentRef>,
    /// Files in the folders that are neither an image nor a PDF, with their name under the
    /// folder given (set aside when a case is open).
    pub other: Vec<(PathBuf, String)>,
    /// What could not be looked into (a folder that cannot be listed, a broken link), each
    /// naming the path.
    pub problems: Vec<String>,
}

impl SortedInputs {
    /// Whether what was given is one document of files named directly (open it as such).
    pub fn single(&self, given: &[PathBuf]) -> Option<&DocumentRef> {
        match self.documents.as_slice() {
            [one] if given.iter().all(|p| p.is_file()) && self.problems.is_empty() => Some(one),
            _ => None,
        }
    }
}

/// Sorts `paths` into documents: folders are searched ([`files_under`]: hidden entries
/// skipped, each folder once), files are grouped by the naming convention within their folder
/// (`p17_front.png` and `p17_front_uv.png` are one document), files that are neither image nor
/// PDF are kept apart. A document found in a folder is named with its path under the folder
/// given (`bag1/p17`), and with that folder's own name first when several folders are given
/// (`seized-a/bag1/p17`), so documents of the same name stay apart. A file named directly is
/// taken whatever its content (its examination says what is wrong with it).
pub fn sort(paths: &[PathBuf]) -> SortedInputs {
    let mut found = SortedInputs::default();
    // (folder, its path under the folder given, document name) → the document's files.
    type Key = (PathBuf, String, String);
    let mut groups: BTreeMap<Key, Vec<PathBuf>> = BTreeMap::new();
    let mut add = |rel: &str, path: PathBuf| {
        let document =
            docexam_core::ingest::naming::from_file_name(&path.to_string_lossy()).document;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let key = (folder, rel.to_string(), document);
        groups.entry(key).or_default().push(path);
    };
    let folders = paths.iter().filter(|p| p.is_dir()).count();
    for p in paths {
        if !p.is_dir() {
            match std::fs::metadata(p) {
                Ok(_) => add("", p.clone()),
                Err(e) => found
                    .problems
                    .push(format!("cannot read {}: {e}", p.display())),
            }
            continue;
        }
        let root = match p.file_name() {
            Some(n) if folders > 1 => n.to_string_lossy().into_owned(),
            _ => String::new(),
        };
        let listed = files_under(std::slice::from_ref(p));
        found
            .problems
            .extend(listed.warnings.iter().map(ToString::to_string));
        for (path, rel) in listed.value {
            let rel = match root.as_str() {
                "" => rel,
                root if rel.is_empty() => root.to_string(),
                root => under(root, &rel),
            };
            if not_a_scan(&path) {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                found.other.push((path, under(&rel, &name)));
            } else {
                add(&rel, path);
            }
        }
    }
    found.documents = groups
        .into_iter()
        .map(|((_, rel, document), files)| {
            let mut q = DocumentRef::files(files);
            if !rel.is_empty() {
                q.name = under(&rel, &document);
            }
            q
        })
        .collect();
    found
}

/// One document of an import, once examined (or why it could not be).
#[derive(Clone, Debug)]
pub struct ImportedDocument {
    /// The document, read from the case's items when it was received into one (opening it
    /// again reads the stored copies).
    pub questioned: DocumentRef,
    /// The verdict and the assessment's summary, or why it could not be examined.
    pub outcome: Result<(Verdict, String), String>,
}

enum Message {
    Progress(Progress),
    ImportedDocument(ImportedDocument),
    /// More documents than counted so far (what was given sorted, a file's pages).
    Grew(usize),
    Problem(String),
    Finished(Ended),
}

/// How an import ended.
#[derive(Debug, Default)]
pub struct Ended {
    /// The case as it now is, when one is open (or why it could not be read).
    pub case: Option<Result<CaseSnapshot, String>>,
    /// The first document with anomalies (else the first examined), kept to be shown.
    pub shown: Option<Box<ExaminedDocument>>,
}

/// An import under way on a worker thread.
pub struct Import {
    worker: Worker<Message>,
    /// The case it receives into, when one is open.
    pub case: Option<PathBuf>,
    /// The documents to examine (grows as what was given is sorted and files turn out to
    /// have several pages).
    pub total: usize,
    /// The documents done (examined or failed).
    pub done: usize,
    /// The documents that could not be examined.
    pub failed: usize,
    /// The last progress reported.
    pub progress: Progress,
    /// When it started.
    pub started: std::time::Instant,
}

impl std::fmt::Debug for Import {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Import")
            .field("case", &self.case)
            .field("total", &self.total)
            .field("done", &self.done)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

/// What an import reported since it was last polled.
#[derive(Debug, Default)]
pub struct Reported {
    /// Documents examined (or failed).
    pub listed: Vec<ImportedDocument>,
    /// Problems with what was given (files set aside, folders unreadable).
    pub problems: Vec<String>,
    /// Set once the import has ended.
    pub finished: Option<Ended>,
}

/// Whether `a` should be shown rather than `b` at the end of an import: anomalies first, then
/// the first examined.
fn rather(a: &ExaminedDocument, b: Option<&ExaminedDocument>) -> bool {
    let anomalies = |x: &ExaminedDocument| x.report.assessment.result == Verdict::AnomaliesFound;
    b.is_none_or(|b| anomalies(a) && !anomalies(b))
}

impl Import {
    /// Starts an import on a new thread: `sort` finds the documents (it reads the folders
    /// given, so it runs there too), which are examined one after another against `library`
    /// (received into the case in `case` first, when one is open); `waker` is called after
    /// each report and when the worker ends, however it ends.
    pub fn start(
        sort: impl FnOnce() -> SortedInputs + Send + 'static,
        library: Arc<Library>,
        as_of: CivilDate,
        case: Option<PathBuf>,
        reading: Reading,
        waker: Option<Waker>,
    ) -> Import {
        let dir = case.clone();
        let worker = Worker::spawn(waker, move |out, flag| {
            let send = |m: Message| out.send(m);
            send(Message::Progress(Progress {
                stage: "sorting what was given into documents".into(),
                fraction: 0.0,
            }));
            let found = sort();
            send(Message::Grew(found.documents.len()));
            for p in &found.problems {
                send(Message::Problem(format!("{p}; skipped")));
            }
            let told = match &case {
                Some(dir) => set_aside(dir, &found.other),
                None => found
                    .other
                    .iter()
                    .map(|(_, source)| format!("{source}: {NOT_A_SCAN}; skipped"))
                    .collect(),
            };
            for p in told {
                send(Message::Problem(p));
            }
            let mut total = found.documents.len();
            let mut queue: VecDeque<DocumentRef> = found.documents.into();
            let mut done = 0usize;
            let mut shown: Option<Box<ExaminedDocument>> = None;
            while let Some(q) = queue.pop_front() {
                if flag.requested() {
                    break;
                }
                let (at, of) = (done, total);
                let report = |p: Progress| {
                    let stage = format!("{} of {of}: {} — {}", at + 1, q.name, p.stage);
                    let fraction = (at as f32 + p.fraction) / of.max(1) as f32;
                    send(Message::Progress(Progress { stage, fraction }));
                };
                // One hostile file must not end the import: a panic is that document's
                // failure.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    open_document(
                        &q,
                        &library,
                        as_of,
                        case.as_deref(),
                        &reading,
                        flag.flag(),
                        &report,
                    )
                }))
                .unwrap_or_else(|_| {
                    Err(OpenError::Failed(
                        "the examination stopped unexpectedly".into(),
                    ))
                });
                let listed = match r {
                    Ok(x) => {
                        let questioned = match &case {
                            Some(dir) if !x.items.is_empty() => DocumentRef {
                                name: x.questioned.name.clone(),
                                source: Source::Items(
                                    dir.clone(),
                                    x.items.iter().map(|i| i.id).collect(),
                                ),
                            },
                            _ => x.questioned.clone(),
                        };
                        let listed = ImportedDocument {
                            questioned,
                            outcome: Ok((
                                x.report.assessment.result,
                                x.report.assessment.summary.clone(),
                            )),
                        };
                        if rather(&x, shown.as_deref()) {
                            shown = Some(Box::new(x));
                        }
                        listed
                    }
                    Err(OpenError::Cancelled) => break,
                    Err(OpenError::Pages { pages, .. }) if pages >= 2 => {
                        let pages = q.pages(pages);
                        let more = pages.len().saturating_sub(1);
                        total += more;
                        send(Message::Grew(more));
                        for p in pages.into_iter().rev() {
                            queue.push_front(p);
                        }
                        continue;
                    }
                    Err(e) => ImportedDocument {
                        questioned: q.clone(),
                        outcome: Err(e.to_string()),
                    },
                };
                done += 1;
                send(Message::ImportedDocument(listed));
            }
            let case = case.as_deref().map(CaseSnapshot::load);
            send(Message::Finished(Ended { case, shown }));
        });
        Import {
            worker,
            case: dir,
            total: 0,
            done: 0,
            failed: 0,
            progress: Progress::starting(),
            started: std::time::Instant::now(),
        }
    }

    /// Asks the worker to stop within the document under way.
    pub fn cancel(&self) -> &Cancel {
        &self.worker.cancel
    }

    /// Takes what the worker has reported.
    pub fn poll(&mut self) -> Reported {
        let mut out = Reported::default();
        loop {
            match self.worker.try_next() {
                Ok(Some(m)) => {
                    self.take(m, &mut out);
                    // The last message: the worker is gone after it.
                    if out.finished.is_some() {
                        return out;
                    }
                }
                Ok(None) => return out,
                Err(Gone) => {
                    out.problems.push("the import stopped unexpectedly".into());
                    out.finished = Some(Ended::default());
                    return out;
                }
            }
        }
    }

    /// Waits for the import to end (for scripts and tests; the UI polls instead).
    pub fn wait(&mut self) -> Reported {
        let mut out = Reported::default();
        while out.finished.is_none() {
            match self.worker.next() {
                Ok(m) => self.take(m, &mut out),
                Err(Gone) => {
                    out.problems.push("the import stopped unexpectedly".into());
                    out.finished = Some(Ended::default());
                }
            }
        }
        out
    }

    fn take(&mut self, m: Message, out: &mut Reported) {
        match m {
            Message::Progress(p) => self.progress = p,
            Message::ImportedDocument(l) => {
                self.done += 1;
                self.failed += usize::from(l.outcome.is_err());
                out.listed.push(l);
            }
            Message::Grew(n) => self.total += n,
            Message::Problem(p) => out.problems.push(p),
            Message::Finished(s) => out.finished = Some(s),
        }
    }
}

/// Sets `files` aside in the case in `dir`: each hashed into its log as neither an image nor a
/// PDF, not stored. Returns what is worth telling the examiner.
fn set_aside(dir: &Path, files: &[(PathBuf, String)]) -> Vec<String> {
    if files.is_empty() {
        return Vec::new();
    }
    let mut case = match Case::open_for_writing(dir) {
        Ok(c) => c,
        Err(e) => {
            return vec![format!(
                "files that are not scans could not be set aside: {e}"
            )];
        }
    };
    let who = crate::host::examiner(Some(&case.manifest().examiner));
    let mut told = Vec::new();
    for (path, source) in files {
        match case.set_aside(&who, path, source, NOT_A_SCAN) {
            Ok(_) => told.push(format!(
                "{source}: {NOT_A_SCAN}; set aside (hashed into the case)"
            )),
            Err(e) => told.push(format!("{source}: could not be set aside: {e}")),
        }
    }
    told
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_sorted_into_documents_by_folder_and_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("bag1")).unwrap();
        std::fs::create_dir_all(d.join(".hidden")).unwrap();
        let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        for f in [
            "bag1/p1_front.png",
            "bag1/p1_front_uv.png",
            "p1_front.png",
            "p2.png",
            ".hidden/p3.png",
        ] {
            std::fs::write(d.join(f), png).unwrap();
        }
        std::fs::write(d.join("bag1/notes.txt"), "seized at gate 4").unwrap();
        let found = sort(&[d.to_path_buf()]);
        let names: Vec<&str> = found.documents.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["p1", "p2", "bag1/p1"]);
        assert_eq!(found.documents[2].paths().len(), 2);
        assert_eq!(found.documents[2].document(), "bag1/p1");
        assert_eq!(found.other.len(), 1);
        assert_eq!(found.other[0].1, "bag1/notes.txt");
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert!(found.single(&[d.to_path_buf()]).is_none());
        // The files of one document named directly: one document, opened as such.
        let given = vec![d.join("bag1/p1_front.png"), d.join("bag1/p1_front_uv.png")];
        let found = sort(&given);
        assert_eq!(found.single(&given).map(|q| q.name.as_str()), Some("p1"));
        // Two folders holding documents of the same name: told apart by the folders' names.
        for f in ["a/p1.png", "b/p1.png"] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), png).unwrap();
        }
        let found = sort(&[d.join("a"), d.join("b")]);
        let names: Vec<&str> = found.documents.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["a/p1", "b/p1"]);
        // A path that is not there is named.
        let found = sort(&[d.join("gone.png")]);
        assert!(
            found.problems[0].contains("gone.png"),
            "{:?}",
            found.problems
        );
    }
}
