//! What ICAO seals (VDS and IDB) share: TLV messages with DER lengths, MMDDYYYY dates, C40
//! MRZs, and the identity an MRZ gives for cross-checks.

use super::Identity;
use super::c40;
use docexam_base::date::CivilDate;
use docexam_mrz::{Mrz, MrzDate, MrzParser};

/// One tag-length-value element and where it starts.
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub value: &'a [u8],
    pub offset: usize,
}

/// Reads one TLV at `offset` of `b`; returns it and the offset after it.
pub(crate) fn read_tlv(b: &[u8], offset: usize) -> Option<(Tlv<'_>, usize)> {
    let tag = *b.get(offset)?;
    let (len, used) = length(b.get(offset + 1..)?)?;
    let start = offset + 1 + used;
    let value = b.get(start..start.checked_add(len)?)?;
    Some((Tlv { tag, value, offset }, start + len))
}

/// Reads a seal length (ICAO 9303-13: short form, or `0x81`–`0x84` and that many big-endian
/// bytes) from the start of `b`; returns the length and the bytes it took.
pub(crate) fn length(b: &[u8]) -> Option<(usize, usize)> {
    let (&first, rest) = b.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), 1));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let len = rest
        .get(..n)?
        .iter()
        .fold(0usize, |acc, &d| (acc << 8) | usize::from(d));
    Some((len, n + 1))
}

/// A date coded as the integer MMDDYYYY in three bytes.
pub(crate) fn date3(b: &[u8]) -> Option<CivilDate> {
    let [x, y, z] = *b else {
        return None;
    };
    let v = u32::from(x) << 16 | u32::from(y) << 8 | u32::from(z);
    let month = u8::try_from(v / 1_000_000).ok()?;
    let day = u8::try_from(v / 10_000 % 100).ok()?;
    CivilDate::new(i32::try_from(v % 10_000).ok()?, month, day)
}

/// A C40 MRZ: spaces become fillers, padded to `len` with fillers, split into `lines`.
pub(crate) fn mrz_text(bytes: &[u8], len: usize, lines: usize) -> Option<String> {
    let mut text: String = c40::decode(bytes)?.replace(' ', "<");
    let len = len.max(text.len().div_ceil(lines.max(1)) * lines.max(1));
    while text.len() < len {
        text.push('<');
    }
    let width = len / lines.max(1);
    Some(
        text.as_bytes()
            .chunks(width.max(1))
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The holder's identity as an MRZ states it (nothing if the text is no MRZ): what a
/// payload is cross-checked against.
pub fn identity_from_mrz(mrz: &str) -> Identity {
    match MrzParser::builder().build().parse(mrz) {
        Ok(parsed) => identity_of(&parsed),
        Err(_) => Identity::default(),
    }
}

/// The holder's identity an already parsed MRZ states.
pub fn identity_of(parsed: &Mrz) -> Identity {
    let full = |d: MrzDate| match d {
        MrzDate::Full(c) => Some(c),
        _ => None,
    };
    Identity {
        surname: parsed.surname().filter(|s| !s.is_empty()),
        given_names: parsed.given_names().filter(|s| !s.is_empty()),
        birth_date: full(parsed.birth_date()),
        document_number: parsed.document_number().filter(|s| !s.is_empty()),
        expiry_date: full(parsed.expiry_date()),
        sex: parsed
            .value(docexam_mrz::FieldKind::Sex)
            .and_then(|s| s.chars().next()),
        issuer: parsed.value(docexam_mrz::FieldKind::IssuingState),
        mrz: Some(parsed.lines().join("\n")),
    }
}

/// Fills the fields of `into` that are empty from `from`.
pub(crate) fn merge(into: &mut Identity, from: Identity) {
    into.surname = into.surname.take().or(from.surname);
    into.given_names = into.given_names.take().or(from.given_names);
    into.birth_date = into.birth_date.take().or(from.birth_date);
    into.document_number = into.document_number.take().or(from.document_number);
    into.expiry_date = into.expiry_date.take().or(from.expiry_date);
    into.sex = into.sex.take().or(from.sex);
    into.issuer = into.issuer.take().or(from.issuer);
    into.mrz = into.mrz.take().or(from.mrz);
}
