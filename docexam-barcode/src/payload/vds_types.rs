//! Document feature definitions of ICAO visible digital seals (ICAO Doc 9303-13 and BSI
//! TR-03137): for each document type, the message tags and how their values are coded.

/// How a message value is coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    /// C40 text.
    C40,
    /// An MRZ in C40 (spaces are fillers), padded to `len` characters in `lines` lines.
    Mrz {
        /// Characters after padding.
        len: usize,
        /// Lines.
        lines: usize,
    },
    /// One unsigned byte.
    Byte,
    /// Raw bytes (shown as hex).
    Bytes,
    /// UTF-8 text.
    Utf8,
}

/// One message of a document type.
pub(crate) struct Message {
    pub tag: u8,
    pub name: &'static str,
    pub coding: Coding,
    /// Exact byte length the definition requires, if any.
    pub len: Option<usize>,
}

/// One document type.
pub(crate) struct DocType {
    pub feature: u8,
    pub category: u8,
    pub name: &'static str,
    pub messages: &'static [Message],
}

const fn m(tag: u8, name: &'static str, coding: Coding, len: Option<usize>) -> Message {
    Message {
        tag,
        name,
        coding,
        len,
    }
}

const MRZ_TD2: Coding = Coding::Mrz { len: 72, lines: 2 };
const MRZ_MRVA: Coding = Coding::Mrz { len: 88, lines: 2 };
const MRZ_TD3: Coding = Coding::Mrz { len: 88, lines: 2 };

/// The messages of the German address stickers (ID card and residence permit).
const ADDRESS_STICKER: &[Message] = &[
    m(0x01, "document_number", Coding::C40, Some(6)),
    m(0x02, "ags", Coding::C40, Some(6)),
    m(0x03, "address", Coding::C40, None),
];

/// The messages of documents under the German aliens law (and fiction certificates).
const ALIENS_LAW: &[Message] = &[
    m(0x01, "face_image", Coding::Bytes, None),
    m(0x02, "mrz", MRZ_TD2, Some(48)),
    m(0x03, "passport_number", Coding::C40, Some(6)),
    m(0x04, "azr", Coding::C40, Some(8)),
];

/// The document types docexam knows.
pub(crate) const DOC_TYPES: &[DocType] = &[
    DocType {
        feature: 0x5D,
        category: 0x01,
        name: "visa",
        messages: &[
            m(0x01, "mrz_mrva", MRZ_MRVA, Some(48)),
            m(0x02, "mrz_mrvb", MRZ_TD2, Some(44)),
            m(0x03, "number_of_entries", Coding::Byte, Some(1)),
            m(0x04, "duration_of_stay", Coding::Bytes, Some(3)),
            m(0x05, "passport_number", Coding::C40, Some(6)),
            m(0x06, "visa_type", Coding::Bytes, None),
            m(0x07, "additional_features", Coding::Bytes, None),
        ],
    },
    DocType {
        feature: 0x5E,
        category: 0x03,
        name: "emergency_travel_document",
        messages: &[m(0x02, "mrz", MRZ_TD2, Some(48))],
    },
    DocType {
        feature: 0xFD,
        category: 0x02,
        name: "arrival_attestation",
        messages: &[
            m(0x02, "mrz", MRZ_TD2, Some(48)),
            m(0x03, "azr", Coding::C40, Some(8)),
        ],
    },
    DocType {
        feature: 0xFC,
        category: 0x04,
        name: "social_insurance_card",
        messages: &[
            m(0x01, "social_insurance_number", Coding::C40, Some(8)),
            m(0x02, "surname", Coding::Utf8, None),
            m(0x03, "first_name", Coding::Utf8, None),
            m(0x04, "birth_name", Coding::Utf8, None),
        ],
    },
    DocType {
        feature: 0xFB,
        category: 0x06,
        name: "residence_permit",
        messages: &[
            m(0x02, "mrz", MRZ_TD2, Some(48)),
            m(0x03, "passport_number", Coding::C40, Some(6)),
        ],
    },
    DocType {
        feature: 0xFA,
        category: 0x06,
        name: "supplementary_sheet",
        messages: &[
            m(0x04, "mrz", MRZ_TD2, Some(48)),
            m(0x05, "sheet_number", Coding::C40, Some(6)),
        ],
    },
    DocType {
        feature: 0xF9,
        category: 0x08,
        name: "address_sticker_id_card",
        messages: ADDRESS_STICKER,
    },
    DocType {
        feature: 0xF9,
        category: 0x0C,
        name: "address_sticker_residence_permit",
        messages: ADDRESS_STICKER,
    },
    DocType {
        feature: 0xF8,
        category: 0x0A,
        name: "address_sticker_passport",
        messages: &[
            m(0x01, "document_number", Coding::C40, Some(6)),
            m(0x02, "ags", Coding::C40, Some(6)),
            m(0x03, "postal_code", Coding::C40, Some(4)),
        ],
    },
    DocType {
        feature: 0xF6,
        category: 0x0D,
        name: "temporary_passport",
        messages: &[
            m(0x01, "face_image", Coding::Bytes, None),
            m(0x02, "mrz", MRZ_TD3, None),
        ],
    },
    DocType {
        feature: 0xF7,
        category: 0x0B,
        name: "temporary_identity_card",
        messages: &[
            m(0x01, "face_image", Coding::Bytes, None),
            m(0x02, "mrz", MRZ_TD2, None),
        ],
    },
    DocType {
        feature: 0xF5,
        category: 0x0C,
        name: "fiction_certificate",
        messages: ALIENS_LAW,
    },
    DocType {
        feature: 0x01,
        category: 0xFE,
        name: "aliens_law",
        messages: ALIENS_LAW,
    },
    DocType {
        feature: 0xF4,
        category: 0x8F,
        name: "permanent_residence_certificate",
        messages: &[
            m(0x01, "document_number", Coding::C40, None),
            m(0x02, "passport_number", Coding::C40, None),
        ],
    },
];

/// The document type with this feature definition reference and category.
pub(crate) fn find(feature: u8, category: u8) -> Option<&'static DocType> {
    DOC_TYPES
        .iter()
        .find(|d| d.feature == feature && d.category == category)
}
