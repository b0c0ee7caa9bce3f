//! Writing an MRZ from field values: the inverse of parsing, used to draw specimens and test
//! documents and to test the parser by round trips.

use super::charset::{FILLER, check_digit, is_mrz_char};
use super::check::CheckKind;
use super::field::FieldKind;
use super::format::MrzFormat;
use super::layout;
use super::span::Span;

/// Why an MRZ could not be composed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ComposeError {
    /// The format cannot be composed (unknown).
    #[error("cannot compose an MRZ of format {format}")]
    Format {
        /// The format asked for.
        format: MrzFormat,
    },
    /// The format has no such field.
    #[error("format {format} has no {field} field")]
    NoSuchField {
        /// The format.
        format: MrzFormat,
        /// The field.
        field: &'static str,
    },
    /// A value does not fit its field.
    #[error("{field} {value:?} has {len} characters; the field holds {max}")]
    TooLong {
        /// The field.
        field: &'static str,
        /// The value.
        value: String,
        /// Its length.
        len: usize,
        /// The field's width.
        max: usize,
    },
    /// A value holds a character outside the MRZ set.
    #[error("{field} {value:?} holds {ch:?}, which is not an MRZ character")]
    Character {
        /// The field.
        field: &'static str,
        /// The value.
        value: String,
        /// The character.
        ch: char,
    },
}

/// Builds a name field value from a surname and given names: components separated by `<`,
/// the two identifiers by `<<`. Spaces and hyphens become `<`; apostrophes are dropped.
pub fn name_field(surname: &str, given_names: &str) -> String {
    fn part(s: &str) -> String {
        s.trim()
            .chars()
            .filter(|c| *c != '\'')
            .map(|c| {
                if c == ' ' || c == '-' {
                    '<'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    }
    let (sur, given) = (part(surname), part(given_names));
    if given.is_empty() {
        sur
    } else {
        format!("{sur}<<{given}")
    }
}

/// Writes the lines of an MRZ of `format` with the given field values (raw MRZ characters;
/// missing fields are fillers) and every check digit computed.
///
/// A document number longer than its field on TD1 or TD2 continues in the optional data, with
/// a filler at the check position and its check digit after the overflow (ICAO 9303-5 §4.2.4);
/// any optional data given is written after that.
pub fn compose(
    format: MrzFormat,
    values: &[(FieldKind, &str)],
) -> Result<Vec<String>, ComposeError> {
    if format == MrzFormat::Unknown {
        return Err(ComposeError::Format { format });
    }
    let mut lines: Vec<Vec<u8>> = format
        .line_lengths()
        .iter()
        .map(|&n| vec![FILLER; n])
        .collect();
    let first = values
        .iter()
        .find(|(k, _)| *k == FieldKind::IssuingState)
        .map(|(_, v)| format!("D1{v}"))
        .unwrap_or_default();
    let layout = layout::layout(format, first.as_bytes());
    let spec_of = |kind: FieldKind| layout.fields.iter().find(|s| s.kind == kind);
    let mut long_number: Option<Vec<u8>> = None;
    for &(kind, value) in values {
        let spec = spec_of(kind).ok_or(ComposeError::NoSuchField {
            format,
            field: kind.name(),
        })?;
        if let Some(ch) = value
            .chars()
            .find(|&c| !(c.is_ascii() && is_mrz_char(c as u8)))
        {
            return Err(ComposeError::Character {
                field: kind.name(),
                value: value.into(),
                ch,
            });
        }
        let width = spec.span.len();
        let long = kind == FieldKind::DocumentNumber
            && value.len() > width
            && matches!(format, MrzFormat::Td1 | MrzFormat::Td2);
        if long {
            long_number = Some(value.as_bytes().to_vec());
            write(
                &mut lines,
                spec.span,
                value.as_bytes().get(..width).unwrap_or_default(),
            );
            continue;
        }
        if value.len() > width {
            return Err(ComposeError::TooLong {
                field: kind.name(),
                value: value.into(),
                len: value.len(),
                max: width,
            });
        }
        write(&mut lines, spec.span, value.as_bytes());
    }
    for check in layout.checks {
        let is_long = check.kind == CheckKind::DocumentNumber && long_number.is_some();
        if let (true, Some(number), Some(optional)) =
            (is_long, &long_number, spec_of(FieldKind::OptionalData))
        {
            let width = check.covers.first().map_or(0, |s| s.len());
            let overflow = number.get(width..).unwrap_or_default();
            let digit = check_digit(number.iter().copied()).unwrap_or(0);
            let given = values
                .iter()
                .find(|(k, _)| *k == FieldKind::OptionalData)
                .map_or(&b""[..], |(_, v)| v.as_bytes());
            // Overflow, its check digit, a filler, then any optional data (ICAO 9303-5 §4.2.4).
            let mut region = overflow.to_vec();
            region.push(b'0' + digit);
            region.push(FILLER);
            region.extend_from_slice(given);
            let room = optional.span.len();
            if region.len() > room {
                return Err(ComposeError::TooLong {
                    field: FieldKind::DocumentNumber.name(),
                    value: String::from_utf8_lossy(number).into_owned(),
                    len: number.len(),
                    max: width + room.saturating_sub(2 + given.len()),
                });
            }
            region.resize(room, FILLER);
            write(&mut lines, optional.span, &region);
            write(&mut lines, check.digit, b"<");
            continue;
        }
        let digit = check_digit(check.covers.iter().flat_map(|s| read(&lines, *s))).unwrap_or(0);
        write(&mut lines, check.digit, &[b'0' + digit]);
    }
    Ok(lines
        .into_iter()
        .map(|l| String::from_utf8_lossy(&l).into_owned())
        .collect())
}

fn write(lines: &mut [Vec<u8>], span: Span, value: &[u8]) {
    if let Some(line) = lines.get_mut(usize::from(span.line)) {
        for (slot, b) in line.iter_mut().skip(usize::from(span.start)).zip(value) {
            *slot = *b;
        }
    }
}

fn read(lines: &[Vec<u8>], span: Span) -> Vec<u8> {
    lines
        .get(usize::from(span.line))
        .and_then(|l| l.get(usize::from(span.start)..usize::from(span.end)))
        .unwrap_or_default()
        .to_vec()
}
