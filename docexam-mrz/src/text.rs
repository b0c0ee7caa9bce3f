//! The MRZ text: 1–3 lines held inline, and the checks that turn untrusted input into it.

use super::charset::is_mrz_char;

/// Most lines an MRZ has.
pub const MAX_LINES: usize = 3;

/// Longest line accepted as a (possibly damaged) MRZ line. The longest format has 44
/// characters; anything much longer is not an MRZ and is refused as input.
pub const MAX_LINE_CHARS: usize = 64;

/// Byte stored for a character outside ASCII; never an MRZ character.
const NON_ASCII: u8 = 0xFF;

/// Why a text could not be read as an MRZ at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MrzInputError {
    /// Nothing but whitespace.
    #[error("no MRZ text: the input is empty")]
    Empty,
    /// More lines than any format has.
    #[error("{lines} non-empty lines: an MRZ has 1 to 3")]
    TooManyLines {
        /// Non-empty lines found.
        lines: usize,
    },
    /// A line far longer than any MRZ line.
    #[error("line {line} has {chars} characters: MRZ lines have at most 44 (limit {limit})")]
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// Characters on the line.
        chars: usize,
        /// The limit applied.
        limit: usize,
    },
    /// A control character or other binary data.
    #[error("binary data: control character U+{code:04X} at line {line}, column {column}")]
    Binary {
        /// 1-based line number.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The character's code point.
        code: u32,
    },
    /// Raw OCR output with no line that looks like an MRZ line (fillers, 25 or more MRZ
    /// characters, or the Swiss licence's 9).
    #[error("no line of the OCR output looks like an MRZ line")]
    NoMrzLines,
    /// Bytes that are not UTF-8 text.
    #[error("binary data: invalid UTF-8 at byte offset {offset}")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
}

/// One to three MRZ lines, stored without allocation.
///
/// Every character is one byte: ASCII as is, anything else as a byte that is not an MRZ
/// character ([`MrzText::char_at`] gives back the original characters, for messages).
#[derive(Clone, PartialEq, Eq)]
pub struct MrzText {
    bytes: [[u8; MAX_LINE_CHARS]; MAX_LINES],
    lens: [u8; MAX_LINES],
    count: u8,
    /// Non-ASCII characters: (line, column, char), 0-based; few, and usually none.
    non_ascii: Vec<(u8, u8, char)>,
}

impl std::fmt::Debug for MrzText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.lines().map(String::from_utf8_lossy))
            .finish()
    }
}

impl MrzText {
    /// Reads MRZ text: surrounding whitespace and blank lines are ignored, each line is
    /// trimmed, and `\r\n` line ends are accepted.
    pub fn parse(input: &str) -> Result<Self, MrzInputError> {
        let mut text = MrzText {
            bytes: [[0; MAX_LINE_CHARS]; MAX_LINES],
            lens: [0; MAX_LINES],
            count: 0,
            non_ascii: Vec::new(),
        };
        let mut lines = 0usize;
        for (input_line, raw) in input.lines().enumerate() {
            // A byte-order mark is not whitespace to `trim`, but it is not text either.
            let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
            if line.is_empty() {
                continue;
            }
            lines += 1;
            let chars = MrzText::check_line(input_line, line)?;
            let Some(slot) = text.bytes.get_mut(lines - 1) else {
                continue; // counted below
            };
            if line.is_ascii() {
                if let Some(dst) = slot.get_mut(..line.len()) {
                    dst.copy_from_slice(line.as_bytes());
                }
            } else {
                for ((col, ch), b) in line.chars().enumerate().zip(slot.iter_mut()) {
                    *b = if ch.is_ascii() {
                        ch as u8
                    } else {
                        text.non_ascii.push(((lines - 1) as u8, col as u8, ch));
                        NON_ASCII
                    };
                }
            }
            if let Some(len) = text.lens.get_mut(lines - 1) {
                *len = chars as u8;
            }
        }
        match lines {
            0 => Err(MrzInputError::Empty),
            1..=MAX_LINES => {
                text.count = lines as u8;
                Ok(text)
            }
            _ => Err(MrzInputError::TooManyLines { lines }),
        }
    }

    /// Refuses a line with control characters or too many characters; returns its length in
    /// characters.
    fn check_line(input_line: usize, line: &str) -> Result<usize, MrzInputError> {
        let binary = |column: usize, code: u32| MrzInputError::Binary {
            line: input_line + 1,
            column: column + 1,
            code,
        };
        let chars = if line.is_ascii() {
            if let Some(col) = line.bytes().position(|b| b.is_ascii_control()) {
                let code = line.as_bytes().get(col).copied().unwrap_or(0);
                return Err(binary(col, u32::from(code)));
            }
            line.len()
        } else {
            if let Some((col, ch)) = line.chars().enumerate().find(|(_, ch)| ch.is_control()) {
                return Err(binary(col, u32::from(ch)));
            }
            line.chars().count()
        };
        if chars > MAX_LINE_CHARS {
            return Err(MrzInputError::LineTooLong {
                line: input_line + 1,
                chars,
                limit: MAX_LINE_CHARS,
            });
        }
        Ok(chars)
    }

    /// Reads MRZ text from bytes, refusing what is not UTF-8 text.
    pub fn parse_bytes(input: &[u8]) -> Result<Self, MrzInputError> {
        match std::str::from_utf8(input) {
            Ok(s) => Self::parse(s),
            Err(e) => Err(MrzInputError::NotUtf8 {
                offset: e.valid_up_to(),
            }),
        }
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        usize::from(self.count)
    }

    /// Line `i` (0-based) as bytes; empty if there is no such line.
    pub fn line(&self, i: usize) -> &[u8] {
        match (self.bytes.get(i), self.lens.get(i)) {
            (Some(b), Some(&len)) if i < self.line_count() => {
                b.get(..usize::from(len)).unwrap_or(b)
            }
            _ => &[],
        }
    }

    /// The lines in order.
    pub fn lines(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.line_count()).map(|i| self.line(i))
    }

    /// The character at `line`, `col` (0-based), if present.
    pub fn byte_at(&self, line: u8, col: u8) -> Option<u8> {
        self.line(usize::from(line)).get(usize::from(col)).copied()
    }

    /// Replaces the character at `line`, `col`; returns false if there is none.
    pub(crate) fn set(&mut self, line: u8, col: u8, value: u8) -> bool {
        let len = self.lens.get(usize::from(line)).copied().unwrap_or(0);
        if col >= len || usize::from(line) >= self.line_count() {
            return false;
        }
        match self
            .bytes
            .get_mut(usize::from(line))
            .and_then(|l| l.get_mut(usize::from(col)))
        {
            Some(b) => {
                *b = value;
                self.non_ascii.retain(|&(l, c, _)| (l, c) != (line, col));
                true
            }
            None => false,
        }
    }

    /// The character as it was in the input (restoring non-ASCII characters).
    pub fn char_at(&self, line: u8, col: u8) -> Option<char> {
        let b = self.byte_at(line, col)?;
        if b == NON_ASCII {
            self.non_ascii
                .iter()
                .find(|&&(l, c, _)| (l, c) == (line, col))
                .map(|&(_, _, ch)| ch)
        } else {
            Some(char::from(b))
        }
    }

    /// The line as a string (non-ASCII characters restored).
    pub fn line_string(&self, i: usize) -> String {
        (0..self.line(i).len())
            .filter_map(|c| self.char_at(i as u8, c as u8))
            .collect()
    }

    /// Whether every character is in the MRZ set.
    pub fn is_all_mrz_chars(&self) -> bool {
        self.lines().all(|l| l.iter().all(|&b| is_mrz_char(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_skips_blank_lines() {
        let t = MrzText::parse("\n  P<UTO  \r\n\n  L898 \n\n").unwrap();
        assert_eq!(t.line_count(), 2);
        assert_eq!(t.line(0), b"P<UTO");
        assert_eq!(t.line(1), b"L898");
        assert_eq!(t.line(2), b"");
    }

    #[test]
    fn refuses_what_is_not_an_mrz() {
        assert_eq!(MrzText::parse(" \n\t\n"), Err(MrzInputError::Empty));
        assert_eq!(
            MrzText::parse("a\nb\nc\nd\ne"),
            Err(MrzInputError::TooManyLines { lines: 5 })
        );
        let long = "X".repeat(10 * 1024 * 1024);
        assert!(matches!(
            MrzText::parse(&long),
            Err(MrzInputError::LineTooLong {
                line: 1,
                chars: 10_485_760,
                ..
            })
        ));
        assert_eq!(
            MrzText::parse("AB\u{0}C"),
            Err(MrzInputError::Binary {
                line: 1,
                column: 3,
                code: 0
            })
        );
        assert_eq!(
            MrzText::parse_bytes(b"AB\xFF\xFE"),
            Err(MrzInputError::NotUtf8 { offset: 2 })
        );
    }

    #[test]
    fn ignores_a_byte_order_mark() {
        let t = MrzText::parse("\u{FEFF}P<UTO\nL898").unwrap();
        assert_eq!(t.line(0), b"P<UTO");
        assert_eq!(
            MrzText::parse("\u{b}\u{FEFF}\u{b}\u{b}"),
            Err(MrzInputError::Empty)
        );
    }

    #[test]
    fn keeps_non_ascii_characters_for_messages() {
        let t = MrzText::parse("P<UTOÉRIK").unwrap();
        assert_eq!(t.line(0).len(), 9);
        assert_eq!(t.char_at(0, 5), Some('É'));
        assert_eq!(t.line_string(0), "P<UTOÉRIK");
        assert!(!t.is_all_mrz_chars());
    }
}
