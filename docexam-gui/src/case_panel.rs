//! The case panel: open or create a case; its verification status; the open document's items
//! with their hashes; the mark being annotated; the examiner's conclusion; the audit log.

use docexam_core::evidence::{ExaminerFinding, region_text};
use egui::RichText;

use crate::case::{CaseSnapshot, VerifyOutcome};
use crate::command::Command;
use crate::document::ExaminedDocument;
use crate::state::AppState;
use crate::style::{FAIL, PASS, UNJUDGED, verdict, verdict_named};

/// How many of the latest audit entries the panel lists.
const LOG_SHOWN: usize = 200;

/// Draws the case panel.
pub fn case_ui(
    ui: &mut egui::Ui,
    case: Option<&CaseSnapshot>,
    doc: Option<&ExaminedDocument>,
    state: &mut AppState,
    verifying: bool,
) -> Vec<Command> {
    let mut out = Vec::new();
    let Some(case) = case else {
        no_case_ui(ui, state, &mut out);
        return out;
    };
    ui.label(RichText::new(format!("Case {}", case.id)).strong());
    ui.label(case.dir.display().to_string());
    ui.label(format!("Examiner: {}", case.examiner));
    ui.horizontal_wrapped(|ui| verification_ui(ui, case.verification.as_ref(), verifying));
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!verifying, egui::Button::new("Verify again"))
            .clicked()
        {
            out.push(Command::VerifyCase);
        }
        if ui.button("Close case").clicked() {
            out.push(Command::CloseCase);
        }
    });
    if let Some(VerifyOutcome::Tampered(problems)) = &case.verification {
        for p in problems {
            ui.colored_label(FAIL, p);
        }
    }
    ui.separator();
    match doc {
        Some(doc) if !doc.items.is_empty() => document_ui(ui, case, doc, state, &mut out),
        Some(_) => {
            ui.label(
                "The open document was examined before this case was opened: open it again \
                 to receive it into the case.",
            );
        }
        None => {
            ui.label("Open a document to receive it into this case.");
        }
    }
    ui.separator();
    documents_ui(ui, case, doc.map(|d| d.questioned.name.as_str()), &mut out);
    ui.separator();
    ui.label(RichText::new("Audit log (newest first)").strong());
    for e in case.entries.iter().rev().take(LOG_SHOWN) {
        ui.label(
            RichText::new(format!("#{} · {} · {}", e.seq, e.time, e.actor))
                .small()
                .weak(),
        );
        ui.add(egui::Label::new(e.action.describe()).wrap());
        ui.add_space(4.0);
    }
    if case.entries.len() > LOG_SHOWN {
        ui.label(format!(
            "… {} earlier entries (docexam case log {})",
            case.entries.len() - LOG_SHOWN,
            case.dir.display()
        ));
    }
    out
}

/// The documents in the case with their latest verdicts; a click opens one from the stored
/// copies.
fn documents_ui(
    ui: &mut egui::Ui,
    case: &CaseSnapshot,
    shown: Option<&str>,
    out: &mut Vec<Command>,
) {
    let docs = case.documents();
    ui.label(RichText::new(format!("Documents in this case ({})", docs.len())).strong());
    if docs.is_empty() {
        ui.label("None yet: open or import documents to receive them.");
        return;
    }
    egui::Grid::new("case-documents")
        .striped(true)
        .show(ui, |ui| {
            for d in &docs {
                let (text, colour) = match d.result.as_deref().and_then(verdict_named) {
                    Some(v) => verdict(v),
                    None => ("not examined", UNJUDGED),
                };
                ui.colored_label(colour, text);
                let r = ui
                    .selectable_label(shown == Some(d.name.as_str()), &d.name)
                    .on_hover_text(format!(
                        "items {}: open from the case's stored copies",
                        d.items
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                if r.clicked() {
                    out.push(Command::OpenDocument(d.questioned(&case.dir)));
                }
                ui.end_row();
            }
        });
}

fn verification_ui(ui: &mut egui::Ui, v: Option<&VerifyOutcome>, verifying: bool) {
    if verifying {
        ui.spinner();
        ui.label("Verifying…");
        return;
    }
    match v {
        Some(VerifyOutcome::Intact {
            entries,
            items,
            files,
        }) => {
            ui.colored_label(
                PASS,
                RichText::new(format!(
                    "INTACT — {entries} entries, {items} items, {files} stored files re-hashed"
                ))
                .strong(),
            );
        }
        Some(VerifyOutcome::Tampered(p)) => {
            ui.colored_label(
                FAIL,
                RichText::new(format!("TAMPERED — {} problem(s)", p.len())).strong(),
            );
        }
        Some(VerifyOutcome::Failed(e)) => {
            ui.colored_label(FAIL, format!("Could not verify: {e}"));
        }
        None => {
            ui.colored_label(UNJUDGED, "not verified yet");
        }
    }
}

fn no_case_ui(ui: &mut egui::Ui, state: &mut AppState, out: &mut Vec<Command>) {
    ui.label(RichText::new("No case open").strong());
    ui.label(
        "Open or create a case to keep the evidence: every file is hashed into it as it \
         arrives, every examination, annotation and conclusion is logged, and verification \
         shows that nothing was altered.",
    );
    ui.horizontal(|ui| {
        if ui.button("Open case…").clicked() {
            out.push(Command::PickCase);
        }
        if ui.button("New case…").clicked() {
            out.push(Command::PickNewCase);
        }
    });
    ui.horizontal(|ui| {
        ui.label("Case folder:");
        ui.add(
            egui::TextEdit::singleline(&mut state.case_path)
                .desired_width(220.0)
                .hint_text("path of a case folder"),
        );
        let path = state.case_path.trim();
        if ui
            .add_enabled(!path.is_empty(), egui::Button::new("Open"))
            .clicked()
        {
            out.push(Command::OpenCase(path.into()));
        }
        if ui
            .add_enabled(!path.is_empty(), egui::Button::new("Create"))
            .clicked()
        {
            out.push(Command::CreateCase(path.into()));
        }
    });
    if !state.recent_cases.is_empty() {
        ui.label(RichText::new("Recent cases").strong());
        for dir in &state.recent_cases {
            if ui.link(dir.display().to_string()).clicked() {
                out.push(Command::OpenCase(dir.clone()));
            }
        }
    }
}

fn document_ui(
    ui: &mut egui::Ui,
    case: &CaseSnapshot,
    doc: &ExaminedDocument,
    state: &mut AppState,
    out: &mut Vec<Command>,
) {
    let document = &doc.report.document;
    ui.label(RichText::new(format!("{document} in this case")).strong());
    egui::Grid::new("case-items").striped(true).show(ui, |ui| {
        for item in &doc.items {
            ui.label(format!("item {}", item.id));
            ui.label(&item.source);
            ui.monospace(item.original.to_string());
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(RichText::new("Annotations").strong());
    match state.view.mark {
        Some(mark) => {
            let what = region_text(mark.map(f64::from));
            ui.label(format!(
                "New mark on the {} {} capture: {what}",
                state.view.side.name(),
                state.view.light.name()
            ));
            ui.add(
                egui::TextEdit::multiline(&mut state.note)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .hint_text("what you see here"),
            );
            ui.horizontal(|ui| {
                let ready = !state.note.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new("Record annotation"))
                    .clicked()
                {
                    out.push(Command::Annotate(state.note.trim().to_string()));
                }
                if ui.button("Discard mark").clicked() {
                    out.push(Command::Mark(None));
                }
            });
        }
        None => {
            ui.label(
                "Annotate (A), then drag a rectangle or click a point on the document to mark \
                 it with a note.",
            );
        }
    }
    let ids: Vec<u32> = doc.items.iter().map(|i| i.id).collect();
    for a in case.annotations().filter(|a| ids.contains(&a.item)) {
        ui.label(format!(
            "item {} · {} · {}",
            a.item,
            region_text(a.region_px),
            a.note
        ));
    }
    ui.separator();
    ui.label(RichText::new("Examiner's conclusion").strong());
    match case.conclusion(document) {
        Some(c) => {
            ui.label(format!("Recorded: {} — {}", c.finding.label(), c.note));
        }
        None => {
            ui.label("None recorded yet.");
        }
    }
    let draft = &mut state.conclusion;
    egui::ComboBox::from_label("Finding")
        .selected_text(draft.finding.map_or("choose…", ExaminerFinding::label))
        .show_ui(ui, |ui| {
            for f in ExaminerFinding::ALL {
                ui.selectable_value(&mut draft.finding, Some(f), f.label());
            }
        });
    ui.add(
        egui::TextEdit::multiline(&mut draft.note)
            .desired_rows(3)
            .desired_width(f32::INFINITY)
            .hint_text("the grounds for the conclusion"),
    );
    if let Some(f) = draft.finding
        && ui.button("Record conclusion").clicked()
    {
        out.push(Command::Conclude(f, draft.note.trim().to_string()));
    }
}
