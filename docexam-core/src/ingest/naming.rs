//! Light source, side and document from file names, so that the white, UV and IR images of the
//! front and back of one document group together.
//!
//! The convention (case-insensitive), on the file name without its extension:
//!
//! - a token `uv` or `uv365` means ultraviolet light; `ir` or `ir850` infrared; `white`, `wl`
//!   or `vis` white light (the default);
//! - a token `front`, `recto` or `f` means the front; `back`, `verso` or `b` the back (the
//!   default is the front);
//! - what remains, joined, names the document.
//!
//! Tokens are separated by `_`, `-`, `.` or spaces. `passport17_back_uv.png` is the back of
//! document `passport17` under UV light. Flags on the command line override the name.

use serde::{Deserialize, Serialize};

/// The light an image was taken under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LightSource {
    /// Visible white light.
    #[default]
    White,
    /// Ultraviolet (365 nm).
    Uv,
    /// Infrared (850 nm).
    Ir,
}

impl LightSource {
    /// The name used in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            LightSource::White => "white",
            LightSource::Uv => "uv",
            LightSource::Ir => "ir",
        }
    }

    fn from_token(t: &str) -> Option<Self> {
        match t {
            "uv" | "uv365" => Some(LightSource::Uv),
            "ir" | "ir850" => Some(LightSource::Ir),
            "white" | "wl" | "vis" => Some(LightSource::White),
            _ => None,
        }
    }
}

impl std::str::FromStr for LightSource {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_token(&s.to_ascii_lowercase())
            .ok_or_else(|| format!("unknown light source {s:?}: expected white, uv or ir"))
    }
}

/// Which side of a document an image shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The front (recto; the data page of a passport).
    #[default]
    Front,
    /// The back (verso).
    Back,
}

impl Side {
    /// The name used in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }

    fn from_token(t: &str) -> Option<Self> {
        match t {
            "front" | "recto" | "f" => Some(Side::Front),
            "back" | "verso" | "b" => Some(Side::Back),
            _ => None,
        }
    }
}

impl std::str::FromStr for Side {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_token(&s.to_ascii_lowercase())
            .ok_or_else(|| format!("unknown side {s:?}: expected front or back"))
    }
}

/// What a file name says about its image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameInfo {
    /// The document's name.
    pub document: String,
    /// The side.
    pub side: Side,
    /// The light source.
    pub light: LightSource,
}

/// The name of the document whose files are `files`: what their names have in common under
/// the naming convention (several documents' names joined by `+`, in order).
pub fn document_name<P: AsRef<std::path::Path>>(files: &[P]) -> String {
    let mut names: Vec<String> = files
        .iter()
        .map(|f| from_file_name(&f.as_ref().to_string_lossy()).document)
        .collect();
    names.sort();
    names.dedup();
    names.join("+")
}

/// Reads the convention from a file name (with or without directories and extension).
pub fn from_file_name(name: &str) -> NameInfo {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => stem,
        _ => base,
    };
    let mut side = Side::default();
    let mut light = LightSource::default();
    let mut rest: Vec<&str> = Vec::new();
    for token in stem.split(['_', '-', '.', ' ']).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if let Some(l) = LightSource::from_token(&lower) {
            light = l;
        } else if let Some(s) = Side::from_token(&lower) {
            side = s;
        } else {
            rest.push(token);
        }
    }
    let document = if rest.is_empty() {
        stem.to_owned()
    } else {
        rest.join("_")
    };
    NameInfo {
        document,
        side,
        light,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_convention() {
        let i = from_file_name("scans/passport17_back_uv.png");
        assert_eq!(
            (i.document.as_str(), i.side, i.light),
            ("passport17", Side::Back, LightSource::Uv)
        );
        let i = from_file_name("ID-card 3 front IR850.TIF");
        assert_eq!(
            (i.document.as_str(), i.side, i.light),
            ("ID_card_3", Side::Front, LightSource::Ir)
        );
        let i = from_file_name("scan.jpg");
        assert_eq!(
            (i.document.as_str(), i.side, i.light),
            ("scan", Side::Front, LightSource::White)
        );
        let i = from_file_name("uv.png");
        assert_eq!((i.document.as_str(), i.light), ("uv", LightSource::Uv));
    }

    #[test]
    fn a_set_groups_as_one_document() {
        let names = [
            "doc9_front.png",
            "doc9_front_uv.png",
            "doc9_front_ir.png",
            "doc9_back.png",
            "doc9_back_uv.png",
        ];
        let docs: Vec<String> = names.iter().map(|n| from_file_name(n).document).collect();
        assert!(docs.iter().all(|d| d == "doc9"));
    }
}
