//! What the examiner asks for. Panels return commands; [`crate::Workstation::apply`] is the one
//! place that carries them out.

use std::path::PathBuf;

use docexam_core::evidence::ExaminerFinding;
use docexam_core::examine::Locus;
use docexam_core::ingest::{LightSource, Side};

use crate::document::DocumentRef;
use crate::state::{DetailMode, Tab, Theme};

/// One request from the examiner.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Examine the images of one document (side and light from the names).
    Open(Vec<PathBuf>),
    /// Examine one document (files, a page of a file, or items of the open case).
    OpenDocument(DocumentRef),
    /// Import what was dropped or picked: files and folders sorted into documents and each
    /// examined in turn (one document of files named directly is simply opened).
    Import(Vec<PathBuf>),
    /// Stop the examination under way.
    Cancel,
    /// Stop the import under way (within the document it is examining).
    CancelImport,
    /// Empty the list of imported documents.
    ClearImported,
    /// Show this side under this light.
    Show(Side, LightSource),
    /// Show the next light source of the current side (white → UV → IR → white).
    NextLight,
    /// Select a feature (and bring its region into view), or clear the selection.
    Select(Option<String>),
    /// Bring a region of a capture into view and outline it (an MRZ or barcode finding).
    Focus(Locus),
    /// Select the next failed or inconclusive feature (after the selected one).
    NextFinding,
    /// Change how the selected feature is compared.
    Detail(DetailMode),
    /// Set the overlay's opacity (0 to 1).
    Opacity(f32),
    /// Set the flicker comparison's rate (changes per second).
    FlickerRate(f32),
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
    /// Open the case in this folder: later documents are received into it and their
    /// examinations logged.
    OpenCase(PathBuf),
    /// Create a case in this folder (empty or new) and open it.
    CreateCase(PathBuf),
    /// Close the case (documents opened afterwards are not recorded).
    CloseCase,
    /// Verify the open case again (chain, head, every stored file re-hashed).
    VerifyCase,
    /// Ask with a native dialog for the images of a document (or of several) to open.
    PickFiles,
    /// Ask with a native dialog for a folder of documents to import.
    PickFolder,
    /// Ask with a native dialog for a case folder to open.
    PickCase,
    /// Ask with a native dialog for a folder to create a case in.
    PickNewCase,
    /// Turn annotating on or off: in annotate mode a drag marks a rectangle and a click a
    /// point, instead of panning and selecting.
    ToggleAnnotate,
    /// Set or clear the mark being annotated (image pixels of the shown capture: x, y, width,
    /// height; a point has no size).
    Mark(Option<[f32; 4]>),
    /// Record the mark with this note in the case's audit log.
    Annotate(String),
    /// Record the examiner's conclusion on the open document in the case's audit log.
    Conclude(ExaminerFinding, String),
}

/// The part of the workstation that carries a command out: each applies its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// The document under examination: open one, or cancel its examination.
    Document,
    /// The file dialogs.
    Dialog,
    /// Imports of many documents.
    Import,
    /// The case and what is recorded in it.
    Case,
    /// What is shown and how.
    View,
}

impl Command {
    /// Which part of the workstation carries this command out.
    pub fn area(&self) -> Area {
        use Command::*;
        match self {
            Open(_) | OpenDocument(_) | Cancel => Area::Document,
            PickFiles | PickFolder | PickCase | PickNewCase => Area::Dialog,
            Import(_) | CancelImport | ClearImported => Area::Import,
            OpenCase(_) | CreateCase(_) | CloseCase | VerifyCase | Annotate(_) | Conclude(..)
            | ExportPdf(_) => Area::Case,
            Show(..) | NextLight | NextSide | Select(_) | Focus(_) | NextFinding | Detail(_)
            | Opacity(_) | FlickerRate(_) | ZoomBy(..) | Fit | ActualPixels | Pan(_)
            | ToggleReference | ToggleOutlines | ToggleLoupe | Ruler(_) | Tab(_) | Theme(_)
            | ToggleAnnotate | Mark(_) => Area::View,
        }
    }
}
