//! The import's commands: what was dropped or picked is sorted into documents, examined one
//! after another on a worker, and listed with its verdict; the list and the problems met stay
//! until cleared.

use std::path::PathBuf;

use super::Workstation;
use crate::case::CaseSnapshot;
use crate::command::Command;
use crate::import::{Import, ImportedDocument};

/// The imports of the session: the one under way, what they listed and what they met.
#[derive(Debug, Default)]
pub(super) struct Imports {
    /// The import under way.
    pub(super) running: Option<Import>,
    /// The documents of the imports, as examined.
    pub(super) documents: Vec<ImportedDocument>,
    /// What the imports could not take (or set aside).
    pub(super) problems: Vec<String>,
    /// The imports ended: how many, and the last one's documents and seconds.
    pub(super) ended: (u64, usize, f64),
}

impl Workstation {
    /// Carries out a command of the import.
    pub(super) fn apply_import(&mut self, cmd: Command) {
        match cmd {
            Command::Import(paths) => self.import(paths),
            Command::CancelImport => {
                if let Some(i) = &self.imports.running {
                    i.cancel().request();
                    self.state.status = "Cancelling the import…".into();
                }
            }
            Command::ClearImported => {
                self.imports.documents.clear();
                self.imports.problems.clear();
            }
            other => debug_assert!(false, "{other:?} is not an import command"),
        }
    }

    /// Blocks until the import under way ends and takes in what it reported (for scripts and
    /// tests: the window polls instead).
    pub fn wait_import(&mut self) {
        if let Some(mut import) = self.imports.running.take() {
            let reported = import.wait();
            self.imports.running = Some(import);
            self.take_imported(reported);
        }
    }
    /// The documents of the imports so far, as examined.
    pub fn imported(&self) -> &[ImportedDocument] {
        &self.imports.documents
    }
    /// What the imports could not take, or set aside.
    pub fn import_problems(&self) -> &[String] {
        &self.imports.problems
    }
    /// Takes in what the import reported; once it has ended, the case as it now is and a
    /// status line tallying the verdicts.
    pub(super) fn take_imported(&mut self, reported: crate::import::Reported) {
        self.imports.documents.extend(reported.listed);
        self.imports.problems.extend(reported.problems);
        let Some(finished) = reported.finished else {
            return;
        };
        let import = self.imports.running.take();
        let (done, total, failed) = import
            .as_ref()
            .map_or((0, 0, 0), |i| (i.done, i.total, i.failed));
        let cancelled = import.as_ref().is_some_and(|i| i.cancel().requested());
        let secs = import
            .as_ref()
            .map_or(0.0, |i| i.started.elapsed().as_secs_f64());
        self.imports.ended = (self.imports.ended.0 + 1, done, secs);
        // The case as the import left it, if it is still the one open.
        let open = self.case.snapshot.as_ref().map(|c| c.dir.clone());
        match finished.case {
            Some(Ok(snapshot)) if Some(&snapshot.dir) == open.as_ref() => {
                self.case.snapshot = Some(CaseSnapshot {
                    verification: None,
                    ..snapshot
                });
            }
            Some(Err(e)) => self.imports.problems.push(format!("the case: {e}")),
            _ => {}
        }
        let examined = done - failed;
        let not = if failed > 0 {
            format!(", {failed} could not be")
        } else {
            String::new()
        };
        self.state.status = if cancelled && done < total {
            format!("Import cancelled: {examined} of {total} documents examined{not}")
        } else {
            format!("Import done: {examined} documents examined{not} (Documents, left)")
        };
        // Nothing on screen: the import's first document with anomalies (else its first),
        // kept by the worker, is shown as it was examined.
        if let Some(mut shown) = finished.shown
            && self.doc.is_none()
            && self.job.is_none()
            && !cancelled
        {
            let status = format!("{}; showing {}", self.state.status, shown.questioned.name);
            shown.case = None;
            let questioned = shown.questioned.clone();
            self.finish(questioned, Ok(*shown));
            self.state.status = status;
        }
    }
    /// Starts importing `paths`: one document of files named directly is opened; anything
    /// more is examined document by document on a worker.
    pub(super) fn import(&mut self, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            self.state.status = "Nothing to open".into();
            return;
        }
        // Folders are searched on the worker (a large or remote folder takes time); files
        // named directly are sorted here, to open one document at once.
        if paths.iter().any(|p| p.is_dir()) {
            self.start_import(move || crate::import::sort(&paths));
            return;
        }
        let found = crate::import::sort(&paths);
        if let Some(one) = found.single(&paths) {
            let one = one.clone();
            self.open(one);
            return;
        }
        self.start_import(move || found);
    }
    /// Starts an import of what `sort` finds; false when one is already under way.
    pub(super) fn start_import(
        &mut self,
        sort: impl FnOnce() -> crate::import::SortedInputs + Send + 'static,
    ) -> bool {
        if self.imports.running.is_some() {
            self.state.status =
                "An import is under way: wait for it to end or cancel it, then import again".into();
            return false;
        }
        self.state.status = "Importing".into();
        let case = self.case.snapshot.as_ref().map(|c| c.dir.clone());
        self.imports.running = Some(Import::start(
            sort,
            self.setup.library.clone(),
            self.setup.as_of,
            case,
            self.setup.reading.clone(),
            self.setup.waker.clone(),
        ));
        true
    }
    /// Stops the import under way when it receives into another case than `dir`.
    pub(super) fn stop_import_unless_into(&mut self, dir: Option<&std::path::Path>) {
        if let Some(i) = &self.imports.running
            && i.case.as_deref() != dir
        {
            i.cancel().request();
        }
    }
    /// How many imports have ended, and the last one's documents examined and seconds taken
    /// (for timing).
    pub fn imports_ended(&self) -> (u64, usize, f64) {
        self.imports.ended
    }
}
