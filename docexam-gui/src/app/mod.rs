//! The workstation: the app state, the document open in it, the worker examining the next one,
//! and the layout. Panels return [`Command`]s; [`Workstation::apply`] carries them out.

mod case_commands;
mod chrome;
mod import_commands;
mod view_commands;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use docexam_core::date::CivilDate;
use docexam_core::examine::Library;
use docexam_core::ingest::{LightSource, Side};

use crate::barcode_panel::barcodes_ui;
use crate::case::CaseSnapshot;
use crate::case_panel::case_ui;
use crate::command::{Area, Command};
use crate::dialogs::{self, Dialog};
use crate::document::{DocumentRef, ExaminedDocument, OpenError, Reading};
use crate::document_view::{ViewRuntime, document_view_ui};
use crate::documents_panel::{Running, documents_ui};
use crate::evidence_panel::evidence_ui;
use crate::feature_detail::{DetailView, feature_detail_ui};
use crate::findings_panel::findings_ui;
use crate::mrz_panel::report_mrz_ui;
use crate::start_panel::start_ui;
use crate::state::{AppState, Tab, Theme};
use crate::style::{install_fonts, verdict};
use crate::tasks::{TaskDone, Tasks};
use crate::tiles::TiledImage;
use crate::worker::{Job, Waker};
use case_commands::CaseState;
use chrome::export_ui;
use import_commands::Imports;

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
    /// What every examination needs.
    setup: ExamSetup,
    /// The examination under way.
    job: Option<Job>,
    /// The document shown, as examined.
    doc: Option<ExaminedDocument>,
    /// Its captures, tiled for drawing.
    tiles: HashMap<String, TiledImage>,
    /// The feature comparison open, if any.
    detail: Option<DetailView>,
    /// What the last frame measured of the document view.
    view_rt: ViewRuntime,
    imports: Imports,
    case: CaseState,
    /// Short background work: PDF reports, case work, dialogs.
    tasks: Tasks,
    /// The documents the start page offers.
    offered: Offered,
    /// What has been set up in the window's egui context.
    chrome: ChromeState,
    /// When the last open began, and how many examinations have been shown (for timing).
    open_started: Option<std::time::Instant>,
    shown: u64,
}

/// What every examination at the workstation is given.
struct ExamSetup {
    library: Arc<Library>,
    as_of: CivilDate,
    reading: Reading,
    /// Wakes the UI when a worker reports (set once the window exists).
    waker: Option<Waker>,
}

/// The documents the start page offers, under a title.
struct Offered {
    title: String,
    documents: Vec<(String, Vec<PathBuf>)>,
}

/// What has been installed in the egui context: fonts once, the theme when it changes.
#[derive(Default)]
struct ChromeState {
    fonts_installed: bool,
    applied_theme: Option<Theme>,
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
            setup: ExamSetup {
                library: Arc::new(library),
                as_of: CivilDate::today_utc(),
                reading: Reading::default(),
                waker: None,
            },
            job: None,
            imports: Imports::default(),
            doc: None,
            tiles: HashMap::new(),
            detail: None,
            view_rt: ViewRuntime::default(),
            offered: Offered {
                title: "Bundled sample documents".into(),
                documents: crate::document::bundled_samples(),
            },
            chrome: ChromeState::default(),
            tasks: Tasks::default(),
            case: CaseState::default(),
            open_started: None,
            shown: 0,
        }
    }

    /// Has workers wake the UI through `waker` when they report (the window's
    /// `request_repaint`), instead of the UI polling them many times a second.
    pub fn set_waker(&mut self, waker: Waker) {
        self.setup.waker = Some(waker);
    }

    /// Prepares every specimen of the library on a background thread, so the first document
    /// opened does not wait for its specimen's reference images.
    pub fn prepare_specimens(&self) {
        let library = self.setup.library.clone();
        std::thread::spawn(move || library.prepare_all());
    }

    /// Judges validity and expiry as of `date` instead of today.
    pub fn as_of(mut self, date: CivilDate) -> Workstation {
        self.setup.as_of = date;
        self
    }

    /// Reads PDFs with `reading` (the program that extracts their pages) instead of the
    /// running program.
    pub fn reading(mut self, reading: Reading) -> Workstation {
        self.setup.reading = reading;
        self
    }

    /// Offers `documents` on the start page under `title` instead of the bundled samples.
    pub fn offering(mut self, title: &str, documents: Vec<(String, Vec<PathBuf>)>) -> Workstation {
        self.offered.title = title.into();
        self.offered.documents = documents;
        self
    }

    /// The document open, once examined.
    pub fn document(&self) -> Option<&ExaminedDocument> {
        self.doc.as_ref()
    }

    /// Whether an examination or an import is under way.
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.imports.running.is_some()
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

    /// Starts examining `questioned` (stopping the examination under way, if any).
    fn open(&mut self, questioned: DocumentRef) {
        if let Some(j) = &self.job {
            j.cancel().request();
        }
        if let crate::document::Source::Files(files) = &questioned.source {
            self.state.remember(files);
        }
        self.state.status = format!("Examining {}", questioned.name);
        let case = self.case.snapshot.as_ref().map(|c| c.dir.clone());
        self.open_started = Some(std::time::Instant::now());
        self.job = Some(Job::start(
            questioned,
            self.setup.library.clone(),
            self.setup.as_of,
            case,
            self.setup.reading.clone(),
            self.setup.waker.clone(),
        ));
    }

    /// How many examinations have been shown, and when the last open began (for timing).
    pub fn opened(&self) -> (u64, Option<std::time::Instant>) {
        (self.shown, self.open_started)
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
                let reopened = self
                    .case
                    .snapshot
                    .as_ref()
                    .is_none_or(|c| c.dir != snapshot.dir);
                let verification = self
                    .case
                    .snapshot
                    .as_ref()
                    .filter(|_| !reopened)
                    .and_then(|c| c.verification.clone());
                self.state.remember_case(&snapshot.dir);
                self.state.status = status;
                let dir = snapshot.dir.clone();
                self.case.snapshot = Some(CaseSnapshot {
                    verification,
                    ..snapshot
                });
                if reopened {
                    self.verify_case(dir);
                }
            }
            TaskDone::Case(Err(e), _) => self.state.status = e,
            TaskDone::Verified(dir, v) => {
                self.case.verifying = false;
                if let Some(c) = self.case.snapshot.as_mut().filter(|c| c.dir == dir) {
                    c.verification = Some(v);
                }
            }
            TaskDone::Chosen(cmd) => self.apply(cmd),
            TaskDone::Nothing => {}
        }
    }

    /// Carries out one command: each area of the workstation applies its own
    /// ([`Command::area`] says which).
    pub fn apply(&mut self, cmd: Command) {
        match cmd.area() {
            Area::Document => self.apply_document(cmd),
            Area::Dialog => self.apply_dialog(cmd),
            Area::Import => self.apply_import(cmd),
            Area::Case => self.apply_case(cmd),
            Area::View => self.apply_view(cmd),
        }
    }

    /// Carries out a command of the document under examination.
    pub(super) fn apply_document(&mut self, cmd: Command) {
        match cmd {
            Command::Open(files) => {
                if files.is_empty() {
                    self.state.status = "Nothing to open".into();
                    return;
                }
                self.open(DocumentRef::files(files));
            }
            Command::OpenDocument(q) => self.open(q),
            Command::Cancel => {
                if let Some(j) = &self.job {
                    j.cancel().request();
                    self.state.status = "Cancelling…".into();
                }
            }
            other => debug_assert!(false, "{other:?} is not a document command"),
        }
    }

    /// Opens the file dialog a command asks for.
    pub(super) fn apply_dialog(&mut self, cmd: Command) {
        match cmd {
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
            other => debug_assert!(false, "{other:?} is not a dialog command"),
        }
    }

    fn finish(&mut self, questioned: DocumentRef, r: Result<ExaminedDocument, OpenError>) {
        match r {
            Ok(mut doc) => {
                if let Some(snapshot) = doc.case.take() {
                    self.case.snapshot = Some(CaseSnapshot {
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
                if let Some(dir) = self.case.snapshot.as_ref().map(|c| c.dir.clone()) {
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

    /// Draws the workstation and carries out what the examiner asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.chrome.fonts_installed {
            install_fonts(&ctx);
            self.chrome.fonts_installed = true;
        }
        if self.chrome.applied_theme != Some(self.state.theme) {
            ctx.set_visuals(match self.state.theme {
                Theme::Light => egui::Visuals::light(),
                Theme::Dark => egui::Visuals::dark(),
            });
            self.chrome.applied_theme = Some(self.state.theme);
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
                None if self.setup.waker.is_some() => {}
                None => ctx.request_repaint_after(Duration::from_millis(60)),
            }
        }
        if let Some(import) = &mut self.imports.running {
            let reported = import.poll();
            if self.setup.waker.is_none() {
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
        if self.imports.running.is_some()
            || !self.imports.documents.is_empty()
            || !self.imports.problems.is_empty()
        {
            let running = self.imports.running.as_ref().map(|i| Running {
                done: i.done,
                total: i.total,
                stage: &i.progress.stage,
                fraction: i.progress.fraction,
                cancelled: i.cancel().requested(),
            });
            let shown = self.doc.as_ref().map(|d| d.questioned.name.as_str());
            egui::Panel::left("documents")
                .default_size(280.0)
                .resizable(true)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        cmds.extend(documents_ui(
                            ui,
                            &self.imports.documents,
                            &self.imports.problems,
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
                                self.case.snapshot.as_ref(),
                                Some(doc),
                                &mut self.state,
                                self.case.verifying,
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
                    let marks =
                        crate::document_view::marks_of(doc, view, self.case.snapshot.as_ref());
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
                                self.case.snapshot.as_ref(),
                                None,
                                &mut self.state,
                                self.case.verifying,
                            ));
                        });
                    });
                egui::CentralPanel::default().show(ui, |ui| {
                    cmds.extend(start_ui(
                        ui,
                        &self.state.recent,
                        &self.offered.documents,
                        &self.offered.title,
                    ));
                });
            }
        }
        for c in cmds {
            self.apply(c);
        }
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

#[cfg(test)]
mod tests {
    use docexam_core::ingest::{LightSource, Side};
    use docexam_core::specimen::MemorySource;

    use super::*;
    use crate::state::DetailMode;

    #[test]
    fn every_command_is_carried_out_by_the_area_it_names() {
        // Each area's `apply_*` refuses (a debug assertion) a command routed to it by mistake;
        // with no document, case or import, every command must still be carried out quietly.
        // All but the four that open a file dialog (they would open a window).
        let scratch = tempfile::tempdir().unwrap();
        let mut ws = Workstation::new(AppState::default(), Library::new(MemorySource::new()));
        let commands = [
            Command::Open(Vec::new()),
            Command::OpenDocument(DocumentRef::files(vec![scratch.path().join("none.png")])),
            Command::Cancel,
            Command::OpenCase(scratch.path().join("no-case")),
            Command::CreateCase(scratch.path().join("case")),
            Command::ExportPdf(scratch.path().join("report.pdf")),
            Command::Conclude(
                docexam_core::evidence::ExaminerFinding::Genuine,
                "note".into(),
            ),
            Command::Focus(docexam_core::examine::Locus {
                input: "front.png".into(),
                side: Side::Front,
                light: LightSource::White,
                region_px: [0.0, 0.0, 10.0, 10.0],
            }),
            Command::Import(Vec::new()),
            Command::CancelImport,
            Command::ClearImported,
            Command::CloseCase,
            Command::VerifyCase,
            Command::Annotate("note".into()),
            Command::Show(Side::Back, LightSource::Uv),
            Command::NextLight,
            Command::NextSide,
            Command::Select(None),
            Command::NextFinding,
            Command::Detail(DetailMode::Overlay),
            Command::Opacity(0.5),
            Command::FlickerRate(2.0),
            Command::ZoomBy(1.25, [0.0, 0.0]),
            Command::Fit,
            Command::ActualPixels,
            Command::Pan([1.0, 1.0]),
            Command::ToggleReference,
            Command::ToggleOutlines,
            Command::ToggleLoupe,
            Command::Ruler(None),
            Command::Tab(Tab::Case),
            Command::Theme(Theme::Dark),
            Command::ToggleAnnotate,
            Command::Mark(None),
        ];
        for c in commands {
            ws.apply(c);
        }
        ws.wait();
        assert_eq!(ws.state.view.side, Side::Back);
        assert_eq!(ws.state.theme, Theme::Dark);
        assert!(ws.case().is_none() && ws.imported().is_empty() && !ws.busy());
        // The case work ran on background tasks: the case created is open once they end.
        ws.wait_tasks();
        assert!(
            ws.case()
                .is_some_and(|c| c.dir == scratch.path().join("case"))
        );
    }
}
