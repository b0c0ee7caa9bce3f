//! The barcodes found on the document: symbology, payload and its fields, the signature's
//! verdict, and each field compared with the MRZ (mismatches in red).

use docexam_core::barcode::Authenticity;
use docexam_core::examine::BarcodeRecord;
use egui::RichText;

use crate::style::{FAIL, PASS, UNJUDGED};

/// Draws every barcode record.
pub fn barcodes_ui(ui: &mut egui::Ui, records: &[BarcodeRecord]) {
    let found: usize = records.iter().map(|r| r.codes.len()).sum();
    if found == 0 {
        ui.label("No barcode was decoded.");
    }
    for (ri, r) in records.iter().enumerate() {
        if let Some(e) = &r.error {
            ui.colored_label(FAIL, format!("{}: the search failed: {e}", r.input));
        }
        if !r.undecodable.is_empty() {
            ui.colored_label(
                UNJUDGED,
                format!(
                    "{}: {} code(s) located but not decoded",
                    r.input,
                    r.undecodable.len()
                ),
            );
        }
        for (ci, c) in r.codes.iter().enumerate() {
            let p = &c.payload;
            ui.label(RichText::new(format!("{} — {}", c.code.symbology, p.description)).strong());
            ui.label(format!("in {} · blake3 {}", r.input, short(&c.code.blake3)));
            let s = &p.signature;
            let colour = match s.authenticity {
                Authenticity::Proven => PASS,
                Authenticity::False | Authenticity::Unproven => FAIL,
                Authenticity::NotChecked | Authenticity::NotSigned => UNJUDGED,
            };
            ui.colored_label(
                colour,
                format!("Signature: {}. {}", s.authenticity.phrase(), s.sentence()),
            );
            for w in &s.warnings {
                ui.label(format!("Note: {w}"));
            }
            egui::Grid::new(("barcode-fields", ri, ci))
                .striped(true)
                .show(ui, |ui| {
                    for f in &p.fields {
                        ui.label(f.name.as_ref());
                        ui.monospace(&f.value);
                        ui.end_row();
                    }
                });
            if let Some(checks) = r.cross_checks.get(ci)
                && !checks.is_empty()
            {
                ui.label(RichText::new("Compared with the MRZ").strong());
                egui::Grid::new(("barcode-checks", ri, ci))
                    .striped(true)
                    .show(ui, |ui| {
                        for x in checks {
                            let colour = if x.agrees { PASS } else { FAIL };
                            ui.label(x.field);
                            ui.colored_label(colour, if x.agrees { "agrees" } else { "MISMATCH" });
                            ui.monospace(format!("{} / {}", x.payload, x.mrz));
                            ui.end_row();
                        }
                    });
            }
            for f in &p.findings {
                ui.colored_label(UNJUDGED, format!("{f:?}"));
            }
            ui.separator();
        }
    }
}

fn short(h: &str) -> &str {
    h.get(..16).unwrap_or(h)
}
