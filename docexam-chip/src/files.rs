//! The elementary files of the logical data structure (ICAO 9303-10 §4.6–4.7, 9303-11 for
//! EF.CardAccess and EF.CardSecurity), the tag each data group's file begins with, and the
//! names a chip dump gives them (`EF.DG1`, `DG1.bin`, any case).

use std::fmt;

/// One elementary file of an ePassport or eID chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementaryFile {
    /// EF.COM: the LDS version and the data groups present.
    Com,
    /// EF.SOD: the document security object (data group hashes, signed).
    Sod,
    /// EF.DG1 … EF.DG16.
    DataGroup(u8),
    /// EF.CardAccess: PACE parameters (ICAO 9303-11 §9.2.11).
    CardAccess,
    /// EF.CardSecurity: chip authentication keys, signed (ICAO 9303-11 §9.2.12).
    CardSecurity,
}

/// The tag each data group's file begins with (ICAO 9303-10 table 34), DG1 first.
const DATA_GROUP_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];

impl ElementaryFile {
    /// The file a dump's file name stands for: `EF.COM`, `EF.SOD`, `EF.DG1` … `EF.DG16`,
    /// `EF.CardAccess`, `EF.CardSecurity`, or the same without `EF.` and with `.bin`
    /// (`COM.bin`, `DG2.bin`); any case. `None` for any other name.
    pub fn from_file_name(name: &str) -> Option<ElementaryFile> {
        let lower = name.to_ascii_lowercase();
        let stem = match lower.strip_prefix("ef.") {
            Some(rest) => rest,
            None => lower.strip_suffix(".bin")?,
        };
        match stem {
            "com" => Some(ElementaryFile::Com),
            "sod" => Some(ElementaryFile::Sod),
            "cardaccess" => Some(ElementaryFile::CardAccess),
            "cardsecurity" => Some(ElementaryFile::CardSecurity),
            other => {
                let n: u8 = other.strip_prefix("dg")?.parse().ok()?;
                // `dg01` is not a name any reader writes; only plain numbers are taken.
                (other.len() == 2 + n.to_string().len() && (1..=16).contains(&n))
                    .then_some(ElementaryFile::DataGroup(n))
            }
        }
    }

    /// The tag the file's content begins with (EF.CardAccess and EF.CardSecurity are plain
    /// DER and begin with a SET or a SEQUENCE: `None`).
    pub fn tag(self) -> Option<u8> {
        match self {
            ElementaryFile::Com => Some(0x60),
            ElementaryFile::Sod => Some(0x77),
            ElementaryFile::DataGroup(n) => {
                DATA_GROUP_TAGS.get(usize::from(n).checked_sub(1)?).copied()
            }
            ElementaryFile::CardAccess | ElementaryFile::CardSecurity => None,
        }
    }

    /// The data group whose file begins with `tag` (EF.COM lists data groups by these tags).
    pub fn data_group_of_tag(tag: u8) -> Option<u8> {
        let i = DATA_GROUP_TAGS.iter().position(|t| *t == tag)?;
        u8::try_from(i + 1).ok()
    }
}

impl fmt::Display for ElementaryFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElementaryFile::Com => write!(f, "EF.COM"),
            ElementaryFile::Sod => write!(f, "EF.SOD"),
            ElementaryFile::DataGroup(n) => write!(f, "EF.DG{n}"),
            ElementaryFile::CardAccess => write!(f, "EF.CardAccess"),
            ElementaryFile::CardSecurity => write!(f, "EF.CardSecurity"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a panic is a failure
mod tests {
    use super::ElementaryFile::{self, *};

    #[test]
    fn dump_file_names_in_both_spellings_and_any_case() {
        for (name, file) in [
            ("EF.COM", Com),
            ("ef.sod", Sod),
            ("EF.DG1", DataGroup(1)),
            ("DG2.bin", DataGroup(2)),
            ("dg16.BIN", DataGroup(16)),
            ("EF.CardAccess", CardAccess),
            ("CARDSECURITY.bin", CardSecurity),
            ("COM.bin", Com),
        ] {
            assert_eq!(ElementaryFile::from_file_name(name), Some(file), "{name}");
        }
        for name in [
            "EF.DG0",
            "EF.DG17",
            "DG01.bin",
            "DG1",
            "photo.jpg",
            "EF.",
            "EF.DGx",
        ] {
            assert_eq!(ElementaryFile::from_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn each_data_group_has_its_tag_and_back() {
        assert_eq!(DataGroup(1).tag(), Some(0x61));
        assert_eq!(DataGroup(2).tag(), Some(0x75));
        assert_eq!(DataGroup(15).tag(), Some(0x6F));
        assert_eq!(DataGroup(17).tag(), None);
        for n in 1..=16 {
            let tag = DataGroup(n).tag().unwrap();
            assert_eq!(ElementaryFile::data_group_of_tag(tag), Some(n));
        }
        assert_eq!(ElementaryFile::data_group_of_tag(0x77), None);
        assert_eq!(DataGroup(3).to_string(), "EF.DG3");
    }
}
