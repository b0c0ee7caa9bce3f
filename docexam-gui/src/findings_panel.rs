//! The findings: the assessment, its anomalies by severity, what could not be checked, and
//! every feature by status. Clicking one goes to its region (a feature's, the MRZ's or the
//! barcode's).

use docexam_core::compare::{FeatureResult, Status};
use docexam_core::examine::Report;
use egui::RichText;

use crate::command::Command;
use crate::style::{severity_colour, status_colour, status_text, verdict};

/// The features of `report`, failed first (furthest beyond the threshold first), then
/// inconclusive, passed and not applicable.
pub fn by_severity(report: &Report) -> Vec<&FeatureResult> {
    let mut features: Vec<_> = report.features.iter().collect();
    let rank = |s: Status| match s {
        Status::Fail => 0,
        Status::Inconclusive => 1,
        Status::Pass => 2,
        Status::NotApplicable => 3,
    };
    features.sort_by(|a, b| {
        rank(a.status)
            .cmp(&rank(b.status))
            .then(a.margin.total_cmp(&b.margin).reverse())
    });
    features
}

/// Draws the findings of `report`; `selected` is the selected feature.
pub fn findings_ui(ui: &mut egui::Ui, report: &Report, selected: Option<&str>) -> Vec<Command> {
    let mut out = Vec::new();
    let a = &report.assessment;
    let (title, colour) = verdict(a.result);
    ui.label(RichText::new(title).heading().color(colour).strong());
    ui.label(&a.summary);
    if let Some(id) = report.specimen.as_ref().map(|s| s.id.clone()) {
        ui.label(format!("Compared with specimen {id}"));
    }
    ui.separator();
    if !a.anomalies.is_empty() {
        ui.label(RichText::new("Anomalies").strong());
        let mut anomalies: Vec<_> = a.anomalies.iter().collect();
        anomalies.sort_by_key(|x| x.severity);
        for x in anomalies {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("{:?}", x.severity).to_lowercase())
                        .color(severity_colour(x.severity))
                        .strong(),
                );
                if x.kind == "feature" {
                    let r = ui.selectable_label(selected == Some(x.source.as_str()), &x.source);
                    if r.clicked() {
                        out.push(Command::Select(Some(x.source.clone())));
                    }
                } else if let Some(at) = &x.at {
                    // The MRZ or barcode it was found on: brought into view and outlined.
                    let r = ui
                        .link(RichText::new(&x.source).monospace())
                        .on_hover_text(format!("show it on {}", at.input));
                    if r.clicked() {
                        out.push(Command::Focus(at.clone()));
                    }
                } else {
                    ui.label(RichText::new(&x.source).monospace());
                }
                ui.label(&x.sentence);
            });
        }
        ui.separator();
    }
    if !a.not_checked.is_empty() {
        ui.label(RichText::new("Not checked").strong());
        for n in &a.not_checked {
            ui.label(format!(
                "{}{}: {}",
                n.what,
                if n.blocking { " (needed)" } else { "" },
                n.why
            ));
        }
        ui.separator();
    }
    ui.label(RichText::new("Every security feature").strong());
    let features = by_severity(report);
    egui::Grid::new("features").striped(true).show(ui, |ui| {
        for f in features {
            let r = ui.selectable_label(selected == Some(f.feature.as_str()), &f.feature);
            if r.clicked() {
                out.push(Command::Select(Some(f.feature.clone())));
            }
            ui.label(format!("{} {}", f.side.name(), f.light.name()));
            ui.label(RichText::new(status_text(f.status)).color(status_colour(f.status)));
            ui.end_row();
        }
    });
    out
}
