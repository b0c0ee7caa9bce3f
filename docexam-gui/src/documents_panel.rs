//! The documents panel: the documents of an import with each one's verdict as it comes in,
//! the progress across them, what could not be taken, and a click to open any of them.

use docexam_core::examine::Verdict;
use egui::RichText;

use crate::command::Command;
use crate::import::ImportedDocument;
use crate::style::{FAIL, UNJUDGED, verdict};

/// How an import under way is shown.
pub struct Running<'a> {
    /// Documents done.
    pub done: usize,
    /// Documents to do in all.
    pub total: usize,
    /// What the worker is doing.
    pub stage: &'a str,
    /// How far along, 0 to 1.
    pub fraction: f32,
    /// Whether the examiner asked it to stop.
    pub cancelled: bool,
}

/// Draws the documents panel; `shown` is the name of the document on screen.
pub fn documents_ui(
    ui: &mut egui::Ui,
    listed: &[ImportedDocument],
    problems: &[String],
    running: Option<Running<'_>>,
    shown: Option<&str>,
) -> Vec<Command> {
    let mut out = Vec::new();
    ui.label(RichText::new(format!("Documents ({})", listed.len())).strong());
    match &running {
        Some(r) => {
            ui.add(
                egui::ProgressBar::new(r.fraction)
                    .text(format!("{} of {} examined", r.done, r.total)),
            );
            ui.add(egui::Label::new(RichText::new(r.stage).small()).wrap());
            if ui
                .add_enabled(!r.cancelled, egui::Button::new("Cancel import"))
                .clicked()
            {
                out.push(Command::CancelImport);
            }
        }
        None => {
            let count = |v: Verdict| {
                listed
                    .iter()
                    .filter(|l| matches!(l.outcome, Ok((x, _)) if x == v))
                    .count()
            };
            let failed = listed.iter().filter(|l| l.outcome.is_err()).count();
            ui.label(format!(
                "anomalies found: {} · inconclusive: {} · no anomaly found: {}{}",
                count(Verdict::AnomaliesFound),
                count(Verdict::Inconclusive),
                count(Verdict::NoAnomalyFound),
                if failed > 0 {
                    format!(" · not examined: {failed}")
                } else {
                    String::new()
                }
            ));
            if ui.button("Clear the list").clicked() {
                out.push(Command::ClearImported);
            }
        }
    }
    ui.separator();
    for l in listed {
        let (mark, colour, hover) = match &l.outcome {
            Ok((v, summary)) => {
                let (title, colour) = verdict(*v);
                (title, colour, summary.clone())
            }
            Err(e) => ("Not examined", UNJUDGED, e.clone()),
        };
        ui.horizontal(|ui| {
            // A dot in the verdict's colour (drawn: the fonts have no bullet glyph).
            let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().circle_filled(dot.center(), 4.5, colour);
            let r = ui
                .selectable_label(
                    shown == Some(l.questioned.name.as_str()),
                    &l.questioned.name,
                )
                .on_hover_text(format!("{mark}: {hover}"));
            if r.clicked() {
                out.push(Command::OpenDocument(l.questioned.clone()));
            }
        });
    }
    if !problems.is_empty() {
        ui.separator();
        ui.label(RichText::new("Skipped or set aside").strong());
        for p in problems {
            ui.add(egui::Label::new(RichText::new(p).color(FAIL).small()).wrap());
        }
    }
    out
}
