//! The workstation's state as plain data: what is shown and how, free of egui types and
//! serialisable (the view settings and recent files are remembered between runs).

use std::path::PathBuf;

use docexam_core::evidence::ExaminerFinding;
use docexam_core::examine::Locus;
use docexam_core::ingest::{LightSource, Side};
use serde::{Deserialize, Serialize};

use crate::mrz_panel::MrzPanelState;

/// The colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Light background (daylight desks, printed-report look).
    #[default]
    Light,
    /// Dark background (a dimmed inspection room, UV work).
    Dark,
}

/// How a selected feature's questioned and reference regions are compared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailMode {
    /// Questioned document and reference next to each other at the same scale.
    #[default]
    SideBySide,
    /// The reference drawn over the questioned region with an adjustable opacity.
    Overlay,
    /// The two shown in turn (blink comparison).
    Flicker,
    /// Where the questioned region departs from the reference.
    HeatMap,
}

impl DetailMode {
    /// Every mode, in the order of the selector.
    pub const ALL: [DetailMode; 4] = [
        DetailMode::SideBySide,
        DetailMode::Overlay,
        DetailMode::Flicker,
        DetailMode::HeatMap,
    ];

    /// The label of the mode's selector.
    pub fn label(self) -> &'static str {
        match self {
            DetailMode::SideBySide => "Side by side",
            DetailMode::Overlay => "Overlay",
            DetailMode::Flicker => "Flicker",
            DetailMode::HeatMap => "Heat map",
        }
    }
}

/// The side panel's tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    /// Anomalies and every feature, by severity.
    #[default]
    Findings,
    /// The machine-readable zones read from the images.
    Mrz,
    /// Barcodes and their payloads.
    Barcodes,
    /// Inputs, hashes, specimen and cross-checks.
    Evidence,
    /// The case: audit log, verification, annotations and the examiner's conclusion.
    Case,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 5] = [
        Tab::Findings,
        Tab::Mrz,
        Tab::Barcodes,
        Tab::Evidence,
        Tab::Case,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Findings => "Findings",
            Tab::Mrz => "MRZ",
            Tab::Barcodes => "Barcodes",
            Tab::Evidence => "Evidence",
            Tab::Case => "Case",
        }
    }
}

/// How the document is viewed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ViewState {
    /// The side shown.
    pub side: Side,
    /// The light source shown (questioned and reference alike).
    pub light: LightSource,
    /// Screen points per image pixel; `None`: fit the page to the view.
    pub zoom: Option<f32>,
    /// The image pixel at the centre of the view.
    pub centre: [f32; 2],
    /// Whether the specimen's reference image is shown instead of the questioned capture.
    pub reference: bool,
    /// The selected feature's id.
    pub selected: Option<String>,
    /// How the selected feature is compared.
    pub detail: DetailMode,
    /// Opacity of the reference in the overlay, 0 to 1.
    pub overlay_opacity: f32,
    /// Changes per second in the flicker comparison.
    pub flicker_hz: f32,
    /// Whether features are outlined on the document.
    pub outlines: bool,
    /// Whether the loupe follows the pointer.
    pub loupe: bool,
    /// The ruler's ends, in image pixels, when one is drawn.
    pub ruler: Option<[[f32; 2]; 2]>,
    /// The side panel's tab.
    pub tab: Tab,
    /// Whether a drag marks a region to annotate (instead of panning).
    #[serde(default)]
    pub annotate: bool,
    /// The mark being annotated (image pixels of the shown capture), before its note is
    /// recorded.
    #[serde(skip)]
    pub mark: Option<[f32; 4]>,
    /// Where the finding chosen in the findings list is (its capture and region), outlined
    /// on the document.
    #[serde(skip)]
    pub focus: Option<Locus>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            side: Side::Front,
            light: LightSource::White,
            zoom: None,
            centre: [0.0, 0.0],
            reference: false,
            selected: None,
            detail: DetailMode::SideBySide,
            overlay_opacity: 0.5,
            flicker_hz: 2.0,
            outlines: true,
            loupe: false,
            ruler: None,
            tab: Tab::Findings,
            annotate: false,
            mark: None,
            focus: None,
        }
    }
}

/// Everything the workstation shows and remembers.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AppState {
    /// The colour theme.
    pub theme: Theme,
    /// Files opened recently, newest first (at most [`AppState::RECENT`]).
    pub recent: Vec<Vec<PathBuf>>,
    /// How the document is viewed.
    pub view: ViewState,
    /// Where the next PDF report is written (filled in for each document opened).
    #[serde(skip)]
    pub export_path: String,
    /// The folder PDF reports were last written to.
    pub report_dir: Option<PathBuf>,
    /// The MRZ text checker (typed or pasted text); not remembered.
    #[serde(skip)]
    pub mrz: MrzPanelState,
    /// The status line: what the workstation last did or is doing.
    #[serde(skip)]
    pub status: String,
    /// Case folders opened recently, newest first (at most [`AppState::RECENT`]).
    #[serde(default)]
    pub recent_cases: Vec<PathBuf>,
    /// The case folder typed in the case panel (to open or create without a dialog).
    #[serde(skip)]
    pub case_path: String,
    /// The note being written for the mark.
    #[serde(skip)]
    pub note: String,
    /// The conclusion being written.
    #[serde(skip)]
    pub conclusion: ConclusionDraft,
}

/// The examiner's conclusion as it is being written.
#[derive(Clone, Debug, Default)]
pub struct ConclusionDraft {
    /// The finding chosen.
    pub finding: Option<ExaminerFinding>,
    /// The grounds.
    pub note: String,
}

impl AppState {
    /// How many recent file sets are remembered.
    pub const RECENT: usize = 8;

    /// Remembers `dir` as the most recent case.
    pub fn remember_case(&mut self, dir: &std::path::Path) {
        self.recent_cases.retain(|r| r != dir);
        self.recent_cases.insert(0, dir.to_path_buf());
        self.recent_cases.truncate(Self::RECENT);
    }

    /// Remembers `files` as the most recent set.
    pub fn remember(&mut self, files: &[PathBuf]) {
        self.recent.retain(|r| r.as_slice() != files);
        self.recent.insert(0, files.to_vec());
        self.recent.truncate(Self::RECENT);
    }
}
