//! A panel to check MRZ text typed or pasted by the examiner.

use docexam_core::mrz::{CheckStatus, Mrz, MrzParser, Severity};

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
        Some(Ok(mrz)) => result_ui(ui, mrz),
    }
}

fn result_ui(ui: &mut egui::Ui, mrz: &Mrz) {
    let (verdict, color) = if mrz.is_valid() {
        ("VALID", egui::Color32::from_rgb(0, 140, 60))
    } else {
        ("INVALID", ui.visuals().error_fg_color)
    };
    ui.horizontal(|ui| {
        ui.colored_label(color, egui::RichText::new(verdict).strong());
        ui.label(mrz.format().description());
    });
    egui::Grid::new("mrz_fields").striped(true).show(ui, |ui| {
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
        let mark = if ok { "pass" } else { "FAIL" };
        ui.label(format!("{mark} {} ({})", c.kind.label(), c.at));
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
