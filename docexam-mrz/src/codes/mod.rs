//! Issuing-state and nationality codes: the ICAO Doc 9303 Part 3 list and the codes examiners
//! meet that are not on it.
//!
//! ICAO's list is ISO 3166-1 alpha-3 with Germany written `D` (never `DEU`) plus codes for
//! British nationality classes, international organisations, stateless persons and refugees,
//! and the specimen state Utopia (`UTO`). Codes are looked up as the three characters of the
//! MRZ field, fillers included (`D<<`).

mod iso3166;

use serde::Serialize;

/// What a three-character code in an issuing-state or nationality field denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CodeClass {
    /// A state or territory (ISO 3166-1 alpha-3, or `D` for Germany).
    State,
    /// A nationality class that is not an issuing state: British nationality classes
    /// (GBD, GBN, GBO, GBP, GBS), stateless persons and refugees (XXA, XXB, XXC) and
    /// unspecified nationality (XXX).
    NationalityOnly,
    /// An international organisation or administration that issues travel documents (UNO,
    /// EUE, XPO, UNK for UNMIK documents, …); allowed as issuing state and as nationality.
    Organisation,
    /// ICAO's specimen state Utopia: never on a genuine document.
    Specimen,
    /// In use on real documents but not on ICAO's list (RKS, XXK).
    NonIcao,
    /// Withdrawn from ISO 3166 in the given year.
    Withdrawn(u16),
    /// Not a valid MRZ code although it is seen on documents (for example `DEU`, or a
    /// fantasy state such as `WSA`).
    KnownInvalid,
    /// Not a code docexam knows.
    Unknown,
}

/// A looked-up code: its class and a name for humans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// What the code denotes.
    pub class: CodeClass,
    /// Name of the state, organisation or category; for [`CodeClass::KnownInvalid`] an
    /// explanation; empty for [`CodeClass::Unknown`].
    pub name: &'static str,
}

/// ICAO codes that are not ISO 3166-1 alpha-3, and codes docexam flags, sorted by code.
const SPECIAL: &[([u8; 3], CodeClass, &str)] = &[
    (*b"D<<", CodeClass::State, "Germany"),
    (
        *b"DEU",
        CodeClass::KnownInvalid,
        "ISO code of Germany; ICAO MRZs write Germany as D",
    ),
    (*b"EUE", CodeClass::Organisation, "European Union"),
    (
        *b"GBD",
        CodeClass::NationalityOnly,
        "British Overseas Territories Citizen",
    ),
    (
        *b"GBN",
        CodeClass::NationalityOnly,
        "British National (Overseas)",
    ),
    (
        *b"GBO",
        CodeClass::NationalityOnly,
        "British Overseas Citizen",
    ),
    (
        *b"GBP",
        CodeClass::NationalityOnly,
        "British Protected Person",
    ),
    (*b"GBS", CodeClass::NationalityOnly, "British Subject"),
    (
        *b"GER",
        CodeClass::KnownInvalid,
        "sports code of Germany; ICAO MRZs write Germany as D",
    ),
    (
        *b"RKS",
        CodeClass::NonIcao,
        "Kosovo (code used on Kosovo's documents)",
    ),
    (
        *b"UNA",
        CodeClass::Organisation,
        "specialized agency of the United Nations",
    ),
    (
        *b"UNK",
        CodeClass::Organisation,
        "UNMIK travel document (resident of Kosovo)",
    ),
    (*b"UNO", CodeClass::Organisation, "United Nations"),
    (*b"UTO", CodeClass::Specimen, "Utopia (ICAO specimen state)"),
    (
        *b"WSA",
        CodeClass::KnownInvalid,
        "World Service Authority: a fantasy 'world passport'",
    ),
    (*b"XBA", CodeClass::Organisation, "African Development Bank"),
    (
        *b"XCC",
        CodeClass::Organisation,
        "Caribbean Community (CARICOM)",
    ),
    (*b"XCE", CodeClass::Organisation, "Council of Europe"),
    (
        *b"XCO",
        CodeClass::Organisation,
        "Common Market for Eastern and Southern Africa",
    ),
    (
        *b"XDC",
        CodeClass::Organisation,
        "Southern African Development Community",
    ),
    (
        *b"XEC",
        CodeClass::Organisation,
        "Economic Community of West African States",
    ),
    (
        *b"XES",
        CodeClass::Organisation,
        "Organisation of Eastern Caribbean States",
    ),
    (
        *b"XIM",
        CodeClass::Organisation,
        "African Export-Import Bank",
    ),
    (
        *b"XOM",
        CodeClass::Organisation,
        "Sovereign Military Order of Malta",
    ),
    (*b"XPO", CodeClass::Organisation, "INTERPOL"),
    (
        *b"XXA",
        CodeClass::NationalityOnly,
        "stateless person (1954 Convention)",
    ),
    (
        *b"XXB",
        CodeClass::NationalityOnly,
        "refugee (1951 Convention)",
    ),
    (
        *b"XXC",
        CodeClass::NationalityOnly,
        "refugee (other than under the 1951 Convention)",
    ),
    (
        *b"XXK",
        CodeClass::NonIcao,
        "Kosovo (code used by some issuers)",
    ),
    (
        *b"XXX",
        CodeClass::NationalityOnly,
        "unspecified nationality",
    ),
];

/// A code as a number that sorts like the code (for fast binary search).
#[allow(clippy::indexing_slicing)] // a [u8; 3] has indices 0 to 2
const fn key(code: [u8; 3]) -> u32 {
    (code[0] as u32) << 16 | (code[1] as u32) << 8 | code[2] as u32
}

/// Keys of [`SPECIAL`], in the same order.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index fails the build
const SPECIAL_KEYS: [u32; SPECIAL.len()] = {
    let mut keys = [0; SPECIAL.len()];
    let mut i = 0;
    while i < SPECIAL.len() {
        keys[i] = key(SPECIAL[i].0);
        i += 1;
    }
    keys
};

/// Keys of [`iso3166::ISO_3166_1`], in the same order.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index fails the build
const ISO_KEYS: [u32; iso3166::ISO_3166_1.len()] = {
    let mut keys = [0; iso3166::ISO_3166_1.len()];
    let mut i = 0;
    while i < iso3166::ISO_3166_1.len() {
        keys[i] = key(iso3166::ISO_3166_1[i].0);
        i += 1;
    }
    keys
};

/// Whether a three-letter code is one a document may carry as issuing state or nationality
/// (on a list, and not one ICAO marks invalid).
pub(crate) fn listed(code: [u8; 3]) -> bool {
    !matches!(
        lookup(code).class,
        CodeClass::Unknown | CodeClass::KnownInvalid
    )
}

/// Looks up the three characters of an issuing-state or nationality field.
pub fn lookup(code: [u8; 3]) -> CodeInfo {
    let key = key(code);
    if let Ok(i) = SPECIAL_KEYS.binary_search(&key)
        && let Some(&(_, class, name)) = SPECIAL.get(i)
    {
        return CodeInfo { class, name };
    }
    if let Ok(i) = ISO_KEYS.binary_search(&key)
        && let Some(&(_, name)) = iso3166::ISO_3166_1.get(i)
    {
        return CodeInfo {
            class: CodeClass::State,
            name,
        };
    }
    if let Ok(i) = iso3166::WITHDRAWN.binary_search_by(|(c, _, _)| c.cmp(&code))
        && let Some(&(_, name, year)) = iso3166::WITHDRAWN.get(i)
    {
        return CodeInfo {
            class: CodeClass::Withdrawn(year),
            name,
        };
    }
    CodeInfo {
        class: CodeClass::Unknown,
        name: "",
    }
}

/// Every code on ICAO Doc 9303 Part 3's list, in the MRZ's three-character form, sorted.
pub fn icao_codes() -> Vec<[u8; 3]> {
    let mut codes: Vec<[u8; 3]> = iso3166::ISO_3166_1
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| c != b"DEU")
        .chain(SPECIAL.iter().filter_map(|(c, class, _)| {
            matches!(
                class,
                CodeClass::State
                    | CodeClass::NationalityOnly
                    | CodeClass::Organisation
                    | CodeClass::Specimen
            )
            .then_some(*c)
        }))
        .collect();
    codes.sort_unstable();
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(code: &[u8; 3]) -> CodeClass {
        lookup(*code).class
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(SPECIAL.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(iso3166::ISO_3166_1.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(iso3166::WITHDRAWN.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn classifies_icao_codes() {
        assert_eq!(class(b"D<<"), CodeClass::State);
        assert_eq!(class(b"FRA"), CodeClass::State);
        assert_eq!(class(b"GBR"), CodeClass::State);
        assert_eq!(class(b"TWN"), CodeClass::State);
        assert_eq!(class(b"GBN"), CodeClass::NationalityOnly);
        assert_eq!(class(b"XXA"), CodeClass::NationalityOnly);
        assert_eq!(class(b"UNO"), CodeClass::Organisation);
        assert_eq!(class(b"EUE"), CodeClass::Organisation);
        assert_eq!(class(b"XPO"), CodeClass::Organisation);
        assert_eq!(class(b"UTO"), CodeClass::Specimen);
    }

    #[test]
    fn flags_codes_that_are_not_icao() {
        assert_eq!(class(b"DEU"), CodeClass::KnownInvalid);
        assert_eq!(class(b"WSA"), CodeClass::KnownInvalid);
        assert_eq!(class(b"RKS"), CodeClass::NonIcao);
        assert_eq!(class(b"XXK"), CodeClass::NonIcao);
        assert_eq!(class(b"YUG"), CodeClass::Withdrawn(2003));
        assert_eq!(class(b"ROM"), CodeClass::Withdrawn(2002));
        assert_eq!(class(b"QQQ"), CodeClass::Unknown);
        assert_eq!(class(b"D<D"), CodeClass::Unknown);
    }

    #[test]
    fn icao_list_has_the_expected_size() {
        let codes = icao_codes();
        // 249 ISO 3166-1 codes without DEU, plus D and 24 ICAO-specific codes.
        assert_eq!(codes.len(), 249 - 1 + 1 + 24);
        assert!(codes.contains(b"D<<") && !codes.contains(b"DEU"));
    }
}
