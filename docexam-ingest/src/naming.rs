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

use std::ffi::OsStr;

use serde::{Deserialize, Serialize};

/// A file name as text for records and reports. A name in UTF-8 is kept as it is; in a name
/// that is not, each byte outside valid UTF-8 is written `\xNN` and each backslash `\\`, so
/// that two different names never record as one (a lossy conversion would make both
/// `scan\xff.jpg` and `scan\xfe.jpg` into `scan\u{FFFD}.jpg`).
pub fn file_name_text(name: &OsStr) -> String {
    if let Some(text) = name.to_str() {
        return text.to_owned();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write as _;
        use std::os::unix::ffi::OsStrExt as _;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

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

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_distinct() {
        use std::os::unix::ffi::OsStrExt as _;
        let a = file_name_text(OsStr::from_bytes(b"scan\xff_front.jpg"));
        let b = file_name_text(OsStr::from_bytes(b"scan\xfe_front.jpg"));
        assert_eq!(a, "scan\\xff_front.jpg");
        assert_ne!(a, b);
        assert_eq!(
            file_name_text(OsStr::new("pass\u{e9}port.jpg")),
            "pass\u{e9}port.jpg"
        );
        let slash = file_name_text(OsStr::from_bytes(b"a\\xff\xff"));
        assert_eq!(
            slash, "a\\\\xff\\xff",
            "a backslash is escaped where bytes are"
        );
    }

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
