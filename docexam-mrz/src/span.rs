//! Positions of characters in the MRZ.

use serde::{Serialize, Serializer};

/// A run of characters on one MRZ line.
///
/// Stored 0-based and end-exclusive; shown as ICAO 9303 does, 1-based and inclusive
/// (`line 2, columns 1–9`), which is also how the JSON report gives `line` and `columns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Line index, 0-based.
    pub line: u8,
    /// First column, 0-based.
    pub start: u8,
    /// One past the last column, 0-based.
    pub end: u8,
}

impl Span {
    /// The span of `start..end` on `line` (all 0-based, end exclusive).
    pub const fn new(line: u8, start: u8, end: u8) -> Self {
        Self { line, start, end }
    }

    /// The single character at `col` on `line`.
    pub const fn at(line: u8, col: u8) -> Self {
        Self {
            line,
            start: col,
            end: col + 1,
        }
    }

    /// Number of characters covered.
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether the span covers no character.
    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The 1-based line number.
    pub const fn line_number(self) -> u32 {
        self.line as u32 + 1
    }

    /// The 1-based, inclusive first and last columns (for an empty span, `[start+1, start]`).
    pub const fn columns(self) -> [u32; 2] {
        [self.start as u32 + 1, self.end as u32]
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [first, last] = self.columns();
        if first >= last {
            write!(f, "line {}, column {first}", self.line_number())
        } else {
            write!(f, "line {}, columns {first}-{last}", self.line_number())
        }
    }
}

/// The JSON form of a position: `{"line": 2, "columns": [1, 9]}`.
#[derive(Serialize)]
pub(crate) struct JsonPosition {
    pub line: u32,
    pub columns: [u32; 2],
}

impl From<Span> for JsonPosition {
    fn from(s: Span) -> Self {
        Self {
            line: s.line_number(),
            columns: s.columns(),
        }
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        JsonPosition::from(*self).serialize(serializer)
    }
}
