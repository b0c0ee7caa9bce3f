//! The workstation's chrome: keyboard shortcuts, the toolbar and the status line. Each returns
//! the commands the examiner gave.

use std::path::PathBuf;

use docexam_core::ingest::LightSource;
use egui::RichText;

use super::{SHORTCUTS, Workstation};
use crate::command::Command;
use crate::state::{Tab, Theme};

impl Workstation {
    pub(super) fn shortcuts(&self, ctx: &egui::Context) -> Vec<Command> {
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
    pub(super) fn toolbar_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
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
            match &self.case.snapshot {
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
                let can_annotate = self.case.snapshot.is_some() && !doc.items.is_empty();
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
    pub(super) fn status_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
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
                    .add_enabled(!job.cancel().requested(), egui::Button::new("Cancel"))
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
}

/// The PDF report's destination and the button that writes it.
pub(super) fn export_ui(ui: &mut egui::Ui, path: &mut String) -> Option<Command> {
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

/// The first eight characters of a case id, for the toolbar.
pub(super) fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
pub(super) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
