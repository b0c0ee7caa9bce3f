//! The fields an MRZ carries.

use super::charset::CharClass;
use super::span::Span;

/// A field of an MRZ. Not every format has every field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FieldKind {
    /// Document code (`P<`, `ID`, `V<`, `D1`, `FA`, …).
    DocumentCode,
    /// Issuing state or organisation.
    IssuingState,
    /// Document number as printed in its field (without any overflow).
    DocumentNumber,
    /// Characters of a long document number continued in the optional data (TD1, TD2).
    DocumentNumberOverflow,
    /// Nationality of the holder.
    Nationality,
    /// Date of birth, YYMMDD.
    BirthDate,
    /// Sex: `M`, `F`, `X` or `<`.
    Sex,
    /// Date of expiry (or, on visas, "valid until"), YYMMDD.
    ExpiryDate,
    /// Optional data: personal number on TD3, line 1 optional data on TD1, line 2 optional
    /// data on TD2 and visas.
    OptionalData,
    /// Second optional data element (TD1 line 2).
    OptionalData2,
    /// Name field holding primary and secondary identifiers separated by `<<`.
    Name,
    /// Surname alone (French ID card, French driving licence).
    Surname,
    /// Given names alone (French ID card).
    GivenNames,
    /// Administrative code of the issuing office (French ID card, line 1).
    AdministrativeCode,
    /// Year and month of issue, YYMM (French ID card, first four characters of the number).
    IssueMonth,
    /// Language of the licence: D, F, I or R (Swiss driving licence).
    LanguageCode,
    /// Personal identification number (Swiss driving licence).
    PinCode,
    /// Version number (Swiss driving licence; Dutch driving licence).
    VersionNumber,
    /// Basic Access Protection configuration: `1`, or `<` without a chip (ISO/IEC 18013
    /// driving licences).
    BapConfiguration,
    /// Positions that must hold fillers only.
    Filler,
}

impl FieldKind {
    /// Number of kinds, for tables indexed by kind.
    pub(crate) const COUNT: usize = FieldKind::Filler as usize + 1;

    /// The stable snake_case name used in reports.
    pub const fn name(self) -> &'static str {
        match self {
            FieldKind::DocumentCode => "document_code",
            FieldKind::IssuingState => "issuing_state",
            FieldKind::DocumentNumber => "document_number",
            FieldKind::DocumentNumberOverflow => "document_number_overflow",
            FieldKind::Nationality => "nationality",
            FieldKind::BirthDate => "birth_date",
            FieldKind::Sex => "sex",
            FieldKind::ExpiryDate => "expiry_date",
            FieldKind::OptionalData => "optional_data",
            FieldKind::OptionalData2 => "optional_data_2",
            FieldKind::Name => "name",
            FieldKind::Surname => "surname",
            FieldKind::GivenNames => "given_names",
            FieldKind::AdministrativeCode => "administrative_code",
            FieldKind::IssueMonth => "issue_month",
            FieldKind::LanguageCode => "language_code",
            FieldKind::PinCode => "pin_code",
            FieldKind::VersionNumber => "version_number",
            FieldKind::BapConfiguration => "bap_configuration",
            FieldKind::Filler => "filler",
        }
    }

    /// A label for humans ("date of birth").
    pub const fn label(self) -> &'static str {
        match self {
            FieldKind::DocumentCode => "document code",
            FieldKind::IssuingState => "issuing state",
            FieldKind::DocumentNumber => "document number",
            FieldKind::DocumentNumberOverflow => "document number overflow",
            FieldKind::Nationality => "nationality",
            FieldKind::BirthDate => "date of birth",
            FieldKind::Sex => "sex",
            FieldKind::ExpiryDate => "date of expiry",
            FieldKind::OptionalData => "optional data",
            FieldKind::OptionalData2 => "optional data (line 2)",
            FieldKind::Name => "name",
            FieldKind::Surname => "surname",
            FieldKind::GivenNames => "given names",
            FieldKind::AdministrativeCode => "administrative code",
            FieldKind::IssueMonth => "month of issue",
            FieldKind::LanguageCode => "language code",
            FieldKind::PinCode => "PIN",
            FieldKind::VersionNumber => "version number",
            FieldKind::BapConfiguration => "BAP configuration",
            FieldKind::Filler => "filler",
        }
    }
}

/// Where a field sits in a format and what it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FieldSpec {
    pub kind: FieldKind,
    pub span: Span,
    pub class: CharClass,
}

/// A field located in a parsed MRZ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Which field.
    pub kind: FieldKind,
    /// Where it is (clipped to the characters present on a short line).
    pub span: Span,
    /// What characters it may hold.
    pub class: CharClass,
}
