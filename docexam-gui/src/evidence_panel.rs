//! The evidence behind the examination: every input with its hash, the specimen and how it was
//! identified, the cross-checks, the tool and the time each stage took.

use docexam_core::examine::{CrossCheckStatus, Report};
use egui::RichText;

use crate::style::{FAIL, PASS, UNJUDGED};

/// Draws the evidence of `report`.
pub fn evidence_ui(ui: &mut egui::Ui, report: &Report) {
    ui.label(RichText::new("Inputs").strong());
    egui::Grid::new("inputs").striped(true).show(ui, |ui| {
        for i in &report.inputs {
            ui.label(&i.name);
            ui.label(format!("{} {}", i.side.name(), i.light.name()));
            ui.monospace(&i.blake3);
            ui.end_row();
        }
    });
    ui.separator();
    ui.label(RichText::new("Specimen").strong());
    match &report.specimen {
        Some(s) => {
            ui.label(format!("{} — {}", s.id, s.name));
            ui.monospace(format!("blake3 {}", s.blake3));
        }
        None => {
            ui.label("none");
        }
    }
    ui.label(&report.identification.note);
    for c in &report.identification.ranking {
        ui.label(format!(
            "{}: correlation {:.3}{}",
            c.id,
            c.score,
            if c.mrz_agrees { ", MRZ agrees" } else { "" }
        ));
    }
    ui.separator();
    ui.label(RichText::new("Cross-checks").strong());
    egui::Grid::new("cross-checks")
        .striped(true)
        .show(ui, |ui| {
            for x in &report.cross_checks {
                let (text, colour) = match x.status {
                    CrossCheckStatus::Agrees => ("agrees", PASS),
                    CrossCheckStatus::Mismatch => ("MISMATCH", FAIL),
                    CrossCheckStatus::NotChecked => ("not checked", UNJUDGED),
                };
                ui.label(&x.check);
                ui.colored_label(colour, text);
                ui.label(&x.detail);
                ui.end_row();
            }
        });
    ui.separator();
    ui.label(format!(
        "{} {} · report schema {} v{} · as of {}",
        report.tool.name, report.tool.version, report.schema, report.schema_version, report.as_of
    ));
    if let Some(run) = &report.run {
        let stages: Vec<String> = run
            .timings_ms
            .iter()
            .map(|(k, v)| format!("{} {v:.0} ms", k.trim_end_matches("_ms")))
            .collect();
        ui.label(format!("Timings: {}", stages.join(", ")));
    }
}
