//! AAMVA DL/ID payloads (PDF417 on North American driving licences and ID cards): header,
//! subfile directory with offsets and lengths checked, every data element named, dates in
//! US or Canadian order, and the IIN checked against the jurisdiction. Deviations are
//! findings; nothing is repaired silently.

mod clean;
mod elements;
mod iin;
mod locate;
#[cfg(test)]
mod tests;

use super::{ParseOptions, Payload, PayloadKind};
use docexam_base::date::CivilDate;
use docexam_base::severity::Severity;

const FILE_TYPES: [&[u8]; 2] = [b"ANSI ", b"AAMVA"];

/// Whether the bytes (after any byte-order mark) look like an AAMVA payload: a compliance
/// indicator and file type near the start, or (a scanner dropped the indicator) a file type
/// and six-digit IIN.
pub(super) fn looks_like(b: &[u8]) -> bool {
    let head = b.get(..b.len().min(32)).unwrap_or_default();
    let c = clean::clean(head);
    let b: &[u8] = &c.bytes;
    let start = b.iter().take(16).position(|&c| c == b'@');
    start.is_some_and(|s| file_type_at(b, s).is_some()) || bare_file_type(b).is_some()
}

/// Where a file type followed by a six-digit IIN stands in the first bytes, for a header
/// whose compliance indicator a scanner dropped.
fn bare_file_type(b: &[u8]) -> Option<usize> {
    (0..4).find(|&i| {
        FILE_TYPES.iter().any(|t| b.get(i..i + 5) == Some(*t))
            && b.get(i + 5..i + 11)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    })
}

/// Where the file type starts, looking a few bytes past `@` (separators may be missing).
fn file_type_at(b: &[u8], at: usize) -> Option<usize> {
    (at + 1..=at + 5).find(|&i| FILE_TYPES.iter().any(|t| b.get(i..i + 5) == Some(*t)))
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<usize> {
    let s = std::str::from_utf8(b.get(at..at + n)?).ok()?;
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn show(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

struct Designator {
    kind: String,
    offset: Option<usize>,
    length: Option<usize>,
    at: usize,
}

/// The separators a header declares (data element separator, record separator, segment
/// terminator), where they are declared and are not letters or digits.
#[derive(Clone, Copy)]
struct Separators {
    element: u8,
    segment: u8,
}

impl Separators {
    fn declared(seps: &[u8]) -> Self {
        let usable = |c: u8, default: u8| {
            if c.is_ascii_alphanumeric() || c == b' ' {
                default
            } else {
                c
            }
        };
        match *seps {
            [e, _, s] => Self {
                element: usable(e, b'\n'),
                segment: usable(s, b'\r'),
            },
            _ => Self {
                element: b'\n',
                segment: b'\r',
            },
        }
    }

    /// Whether `c` ends an element: the declared separators, and LF and CR, which every
    /// issuer uses.
    fn ends_element(self, c: u8) -> bool {
        c == self.element || c == self.segment || c == b'\n' || c == b'\r'
    }
}

/// Parses an AAMVA payload.
pub(super) fn parse(input: &[u8], opts: &ParseOptions<'_>) -> Payload {
    let mut cleaned = clean::clean(input);
    let bom = cleaned.bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        cleaned.drop_front(3);
    }
    let bare = !cleaned.bytes.iter().take(16).any(|&c| c == b'@')
        && bare_file_type(&cleaned.bytes).is_some();
    if bare {
        cleaned.restore_prefix();
    }
    let mut p = parse_clean(&cleaned.bytes, opts);
    for f in &mut p.findings {
        f.offset = f.offset.map(|o| cleaned.original(o));
    }
    if bom {
        p.finding(
            "aamva.bom",
            Severity::Warning,
            Some(0),
            "a UTF-8 byte-order mark precedes the header; the standard has none",
        );
        // Findings stand in payload order.
        p.findings.rotate_right(1);
    }
    if bare {
        p.finding(
            "aamva.no_header",
            Severity::Warning,
            Some(0),
            "the compliance indicator '@' and the header's separators are missing (scanners \
             drop them); the directory's offsets are counted as if they stood there",
        );
    }
    if !cleaned.removed.is_empty() {
        let shown: Vec<String> = cleaned
            .removed
            .iter()
            .take(8)
            .map(usize::to_string)
            .collect();
        p.finding(
            "aamva.control_characters",
            Severity::Warning,
            cleaned.removed.first().copied(),
            format!(
                "{} byte(s) of control characters the standard never holds (C1 controls such as \
                 U+0090, NUL), which scanners insert, were removed before parsing, at offsets {}{}",
                cleaned.removed.len(),
                shown.join(", "),
                if cleaned.removed.len() > 8 {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
    p
}

/// Parses a payload whose scanner characters and byte-order mark are gone.
fn parse_clean(input: &[u8], _opts: &ParseOptions<'_>) -> Payload {
    let mut p = Payload::empty(PayloadKind::Aamva, "AAMVA DL/ID");
    p.signature = super::SignatureCheck::not_signed("AAMVA barcodes carry no signature");
    let Some(at) = input.iter().position(|&c| c == b'@') else {
        p.finding(
            "aamva.header",
            Severity::Error,
            Some(0),
            "no compliance indicator '@'",
        );
        return p;
    };
    if at > 0 {
        p.finding(
            "aamva.leading_bytes",
            Severity::Warning,
            Some(0),
            format!("{at} bytes precede the compliance indicator '@'"),
        );
    }
    // Offsets in the directory count from the compliance indicator.
    let b = input.get(at..).unwrap_or_default();
    let base = at;
    let Some(ft) = file_type_at(b, 0) else {
        p.finding(
            "aamva.header",
            Severity::Error,
            Some(base),
            "no file type ANSI or AAMVA",
        );
        return p;
    };
    let declared = b.get(1..ft).unwrap_or_default();
    let seps = Separators::declared(declared);
    if declared != b"\n\x1e\r" {
        p.finding(
            "aamva.separators",
            Severity::Warning,
            Some(base + 1),
            format!(
                "the header's separators are [{}]; the standard has LF, RS, CR (0a 1e 0d)",
                show(declared)
            ),
        );
    }
    let file_type = String::from_utf8_lossy(b.get(ft..ft + 5).unwrap_or_default()).into_owned();
    p.field(None, "file_type", file_type.trim_end());
    let iin = String::from_utf8_lossy(b.get(ft + 5..ft + 11).unwrap_or_default()).into_owned();
    let Some(version) = digits(b, ft + 11, 2) else {
        p.finding(
            "aamva.header",
            Severity::Error,
            Some(base + ft + 11),
            "the version is not two digits",
        );
        return p;
    };
    let version = u8::try_from(version).unwrap_or(99);
    p.field(None, "iin", iin.clone());
    p.field(None, "aamva_version", version.to_string());
    let jurisdiction = iin::lookup(&iin);
    match jurisdiction {
        Some((name, code, _)) => {
            p.field(None, "issuer", name);
            p.identity.issuer = Some(code.to_string());
        }
        None => p.finding(
            "aamva.unknown_iin",
            Severity::Warning,
            Some(base + ft + 5),
            format!("IIN {iin} is not an AAMVA jurisdiction's"),
        ),
    }
    // Version 2 added the jurisdiction version; some version-2 cards leave it out, which
    // the directory's position tells.
    let mut at = ft + 13;
    if version >= 2 {
        let with = digits(b, at + 2, 2).is_some()
            && b.get(at + 4..at + 6)
                .is_some_and(|t| t.iter().all(u8::is_ascii_alphabetic));
        if with || version > 2 {
            if let Some(j) = digits(b, at, 2) {
                p.field(None, "jurisdiction_version", j.to_string());
            }
            at += 2;
        } else {
            p.finding(
                "aamva.no_jurisdiction_version",
                Severity::Warning,
                Some(base + at),
                "the header has no jurisdiction version, which version 2 requires",
            );
        }
    }
    let Some(entries) = digits(b, at, 2) else {
        p.finding(
            "aamva.header",
            Severity::Error,
            Some(base + at),
            "the number of entries is not two digits",
        );
        return p;
    };
    p.field(None, "number_of_entries", entries.to_string());
    at += 2;
    let mut dirs = Vec::new();
    for _ in 0..entries {
        let Some(kind) = b.get(at..at + 2) else {
            p.finding(
                "aamva.directory",
                Severity::Error,
                Some(base + at),
                "the subfile directory is truncated",
            );
            break;
        };
        dirs.push(Designator {
            kind: String::from_utf8_lossy(kind).into_owned(),
            offset: digits(b, at + 2, 4),
            length: digits(b, at + 6, 4),
            at,
        });
        at += 10;
    }
    let header_end = at;
    p.description = format!(
        "AAMVA version {version}{}",
        jurisdiction
            .map(|(n, ..)| format!(", {n}"))
            .unwrap_or_default()
    );
    let from = p.findings.len();
    let found = locate::subfiles(&mut p, b, &dirs, header_end, version);
    let country = country_of(b, jurisdiction.map(|j| j.2));
    for (d, here) in dirs.iter().zip(&found) {
        let Some(here) = *here else { continue };
        let end = found
            .iter()
            .flatten()
            .map(|l| l.start)
            .filter(|&s| s > here.start)
            .min()
            .unwrap_or(b.len());
        p.field(
            None,
            "subfile",
            format!("{}@{}+{}", d.kind, here.start, end - here.start),
        );
        let sub = Subfile {
            kind: &d.kind,
            body: here.body,
            end,
            version,
            country: &country,
            seps,
        };
        subfile(&mut p, b, &sub);
    }
    // Offsets so far count from the compliance indicator.
    for f in p.findings.iter_mut().skip(from) {
        f.offset = f.offset.map(|o| o + base);
    }
    cross_fields(&mut p, version, jurisdiction);
    p
}

/// The country whose date order applies: DCG if present, else the IIN's. Only an element
/// that starts a line or follows the subfile type (`DL`, `ID`) counts, not `DCG` inside a value.
fn country_of(b: &[u8], iin_country: Option<&str>) -> String {
    let dcg = b
        .windows(4)
        .position(|w| matches!(w, [b'\n' | b'\r' | b'L' | b'D', b'D', b'C', b'G']))
        .and_then(|i| b.get(i + 4..i + 7))
        .map(|v| String::from_utf8_lossy(v).into_owned());
    match dcg.as_deref() {
        Some("CAN" | "CDN") => "CAN".into(),
        Some("USA") => "USA".into(),
        _ => iin_country.unwrap_or("USA").to_string(),
    }
}

/// One subfile to read: its type, where its elements begin and where it ends.
struct Subfile<'a> {
    kind: &'a str,
    body: usize,
    end: usize,
    version: u8,
    country: &'a str,
    seps: Separators,
}

fn subfile(p: &mut Payload, b: &[u8], sub: &Subfile<'_>) {
    let Subfile {
        kind,
        body: start,
        end,
        version,
        country,
        seps,
    } = *sub;
    let body = b.get(start..end).unwrap_or_default();
    let terminated = body
        .last()
        .is_some_and(|&c| c == seps.segment || c == b'\r');
    if !terminated {
        p.finding(
            "aamva.segment_terminator",
            Severity::Warning,
            Some(end.saturating_sub(1)),
            format!("the {kind} subfile does not end with a segment terminator"),
        );
    }
    let jurisdiction_subfile = kind.starts_with('Z');
    let mut offset = start;
    for piece in body.split(|&c| seps.ends_element(c)) {
        let here = offset;
        offset += piece.len() + 1;
        if piece.is_empty() {
            continue;
        }
        let (Some(id), Some(value)) = (piece.get(..3), piece.get(3..)) else {
            p.finding(
                "aamva.element",
                Severity::Warning,
                Some(here),
                format!(
                    "{:?} is too short to be a data element",
                    String::from_utf8_lossy(piece)
                ),
            );
            continue;
        };
        let id = String::from_utf8_lossy(id);
        let id = id.as_ref();
        let raw = String::from_utf8_lossy(value);
        let trimmed = raw.trim_end();
        if !id.bytes().all(|c| c.is_ascii_uppercase()) {
            p.finding(
                "aamva.element",
                Severity::Warning,
                Some(here),
                format!("{id:?} is not a data element id"),
            );
        }
        if jurisdiction_subfile {
            p.field(
                Some(id),
                format!("jurisdiction_{}", id.to_ascii_lowercase()),
                trimmed,
            );
            continue;
        }
        let Some((def, in_version)) = elements::lookup(id, version) else {
            p.finding(
                "aamva.unknown_element",
                Severity::Warning,
                Some(here),
                format!("{id} is not a data element of any AAMVA version"),
            );
            p.field(
                Some(id),
                format!("element_{}", id.to_ascii_lowercase()),
                trimmed,
            );
            continue;
        };
        if !in_version {
            p.finding(
                "aamva.element_version",
                Severity::Warning,
                Some(here),
                format!(
                    "{id} ({}) is not an element of AAMVA version {version}",
                    def.name
                ),
            );
        }
        let value = trimmed;
        let mut field = super::Field::new(Some(id), def.name, value);
        if def.date && !value.is_empty() && value != "00000000" {
            match date(value, version, country) {
                Some((d, swapped)) => {
                    if swapped {
                        p.finding(
                            "aamva.date_order",
                            Severity::Warning,
                            Some(here),
                            format!(
                                "{id} {value} is not a date in the order {country} cards use; \
                                 read in the other order it is {d}"
                            ),
                        );
                    }
                    field.value = d.to_string();
                    field.raw = Some(value.to_string());
                }
                None => p.finding(
                    "aamva.date",
                    Severity::Error,
                    Some(here),
                    format!("{id} {value:?} is not a date"),
                ),
            }
        } else if raw.len() != value.len() {
            field.raw = Some(raw.into_owned());
        }
        p.fields.push(field);
    }
}

/// An 8-digit date in the order the issuer's country uses (version 1: CCYYMMDD), or in the
/// other order (`true`) if the first does not give a date.
fn date(v: &str, version: u8, country: &str) -> Option<(CivilDate, bool)> {
    let s = v.get(..8)?;
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<u32>().ok());
    let ymd = || CivilDate::new(n(0, 4)? as i32, n(4, 6)? as u8, n(6, 8)? as u8);
    let mdy = || CivilDate::new(n(4, 8)? as i32, n(0, 2)? as u8, n(2, 4)? as u8);
    let canadian = version <= 1 || country == "CAN";
    let (first, second) = if canadian {
        (ymd(), mdy())
    } else {
        (mdy(), ymd())
    };
    first.map(|d| (d, false)).or(second.map(|d| (d, true)))
}

/// Whether a name part is a generational suffix (`JR`, `SR`, `III`, `2ND`), which AAMVA puts
/// after the middle name in a full name.
fn is_suffix(s: &str) -> bool {
    let s = s.trim_end_matches('.').to_ascii_uppercase();
    matches!(
        s.as_str(),
        "JR" | "SR"
            | "I"
            | "II"
            | "III"
            | "IV"
            | "V"
            | "VI"
            | "VII"
            | "VIII"
            | "IX"
            | "1ST"
            | "2ND"
            | "3RD"
            | "4TH"
            | "5TH"
            | "6TH"
            | "7TH"
            | "8TH"
            | "9TH"
    )
}

/// A name as the identity holds it: punctuation some issuers leave at the ends (`SMITH,`)
/// and doubled spaces removed, with a finding when anything was.
fn tidy_name(p: &mut Payload, what: &str, raw: &str) -> Option<String> {
    let words: Vec<&str> = raw
        .split(' ')
        .map(|w| w.trim_matches(|c: char| c == ',' || c.is_whitespace()))
        .filter(|w| !w.is_empty())
        .collect();
    let name = words.join(" ");
    if raw.trim_end_matches(' ').contains(',') && name != raw.trim() {
        p.finding(
            "aamva.name_punctuation",
            Severity::Info,
            None,
            format!("the {what} {raw:?} carry punctuation at a word's end; read as {name:?}"),
        );
    }
    (!name.is_empty()).then_some(name)
}

/// Identity, sex, and the checks across elements (IIN vs jurisdiction, mandatory elements).
fn cross_fields(p: &mut Payload, version: u8, jurisdiction: Option<(&str, &str, &str)>) {
    let get = |p: &Payload, id: &str| {
        p.fields
            .iter()
            .find(|f| f.id.as_deref() == Some(id) && !f.name.starts_with("jurisdiction_"))
            .map(|f| f.value.clone())
            .filter(|v| {
                !v.is_empty() && !v.eq_ignore_ascii_case("NONE") && !v.eq_ignore_ascii_case("unavl")
            })
    };
    let date = |p: &Payload, id: &str| get(p, id).and_then(|v| v.parse::<CivilDate>().ok());
    let mut surname = get(p, "DCS").or_else(|| get(p, "DAB"));
    let mut given = match (get(p, "DAC"), get(p, "DAD")) {
        (Some(a), Some(b)) => Some(format!("{a} {}", b.replace(',', " "))),
        (a, None) => a,
        (None, b) => b,
    }
    .or_else(|| get(p, "DCT").map(|g| g.replace(',', " ")));
    let mut suffix = None;
    if surname.is_none()
        && let Some(full) = get(p, "DAA")
    {
        let parts: Vec<&str> = if full.contains(',') {
            full.split(',').collect()
        } else {
            full.split(' ').collect()
        };
        // Comma form: LAST,FIRST,MIDDLE,SUFFIX; space form (seen in the field): FIRST
        // MIDDLE LAST.
        if full.contains(',') {
            surname = parts.first().map(|s| s.trim().to_string());
            let mut rest: Vec<&str> = parts.iter().skip(1).map(|s| s.trim()).collect();
            if rest.len() >= 3
                && rest.last().is_some_and(|s| is_suffix(s))
                && let Some(sfx) = rest.pop()
            {
                suffix = Some(sfx.to_string());
            }
            given = Some(rest.join(" "));
        } else {
            surname = parts.last().map(|s| s.to_string());
            given = Some(
                parts
                    .iter()
                    .take(parts.len().saturating_sub(1))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
    }
    if let Some(sfx) = suffix.filter(|_| get(p, "DCU").is_none()) {
        p.field(Some("DAA"), "name_suffix", sfx);
    }
    p.identity.surname = surname.and_then(|s| tidy_name(p, "surname", &s));
    p.identity.given_names = given.and_then(|g| tidy_name(p, "given names", &g));
    p.identity.birth_date = date(p, "DBB");
    p.identity.expiry_date = date(p, "DBA");
    p.identity.document_number = get(p, "DAQ");
    p.identity.sex = get(p, "DBC").and_then(|s| match s.trim() {
        "1" | "M" | "m" => Some('M'),
        "2" | "F" | "f" => Some('F'),
        "9" | "X" | "x" => Some('X'),
        _ => None,
    });
    if let Some(s) = get(p, "DBC")
        && p.identity.sex.is_none()
    {
        p.finding(
            "aamva.sex",
            Severity::Warning,
            None,
            format!("DBC {s:?} is not a sex code (1, 2, 9)"),
        );
    }
    if let (Some((name, code, _)), Some(daj)) = (jurisdiction, get(p, "DAJ"))
        && !code.is_empty()
        && !daj.eq_ignore_ascii_case(code)
    {
        p.finding(
            "aamva.iin_jurisdiction",
            Severity::Warning,
            None,
            format!(
                "the IIN is {name}'s ({code}), but the address jurisdiction DAJ is {daj}; \
                 a licence is normally issued where the holder lives"
            ),
        );
    }
    if let (Some((name, _, country)), Some(dcg)) = (jurisdiction, get(p, "DCG"))
        && !(dcg == country || (dcg == "CDN" && country == "CAN"))
    {
        p.finding(
            "aamva.iin_country",
            Severity::Error,
            None,
            format!("the IIN is {name}'s, in {country}, but the country DCG is {dcg}"),
        );
    }
    let has_dl = p
        .fields
        .iter()
        .any(|f| f.name == "subfile" && (f.value.starts_with("DL") || f.value.starts_with("ID")));
    if has_dl {
        let missing: Vec<&str> = elements::ELEMENTS
            .iter()
            .filter(|e| e.mandatory && e.first <= version && version <= e.last)
            .map(|e| e.id)
            .filter(|&id| !p.fields.iter().any(|f| f.id.as_deref() == Some(id)))
            .collect();
        if !missing.is_empty() {
            p.finding(
                "aamva.missing_element",
                Severity::Warning,
                None,
                format!(
                    "mandatory elements of version {version} missing: {}",
                    missing.join(", ")
                ),
            );
        }
    }
}
