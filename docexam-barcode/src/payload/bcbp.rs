//! IATA bar-coded boarding passes (Resolution 792, format `M`): mandatory items, conditional
//! items inside their stated sizes, every leg, airline-use data and the security data.
//! Fixed-width values keep their trailing spaces, as the resolution defines them.

use super::{ParseOptions, Payload, PayloadKind};
use crate::trust::{Authenticity, SignatureCheck, SignatureStatus};
use docexam_base::severity::Severity;

/// Whether the bytes look like a boarding pass: `M`, 1–4 legs, and room for the mandatory items.
pub(super) fn looks_like(b: &[u8]) -> bool {
    b.len() >= 60
        && b.first() == Some(&b'M')
        && b.get(1).is_some_and(|c| (b'1'..=b'4').contains(c))
        && b.iter().all(|c| (0x20..0x7f).contains(c))
}

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a str> {
        let s = self.b.get(self.at..self.at + n)?;
        self.at += n;
        std::str::from_utf8(s).ok()
    }
}

fn hex_size(s: &str) -> Option<usize> {
    usize::from_str_radix(s, 16).ok()
}

const LEG: &[(&str, &str, usize)] = &[
    ("7", "operating_carrier_pnr_code", 7),
    ("26", "from_city_airport_code", 3),
    ("38", "to_city_airport_code", 3),
    ("42", "operating_carrier_designator", 3),
    ("43", "flight_number", 5),
    ("46", "date_of_flight", 3),
    ("71", "compartment_code", 1),
    ("104", "seat_number", 4),
    ("107", "check_in_sequence_number", 5),
    ("113", "passenger_status", 1),
];

const UNIQUE_CONDITIONAL: &[(&str, &str, usize)] = &[
    ("15", "passenger_description", 1),
    ("12", "source_of_check_in", 1),
    ("14", "source_of_boarding_pass_issuance", 1),
    ("22", "date_of_issue_of_boarding_pass", 4),
    ("16", "document_type", 1),
    ("21", "airline_designator_of_boarding_pass_issuer", 3),
    ("23", "baggage_tag_license_plate_numbers", 13),
    (
        "31",
        "first_non_consecutive_baggage_tag_license_plate_numbers",
        13,
    ),
    (
        "32",
        "second_non_consecutive_baggage_tag_license_plate_numbers",
        13,
    ),
];

const REPEATED_CONDITIONAL: &[(&str, &str, usize)] = &[
    ("142", "airline_numeric_code", 3),
    ("143", "document_form_serial_number", 10),
    ("18", "selectee_indicator", 1),
    ("108", "international_document_verification", 1),
    ("19", "marketing_carrier_designator", 3),
    ("20", "frequent_flyer_airline_designator", 3),
    ("236", "frequent_flyer_number", 16),
    ("89", "id_ad_indicator", 1),
    ("118", "free_baggage_allowance", 3),
    ("254", "fast_track", 1),
];

/// Parses a boarding pass.
pub(super) fn parse(b: &[u8], _opts: &ParseOptions<'_>) -> Payload {
    let mut p = Payload::empty(PayloadKind::Bcbp, "IATA bar-coded boarding pass");
    p.signature = SignatureCheck::not_signed("the boarding pass carries no security data");
    let mut c = Cursor { b, at: 0 };
    let head = (|| Some((c.take(1)?, c.take(1)?, c.take(20)?, c.take(1)?)))();
    let Some((format, legs, name, eticket)) = head else {
        p.finding(
            "bcbp.truncated",
            Severity::Error,
            Some(0),
            "shorter than the mandatory items",
        );
        return p;
    };
    if format != "M" {
        p.finding(
            "bcbp.format",
            Severity::Error,
            Some(0),
            format!("format code {format:?} is not M"),
        );
    }
    let Some(legs) = legs.parse::<usize>().ok().filter(|n| (1..=4).contains(n)) else {
        p.finding(
            "bcbp.legs",
            Severity::Error,
            Some(1),
            format!("number of legs {legs:?} is not 1–4"),
        );
        return p;
    };
    p.field(Some("1"), "format_code", format);
    p.field(Some("5"), "number_of_legs_encoded", legs.to_string());
    p.field(Some("11"), "passenger_name", name);
    p.field(Some("253"), "electronic_ticket_indicator", eticket);
    let (surname, given) = name
        .trim_end()
        .split_once('/')
        .unwrap_or((name.trim_end(), ""));
    p.identity.surname = Some(surname.to_string()).filter(|s| !s.is_empty());
    p.identity.given_names = Some(given.to_string()).filter(|s| !s.is_empty());
    p.description = format!("IATA boarding pass, {legs} leg(s)");
    for leg in 0..legs {
        let prefix = format!("leg{}_", leg + 1);
        for &(id, field, n) in LEG {
            match c.take(n) {
                Some(v) => p.field(Some(id), format!("{prefix}{field}"), v),
                None => {
                    p.finding(
                        "bcbp.truncated",
                        Severity::Error,
                        Some(c.at),
                        format!("leg {} ends inside its {field}", leg + 1),
                    );
                    return p;
                }
            }
        }
        let Some(size) = c.take(2).and_then(hex_size) else {
            p.finding(
                "bcbp.field_size",
                Severity::Error,
                Some(c.at),
                format!(
                    "leg {}: the size of the conditional items is not two hex digits",
                    leg + 1
                ),
            );
            return p;
        };
        let end = c.at + size;
        if end > b.len() {
            p.finding(
                "bcbp.field_size",
                Severity::Error,
                Some(c.at),
                format!(
                    "leg {}: conditional items of {size} bytes run past the end",
                    leg + 1
                ),
            );
            return p;
        }
        let mut v = Cursor {
            b: b.get(..end).unwrap_or_default(),
            at: c.at,
        };
        if leg == 0 && v.at < end {
            unique(&mut p, &mut v);
        }
        if v.at < end {
            repeated(&mut p, &mut v, &prefix);
        }
        if v.at < end {
            let rest = v.take(end - v.at).unwrap_or_default();
            p.field(Some("4"), format!("{prefix}airline_individual_use"), rest);
        }
        c.at = end;
    }
    if c.at < b.len() {
        security(&mut p, &mut c);
    }
    p
}

fn unique(p: &mut Payload, v: &mut Cursor<'_>) {
    let start = v.at;
    if v.take(1) != Some(">") {
        p.finding(
            "bcbp.version_marker",
            Severity::Error,
            Some(start),
            "the conditional items do not start with '>'",
        );
        return;
    }
    if let Some(ver) = v.take(1) {
        p.field(Some("9"), "version_number", ver);
    }
    let Some(size) = v.take(2).and_then(hex_size) else {
        return;
    };
    let end = (v.at + size).min(v.b.len());
    if v.at + size > v.b.len() {
        p.finding(
            "bcbp.field_size",
            Severity::Error,
            Some(v.at),
            "the unique conditional items run past their leg",
        );
    }
    for &(id, field, n) in UNIQUE_CONDITIONAL {
        if v.at + n > end {
            break;
        }
        if let Some(x) = v.take(n) {
            p.field(Some(id), field, x);
        }
    }
    v.at = end;
}

fn repeated(p: &mut Payload, v: &mut Cursor<'_>, prefix: &str) {
    let Some(size) = v.take(2).and_then(hex_size) else {
        return;
    };
    let end = (v.at + size).min(v.b.len());
    for &(id, field, n) in REPEATED_CONDITIONAL {
        if v.at + n > end {
            break;
        }
        if let Some(x) = v.take(n) {
            p.field(Some(id), format!("{prefix}{field}"), x);
        }
    }
    v.at = end;
}

/// The security section (Resolution 792): `^`, the type of security data, its length in two
/// hex digits, that many characters of data, and nothing after: it ends the boarding pass.
fn security(p: &mut Payload, c: &mut Cursor<'_>) {
    let at = c.at;
    if c.take(1) != Some("^") {
        let rest = c.b.get(at..).unwrap_or_default();
        p.field(None, "trailing_data", String::from_utf8_lossy(rest));
        p.finding(
            "bcbp.security_start",
            Severity::Error,
            Some(at),
            format!(
                "{} bytes follow the last leg; only security data, beginning with '^', may",
                rest.len()
            ),
        );
        return;
    }
    let kind = c.take(1).unwrap_or_default().to_string();
    p.field(Some("28"), "type_of_security_data", kind);
    let Some(size) = c.take(2).and_then(hex_size) else {
        p.finding(
            "bcbp.security_data",
            Severity::Error,
            Some(at + 2),
            "the length of the security data is not two hex digits",
        );
        return;
    };
    match c.take(size) {
        Some(d) => p.field(Some("30"), "security_data", d),
        None => p.finding(
            "bcbp.security_data",
            Severity::Error,
            Some(at),
            "the security data is shorter than its stated size",
        ),
    }
    if c.at < c.b.len() {
        let rest = c.b.get(c.at..).unwrap_or_default();
        p.field(None, "trailing_data", String::from_utf8_lossy(rest));
        p.finding(
            "bcbp.trailing_bytes",
            Severity::Error,
            Some(c.at),
            format!(
                "{} bytes follow the security data, which ends the boarding pass",
                rest.len()
            ),
        );
    }
    p.signature = SignatureCheck {
        status: SignatureStatus::NoKey,
        authenticity: Authenticity::NotChecked,
        ..SignatureCheck::not_signed(
            "security data present; the airline's key is needed to verify it",
        )
    };
}
