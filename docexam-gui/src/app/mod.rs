//! The workstation: the app state, the document open in it, the worker examining the next one,
//! and the layout. Panels return [`Command`]s; [`Workstation::apply`] carries them out.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use docexam_core::date::CivilDate;
use docexam_core::examine::Library;
use docexam_core::ingest::{LightSource, Side};
use egui::RichText;

use crate::barcode_panel::barcodes_ui;
use crate::case::CaseSnapshot;
use crate::case_panel::case_ui;
use crate::command::Command;
use crate::dialogs::{self, Dialog};
use crate::document::{DocumentRef, ExaminedDocument, OpenError, Reading};
use crate::document_view::{ViewRuntime, document_view_ui};
use crate::documents_panel::{Running, documents_ui};
use crate::evidence_panel::evidence_ui;
use crate::feature_detail::{DetailView, feature_detail_ui};
use crate::findings_panel::findings_ui;
use crate::import::{Import, ImportedDocument};
use crate::mrz_panel::report_mrz_ui;
use crate::start_panel::start_ui;
use crate::state::{AppState, Tab, Theme, ViewState};
use crate::style::{install_fonts, verdict};
use crate::tasks::{TaskDone, Tasks};
use crate::tiles::TiledImage;
use crate::worker::{Job, Waker};
use docexam_core::evidence::{Annotation, Conclusion};

/// The keyboard shortcuts, as the help shows them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("L", "next light source (white → UV → IR)"),
    ("1 / 2 / 3", "white / UV / IR"),
    ("B", "other side"),
    ("R", "reference specimen ↔ questioned document"),
    ("N", "next failed or inconclusive feature"),
    ("O", "feature outlines on / off"),
    ("M", "loupe on / off"),
    ("0", "fit the page"),
    ("=", "actual pixels (1:1)"),
    ("+ / −", "zoom in / out"),
    ("Esc", "clear the selection and the ruler"),
    ("T", "light / dark theme"),
    ("A", "annotate: drag a rectangle or click a point"),
    ("Ctrl+O", "open the images of a document (or of several)"),
];

/// The examiner's workstation.
pub struct Workstation {
    /// What is shown and remembered.
    pub state: AppState,
    library: Arc<Library>,
    as_of: CivilDate,
    job: Option<Job>,
    import: Option<Import>,
    /// The documents of the imports, as examined.
    imported: Vec<ImportedDocument>,
    /// What the imports could not take (or set aside).
    import_problems: Vec<String>,
    reading: Reading,
    /// Wakes the UI when a worker reports (set once the window exists).
    waker: Option<Waker>,
    doc: Option<ExaminedDocument>,
    tiles: HashMap<String, TiledImage>,
    detail: Option<DetailView>,
    view_rt: ViewRuntime,
    documents: Vec<(String, Vec<PathBuf>)>,
    documents_title: String,
    fonts_installed: bool,
    applied_theme: Option<Theme>,
    tasks: Tasks,
    case: Option<CaseSnapshot>,
    verifying: bool,
    open_started: Option<std::time::Instant>,
    shown: u64,
    /// The imports ended: how many, and the last one's documents and seconds.
    imports_ended: (u64, usize, f64),
}

impl std::fmt::Debug for Workstation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workstation")
            .field("state", &self.state)
            .field("job", &self.job)
            .field("document", &self.doc.as_ref().map(|d| &d.report.document))
            .finish_non_exhaustive()
    }
}

impl Workstation {
    /// A workstation with `state`, examining against `library` as of today; the start page
    /// offers the bundled samples.
    pub fn new(state: AppState, library: Library) -> Workstation {
        Workstation {
            state,
            library: Arc::new(library),
            as_of: CivilDate::today_utc(),
            job: None,
            import: None,
            imported: Vec::new(),
            import_problems: Vec::new(),
            reading: Reading::default(),
            waker: None,
            doc: None,
            tiles: HashMap::new(),
            detail: None,
            view_rt: ViewRuntime::default(),
            documents: crate::document::bundled_samples(),
            documents_title: "Bundled sample documents".into(),
            fonts_installed: false,
            applied_theme: None,
            tasks: Tasks::default(),
            case: None,
            verifying: false,
            open_started: None,
            shown: 0,
            imports_ended: (0, 0, 0.0),
        }
    }

    /// Has workers wake the UI through `waker` when they report (the window's
    /// `request_repaint`), instead of the UI polling them many times a second.
    pub fn set_waker(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }

    /// Prepares every specimen of the library on a background thread, so the first document
    /// opened does not wait for its specimen's reference images.
    pub fn prepare_specimens(&self) {
        let library = self.library.clone();
        std::thread::spawn(move || library.prepare_all());
    }

    /// Judges validity and expiry as of `date` instead of today.
    pub fn as_of(mut self, date: CivilDate) -> Workstation {
        self.as_of = date;
        self
    }

    /// Reads PDFs with `reading` (the program that extracts their pages) instead of the
    /// running program.
    pub fn reading(mut self, reading: Reading) -> Workstation {
        self.reading = reading;
        self
    }

    /// Offers `documents` on the start page under `title` instead of the bundled samples.
    pub fn offering(mut self, title: &str, documents: Vec<(String, Vec<PathBuf>)>) -> Workstation {
        self.documents_title = title.into();
        self.documents = documents;
        self
    }

    /// The document open, once examined.
    pub fn document(&self) -> Option<&ExaminedDocument> {
        self.doc.as_ref()
    }

    /// Whether an examination or an import is under way.
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.import.is_some()
    }

    /// Blocks until the examination under way ends and takes its result (for scripts and
    /// tests: the window polls instead).
    pub fn wait(&mut self) {
        if let Some(job) = self.job.take() {
            let questioned = job.questioned.clone();
            let r = job.wait();
            self.finish(questioned, r);
        }
    }

    /// Blocks until the import under way ends and takes in what it reported (for scripts and
    /// tests: the window polls instead).
    pub fn wait_import(&mut self) {
        if let Some(mut import) = self.import.take() {
            let reported = import.wait();
            self.import = Some(import);
            self.take_imported(reported);
        }
    }

    /// The documents of the imports so far, as examined.
    pub fn imported(&self) -> &[ImportedDocument] {
        &self.imported
    }

    /// What the imports could not take, or set aside.
    pub fn import_problems(&self) -> &[String] {
        &self.import_problems
    }

    /// Takes in what the import reported; once it has ended, the case as it now is and a
    /// status line tallying the verdicts.
    fn take_imported(&mut self, reported: crate::import::Reported) {
        self.imported.extend(reported.listed);
        self.import_problems.extend(reported.problems);
        let Some(finished) = reported.finished else {
            return;
        };
        let import = self.import.take();
        let (done, total, failed) = import
            .as_ref()
            .map_or((0, 0, 0), |i| (i.done, i.total, i.failed));
        let cancelled = import.as_ref().is_some_and(|i| i.cancel.requested());
        let secs = import
            .as_ref()
            .map_or(0.0, |i| i.started.elapsed().as_secs_f64());
        self.imports_ended = (self.imports_ended.0 + 1, done, secs);
        // The case as the import left it, if it is still the one open.
        let open = self.case.as_ref().map(|c| c.dir.clone());
        match finished.case {
            Some(Ok(snapshot)) if Some(&snapshot.dir) == open.as_ref() => {
                self.case = Some(CaseSnapshot {
                    verification: None,
                    ..snapshot
                });
            }
            Some(Err(e)) => self.import_problems.push(format!("the case: {e}")),
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

    /// Starts examining `questioned` (stopping the examination under way, if any).
    fn open(&mut self, questioned: DocumentRef) {
        if let Some(j) = &self.job {
            j.cancel.request();
        }
        if let crate::document::Source::Files(files) = &questioned.source {
            self.state.remember(files);
        }
        self.state.status = format!("Examining {}", questioned.name);
        let case = self.case.as_ref().map(|c| c.dir.clone());
        self.open_started = Some(std::time::Instant::now());
        self.job = Some(Job::start(
            questioned,
            self.library.clone(),
            self.as_of,
            case,
            self.reading.clone(),
            self.waker.clone(),
        ));
    }

    /// Starts importing `paths`: one document of files named directly is opened; anything
    /// more is examined document by document on a worker.
    fn import(&mut self, paths: Vec<PathBuf>) {
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
    fn start_import(
        &mut self,
        sort: impl FnOnce() -> crate::import::SortedInputs + Send + 'static,
    ) -> bool {
        if self.import.is_some() {
            self.state.status =
                "An import is under way: wait for it to end or cancel it, then import again".into();
            return false;
        }
        self.state.status = "Importing".into();
        let case = self.case.as_ref().map(|c| c.dir.clone());
        self.import = Some(Import::start(
            sort,
            self.library.clone(),
            self.as_of,
            case,
            self.reading.clone(),
            self.waker.clone(),
        ));
        true
    }

    /// Stops the import under way when it receives into another case than `dir`.
    fn stop_import_unless_into(&mut self, dir: Option<&std::path::Path>) {
        if let Some(i) = &self.import
            && i.case.as_deref() != dir
        {
            i.cancel.request();
        }
    }

    /// How many examinations have been shown, and when the last open began (for timing).
    pub fn opened(&self) -> (u64, Option<std::time::Instant>) {
        (self.shown, self.open_started)
    }

    /// How many imports have ended, and the last one's documents examined and seconds taken
    /// (for timing).
    pub fn imports_ended(&self) -> (u64, usize, f64) {
        self.imports_ended
    }

    /// The case open, if any.
    pub fn case(&self) -> Option<&CaseSnapshot> {
        self.case.as_ref()
    }

    /// Blocks until every background task (PDF reports, case work, dialogs) has ended, and
    /// takes in their outcomes (for scripts and tests: the window polls instead).
    pub fn wait_tasks(&mut self) {
        while self.tasks.busy() {
            for o in self.tasks.wait() {
                self.take(o);
            }
        }
    }

    fn take(&mut self, outcome: TaskDone) {
        match outcome {
            TaskDone::Status(m) => self.state.status = m,
            TaskDone::Case(Ok(snapshot), status) => {
                let reopened = self.case.as_ref().is_none_or(|c| c.dir != snapshot.dir);
                let verification = self
                    .case
                    .as_ref()
                    .filter(|_| !reopened)
                    .and_then(|c| c.verification.clone());
                self.state.remember_case(&snapshot.dir);
                self.state.status = status;
                let dir = snapshot.dir.clone();
                self.case = Some(CaseSnapshot {
                    verification,
                    ..snapshot
                });
                if reopened {
                    self.verify_case(dir);
                }
            }
            TaskDone::Case(Err(e), _) => self.state.status = e,
            TaskDone::Verified(dir, v) => {
                self.verifying = false;
                if let Some(c) = self.case.as_mut().filter(|c| c.dir == dir) {
                    c.verification = Some(v);
                }
            }
            TaskDone::Chosen(cmd) => self.apply(cmd),
            TaskDone::Nothing => {}
        }
    }

    fn verify_case(&mut self, dir: PathBuf) {
        self.verifying = true;
        self.tasks
            .spawn(move || TaskDone::Verified(dir.clone(), crate::case::verify_case(&dir)));
    }

    /// Starts a write to the open case: `f` runs on a worker with the case locked.
    fn write_case(
        &mut self,
        done: String,
        f: impl FnOnce(&mut docexam_core::evidence::Case, &str) -> Result<(), String> + Send + 'static,
    ) {
        let Some(case) = &self.case else {
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
    fn export_pdf(&mut self, path: PathBuf) {
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
            .as_ref()
            .filter(|_| !items.is_empty())
            .map(|c| (c.dir.clone(), c.id.clone(), c.examiner.clone()));
        self.state.report_dir = path.parent().map(std::path::Path::to_path_buf);
        self.state.status = format!("Writing the PDF report to {}", path.display());
        self.tasks.spawn(move || {
            let line = report.to_json_line();
            let meta = docexam_core::examine::pdf::PdfMeta::for_report(
                &line,
                case.as_ref().map(|c| c.1.clone()),
                &items,
                match &case {
                    Some(c) => c.2.clone(),
                    None => crate::host::examiner(None),
                },
            );
            let references = prepared.as_ref().map_or(&[][..], |p| &p.references[..]);
            let bytes =
                match docexam_core::examine::pdf::render(&report, &images, references, &meta) {
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

    fn finish(&mut self, questioned: DocumentRef, r: Result<ExaminedDocument, OpenError>) {
        match r {
            Ok(mut doc) => {
                if let Some(snapshot) = doc.case.take() {
                    self.case = Some(CaseSnapshot {
                        verification: None,
                        ..snapshot
                    });
                }
                let (title, _) = verdict(doc.report.assessment.result);
                self.state.status = format!(
                    "{}: {} — examined in {:.1} s",
                    doc.report.document,
                    title,
                    doc.elapsed_ms / 1e3
                );
                self.shown += 1;
                let side = doc.sides().first().copied().unwrap_or(Side::Front);
                let light = doc
                    .lights(side)
                    .first()
                    .copied()
                    .unwrap_or(LightSource::White);
                let v = &mut self.state.view;
                v.side = side;
                v.light = light;
                v.zoom = None;
                v.selected = None;
                v.ruler = None;
                v.reference = false;
                v.mark = None;
                v.focus = None;
                self.tiles.clear();
                self.detail = None;
                let dir = self
                    .state
                    .report_dir
                    .clone()
                    .or_else(|| {
                        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("docexam-reports"))
                    })
                    .unwrap_or_else(std::env::temp_dir);
                self.state.export_path = dir
                    .join(format!("{}-report.pdf", doc.report.document))
                    .display()
                    .to_string();
                self.doc = Some(doc);
            }
            Err(OpenError::Pages { file, pages }) => {
                // Each page is a document: examine them all, listed as they come.
                let name = file.display().to_string();
                let documents = questioned.pages(pages);
                let found = crate::import::SortedInputs {
                    documents,
                    ..Default::default()
                };
                if self.start_import(move || found) {
                    self.state.status =
                        format!("{name} has {pages} pages: each is examined as a document");
                } else {
                    self.state.status = format!(
                        "{name} has {pages} pages: import it again once the import under way \
                         has ended"
                    );
                }
            }
            Err(e) => {
                self.state.status = match e {
                    OpenError::Cancelled => "Examination cancelled".into(),
                    e => format!("Could not examine: {e}"),
                };
                // Files received before the failure are in the case: show it as it now is.
                if let Some(dir) = self.case.as_ref().map(|c| c.dir.clone()) {
                    let status = self.state.status.clone();
                    self.tasks.spawn(move || {
                        TaskDone::Case(
                            CaseSnapshot::load(&dir).map_err(|e| format!("{status}; {e}")),
                            status,
                        )
                    });
                }
            }
        }
    }

    /// The lights that can be shown on `side`: captured, or in the specimen when the
    /// reference is shown.
    fn lights(&self, side: Side) -> Vec<LightSource> {
        let Some(doc) = &self.doc else {
            return Vec::new();
        };
        if self.state.view.reference {
            [LightSource::White, LightSource::Uv, LightSource::Ir]
                .into_iter()
                .filter(|l| doc.reference(side, *l).is_some())
                .collect()
        } else {
            doc.lights(side)
        }
    }

    /// Carries out one command.
    pub fn apply(&mut self, cmd: Command) {
        let fit = self.view_rt.fit_zoom.max(1e-3);
        let [iw, ih] = self.view_rt.image_size;
        let v = &mut self.state.view;
        let start_zoom = |v: &mut ViewState| {
            if v.zoom.is_none() {
                v.zoom = Some(fit);
                v.centre = [iw / 2.0, ih / 2.0];
            }
        };
        match cmd {
            Command::Open(files) => {
                if files.is_empty() {
                    self.state.status = "Nothing to open".into();
                    return;
                }
                self.open(DocumentRef::files(files));
            }
            Command::OpenDocument(q) => self.open(q),
            Command::Import(paths) => self.import(paths),
            Command::CancelImport => {
                if let Some(i) = &self.import {
                    i.cancel.request();
                    self.state.status = "Cancelling the import…".into();
                }
            }
            Command::ClearImported => {
                self.imported.clear();
                self.import_problems.clear();
            }
            Command::Cancel => {
                if let Some(j) = &self.job {
                    j.cancel.request();
                    self.state.status = "Cancelling…".into();
                }
            }
            Command::Show(side, light) => {
                v.side = side;
                v.light = light;
            }
            Command::NextLight => {
                let side = v.side;
                let current = v.light;
                let lights = self.lights(side);
                let next = lights
                    .iter()
                    .position(|l| *l == current)
                    .and_then(|i| lights.get((i + 1) % lights.len()))
                    .or(lights.first());
                if let Some(l) = next {
                    self.state.view.light = *l;
                }
            }
            Command::NextSide => {
                let sides = self
                    .doc
                    .as_ref()
                    .map(ExaminedDocument::sides)
                    .unwrap_or_default();
                let current = self.state.view.side;
                let next = sides
                    .iter()
                    .position(|s| *s == current)
                    .and_then(|i| sides.get((i + 1) % sides.len()))
                    .or(sides.first())
                    .copied();
                if let Some(side) = next {
                    self.state.view.side = side;
                    let lights = self.lights(side);
                    if !lights.contains(&self.state.view.light)
                        && let Some(l) = lights.first()
                    {
                        self.state.view.light = *l;
                    }
                    self.state.view.zoom = None;
                }
            }
            Command::Select(None) => {
                v.selected = None;
                v.focus = None;
                self.detail = None;
            }
            Command::Select(Some(id)) => {
                let size = self.view_rt.size;
                if let Some(doc) = &self.doc
                    && let Some(f) = doc.report.features.iter().find(|f| f.feature == id)
                {
                    v.side = f.side;
                    v.light = f.light;
                    v.reference = false;
                    // Its region on the capture through the registration (rotation and all).
                    if let Some(at) = docexam_core::examine::locus::of_feature(&doc.report, f) {
                        let [x, y, w, h] = at.region_px;
                        bring_into_view(v, [x + w / 2.0, y + h / 2.0], [w, h], size, fit);
                    }
                }
                v.selected = Some(id);
                v.focus = None;
                self.detail = None;
            }
            Command::Focus(focus) => {
                let [x, y, w, h] = focus.region_px;
                v.side = focus.side;
                v.light = focus.light;
                v.reference = false;
                v.selected = None;
                self.detail = None;
                let size = self.view_rt.size;
                bring_into_view(v, [x + w / 2.0, y + h / 2.0], [w, h], size, fit);
                v.focus = Some(focus);
            }
            Command::NextFinding => {
                let next = self.doc.as_ref().and_then(|doc| {
                    let open: Vec<String> = crate::findings_panel::by_severity(&doc.report)
                        .into_iter()
                        .filter(|f| {
                            matches!(
                                f.status,
                                docexam_core::compare::Status::Fail
                                    | docexam_core::compare::Status::Inconclusive
                            )
                        })
                        .map(|f| f.feature.clone())
                        .collect();
                    let at = self
                        .state
                        .view
                        .selected
                        .as_ref()
                        .and_then(|s| open.iter().position(|f| f == s));
                    match at {
                        Some(i) => open.get((i + 1) % open.len()).cloned(),
                        None => open.first().cloned(),
                    }
                });
                if let Some(id) = next {
                    self.apply(Command::Select(Some(id)));
                }
            }
            Command::Detail(m) => v.detail = m,
            Command::Opacity(o) => v.overlay_opacity = o.clamp(0.0, 1.0),
            Command::FlickerRate(hz) => {
                let (lo, hi) = crate::feature_detail::FLICKER_HZ;
                v.flicker_hz = hz.clamp(lo, hi);
            }
            Command::ZoomBy(factor, p) => {
                start_zoom(v);
                let z0 = v.zoom.unwrap_or(fit);
                let z1 = (z0 * factor).clamp(fit * 0.5, 32.0);
                let k = z0 / z1;
                v.centre = [
                    p[0] + (v.centre[0] - p[0]) * k,
                    p[1] + (v.centre[1] - p[1]) * k,
                ];
                v.zoom = Some(z1);
            }
            Command::Fit => v.zoom = None,
            Command::ActualPixels => {
                start_zoom(v);
                v.zoom = Some(1.0);
            }
            Command::Pan(d) => {
                start_zoom(v);
                v.centre = [
                    (v.centre[0] + d[0]).clamp(0.0, iw),
                    (v.centre[1] + d[1]).clamp(0.0, ih),
                ];
            }
            Command::ToggleReference => {
                v.reference = !v.reference;
                let side = v.side;
                let lights = self.lights(side);
                if !lights.contains(&self.state.view.light)
                    && let Some(l) = lights.first()
                {
                    self.state.view.light = *l;
                }
            }
            Command::ToggleOutlines => v.outlines = !v.outlines,
            Command::ToggleLoupe => v.loupe = !v.loupe,
            Command::Ruler(r) => v.ruler = r,
            Command::Tab(t) => v.tab = t,
            Command::Theme(t) => self.state.theme = t,
            Command::ExportPdf(path) => self.export_pdf(path),
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
                if let Some(c) = self.case.take() {
                    self.state.status = format!("Case {} closed", c.dir.display());
                }
            }
            Command::VerifyCase => {
                if let Some(c) = &self.case {
                    let dir = c.dir.clone();
                    self.verify_case(dir);
                }
            }
            Command::PickFiles => {
                let start = self
                    .state
                    .recent
                    .first()
                    .and_then(|f| f.first())
                    .and_then(|f| f.parent())
                    .map(std::path::Path::to_path_buf);
                dialogs::open(&mut self.tasks, Dialog::Files, start);
            }
            Command::PickFolder => dialogs::open(&mut self.tasks, Dialog::Folder, None),
            Command::PickCase => dialogs::open(&mut self.tasks, Dialog::Case, None),
            Command::PickNewCase => dialogs::open(&mut self.tasks, Dialog::NewCase, None),
            Command::ToggleAnnotate => {
                let in_case =
                    self.case.is_some() && self.doc.as_ref().is_some_and(|d| !d.items.is_empty());
                if !v.annotate && !in_case {
                    self.state.status = "Annotations go into a case: open or create one (Case \
                                         tab), then open the document"
                        .into();
                    return;
                }
                let v = &mut self.state.view;
                v.annotate = !v.annotate;
                if !v.annotate {
                    v.mark = None;
                }
            }
            Command::Mark(m) => {
                v.mark = m;
                if m.is_some() {
                    v.tab = Tab::Case;
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
        }
    }

    /// Records the mark being annotated with `note` on the shown capture's item.
    fn annotate(&mut self, note: String) {
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

    fn shortcuts(&self, ctx: &egui::Context) -> Vec<Command> {
        use egui::Key;
        let centre = self.state.view.centre;
        ctx.input(|i| {
            let mut out = Vec::new();
            let pressed = |k| i.key_pressed(k) && i.modifiers.is_none();
            if pressed(Key::L) {
                out.push(Command::NextLight);
            }
            let side = self.state.view.side;
            for (k, l) in [
                (Key::Num1, LightSource::White),
                (Key::Num2, LightSource::Uv),
                (Key::Num3, LightSource::Ir),
            ] {
                if pressed(k) {
                    out.push(Command::Show(side, l));
                }
            }
            if pressed(Key::B) {
                out.push(Command::NextSide);
            }
            if pressed(Key::R) {
                out.push(Command::ToggleReference);
            }
            if pressed(Key::N) {
                out.push(Command::NextFinding);
            }
            if pressed(Key::O) {
                out.push(Command::ToggleOutlines);
            }
            if pressed(Key::M) {
                out.push(Command::ToggleLoupe);
            }
            if pressed(Key::Num0) {
                out.push(Command::Fit);
            }
            if i.key_pressed(Key::Equals) && !i.modifiers.shift {
                out.push(Command::ActualPixels);
            }
            if i.key_pressed(Key::Plus) {
                out.push(Command::ZoomBy(1.25, centre));
            }
            if i.key_pressed(Key::Minus) {
                out.push(Command::ZoomBy(0.8, centre));
            }
            if pressed(Key::Escape) {
                out.push(Command::Select(None));
                out.push(Command::Ruler(None));
            }
            if pressed(Key::A) {
                out.push(Command::ToggleAnnotate);
            }
            if i.key_pressed(Key::O) && i.modifiers.command_only() {
                out.push(Command::PickFiles);
            }
            if pressed(Key::T) {
                out.push(Command::Theme(match self.state.theme {
                    Theme::Light => Theme::Dark,
                    Theme::Dark => Theme::Light,
                }));
            }
            out
        })
    }

    fn toolbar_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut out = Vec::new();
        let v = &self.state.view;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("docexam").strong().size(18.0));
            ui.label(format!("version {}", crate::VERSION));
            ui.separator();
            if ui.button("Open files…").on_hover_text("Ctrl+O").clicked() {
                out.push(Command::PickFiles);
            }
            if ui
                .button("Import folder…")
                .on_hover_text("Examine every document in a folder, one after another")
                .clicked()
            {
                out.push(Command::PickFolder);
            }
            match &self.case {
                Some(c) => {
                    if ui
                        .button(format!("Case {}", short(&c.id)))
                        .on_hover_text(c.dir.display().to_string())
                        .clicked()
                    {
                        out.push(Command::Tab(Tab::Case));
                    }
                }
                None => {
                    if ui.button("No case").on_hover_text("Open or create a case").clicked() {
                        out.push(Command::Tab(Tab::Case));
                    }
                }
            }
            ui.separator();
            if let Some(doc) = &self.doc {
                for side in doc.sides() {
                    if ui
                        .selectable_label(v.side == side, capitalised(side.name()))
                        .clicked()
                        && v.side != side
                    {
                        out.push(Command::NextSide);
                    }
                }
                ui.separator();
                let available = self.lights(v.side);
                for (l, name) in [
                    (LightSource::White, "White (1)"),
                    (LightSource::Uv, "UV (2)"),
                    (LightSource::Ir, "IR (3)"),
                ] {
                    let r = ui.add_enabled(
                        available.contains(&l),
                        egui::Button::selectable(v.light == l, name),
                    );
                    if r.clicked() {
                        out.push(Command::Show(v.side, l));
                    }
                }
                ui.separator();
                if ui
                    .selectable_label(v.reference, "Reference (R)")
                    .on_hover_text("Show the specimen's reference image instead of the document")
                    .clicked()
                {
                    out.push(Command::ToggleReference);
                }
                if ui.selectable_label(v.outlines, "Outlines (O)").clicked() {
                    out.push(Command::ToggleOutlines);
                }
                if ui.selectable_label(v.loupe, "Loupe (M)").clicked() {
                    out.push(Command::ToggleLoupe);
                }
                let can_annotate = self.case.is_some() && !doc.items.is_empty();
                let r = ui
                    .add_enabled(
                        can_annotate,
                        egui::Button::selectable(v.annotate, "Annotate (A)"),
                    )
                    .on_disabled_hover_text(
                        "Annotations go into a case: open or create one (Case tab), then open \
                         the document",
                    );
                if r.clicked() {
                    out.push(Command::ToggleAnnotate);
                }
                if ui.button("Fit (0)").clicked() {
                    out.push(Command::Fit);
                }
                if ui.button("1:1 (=)").clicked() {
                    out.push(Command::ActualPixels);
                }
                ui.separator();
            }
            let dark = self.state.theme == Theme::Dark;
            if ui
                .button(if dark { "Light theme (T)" } else { "Dark theme (T)" })
                .clicked()
            {
                out.push(Command::Theme(if dark { Theme::Light } else { Theme::Dark }));
            }
            ui.menu_button("Keys", |ui| {
                egui::Grid::new("shortcuts").show(ui, |ui| {
                    for (k, what) in SHORTCUTS {
                        ui.monospace(*k);
                        ui.label(*what);
                        ui.end_row();
                    }
                    ui.label("mouse");
                    ui.label("drag: pan · wheel/pinch: zoom · double-click: fit · click: select · right-drag: ruler (mm)");
                    ui.end_row();
                });
            });
        });
        out
    }

    fn status_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut out = Vec::new();
        ui.horizontal(|ui| match &self.job {
            Some(job) => {
                // No spinner: it redraws the window every frame, which on a machine without
                // a GPU takes a core from the examination it is waiting for.
                ui.add(
                    egui::ProgressBar::new(job.progress.fraction)
                        .desired_width(260.0)
                        .text(job.progress.stage.clone()),
                );
                ui.label(&job.questioned.name);
                if ui
                    .add_enabled(!job.cancel.requested(), egui::Button::new("Cancel"))
                    .clicked()
                {
                    out.push(Command::Cancel);
                }
            }
            None => {
                ui.label(&self.state.status);
            }
        });
        out
    }

    /// Draws the workstation and carries out what the examiner asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            install_fonts(&ctx);
            self.fonts_installed = true;
        }
        if self.applied_theme != Some(self.state.theme) {
            ctx.set_visuals(match self.state.theme {
                Theme::Light => egui::Visuals::light(),
                Theme::Dark => egui::Visuals::dark(),
            });
            self.applied_theme = Some(self.state.theme);
        }
        for o in self.tasks.poll() {
            self.take(o);
        }
        if self.tasks.busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(job) = &mut self.job {
            match job.poll() {
                Some(r) => {
                    let questioned = job.questioned.clone();
                    self.job = None;
                    self.finish(questioned, r);
                }
                // Each report wakes the UI: nothing to draw between them (every frame drawn
                // without a GPU takes CPU from the examination).
                None if self.waker.is_some() => {}
                None => ctx.request_repaint_after(Duration::from_millis(60)),
            }
        }
        if let Some(import) = &mut self.import {
            let reported = import.poll();
            if self.waker.is_none() {
                ctx.request_repaint_after(Duration::from_millis(60));
            }
            self.take_imported(reported);
        }
        let mut cmds = Vec::new();
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            cmds.push(Command::Import(dropped));
        }
        if !ctx.egui_wants_keyboard_input() {
            cmds.extend(self.shortcuts(&ctx));
        }
        egui::Panel::top("toolbar").show(ui, |ui| cmds.extend(self.toolbar_ui(ui)));
        egui::Panel::bottom("status").show(ui, |ui| cmds.extend(self.status_ui(ui)));
        if self.import.is_some() || !self.imported.is_empty() || !self.import_problems.is_empty() {
            let running = self.import.as_ref().map(|i| Running {
                done: i.done,
                total: i.total,
                stage: &i.progress.stage,
                fraction: i.progress.fraction,
                cancelled: i.cancel.requested(),
            });
            let shown = self.doc.as_ref().map(|d| d.questioned.name.as_str());
            egui::Panel::left("documents")
                .default_size(280.0)
                .resizable(true)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        cmds.extend(documents_ui(
                            ui,
                            &self.imported,
                            &self.import_problems,
                            running,
                            shown,
                        ));
                    });
                });
        }
        match &self.doc {
            Some(doc) => {
                // A copy: the case panel edits the state's drafts while the view is drawn.
                let view = &self.state.view.clone();
                egui::Panel::right("side")
                    .default_size(420.0)
                    .resizable(true)
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            for t in Tab::ALL {
                                if ui.selectable_label(view.tab == t, t.label()).clicked() {
                                    cmds.push(Command::Tab(t));
                                }
                            }
                        });
                        ui.separator();
                        egui::ScrollArea::vertical().show(ui, |ui| match view.tab {
                            Tab::Findings => {
                                cmds.extend(findings_ui(ui, &doc.report, view.selected.as_deref()))
                            }
                            Tab::Mrz => report_mrz_ui(ui, &doc.report.mrz, &mut self.state.mrz),
                            Tab::Barcodes => barcodes_ui(ui, &doc.report.barcodes),
                            Tab::Evidence => {
                                if let Some(c) = export_ui(ui, &mut self.state.export_path) {
                                    cmds.push(c);
                                }
                                ui.separator();
                                evidence_ui(ui, &doc.report);
                            }
                            Tab::Case => cmds.extend(case_ui(
                                ui,
                                self.case.as_ref(),
                                Some(doc),
                                &mut self.state,
                                self.verifying,
                            )),
                        });
                    });
                if view.selected.is_some() {
                    egui::Panel::bottom("detail")
                        .default_size(460.0)
                        .resizable(true)
                        .show(ui, |ui| {
                            cmds.extend(feature_detail_ui(ui, view, doc, &mut self.detail));
                        });
                }
                // No panel fill under the document: the view paints its own background
                // around the image, and the window is cleared to the panel colour.
                let frame = egui::Frame::central_panel(ui.style()).fill(egui::Color32::TRANSPARENT);
                egui::CentralPanel::default().frame(frame).show(ui, |ui| {
                    let marks = crate::document_view::marks_of(doc, view, self.case.as_ref());
                    cmds.extend(document_view_ui(
                        ui,
                        view,
                        doc,
                        &marks,
                        &mut self.tiles,
                        &mut self.view_rt,
                    ));
                });
            }
            None => {
                egui::Panel::right("case")
                    .default_size(420.0)
                    .resizable(true)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical().show(ui, |ui| {
                            cmds.extend(case_ui(
                                ui,
                                self.case.as_ref(),
                                None,
                                &mut self.state,
                                self.verifying,
                            ));
                        });
                    });
                egui::CentralPanel::default().show(ui, |ui| {
                    cmds.extend(start_ui(
                        ui,
                        &self.state.recent,
                        &self.documents,
                        &self.documents_title,
                    ));
                });
            }
        }
        for c in cmds {
            self.apply(c);
        }
    }
}

/// Zooms `v` so that a region of `size_px` image pixels about `centre` fills about 60% of a
/// view of `view` points (between fitting the page and 8 points per pixel), centred on it.
fn bring_into_view(
    v: &mut ViewState,
    centre: [f32; 2],
    size_px: [f32; 2],
    view: [f32; 2],
    fit: f32,
) {
    let z = (0.6 * view[0] / size_px[0].max(1.0)).min(0.6 * view[1] / size_px[1].max(1.0));
    if z.is_finite() && z > 0.0 {
        v.zoom = Some(z.clamp(fit, 8.0));
        v.centre = centre;
    }
}

/// The PDF report's destination and the button that writes it.
fn export_ui(ui: &mut egui::Ui, path: &mut String) -> Option<Command> {
    ui.label(RichText::new("PDF report for the case file").strong());
    ui.add(
        egui::TextEdit::singleline(path)
            .desired_width(f32::INFINITY)
            .hint_text("where to write the report"),
    );
    let ready = !path.trim().is_empty();
    ui.add_enabled(ready, egui::Button::new("Export PDF report"))
        .clicked()
        .then(|| Command::ExportPdf(PathBuf::from(path.trim())))
}

/// Writes `bytes` to a new file at `path` (its folder created): an existing file is never
/// overwritten.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
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

/// The first eight characters of a case id, for the toolbar.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The eframe application: the workstation, its state saved between runs.
#[derive(Debug)]
pub struct DocexamApp {
    /// The workstation.
    pub workstation: Workstation,
    /// Timing figures printed to stderr (`DOCEXAM_GUI_TIMING=1`), from the program's start.
    pub timing: Option<crate::timing::Timing>,
    /// A scripted pan for measuring the frame rate (`DOCEXAM_GUI_PAN=SECONDS`).
    pub autopan: Option<crate::timing::AutoPan>,
    /// Whether to open the first document again once it is shown, to time an open with its
    /// specimen ready (`DOCEXAM_GUI_REOPEN=1`).
    pub reopen: bool,
}

impl eframe::App for DocexamApp {
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(p) = &mut self.autopan {
            p.step(&mut self.workstation, ui.ctx());
        }
        if self.reopen
            && !self.workstation.busy()
            && let Some(q) = self.workstation.document().map(|d| d.questioned.clone())
        {
            self.reopen = false;
            self.workstation.apply(Command::OpenDocument(q));
        }
        self.workstation.ui(ui);
        if let Some(t) = &mut self.timing {
            t.frame(frame.info().cpu_usage, self.workstation.opened());
            t.imports(self.workstation.imports_ended());
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.workstation.state);
    }
}
