//! Names in the MRZ: primary and secondary identifiers and their components.
//!
//! ICAO 9303-3 §4.6: the primary identifier (surname) comes first; `<<` separates it from the
//! secondary identifier (given names); single fillers separate components within each; the
//! rest of the field is filled with `<`.

use super::charset::FILLER;

/// Splits a name field at the first `<<` into primary and secondary identifiers, each with
/// its surrounding fillers removed.
pub fn split(field: &[u8]) -> (&[u8], &[u8]) {
    let end = field
        .iter()
        .rposition(|&c| c != FILLER)
        .map_or(0, |i| i + 1);
    let field = field.get(..end).unwrap_or_default();
    match field.windows(2).position(|w| w == [FILLER, FILLER]) {
        Some(i) => (
            trim_fillers(field.get(..i).unwrap_or_default()),
            trim_fillers(field.get(i..).unwrap_or_default()),
        ),
        None => (field, &[]),
    }
}

/// Removes leading and trailing fillers.
pub fn trim_fillers(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| c != FILLER).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| c != FILLER)
        .map_or(start, |i| i + 1);
    b.get(start..end).unwrap_or_default()
}

/// Shows a name (or any field) for people: every run of fillers becomes one space, and
/// leading and trailing fillers go.
pub fn display(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut gap = false;
    for &c in trim_fillers(b) {
        if c == FILLER {
            gap = true;
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(char::from(c));
        }
    }
    out
}

/// Whether the name has a leading single filler, or three or more fillers between components.
pub(crate) fn has_odd_fillers(field: &[u8]) -> bool {
    let trimmed_end = field
        .iter()
        .rposition(|&c| c != FILLER)
        .map_or(0, |i| i + 1);
    let body = field.get(..trimmed_end).unwrap_or_default();
    let leading = body.iter().take_while(|&&c| c == FILLER).count();
    leading == 1 || body.windows(3).any(|w| w == [FILLER; 3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_primary_and_secondary() {
        let (p, s) = split(b"ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
        assert_eq!((p, s), (&b"ERIKSSON"[..], &b"ANNA<MARIA"[..]));
        assert_eq!(display(s), "ANNA MARIA");
        let (p, s) = split(b"VAN<DER<BERG<<JAN<<<<");
        assert_eq!(display(p), "VAN DER BERG");
        assert_eq!(display(s), "JAN");
        let (p, s) = split(b"<<MONONYM<<<<");
        assert_eq!((p, s), (&b""[..], &b"MONONYM"[..]));
        let (p, s) = split(b"ONLYSURNAME<<<<");
        assert_eq!((p, s), (&b"ONLYSURNAME"[..], &b""[..]));
    }

    #[test]
    fn display_collapses_filler_runs() {
        assert_eq!(display(b"CHRISTIANE<<NI"), "CHRISTIANE NI");
        assert_eq!(display(b"<<<<"), "");
        assert_eq!(display(b"A<<<B<"), "A B");
    }

    #[test]
    fn spots_odd_fillers() {
        assert!(!has_odd_fillers(b"ERIKSSON<<ANNA<MARIA<<<<<<"));
        assert!(!has_odd_fillers(b"<<MONONYM<<<<"));
        assert!(has_odd_fillers(b"<ERIKSSON<<ANNA"));
        assert!(has_odd_fillers(b"ERIKSSON<<<ANNA<<<<"));
    }
}
