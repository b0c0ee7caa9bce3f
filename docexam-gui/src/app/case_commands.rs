//! The case's commands: opening, creating, closing and verifying a case, and what the
//! examiner records in it (annotations, conclusions, the PDF report). Case work runs on
//! background tasks; the case shown is the snapshot the last one left.

use std::path::PathBuf;

use docexam_core::evidence::{Annotation, Conclusion};

use super::Workstation;
use crate::case::CaseSnapshot;
use crate::command::Command;
use crate::tasks::TaskDone;

/// The case open at the workstation, if any, and whether it is being verified.
#[derive(Debug, Default)]
pub(super) struct CaseState {
    /// The case as the last task that read or wrote it left it.
    pub(super) snapshot: Option<CaseSnapshot>,
    /// Whether a verification is under way.
    pub(super) verifying: bool,
}

impl Workstation {
    /// Carries out a command of the case.
    pub(super) fn apply_case(&mut self, cmd: Command) {
        match cmd {
            Command::OpenCase(dir) => {
                self.stop_import_unless_into(Some(&dir));
                self.state.status = format!("Opening the case in {}", dir.display());
                self.tasks.spawn(move || {
                    let r = CaseSnapshot::load(&dir)
                        .map_err(|e| format!("Could not open the case: {e}"));
                    let status = format!("Case opened: {}", dir.display());
                    TaskDone::Case(r, status)
                });
            }
            Command::CreateCase(dir) => {
                self.stop_import_unless_into(Some(&dir));
                self.tasks.spawn(move || {
                    let r = crate::case::create(&dir)
                        .map_err(|e| format!("Could not create the case: {e}"));
                    let status = format!("Case created in {}", dir.display());
                    TaskDone::Case(r, status)
                });
            }
            Command::CloseCase => {
                self.stop_import_unless_into(None);
                if let Some(c) = self.case.snapshot.take() {
                    self.state.status = format!("Case {} closed", c.dir.display());
                }
            }
            Command::VerifyCase => {
                if let Some(c) = &self.case.snapshot {
                    let dir = c.dir.clone();
                    self.verify_case(dir);
                }
            }
            Command::Annotate(note) => self.annotate(note),
            Command::Conclude(finding, note) => {
                let Some(doc) = &self.doc else {
                    self.state.status = "No document is open: nothing to conclude on".into();
                    return;
                };
                if doc.items.is_empty() {
                    self.state.status =
                        "The document is not in the case: open it again with the case open".into();
                    return;
                }
                let conclusion = Conclusion {
                    document: doc.report.document.clone(),
                    items: doc.items.iter().map(|i| i.id).collect(),
                    finding,
                    note,
                };
                let done = format!(
                    "Conclusion recorded: {} — {}",
                    conclusion.document,
                    finding.label()
                );
                self.state.conclusion = Default::default();
                self.write_case(done, move |case, who| {
                    case.conclude(who, conclusion).map_err(|e| e.to_string())
                });
            }
            Command::ExportPdf(path) => self.export_pdf(path),
            other => debug_assert!(false, "{other:?} is not a case command"),
        }
    }

    /// The case open, if any.
    pub fn case(&self) -> Option<&CaseSnapshot> {
        self.case.snapshot.as_ref()
    }
    pub(super) fn verify_case(&mut self, dir: PathBuf) {
        self.case.verifying = true;
        self.tasks
            .spawn(move || TaskDone::Verified(dir.clone(), crate::case::verify_case(&dir)));
    }
    /// Starts a write to the open case: `f` runs on a worker with the case locked.
    pub(super) fn write_case(
        &mut self,
        done: String,
        f: impl FnOnce(&mut docexam_core::evidence::Case, &str) -> Result<(), String> + Send + 'static,
    ) {
        let Some(case) = &self.case.snapshot else {
            self.state.status = "No case is open: open or create one first (Case tab)".into();
            return;
        };
        let dir = case.dir.clone();
        self.tasks.spawn(move || {
            let r = crate::case::write(&dir, f);
            TaskDone::Case(r, done)
        });
    }
    /// Starts writing the PDF report of the open document to `path` (and, with a case open,
    /// storing it in the case and logging it with the examination's report).
    pub(super) fn export_pdf(&mut self, path: PathBuf) {
        let Some(doc) = &self.doc else {
            self.state.status = "No document is open: nothing to report".into();
            return;
        };
        let report = doc.report.clone();
        let images = doc.images.clone();
        let prepared = doc.prepared.clone();
        let items = doc.items.clone();
        let case = self
            .case
            .snapshot
            .as_ref()
            .filter(|_| !items.is_empty())
            .map(|c| (c.dir.clone(), c.id.clone(), c.examiner.clone()));
        self.state.report_dir = path.parent().map(std::path::Path::to_path_buf);
        self.state.status = format!("Writing the PDF report to {}", path.display());
        self.tasks.spawn(move || {
            let line = report.to_json_line();
            let rendered = docexam_core::examine::casework::render_pdf(
                &report,
                &line,
                &images,
                prepared.as_deref(),
                case.as_ref().map(|c| c.1.clone()),
                &items,
                match &case {
                    Some(c) => c.2.clone(),
                    None => crate::host::examiner(None),
                },
            );
            let bytes = match rendered {
                Ok(b) => b,
                Err(e) => {
                    return TaskDone::Status(format!("Could not make the PDF report: {e}"));
                }
            };
            if let Err(e) = write_new(&path, &bytes) {
                return TaskDone::Status(format!("Could not write {}: {e}", path.display()));
            }
            let written = format!(
                "PDF report written to {} (blake3 {})",
                path.display(),
                blake3::hash(&bytes).to_hex()
            );
            match case {
                Some((dir, ..)) => {
                    let r = crate::case::write(&dir, |case, who| {
                        docexam_core::examine::casework::record(
                            case,
                            who,
                            &items,
                            &report,
                            &line,
                            Some(&bytes),
                        )
                        .map(|_| ())
                        .map_err(|e| format!("{written}, but not logged in the case: {e}"))
                    });
                    TaskDone::Case(r, format!("{written}; stored and logged in the case"))
                }
                None => TaskDone::Status(written),
            }
        });
    }
    /// Records the mark being annotated with `note` on the shown capture's item.
    pub(super) fn annotate(&mut self, note: String) {
        let view = &self.state.view;
        let Some(mark) = view.mark else {
            self.state.status =
                "Nothing is marked: drag or click on the document in annotate mode".into();
            return;
        };
        let Some(doc) = &self.doc else {
            return;
        };
        let index = doc.capture(view.side, view.light);
        let Some(item) = index.and_then(|i| doc.item(i)) else {
            self.state.status =
                "The capture is not in a case: open or create a case, then open the document again"
                    .into();
            return;
        };
        let region_px = mark.map(f64::from);
        let [x, y, w, h] = region_px;
        let region_mm = index
            .and_then(|i| doc.report.registrations.get(i))
            .and_then(|c| c.registration.as_ref())
            .and_then(|g| g.mm_to_px.inverse())
            .and_then(|inv| {
                let (ax, ay) = inv.apply(x, y)?;
                let (bx, by) = inv.apply(x + w, y + h)?;
                Some([ax.min(bx), ay.min(by), (bx - ax).abs(), (by - ay).abs()])
            });
        let feature = view.selected.clone();
        let annotation = Annotation {
            document: doc.report.document.clone(),
            item: item.id,
            region_px,
            region_mm,
            feature,
            note,
        };
        let done = format!("Annotation recorded on item {}", item.id);
        self.state.note.clear();
        self.state.view.mark = None;
        self.write_case(done, move |case, who| {
            case.annotate(who, annotation).map_err(|e| e.to_string())
        });
    }
}

/// Writes `bytes` to a new file at `path` (its folder created): an existing file is never
/// overwritten.
pub(super) fn write_new(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
