//! What the examiner asks for. Panels return commands; [`crate::Workstation::apply`] is the one
//! place that carries them out.

use std::path::PathBuf;

use docexam_core::ingest::{LightSource, Side};

use crate::state::{DetailMode, Tab, Theme};

/// One request from the examiner.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Examine the images of one document (side and light from the names).
    Open(Vec<PathBuf>),
    /// Stop the examination under way.
    Cancel,
    /// Show this side under this light.
    Show(Side, LightSource),
    /// Show the next light source of the current side (white → UV → IR → white).
    NextLight,
    /// Select a feature (and bring its region into view), or clear the selection.
    Select(Option<String>),
    /// Select the next failed or inconclusive feature (after the selected one).
    NextFinding,
    /// Change how the selected feature is compared.
    Detail(DetailMode),
    /// Set the overlay's opacity (0 to 1).
    Opacity(f32),
    /// Zoom by a factor about an image point.
    ZoomBy(f32, [f32; 2]),
    /// Fit the page to the view.
    Fit,
    /// Show the image at one screen point per pixel.
    ActualPixels,
    /// Move the view by this many image pixels.
    Pan([f32; 2]),
    /// Show the specimen's reference image instead of the questioned capture, or back.
    ToggleReference,
    /// Show the other side.
    NextSide,
    /// Show or hide the feature outlines.
    ToggleOutlines,
    /// Show or hide the loupe.
    ToggleLoupe,
    /// Set or clear the ruler (image pixels).
    Ruler(Option<[[f32; 2]; 2]>),
    /// Switch the side panel's tab.
    Tab(Tab),
    /// Write the PDF report of the open document to this file (on a worker thread).
    ExportPdf(PathBuf),
    /// Switch the colour theme.
    Theme(Theme),
}
