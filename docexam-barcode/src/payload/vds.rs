//! ICAO visible digital seals (Doc 9303-13; BSI TR-03137): header (versions 3 and 4), message
//! zone decoded per document feature definition, and the ECDSA signature over both.

use num_bigint::BigUint;

use super::seal::{self, date3, mrz_text, read_tlv};
use super::vds_types::{self, Coding};
use super::{ParseOptions, Payload, PayloadKind, c40, hex};
use crate::trust::{self, CertificateMatch, Scheme, SignatureCheck, Signed, Usage};
use docexam_base::date::CivilDate;
use docexam_base::severity::Severity;

/// The header fields.
struct Header {
    signer: String,
    cert_ref: String,
    /// The signature creation date the header states.
    signed: Option<CivilDate>,
    /// The document type, if docexam knows its feature definition.
    doc: Option<&'static vds_types::DocType>,
    len: usize,
}

fn header(b: &[u8], p: &mut Payload) -> Option<Header> {
    let raw_version = *b.get(1)?;
    let version = match raw_version {
        0x02 => 3,
        0x03 => 4,
        v => {
            p.finding(
                "vds.version",
                Severity::Error,
                Some(1),
                format!("version byte 0x{v:02x} is neither 0x02 (version 3) nor 0x03 (version 4)"),
            );
            return None;
        }
    };
    let country = c40::decode(b.get(2..4)?)?;
    let (signer, cert_ref, at) = if version == 3 {
        fixed_reference(b)?
    } else {
        version4_reference(b, p)?
    };
    let issued = date3(b.get(at..at + 3)?);
    let signed = date3(b.get(at + 3..at + 6)?);
    let feature = *b.get(at + 6)?;
    let category = *b.get(at + 7)?;
    p.field(None, "version", version.to_string());
    p.field(None, "issuing_country", country.trim_end());
    p.field(None, "signer_identifier", signer.clone());
    p.field(None, "certificate_reference", cert_ref.clone());
    for (name, d, off) in [
        ("issue_date", issued, at),
        ("signature_date", signed, at + 3),
    ] {
        match d {
            Some(d) => p.field(None, name, d.to_string()),
            None => p.finding(
                "vds.date",
                Severity::Error,
                Some(off),
                format!("the {} is not a calendar date", name.replace('_', " ")),
            ),
        }
    }
    p.field(
        None,
        "feature_definition_reference",
        format!("0x{feature:02X}"),
    );
    p.field(None, "document_type_category", format!("0x{category:02X}"));
    if let (Some(i), Some(s)) = (issued, signed)
        && s < i
    {
        p.finding(
            "vds.signed_before_issue",
            Severity::Warning,
            Some(at + 3),
            format!("the seal was signed on {s}, before the document's issue date {i}"),
        );
    }
    let doc = vds_types::find(feature, category);
    p.description = match doc {
        Some(t) => format!("ICAO VDS version {version}: {}", t.name.replace('_', " ")),
        None => format!(
            "ICAO VDS version {version}: unknown document type 0x{feature:02X}{category:02X}"
        ),
    };
    p.field(
        None,
        "document_type",
        doc.map(|t| t.name.to_string())
            .unwrap_or_else(|| format!("0x{feature:02X}{category:02X}")),
    );
    if doc.is_none() {
        p.finding(
            "vds.unknown_document_type",
            Severity::Warning,
            Some(at + 6),
            format!(
                "document feature definition 0x{feature:02X}/0x{category:02X} is not one docexam \
                 knows; messages are shown as raw bytes"
            ),
        );
    }
    p.identity.issuer = Some(country.trim_end().to_string());
    Some(Header {
        signer,
        cert_ref,
        signed,
        doc,
        len: at + 8,
    })
}

/// Signer and certificate reference of a version-3 header: nine C40 characters, the signer's
/// four and a reference of five. Returns them and where the dates begin.
fn fixed_reference(b: &[u8]) -> Option<(String, String, usize)> {
    let s = c40::decode(b.get(4..10)?)?;
    Some((s.get(..4)?.to_string(), s.get(4..)?.to_string(), 10))
}

/// Signer and certificate reference of a version-4 header, read the way its dates confirm:
/// ICAO's hex length first; then the decimal length German administrative seals write
/// (BSI TR-03171); then the fixed reference of version 3 that German arrival attestations keep
/// under the version-4 byte. Each reading other than ICAO's is a finding.
fn version4_reference(b: &[u8], p: &mut Payload) -> Option<(String, String, usize)> {
    let s = c40::decode(b.get(4..8)?)?;
    let signer = s.get(..4)?.to_string();
    let digits = s.get(4..6)?.to_string();
    let with_length = |len: usize| -> Option<(String, String, usize)> {
        let n = len.div_ceil(3) * 2;
        let r = c40::decode(b.get(8..8 + n)?)?;
        Some((signer.clone(), r, 8 + n))
    };
    let dated = |r: &Option<(String, String, usize)>| {
        r.as_ref().is_some_and(|(_, _, at)| {
            date3(b.get(*at..*at + 3).unwrap_or_default()).is_some()
                && date3(b.get(*at + 3..*at + 6).unwrap_or_default()).is_some()
        })
    };
    let hex = usize::from_str_radix(&digits, 16)
        .ok()
        .and_then(with_length);
    if dated(&hex) {
        return hex;
    }
    let decimal = digits.parse::<usize>().ok().and_then(with_length);
    if dated(&decimal) {
        p.finding(
            "vds.certificate_reference_decimal",
            Severity::Warning,
            Some(6),
            format!(
                "the certificate reference's length {digits:?} is written in decimal, as German \
                 administrative seals (BSI TR-03171) do; ICAO 9303-13 writes it in hex"
            ),
        );
        return decimal;
    }
    let fixed = fixed_reference(b);
    if dated(&fixed) {
        p.finding(
            "vds.certificate_reference_fixed",
            Severity::Warning,
            Some(4),
            "a version-4 header whose signer and certificate reference take nine fixed \
             characters, as in version 3 (German arrival attestations)",
        );
        return fixed;
    }
    hex
}

/// Parses a seal.
pub(super) fn parse(b: &[u8], opts: &ParseOptions<'_>) -> Payload {
    let mut p = Payload::empty(PayloadKind::Vds, "ICAO visible digital seal");
    if b.first() != Some(&0xDC) {
        p.finding(
            "vds.magic",
            Severity::Error,
            Some(0),
            "a seal starts with the byte 0xDC; this one does not",
        );
        return p;
    }
    let Some(h) = header(b, &mut p) else {
        if !p.has_errors() {
            p.finding(
                "vds.header",
                Severity::Error,
                Some(0),
                "the header is truncated or not C40 where it must be",
            );
        }
        return p;
    };
    let doc = h.doc;
    let mut at = h.len;
    let mut signature: Option<(usize, &[u8])> = None;
    while at < b.len() {
        let Some((tlv, next)) = read_tlv(b, at) else {
            p.finding(
                "vds.truncated_message",
                Severity::Error,
                Some(at),
                format!("the element at byte {at} runs past the end of the seal"),
            );
            break;
        };
        if tlv.tag == 0xFF {
            signature = Some((at, tlv.value));
            if next < b.len() {
                p.finding(
                    "vds.trailing_bytes",
                    Severity::Info,
                    Some(next),
                    format!(
                        "{} bytes follow the signature (barcode padding)",
                        b.len() - next
                    ),
                );
            }
            break;
        }
        message(&mut p, doc, &tlv);
        at = next;
    }
    if signature.is_none()
        && let Some((offset, value)) = signature_at_end(b, h.len)
    {
        p.finding(
            "vds.signature_zone_recovered",
            Severity::Warning,
            Some(offset),
            format!(
                "the message zone does not parse up to the signature, but a signature zone of \
                 {} bytes stands at byte {offset} and ends the seal; it is verified over the bytes \
                 before it",
                value.len()
            ),
        );
        signature = Some((offset, value));
    }
    if let Some(doc) = doc {
        // Every MRZ message is mandatory, except that a visa carries one of its two (MRV-A or
        // MRV-B).
        let mrz: Vec<_> = doc
            .messages
            .iter()
            .filter(|m| matches!(m.coding, Coding::Mrz { .. }))
            .collect();
        let present = |name: &str| p.fields.iter().any(|f| f.name == name);
        let missing: Vec<String> = if doc.name == "visa" {
            if mrz.iter().any(|m| present(m.name)) {
                Vec::new()
            } else {
                vec!["MRV-A or MRV-B MRZ message (tag 0x01 or 0x02)".to_string()]
            }
        } else {
            mrz.iter()
                .filter(|m| !present(m.name))
                .map(|m| format!("{} message (tag 0x{:02X})", m.name, m.tag))
                .collect()
        };
        for what in missing {
            p.finding(
                "vds.missing_message",
                Severity::Error,
                None,
                format!("the {what} is missing"),
            );
        }
    }
    p.signature = match signature {
        None => {
            p.finding(
                "vds.unsigned",
                Severity::Error,
                None,
                "the seal has no signature zone (tag 0xFF)",
            );
            SignatureCheck::not_signed("the seal carries no signature")
        }
        Some((offset, sig)) => {
            let signer = h.signer.clone();
            let reference = h.cert_ref.clone();
            let matcher = move |c: &trust::Certificate| cert_matches(c, &signer, &reference);
            trust::check(
                opts.trust,
                &Signed {
                    data: b.get(..offset).unwrap_or_default(),
                    signature: sig,
                    scheme: Scheme::Ecdsa(None),
                    embedded: None,
                    signed_on: h.signed,
                    usage: Usage::DocumentSigner,
                },
                &matcher,
                opts.as_of,
            )
        }
    };
    p
}

/// A signature zone (tag 0xFF, at least 32 bytes) whose length runs exactly to the end of the
/// seal, after the header: the last one when several would.
fn signature_at_end(b: &[u8], header_end: usize) -> Option<(usize, &[u8])> {
    (header_end..b.len()).rev().find_map(|at| {
        if b.get(at) != Some(&0xFF) {
            return None;
        }
        let (tlv, next) = read_tlv(b, at)?;
        (next == b.len() && tlv.value.len() >= 32).then_some((at, tlv.value))
    })
}

/// Decodes one message by the document type's definition.
fn message(p: &mut Payload, doc: Option<&vds_types::DocType>, tlv: &seal::Tlv<'_>) {
    let def = doc.and_then(|d| d.messages.iter().find(|m| m.tag == tlv.tag));
    let id = format!("0x{:02X}", tlv.tag);
    let Some(def) = def else {
        if doc.is_some() {
            p.finding(
                "vds.unknown_tag",
                Severity::Info,
                Some(tlv.offset),
                format!("message tag {id} is not in this document type's definition"),
            );
        }
        p.field(Some(&id), format!("tag_{:02x}", tlv.tag), hex(tlv.value));
        return;
    };
    if let Some(len) = def.len
        && len != tlv.value.len()
    {
        p.finding(
            "vds.message_length",
            Severity::Warning,
            Some(tlv.offset),
            format!(
                "the {} message has {} bytes; its definition requires {len}",
                def.name,
                tlv.value.len()
            ),
        );
    }
    let value = match def.coding {
        Coding::C40 => c40::decode(tlv.value),
        Coding::Mrz { len, lines } => mrz_text(tlv.value, len, lines),
        Coding::Byte => tlv.value.first().map(|b| b.to_string()),
        Coding::Bytes => Some(hex(tlv.value)),
        Coding::Utf8 => std::str::from_utf8(tlv.value).ok().map(str::to_string),
    };
    match value {
        Some(v) => {
            if let Coding::Mrz { .. } = def.coding {
                seal::merge(&mut p.identity, seal::identity_from_mrz(&v));
            }
            if def.name == "passport_number" || def.name == "document_number" {
                p.identity.document_number.get_or_insert_with(|| v.clone());
            }
            p.field(Some(&id), def.name, v);
        }
        None => {
            p.finding(
                "vds.message_coding",
                Severity::Error,
                Some(tlv.offset),
                format!("the {} message is not valid {:?}", def.name, def.coding),
            );
            p.field(Some(&id), def.name, hex(tlv.value));
        }
    }
}

/// Whether a certificate is the seal's signer: subject `C` + `CN` equal the signer identifier,
/// and the serial number equals the certificate reference read as hex.
fn cert_matches(c: &trust::Certificate, signer: &str, reference: &str) -> CertificateMatch {
    let id = format!(
        "{}{}",
        c.country.as_deref().unwrap_or(""),
        c.common_name.as_deref().unwrap_or("")
    );
    let serial = BigUint::from_bytes_be(&c.serial);
    let wanted = BigUint::parse_bytes(reference.trim().as_bytes(), 16);
    if id.eq_ignore_ascii_case(signer) && wanted.is_some_and(|w| w == serial) {
        CertificateMatch::Matches
    } else {
        CertificateMatch::Mismatch
    }
}
