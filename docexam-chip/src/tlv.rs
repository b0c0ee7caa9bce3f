//! BER-TLV as the logical data structure writes it (ICAO 9303-10 §4.6, ISO/IEC 7816-4 §5.2):
//! tags of one to three bytes, lengths in short form or long form of up to three length bytes
//! (`0x81`–`0x83`; no data group comes near 16 MiB). Every read is bounded by the bytes given:
//! a length that runs past them, an indefinite length or a tag that does not end is an error
//! naming its offset, never a panic or a read past the end.

/// The deepest nesting [`find`] follows; real data groups nest four levels at most.
pub const MAX_DEPTH: usize = 16;

/// One tag-length-value, borrowed from the bytes it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag, its bytes big-endian (`0x5F1F`, `0x61`).
    pub tag: u32,
    /// The value.
    pub value: &'a [u8],
    /// Where the tag starts in the bytes first given.
    pub offset: usize,
    /// Where the value starts in the bytes first given.
    pub value_offset: usize,
}

impl Tlv<'_> {
    /// Whether the tag marks a constructed value (one holding TLVs: bit 6 of its first byte).
    pub fn is_constructed(&self) -> bool {
        let first = if self.tag > 0xFFFF {
            self.tag >> 16
        } else if self.tag > 0xFF {
            self.tag >> 8
        } else {
            self.tag
        };
        first & 0x20 != 0
    }

    /// The TLVs inside a constructed value, in order.
    pub fn children(&self) -> Result<Vec<Tlv<'_>>, TlvError> {
        read_all(self.value, self.value_offset)
    }
}

/// Why bytes are not TLV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    /// The bytes end inside a tag or a length.
    #[error("the data ends inside a tag or length at byte {offset}")]
    Truncated {
        /// Where the tag began.
        offset: usize,
    },
    /// A tag of more than three bytes.
    #[error("a tag longer than three bytes at byte {offset}")]
    TagTooLong {
        /// Where the tag began.
        offset: usize,
    },
    /// The indefinite length (`0x80`) or more than three length bytes.
    #[error("an unsupported length form 0x{first:02X} at byte {offset}")]
    LengthForm {
        /// Where the length began.
        offset: usize,
        /// Its first byte.
        first: u8,
    },
    /// A value longer than the bytes left.
    #[error("a value of {length} bytes at byte {offset} runs past the {available} bytes left")]
    Overrun {
        /// Where the value begins.
        offset: usize,
        /// Its declared length.
        length: usize,
        /// The bytes left.
        available: usize,
    },
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("TLV nested deeper than {MAX_DEPTH} levels at byte {offset}")]
    TooDeep {
        /// Where the deepest value began.
        offset: usize,
    },
}

/// Reads the TLV at the start of `bytes` (which begin at `base` in the bytes first given) and
/// returns it with the number of bytes it takes.
pub fn read_one(bytes: &[u8], base: usize) -> Result<(Tlv<'_>, usize), TlvError> {
    let truncated = TlvError::Truncated { offset: base };
    let first = *bytes.first().ok_or(truncated)?;
    let mut tag = u32::from(first);
    let mut at = 1;
    if first & 0x1F == 0x1F {
        // Subsequent tag bytes: more follow while bit 8 is set.
        loop {
            let b = *bytes.get(at).ok_or(truncated)?;
            tag = (tag << 8) | u32::from(b);
            at += 1;
            if b & 0x80 == 0 {
                break;
            }
            if at >= 3 {
                return Err(TlvError::TagTooLong { offset: base });
            }
        }
    }
    let length_at = at;
    let l0 = *bytes.get(at).ok_or(truncated)?;
    at += 1;
    let length = match l0 {
        0x00..=0x7F => usize::from(l0),
        0x81..=0x83 => {
            let n = usize::from(l0 & 0x7F);
            let field = bytes.get(at..at + n).ok_or(truncated)?;
            at += n;
            field.iter().fold(0usize, |v, b| (v << 8) | usize::from(*b))
        }
        _ => {
            return Err(TlvError::LengthForm {
                offset: base + length_at,
                first: l0,
            });
        }
    };
    let available = bytes.len() - at;
    let value = bytes.get(at..at + length).ok_or(TlvError::Overrun {
        offset: base + at,
        length,
        available,
    })?;
    let tlv = Tlv {
        tag,
        value,
        offset: base,
        value_offset: base + at,
    };
    Ok((tlv, at + length))
}

/// Every TLV in `bytes`, one after another (`base` as in [`read_one`]).
pub fn read_all(bytes: &[u8], base: usize) -> Result<Vec<Tlv<'_>>, TlvError> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(rest) = bytes.get(at..).filter(|r| !r.is_empty()) {
        let (tlv, used) = read_one(rest, base + at)?;
        out.push(tlv);
        at += used;
    }
    Ok(out)
}

/// The first TLV tagged `tag`, searched depth first through constructed values, within
/// [`MAX_DEPTH`] levels.
pub fn find<'a>(tlvs: &[Tlv<'a>], tag: u32) -> Result<Option<Tlv<'a>>, TlvError> {
    find_at(tlvs, tag, 0)
}

fn find_at<'a>(tlvs: &[Tlv<'a>], tag: u32, depth: usize) -> Result<Option<Tlv<'a>>, TlvError> {
    for t in tlvs {
        if t.tag == tag {
            return Ok(Some(*t));
        }
        if t.is_constructed() {
            if depth >= MAX_DEPTH {
                return Err(TlvError::TooDeep { offset: t.offset });
            }
            let inner = read_all(t.value, t.value_offset)?;
            if let Some(found) = find_at(&inner, tag, depth + 1)? {
                return Ok(Some(found));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;

    #[test]
    fn the_ef_com_of_icao_9303_10_reads_as_written() {
        // An EF.COM as ICAO 9303-10 §4.6.1 lays it out: LDS 1.7, Unicode 4.0.0, DG1 and DG2.
        let com = [
            0x60, 0x14, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5F, 0x36, 0x06, b'0', b'4',
            b'0', b'0', b'0', b'0', 0x5C, 0x02, 0x61, 0x75,
        ];
        let (outer, used) = read_one(&com, 0).unwrap();
        assert_eq!((outer.tag, used), (0x60, com.len()));
        assert!(outer.is_constructed());
        let inner = outer.children().unwrap();
        let tags: Vec<u32> = inner.iter().map(|t| t.tag).collect();
        assert_eq!(tags, [0x5F01, 0x5F36, 0x5C]);
        assert_eq!(inner[0].value, b"0107");
        assert_eq!(inner[2].value, [0x61, 0x75]);
        assert_eq!(inner[2].offset, 18);
        assert_eq!(find(&[outer], 0x5F36).unwrap().unwrap().value, b"040000");
    }

    #[test]
    fn long_form_lengths_are_read() {
        let mut bytes = vec![0x75, 0x82, 0x01, 0x00];
        bytes.extend(std::iter::repeat_n(7u8, 256));
        let (t, used) = read_one(&bytes, 0).unwrap();
        assert_eq!((t.value.len(), used, t.value_offset), (256, 260, 4));
    }

    #[test]
    fn broken_data_is_an_error_naming_the_offset() {
        assert_eq!(read_one(&[], 5), Err(TlvError::Truncated { offset: 5 }));
        assert_eq!(read_one(&[0x5F], 0), Err(TlvError::Truncated { offset: 0 }));
        assert_eq!(
            read_one(&[0x61, 0x80, 0x00], 0),
            Err(TlvError::LengthForm {
                offset: 1,
                first: 0x80
            })
        );
        assert_eq!(
            read_one(&[0x61, 0x84, 0, 0, 0, 1], 0),
            Err(TlvError::LengthForm {
                offset: 1,
                first: 0x84
            })
        );
        assert_eq!(
            read_one(&[0x61, 0x05, 1, 2], 10),
            Err(TlvError::Overrun {
                offset: 12,
                length: 5,
                available: 2
            })
        );
        assert_eq!(
            read_one(&[0x5F, 0x81, 0x82, 0x83, 0x01, 0x00], 0),
            Err(TlvError::TagTooLong { offset: 0 })
        );
        // A second TLV that runs short after a good first one.
        assert!(matches!(
            read_all(&[0x5C, 0x01, 0x61, 0x5C, 0x05], 0),
            Err(TlvError::Overrun { offset: 5, .. })
        ));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        // 40 nested constructed 0x61 values around one 0x5C.
        let mut v = vec![0x5C, 0x00];
        for _ in 0..40 {
            let mut outer = vec![0x61, u8::try_from(v.len()).unwrap_or(0x7F)];
            if v.len() > 0x7F {
                outer = vec![0x61, 0x81, u8::try_from(v.len()).unwrap()];
            }
            outer.extend(&v);
            v = outer;
        }
        let all = read_all(&v, 0).unwrap();
        assert!(matches!(find(&all, 0x5C), Err(TlvError::TooDeep { .. })));
    }
}
