//! The contents of EF.COM and DG1 (ICAO 9303-10 §4.6.1 and §4.7.1): which data groups the
//! chip says it holds, and the MRZ it holds, as text the MRZ engine reads.

use crate::files::ElementaryFile;
use crate::tlv::{self, Tlv, TlvError};

/// Why a file's content is not what its name says.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LdsError {
    /// Not TLV.
    #[error("{file}: {source}")]
    Tlv {
        /// The file.
        file: ElementaryFile,
        /// What is wrong, and where.
        #[source]
        source: TlvError,
    },
    /// It begins with another tag than its file's.
    #[error("{file}: begins with tag 0x{found:X}, not 0x{expected:X}")]
    WrongTag {
        /// The file.
        file: ElementaryFile,
        /// The tag found.
        found: u32,
        /// The file's tag.
        expected: u8,
    },
    /// An element the file must hold is absent.
    #[error("{file}: no {what} (tag 0x{tag:X})")]
    Missing {
        /// The file.
        file: ElementaryFile,
        /// What is missing.
        what: &'static str,
        /// Its tag.
        tag: u32,
    },
    /// DG1's MRZ is not 90, 72 or 88 characters of the MRZ character set.
    #[error(
        "EF.DG1: the MRZ data element holds {length} bytes, not a TD1 (90), TD2 (72) or TD3 (88) MRZ of A–Z, 0–9 and <"
    )]
    NotAnMrz {
        /// Its length in bytes.
        length: usize,
    },
}

/// The TLVs inside the file's outer TLV, whose tag is checked against the one its name gives.
fn contents(file: ElementaryFile, bytes: &[u8]) -> Result<Vec<Tlv<'_>>, LdsError> {
    let tlv_err = |source| LdsError::Tlv { file, source };
    let (t, _) = tlv::read_one(bytes, 0).map_err(tlv_err)?;
    if let Some(expected) = file.tag()
        && t.tag != u32::from(expected)
    {
        return Err(LdsError::WrongTag {
            file,
            found: t.tag,
            expected,
        });
    }
    tlv::read_all(t.value, t.value_offset).map_err(tlv_err)
}

/// The element tagged `tag` among `inner`, which the file must hold.
fn required<'a>(
    file: ElementaryFile,
    inner: &[Tlv<'a>],
    tag: u32,
    what: &'static str,
) -> Result<Tlv<'a>, LdsError> {
    inner
        .iter()
        .find(|c| c.tag == tag)
        .copied()
        .ok_or(LdsError::Missing { file, what, tag })
}

/// What EF.COM says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Com {
    /// The LDS version (`0107` is 1.7), when given.
    pub lds_version: Option<String>,
    /// The Unicode version (`040000`), when given.
    pub unicode_version: Option<String>,
    /// The data groups it lists, in its order; tags it lists that are no data group's are in
    /// [`Com::unknown_tags`].
    pub data_groups: Vec<u8>,
    /// Tags in the list that belong to no data group.
    pub unknown_tags: Vec<u8>,
}

/// Reads EF.COM.
pub fn read_com(bytes: &[u8]) -> Result<Com, LdsError> {
    let file = ElementaryFile::Com;
    let inner = contents(file, bytes)?;
    let text = |tag: u32| {
        inner
            .iter()
            .find(|c| c.tag == tag)
            .map(|c| String::from_utf8_lossy(c.value).into_owned())
    };
    let list = required(file, &inner, 0x5C, "tag list")?;
    let (data_groups, unknown_tags): (Vec<_>, Vec<_>) = list
        .value
        .iter()
        .map(|t| (*t, ElementaryFile::data_group_of_tag(*t)))
        .partition(|(_, dg)| dg.is_some());
    Ok(Com {
        lds_version: text(0x5F01),
        unicode_version: text(0x5F36),
        data_groups: data_groups.into_iter().filter_map(|(_, dg)| dg).collect(),
        unknown_tags: unknown_tags.into_iter().map(|(t, _)| t).collect(),
    })
}

/// The MRZ DG1 holds, as lines (3 × 30, 2 × 36 or 2 × 44) joined by line feeds, ready for the
/// MRZ engine.
pub fn read_dg1_mrz(bytes: &[u8]) -> Result<String, LdsError> {
    let file = ElementaryFile::DataGroup(1);
    let inner = contents(file, bytes)?;
    let mrz = required(file, &inner, 0x5F1F, "MRZ data element")?;
    let width = match mrz.value.len() {
        90 => 30,
        72 => 36,
        88 => 44,
        length => return Err(LdsError::NotAnMrz { length }),
    };
    if !mrz
        .value
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'<')
    {
        return Err(LdsError::NotAnMrz {
            length: mrz.value.len(),
        });
    }
    let lines: Vec<&str> = mrz
        .value
        .chunks(width)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    Ok(lines.join("\n"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is a failure
mod tests {
    use super::*;

    /// DG1 of ICAO 9303-4's TD3 specimen, as 9303-10 §4.7.1 wraps it.
    fn dg1(mrz: &str) -> Vec<u8> {
        let len = u8::try_from(mrz.len()).unwrap();
        let mut v = vec![0x61, len + 3, 0x5F, 0x1F, len];
        v.extend(mrz.as_bytes());
        v
    }

    #[test]
    fn the_ef_com_lists_its_data_groups() {
        let com = [
            0x60, 0x16, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5F, 0x36, 0x06, b'0', b'4',
            b'0', b'0', b'0', b'0', 0x5C, 0x04, 0x61, 0x75, 0x6E, 0x99,
        ];
        let c = read_com(&com).unwrap();
        assert_eq!(c.lds_version.as_deref(), Some("0107"));
        assert_eq!(c.unicode_version.as_deref(), Some("040000"));
        assert_eq!(c.data_groups, [1, 2, 14]);
        assert_eq!(c.unknown_tags, [0x99]);
    }

    #[test]
    fn dg1_gives_the_mrz_lines_the_mrz_engine_reads() {
        let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        let text = read_dg1_mrz(&dg1(td3)).unwrap();
        let parsed = docexam_mrz::MrzParser::builder()
            .build()
            .parse(&text)
            .unwrap();
        assert_eq!(parsed.format(), docexam_mrz::MrzFormat::Td3);
        assert!(parsed.is_valid(), "{text}");
        let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\
                   7408122F1204159UTO<<<<<<<<<<<6\
                   ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        assert_eq!(read_dg1_mrz(&dg1(td1)).unwrap().lines().count(), 3);
    }

    #[test]
    fn files_that_are_not_what_their_name_says_are_errors_saying_so() {
        assert_eq!(
            read_dg1_mrz(&[0x75, 0x00]),
            Err(LdsError::WrongTag {
                file: ElementaryFile::DataGroup(1),
                found: 0x75,
                expected: 0x61
            })
        );
        assert_eq!(
            read_dg1_mrz(&dg1("P<UTO")),
            Err(LdsError::NotAnMrz { length: 5 })
        );
        assert!(matches!(
            read_com(&[0x60, 0x03, 0x5F, 0x01, 0x00]),
            Err(LdsError::Missing { tag: 0x5C, .. })
        ));
        assert!(matches!(
            read_com(&[0x60, 0x09, 0x5C]),
            Err(LdsError::Tlv { .. })
        ));
        let lower = "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\
                     L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(
            read_dg1_mrz(&dg1(lower)),
            Err(LdsError::NotAnMrz { length: 88 })
        );
    }
}
