//! Many MRZs in one text stream, for lab batches: blocks separated by blank lines, and dense
//! runs of lines split by their shape. Lines starting with `#` are comments and separate
//! blocks like blank lines.
//!
//! A run of up to three non-blank lines is one MRZ. A longer run is split line by line: a line
//! of about 44 or 36 characters starts a two-line MRZ, about 9 a three-line Swiss licence,
//! about 30 a one-line driving licence when it starts with `D`, else a three-line TD1 when the
//! next two lines are also about 30 long ("about": within two characters). Blank lines between MRZs remove
//! every ambiguity and are recommended.
//!
//! Lines are read under a length limit, so a stream without line breaks cannot exhaust memory;
//! a bad line spoils only its own block.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use super::text::{MAX_LINE_CHARS, MAX_LINES, MrzInputError};

/// Bytes of a line kept for parsing; the rest is counted and dropped. Four bytes per
/// character for UTF-8, plus room for surrounding whitespace.
const KEEP_BYTES: usize = MAX_LINE_CHARS * 4 + 64;

/// One MRZ's text from a stream, with where it started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// 1-based number of the block's first line in the stream.
    pub first_line: usize,
    /// The block's text: its lines joined by `\n`.
    pub text: String,
}

/// A block that could not be read as text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("input line {first_line}: {error}")]
pub struct BlockError {
    /// 1-based number of the block's first line.
    pub first_line: usize,
    /// What was wrong (line numbers inside are counted from the block's first line).
    pub error: MrzInputError,
}

/// An item of [`MrzBlocks`]: a block, or a block that is not text.
pub type BlockResult = Result<Block, BlockError>;

struct Line {
    number: usize,
    content: Result<String, MrzInputError>,
    chars: usize,
}

/// Iterator over the MRZ blocks of a stream. I/O errors end the iteration with `Err`.
pub struct MrzBlocks<R> {
    reader: R,
    line_number: usize,
    pending: VecDeque<Line>,
    splitting: bool,
    ready: VecDeque<BlockResult>,
    eof: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> MrzBlocks<R> {
    /// Blocks of `reader`.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            line_number: 0,
            pending: VecDeque::new(),
            splitting: false,
            ready: VecDeque::new(),
            eof: false,
            buf: Vec::with_capacity(KEEP_BYTES),
        }
    }

    /// Reads one line into `self.buf` (at most [`KEEP_BYTES`] kept); returns its full length in
    /// bytes without the line break, or `None` at end of input.
    fn read_line(&mut self) -> io::Result<Option<usize>> {
        self.buf.clear();
        let mut total = 0usize;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok((total > 0).then_some(total));
            }
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = KEEP_BYTES.saturating_sub(self.buf.len());
            self.buf
                .extend_from_slice(chunk.get(..take.min(room)).unwrap_or_default());
            total += take;
            self.reader.consume(take);
            if done {
                return Ok(Some(total - 1));
            }
        }
    }

    fn next_line(&mut self) -> io::Result<Option<Line>> {
        let Some(total) = self.read_line()? else {
            return Ok(None);
        };
        self.line_number += 1;
        let number = self.line_number;
        let content = if total > KEEP_BYTES {
            // Too long to decode: its length in bytes stands for characters.
            Err(MrzInputError::LineTooLong {
                line: 1,
                chars: total,
                limit: MAX_LINE_CHARS,
            })
        } else {
            match std::str::from_utf8(&self.buf) {
                Ok(s) => Ok(s.trim().to_owned()),
                Err(e) => Err(MrzInputError::NotUtf8 {
                    offset: e.valid_up_to(),
                }),
            }
        };
        let chars = content.as_ref().map_or(0, |s| s.chars().count());
        Ok(Some(Line {
            number,
            content,
            chars,
        }))
    }

    /// How many of the pending lines form the next MRZ of a dense run.
    fn group_len(&self) -> usize {
        let near = |l: Option<&Line>, n: usize| l.is_some_and(|l| l.chars.abs_diff(n) <= 2);
        let first = self.pending.front();
        // A one-line driving licence starts with D; a TD1 card never does.
        let licence = first.is_some_and(|l| l.content.as_ref().is_ok_and(|s| s.starts_with('D')));
        let td1 = near(first, 30)
            && !licence
            && near(self.pending.get(1), 30)
            && near(self.pending.get(2), 30);
        let take = if near(first, 44) || near(first, 36) {
            2
        } else if near(first, 9) || td1 {
            3
        } else {
            1
        };
        take.min(self.pending.len())
    }

    fn emit(&mut self, n: usize) {
        let lines: Vec<Line> = self.pending.drain(..n.min(self.pending.len())).collect();
        let Some(first_line) = lines.first().map(|l| l.number) else {
            return;
        };
        let mut text = String::new();
        for (i, line) in lines.into_iter().enumerate() {
            match line.content {
                Ok(s) => {
                    if i > 0 {
                        text.push('\n');
                    }
                    text.push_str(&s);
                }
                Err(error) => {
                    let error = renumber(error, i + 1);
                    self.ready.push_back(Err(BlockError { first_line, error }));
                    return;
                }
            }
        }
        self.ready.push_back(Ok(Block { first_line, text }));
    }

    /// Ends the current run of non-blank lines.
    fn end_run(&mut self) {
        if !self.splitting {
            let n = self.pending.len();
            self.emit(n);
        }
        while !self.pending.is_empty() {
            let n = self.group_len();
            self.emit(n);
        }
        self.splitting = false;
    }
}

fn renumber(error: MrzInputError, line: usize) -> MrzInputError {
    match error {
        MrzInputError::LineTooLong { chars, limit, .. } => {
            MrzInputError::LineTooLong { line, chars, limit }
        }
        other => other,
    }
}

impl<R: BufRead> Iterator for MrzBlocks<R> {
    type Item = io::Result<BlockResult>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(block) = self.ready.pop_front() {
                return Some(Ok(block));
            }
            if self.eof {
                return None;
            }
            match self.next_line() {
                Err(e) => {
                    self.eof = true;
                    return Some(Err(e));
                }
                Ok(None) => {
                    self.eof = true;
                    self.end_run();
                }
                Ok(Some(line))
                    if line
                        .content
                        .as_ref()
                        .is_ok_and(|s| s.is_empty() || s.starts_with('#')) =>
                {
                    self.end_run();
                }
                Ok(Some(line)) => {
                    self.pending.push_back(line);
                    if self.pending.len() > MAX_LINES {
                        self.splitting = true;
                    }
                    if self.splitting && self.pending.len() > MAX_LINES {
                        let n = self.group_len();
                        self.emit(n);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &str) -> Vec<BlockResult> {
        MrzBlocks::new(input.as_bytes())
            .map(|r| r.unwrap())
            .collect()
    }

    fn ok(first_line: usize, text: &str) -> BlockResult {
        Ok(Block {
            first_line,
            text: text.to_owned(),
        })
    }

    #[test]
    fn blank_lines_separate_blocks() {
        let got = blocks("\nA\nB\n\n\nC\r\nD\nE\n# comment\nF");
        assert_eq!(got, vec![ok(2, "A\nB"), ok(6, "C\nD\nE"), ok(10, "F")]);
    }

    #[test]
    fn dense_runs_split_by_shape() {
        let td3 = "P".repeat(44);
        let td1 = "I".repeat(30);
        let dl = "D".repeat(30);
        // A licence line right before a TD1 card: split by content, not only by length.
        let got = blocks(&[&dl[..], &td1, &td1, &td1].join("\n"));
        let counts: Vec<usize> = got
            .iter()
            .map(|b| b.as_ref().unwrap().text.lines().count())
            .collect();
        assert_eq!(counts, vec![1, 3]);
        let swiss = "AAA001D<<";
        let input = [
            &td3[..],
            &td3,
            &td1,
            &td1,
            &td1,
            swiss,
            &td1,
            &td1,
            &td3,
            &td3,
            &dl,
        ]
        .join("\n");
        let got = blocks(&input);
        let texts: Vec<usize> = got
            .iter()
            .map(|b| b.as_ref().unwrap().text.lines().count())
            .collect();
        assert_eq!(texts, vec![2, 3, 3, 2, 1]);
        assert_eq!(got[2].as_ref().unwrap().first_line, 6);
    }

    #[test]
    fn a_run_of_four_odd_lines_is_split_rather_than_refused() {
        let got = blocks("a\nb\nc\nd");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn bad_lines_spoil_only_their_block() {
        let long = "X".repeat(10_000_000);
        let input = format!("AB\n{long}\n\nCD\n\n\u{1}");
        let got = blocks(&input);
        assert_eq!(got.len(), 3);
        assert!(matches!(
            &got[0],
            Err(BlockError {
                first_line: 1,
                error: MrzInputError::LineTooLong {
                    line: 2,
                    chars: 10_000_000,
                    ..
                }
            })
        ));
        assert_eq!(got[1], ok(4, "CD"));
        assert_eq!(got[2], ok(6, "\u{1}"));
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let input: &[u8] = b"AB\n\xff\xfe\n\nCD\n";
        let got: Vec<BlockResult> = MrzBlocks::new(input).map(|r| r.unwrap()).collect();
        assert!(matches!(
            &got[0],
            Err(BlockError {
                first_line: 1,
                error: MrzInputError::NotUtf8 { .. }
            })
        ));
        assert_eq!(got[1], ok(4, "CD"));
    }
}
