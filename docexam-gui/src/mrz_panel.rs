//! The MRZ panel: every MRZ read from the images, in OCR-B with each check digit's verdict and
//! the failing characters marked, its fields and findings; and a checker for MRZ text typed or
//! pasted by the examiner.

use docexam_core::examine::MrzRecord;
use docexam_core::examine::views::{CharMark, mrz_marks};
use docexam_core::mrz::{CheckStatus, Mrz, MrzParser, Severity};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, RichText};

use crate::style::{FAIL, PASS, UNJUDGED, ocrb};

/// Draws every MRZ read from the document's images, then the text checker.
pub fn report_mrz_ui(ui: &mut egui::Ui, reads: &[MrzRecord], checker: &mut MrzPanelState) {
    if reads.is_empty() {
        ui.label("No MRZ was read from the images.");
    }
    for (i, m) in reads.iter().enumerate() {
        let rec = &m.record;
        ui.horizontal_wrapped(|ui| {
            let (verdict, colour) = if rec.is_valid() {
                ("VALID", PASS)
            } else {
                ("INVALID", FAIL)
            };
            ui.label(RichText::new(verdict).color(colour).strong());
            ui.label(format!(
                "{} — {} {} light — {}",
                rec.format().description(),
                m.side.name(),
                m.light.name(),
                m.input
            ));
        });
        ui.label(format!(
            "font {:.2}, pitch {}, weakest character confidence {:.2}",
            m.font_score,
            m.pitch_mm
                .map_or_else(|| "unknown".to_string(), |p| format!("{p:.2} mm")),
            m.char_confidence_min
        ));
        mrz_lines_ui(ui, rec);
        egui::CollapsingHeader::new(format!("Fields and checks ({})", i + 1))
            .id_salt(("mrz-read", i))
            .default_open(i == 0)
            .show(ui, |ui| result_ui(ui, rec));
        ui.separator();
    }
    egui::CollapsingHeader::new("Check MRZ text typed or pasted")
        .default_open(reads.is_empty())
        .show(ui, |ui| mrz_panel_ui(ui, checker));
}

/// The lines of `rec` in OCR-B: red on pink where a check digit fails or an error points,
/// amber where a failing check digit's coverage lies, blue where a misreading was repaired.
pub fn mrz_lines_ui(ui: &mut egui::Ui, rec: &Mrz) {
    let plain = ui.visuals().text_color();
    for line in mrz_marks(rec) {
        let mut job = LayoutJob::default();
        for (ch, mark) in line {
            let (color, background) = match mark {
                CharMark::Failing => (FAIL, Color32::from_rgba_unmultiplied(210, 40, 40, 50)),
                CharMark::Covered => (UNJUDGED, Color32::TRANSPARENT),
                CharMark::Repaired => (REPAIRED, Color32::from_rgba_unmultiplied(20, 90, 200, 40)),
                CharMark::Plain => (plain, Color32::TRANSPARENT),
            };
            job.append(
                &ch.to_string(),
                0.0,
                TextFormat {
                    font_id: ocrb(15.0),
                    color,
                    background,
                    ..Default::default()
                },
            );
        }
        ui.label(job);
    }
}

/// Blue: a character read as another and repaired, confirmed by check digits.
const REPAIRED: Color32 = Color32::from_rgb(40, 110, 220);

/// State of the MRZ panel.
#[derive(Debug, Default, Clone)]
pub struct MrzPanelState {
    /// The text being edited.
    pub text: String,
    /// Whether to repair OCR misreadings confirmed by check digits.
    pub repair: bool,
    /// The text and repair flag of the last result, to parse only on change.
    parsed_for: Option<(String, bool)>,
    /// The last result: a record, or why the text is not an MRZ.
    result: Option<Result<Mrz, String>>,
}

impl MrzPanelState {
    /// Parses the text again if it changed since the last parse.
    pub fn refresh(&mut self) {
        let key = (self.text.clone(), self.repair);
        if self.parsed_for.as_ref() == Some(&key) {
            return;
        }
        self.result = if self.text.trim().is_empty() {
            None
        } else {
            let parser = MrzParser::builder().repair(self.repair).build();
            Some(parser.parse(&self.text).map_err(|e| e.to_string()))
        };
        self.parsed_for = Some(key);
    }

    /// The last result, if any text was entered.
    pub fn result(&self) -> Option<&Result<Mrz, String>> {
        self.result.as_ref()
    }
}

/// Draws the MRZ panel: a text box and the judgement of its content.
pub fn mrz_panel_ui(ui: &mut egui::Ui, state: &mut MrzPanelState) {
    ui.label("Machine-readable zone (1 to 3 lines):");
    ui.add(
        egui::TextEdit::multiline(&mut state.text)
            .font(egui::TextStyle::Monospace)
            .desired_rows(3)
            .desired_width(f32::INFINITY)
            .hint_text("P<UTOERIKSSON<<ANNA<MARIA<<<..."),
    );
    ui.checkbox(
        &mut state.repair,
        "Repair OCR misreadings confirmed by check digits",
    );
    state.refresh();
    match state.result() {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Not an MRZ: {e}"));
        }
        Some(Ok(mrz)) => checked_ui(ui, mrz),
    }
}

fn checked_ui(ui: &mut egui::Ui, mrz: &Mrz) {
    let (verdict, color) = if mrz.is_valid() {
        ("VALID", PASS)
    } else {
        ("INVALID", FAIL)
    };
    ui.horizontal(|ui| {
        ui.colored_label(color, egui::RichText::new(verdict).strong());
        ui.label(mrz.format().description());
    });
    result_ui(ui, mrz);
}

fn result_ui(ui: &mut egui::Ui, mrz: &Mrz) {
    egui::Grid::new(ui.next_auto_id())
        .striped(true)
        .show(ui, |ui| {
            let mut row = |label: &str, value: Option<String>| {
                if let Some(v) = value {
                    ui.label(label);
                    ui.monospace(v);
                    ui.end_row();
                }
            };
            use docexam_core::mrz::FieldKind as K;
            row("Surname", mrz.surname());
            row("Given names", mrz.given_names());
            row("Document number", mrz.document_number());
            row("Issuing state", mrz.value(K::IssuingState));
            row("Nationality", mrz.value(K::Nationality));
            row(
                "Date of birth",
                mrz.birth_date()
                    .full()
                    .map(|d| d.to_string())
                    .or(mrz.raw(K::BirthDate)),
            );
            row(
                "Date of expiry",
                mrz.expiry_date()
                    .full()
                    .map(|d| d.to_string())
                    .or(mrz.raw(K::ExpiryDate)),
            );
        });
    for c in mrz.checks() {
        let ok = c.status != CheckStatus::Fail;
        let (mark, colour) = if ok { ("pass", PASS) } else { ("FAIL", FAIL) };
        ui.horizontal(|ui| {
            ui.label(RichText::new(mark).color(colour).strong());
            ui.label(format!("{} ({})", c.kind.label(), c.at));
        });
    }
    for r in docexam_core::examine::views::repair_sentences(mrz) {
        ui.colored_label(REPAIRED, format!("Repaired: {r}"));
    }
    for f in mrz.findings() {
        let color = match f.severity() {
            Severity::Error => ui.visuals().error_fg_color,
            Severity::Warning => ui.visuals().warn_fg_color,
            Severity::Info => ui.visuals().text_color(),
        };
        ui.colored_label(color, format!("{}: {}", f.code(), f.message()));
    }
}
