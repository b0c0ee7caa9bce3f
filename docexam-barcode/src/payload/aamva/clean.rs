//! What scanners do to an AAMVA payload before docexam sees it, undone with a record: control
//! characters they insert (U+0090 and the other C1 controls, NUL), a compliance indicator and
//! separators they drop. Offsets of findings are given back in the bytes as they arrived.

use std::borrow::Cow;

/// A payload with inserted characters removed and a dropped header prefix restored.
pub(super) struct Cleaned<'a> {
    /// The bytes to parse: the payload itself when nothing had to change.
    pub bytes: Cow<'a, [u8]>,
    /// Offsets (in the arriving bytes) of the bytes removed.
    pub removed: Vec<usize>,
    /// Bytes put in front (`@`, LF, RS, CR) because the scanner dropped them.
    pub restored: usize,
}

/// Whether a character is one a scanner inserts and the standard never holds.
fn inserted(c: char) -> bool {
    c == '\0' || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Removes the C1 controls and NULs a scanner inserts: as characters when the payload is
/// UTF-8, as bytes 0x80–0x9F otherwise (a scanner writing Latin-1).
pub(super) fn clean(input: &[u8]) -> Cleaned<'_> {
    if !input.iter().any(|&c| c == 0 || c >= 0x80) {
        return Cleaned {
            bytes: Cow::Borrowed(input),
            removed: Vec::new(),
            restored: 0,
        };
    }
    let mut bytes = Vec::with_capacity(input.len());
    let mut removed = Vec::new();
    match std::str::from_utf8(input) {
        Ok(text) => {
            for (i, c) in text.char_indices() {
                if inserted(c) {
                    removed.extend(i..i + c.len_utf8());
                } else {
                    let mut buf = [0u8; 4];
                    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        Err(_) => {
            for (i, &c) in input.iter().enumerate() {
                if c == 0 || (0x80..=0x9f).contains(&c) {
                    removed.push(i);
                } else {
                    bytes.push(c);
                }
            }
        }
    }
    Cleaned {
        bytes: Cow::Owned(bytes),
        removed,
        restored: 0,
    }
}

impl Cleaned<'_> {
    /// Restores the compliance indicator and separators in front of a header that begins at
    /// its file type (`ANSI `), so the directory's offsets count from where they should.
    pub fn restore_prefix(&mut self) {
        let mut b = b"@\n\x1e\r".to_vec();
        b.extend_from_slice(&self.bytes);
        self.bytes = Cow::Owned(b);
        self.restored = 4;
    }

    /// Removes the first `n` bytes (a byte-order mark), keeping offsets true.
    pub fn drop_front(&mut self, n: usize) {
        let n = n.min(self.bytes.len());
        let gone: Vec<usize> = (0..n).map(|i| self.original(i)).collect();
        self.bytes.to_mut().drain(..n);
        self.removed.extend(gone);
        self.removed.sort_unstable();
    }

    /// The offset in the arriving bytes of offset `at` of the cleaned bytes.
    pub fn original(&self, at: usize) -> usize {
        let mut o = at.saturating_sub(self.restored);
        // Each removed byte before the position shifts it one further.
        for &r in &self.removed {
            if r <= o {
                o += 1;
            } else {
                break;
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_are_removed_as_characters_or_bytes_and_offsets_map_back() {
        let c = clean("@\n\u{90}\x1e\rANSI é".as_bytes());
        assert_eq!(&*c.bytes, "@\n\x1e\rANSI é".as_bytes());
        assert_eq!(c.removed, vec![2, 3]);
        assert_eq!(c.original(1), 1);
        assert_eq!(c.original(2), 4);
        // Latin-1: the byte itself.
        let c = clean(b"@\x90\n\xe9");
        assert_eq!(&*c.bytes, b"@\n\xe9");
        assert_eq!(c.original(1), 2);
        // Plain ASCII is taken as it is, not copied.
        let c = clean(b"@\n\x1e\rANSI ");
        assert!(c.removed.is_empty());
        assert!(matches!(c.bytes, Cow::Borrowed(_)));
    }
}
