//! Cross-checks between what a barcode payload states and what the MRZ states: name (with
//! ICAO 9303-3 transliteration and MRZ truncation taken into account), birth date, document
//! number, expiry and sex. Each mismatch is a finding with both values.

use serde::Serialize;

use super::Identity;
use docexam_base::severity::Severity;

/// One comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CrossCheck {
    /// What was compared (`surname`, `given_names`, `birth_date`, …).
    pub field: &'static str,
    /// The payload's value.
    pub payload: String,
    /// The MRZ's value.
    pub mrz: String,
    /// Whether they agree.
    pub agrees: bool,
    /// `error` for a mismatch, `info` for an agreement that needed transliteration or truncation.
    pub severity: Severity,
    /// A sentence for the report.
    pub message: String,
}

/// ICAO 9303-3 transliteration of one character to MRZ letters; both common readings of
/// umlauts (Ä → AE or A) are accepted by comparing either.
fn transliterate(c: char, umlaut_e: bool) -> String {
    let s = match c {
        'Ä' | 'ä' | 'Æ' | 'æ' => {
            if umlaut_e {
                "AE"
            } else {
                "A"
            }
        }
        'Ö' | 'ö' | 'Ø' | 'ø' | 'Œ' | 'œ' => {
            if umlaut_e {
                "OE"
            } else {
                "O"
            }
        }
        'Ü' | 'ü' => {
            if umlaut_e {
                "UE"
            } else {
                "U"
            }
        }
        'Å' | 'å' => {
            if umlaut_e {
                "AA"
            } else {
                "A"
            }
        }
        'ß' => "SS",
        'Þ' | 'þ' => "TH",
        'Ð' | 'ð' | 'Đ' | 'đ' => "D",
        'Ł' | 'ł' => "L",
        'Ĳ' | 'ĳ' => "IJ",
        _ => {
            let base = strip_accent(c);
            return if base.is_ascii_alphanumeric() {
                base.to_ascii_uppercase().to_string()
            } else {
                " ".into()
            };
        }
    };
    s.to_string()
}

fn strip_accent(c: char) -> char {
    const FROM: &str = "ÀÁÂÃÇÈÉÊËÌÍÎÏÑÒÓÔÕÙÚÛÝàáâãçèéêëìíîïñòóôõùúûýÿČčĆćŠšŽžŘřĚěŇňŤťĎďŮůŚśŹźŻżĄąĘęŃńŐőŰűĞğİıŞşĀāĒēĪīŪū";
    const TO: &str = "AAAACEEEEIIIINOOOOUUUYaaaaceeeeiiiinoooouuuyyCcCcSsZzRrEeNnTtDdUuSsZzZzAaEeNnOoUuGgIiSsAaEeIiUu";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

/// A name as MRZ letters: words of A–Z and digits, single-spaced.
fn mrz_form(name: &str, umlaut_e: bool) -> String {
    let t: String = name
        .replace('<', " ")
        .chars()
        .map(|c| transliterate(c, umlaut_e))
        .collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two names agree: equal in MRZ letters (either umlaut reading), or the MRZ's is the
/// payload's cut short (MRZ name fields truncate long names). Returns (agrees, needed help).
fn names_agree(payload: &str, mrz: &str) -> (bool, bool) {
    let m = mrz_form(mrz, true);
    for e in [true, false] {
        let p = mrz_form(payload, e);
        if p == m {
            return (true, p != payload.trim());
        }
        let (pc, mc): (String, String) = (p.replace(' ', ""), m.replace(' ', ""));
        if pc == mc || (mc.len() >= 10 && pc.starts_with(&mc)) {
            return (true, true);
        }
    }
    (false, false)
}

/// Compares a payload's identity with an MRZ's; only fields both state are compared.
pub fn cross_check(payload: &Identity, mrz: &Identity) -> Vec<CrossCheck> {
    let mut out = Vec::new();
    let mut push = |field: &'static str, p: String, m: String, agrees: bool, helped: bool| {
        let (severity, message) = if !agrees {
            (
                Severity::Error,
                format!(
                    "the barcode's {} is {p:?}, the MRZ's is {m:?}",
                    field.replace('_', " ")
                ),
            )
        } else if helped {
            (
                Severity::Info,
                format!(
                    "the {} agrees after transliteration or MRZ truncation ({p:?} / {m:?})",
                    field.replace('_', " ")
                ),
            )
        } else {
            (
                Severity::Info,
                format!("the {} agrees", field.replace('_', " ")),
            )
        };
        out.push(CrossCheck {
            field,
            payload: p,
            mrz: m,
            agrees,
            severity,
            message,
        });
    };
    match (
        &payload.surname,
        &payload.given_names,
        &mrz.surname,
        &mrz.given_names,
    ) {
        (Some(ps), pg, Some(ms), mg) if pg.is_some() || mg.is_none() => {
            let (a, h) = names_agree(ps, ms);
            push("surname", ps.clone(), ms.clone(), a, h);
            if let (Some(pg), Some(mg)) = (pg, mg) {
                let (a, h) = names_agree(pg, mg);
                push("given_names", pg.clone(), mg.clone(), a, h);
            }
        }
        // The payload gives one full name (VDS-NC `pid.n`): compare it with the MRZ's whole name.
        (Some(full), None, Some(ms), Some(mg)) => {
            let joined = format!("{ms} {mg}");
            let (a, h) = names_agree(full, &joined);
            let (b, hb) = names_agree(full, &format!("{mg} {ms}"));
            push("name", full.clone(), joined, a || b, h || hb);
        }
        _ => {}
    }
    if let (Some(p), Some(m)) = (payload.birth_date, mrz.birth_date) {
        push("birth_date", p.to_string(), m.to_string(), p == m, false);
    }
    if let (Some(p), Some(m)) = (payload.expiry_date, mrz.expiry_date) {
        push("expiry_date", p.to_string(), m.to_string(), p == m, false);
    }
    if let (Some(p), Some(m)) = (&payload.document_number, &mrz.document_number) {
        let norm = |s: &str| {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase()
        };
        push(
            "document_number",
            p.clone(),
            m.clone(),
            norm(p) == norm(m),
            false,
        );
    }
    if let (Some(p), Some(m)) = (payload.sex, mrz.sex)
        && m != '<'
    {
        push("sex", p.to_string(), m.to_string(), p == m, false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::identity_from_mrz;

    #[test]
    fn transliterated_names_agree_and_other_names_do_not() {
        assert!(names_agree("Musterfrau-Gößinger", "MUSTERFRAU GOESSINGER").0);
        assert!(names_agree("Løvstrøm", "LOEVSTROEM").0);
        assert!(names_agree("Müller", "MULLER").0);
        assert!(!names_agree("Miller", "MULLER").0);
        assert!(names_agree("Wolfeschlegelsteinhausen", "WOLFESCHLEGELSTEIN").0);
    }

    #[test]
    fn a_seal_mrz_against_a_printed_mrz() {
        let seal = identity_from_mrz(
            "ATD<<RESIDORCE<<ROLAND<<<<<<<<<<<<<<\n6525845096USA7008038M2201018<<<<<<06",
        );
        let same = cross_check(&seal, &seal);
        assert!(same.iter().all(|c| c.agrees), "{same:?}");
        assert!(same.iter().any(|c| c.field == "document_number"));
        let mut other = seal.clone();
        other.birth_date = docexam_base::date::CivilDate::new(1970, 8, 4);
        other.surname = Some("RESIDENCE".into());
        let diff = cross_check(&seal, &other);
        let failed: Vec<&str> = diff.iter().filter(|c| !c.agrees).map(|c| c.field).collect();
        assert_eq!(failed, ["surname", "birth_date"]);
    }
}
