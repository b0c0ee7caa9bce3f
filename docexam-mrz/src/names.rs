//! Names in the MRZ: primary and secondary identifiers and their components.
//!
//! ICAO 9303-3 §4.6: the primary identifier (surname) comes first; `<<` separates it from the
//! secondary identifier (given names); single fillers separate components within each; the
//! rest of the field is filled with `<`.

use super::charset::FILLER;

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
pub fn display(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut gap = false;
    for c in field.trim_matches('<').chars() {
        if c == '<' {
            gap = true;
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

/// Splits a name field at the first `<<` into primary and secondary identifiers (as text,
/// keeping any character outside the MRZ set as it was read).
pub fn split(field: &str) -> (&str, &str) {
    let field = field.trim_end_matches('<');
    match field.find("<<") {
        Some(i) => (
            field.get(..i).unwrap_or_default().trim_matches('<'),
            field.get(i..).unwrap_or_default().trim_matches('<'),
        ),
        None => (field, ""),
    }
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
        assert_eq!(
            split("ERIKSSON<<ANNA<MARIA<<<<<<<<<<"),
            ("ERIKSSON", "ANNA<MARIA")
        );
        assert_eq!(display("ANNA<MARIA"), "ANNA MARIA");
        assert_eq!(split("VAN<DER<BERG<<JAN<<<<"), ("VAN<DER<BERG", "JAN"));
        assert_eq!(split("<<MONONYM<<<<"), ("", "MONONYM"));
        assert_eq!(split("ONLYSURNAME<<<<"), ("ONLYSURNAME", ""));
        assert_eq!(split("<<M\u{dc}LLER<<<"), ("", "M\u{dc}LLER"));
    }

    #[test]
    fn display_collapses_filler_runs() {
        assert_eq!(display("CHRISTIANE<<NI"), "CHRISTIANE NI");
        assert_eq!(display("<<<<"), "");
        assert_eq!(display("A<<<B<"), "A B");
        assert_eq!(display("M\u{dc}LLER<<J"), "M\u{dc}LLER J");
    }

    #[test]
    fn spots_odd_fillers() {
        assert!(!has_odd_fillers(b"ERIKSSON<<ANNA<MARIA<<<<<<"));
        assert!(!has_odd_fillers(b"<<MONONYM<<<<"));
        assert!(has_odd_fillers(b"<ERIKSSON<<ANNA"));
        assert!(has_odd_fillers(b"ERIKSSON<<<ANNA<<<<"));
    }
}
