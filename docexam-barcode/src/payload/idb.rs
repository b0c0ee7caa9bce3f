//! ICAO Datastructure for Barcode (IDB, Doc 9303-13): `RDB1` (or the older `NDB1`), a flag
//! (`A` plain, `B` signed, `C` compressed, `D` both), Base32 of the binary payload: header,
//! message group (tag 0x61), optional signer certificate (0x7E), signature (0x7F, `r‖s`).

use std::io::Read;

use sha1::{Digest, Sha1};

use super::seal::{self, date3, mrz_text, read_tlv};
use super::{ParseOptions, Payload, PayloadKind, c40, hex};
use crate::trust::{self, Certificate, CertificateMatch, Scheme, SignatureCheck, Signed, Usage};
use docexam_base::severity::Severity;

const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const SHA384: &str = "2.16.840.1.101.3.4.2.2";
const SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// Largest inflated payload (a face image of 1,000 bytes and an MRZ fit many times over).
const MAX_INFLATED: u64 = 16 * 1024;

/// Whether the bytes start like an IDB.
pub(super) fn looks_like(b: &[u8]) -> bool {
    (b.starts_with(b"RDB1") || b.starts_with(b"NDB1"))
        && b.get(4).is_some_and(|f| (b'A'..=b'D').contains(f))
}

fn base32(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text.iter().take_while(|&&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5 | u32::from(v)) & 0xfff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// An unsigned, uncompressed ICAO IDB (`RDB1A…`) issued by `country` holding `messages`
/// (tag, value) in its message group; `mrz_td1` is tag `0x07`, `mrz_td3` `0x08`, `mrz_td2`
/// `0x81`, each the MRZ lines joined, in C40 (see [`mrz_message`]). `None` if the country is
/// not C40 text or a value is longer than 65,535 bytes.
pub fn write_unsigned(country: &str, messages: &[(u8, Vec<u8>)]) -> Option<String> {
    let mut group = Vec::new();
    for (tag, value) in messages {
        group.push(*tag);
        push_length(&mut group, value.len())?;
        group.extend_from_slice(value);
    }
    let mut bin = c40::encode(country)?;
    bin.push(0x61);
    push_length(&mut bin, group.len())?;
    bin.extend(group);
    Some(barcode_text(false, &bin))
}

/// The barcode text of an uncompressed IDB binary payload (header, message group, and for a
/// signed one the signer's certificate and signature): `RDB1`, the flag (`A` plain, `B`
/// signed), Base32 without padding.
pub fn barcode_text(signed: bool, bin: &[u8]) -> String {
    let mut out = String::from(if signed { "RDB1B" } else { "RDB1A" });
    let (mut acc, mut bits) = (0u32, 0u32);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut push = |v: u32| {
        if let Some(&c) = alphabet.get(v as usize) {
            out.push(char::from(c));
        }
    };
    for &byte in bin {
        acc = (acc << 8 | u32::from(byte)) & 0xffff;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            push((acc >> bits) & 31);
        }
    }
    if bits > 0 {
        push((acc << (5 - bits)) & 31);
    }
    out
}

/// The binary payload an IDB's barcode text carries (Base32 decoded, not inflated), `None` if
/// the text is not an IDB.
pub fn binary_payload(text: &[u8]) -> Option<Vec<u8>> {
    if !looks_like(text) {
        return None;
    }
    base32(text.get(5..)?)
}

/// An MRZ as the C40 value of an IDB message (lines joined, fillers as spaces).
pub fn mrz_message(lines: &[String]) -> Option<Vec<u8>> {
    c40::encode(&lines.concat())
}

fn push_length(out: &mut Vec<u8>, len: usize) -> Option<()> {
    match len {
        0..=127 => out.push(len as u8),
        128..=255 => out.extend([0x81, len as u8]),
        256..=65535 => out.extend([0x82, (len >> 8) as u8, len as u8]),
        _ => return None,
    }
    Some(())
}

fn message_name(tag: u8) -> &'static str {
    match tag {
        0x01 => "visa",
        0x02 => "emergency_travel_document",
        0x03 => "proof_of_testing",
        0x04 => "proof_of_vaccination",
        0x05 => "proof_of_recovery",
        0x06 => "digital_travel_authorization",
        0x07 => "mrz_td1",
        0x08 => "mrz_td3",
        0x09 => "can",
        0x0A => "ef_card_access",
        0x80 => "face_image",
        0x81 => "mrz_td2",
        0x82 => "document_reference",
        0x83 => "azr",
        0x84 => "expiry_date",
        0x85 => "document_number",
        0x86 => "national_document_type",
        _ => "unknown",
    }
}

/// Parses an IDB barcode.
pub(super) fn parse(b: &[u8], opts: &ParseOptions<'_>) -> Payload {
    let mut p = Payload::empty(PayloadKind::Idb, "ICAO Datastructure for Barcode");
    if !looks_like(b) {
        p.finding(
            "idb.identifier",
            Severity::Error,
            Some(0),
            "an IDB starts with RDB1 or NDB1 and a flag A–D; this one does not",
        );
        return p;
    }
    if b.starts_with(b"NDB1") {
        p.finding(
            "idb.old_identifier",
            Severity::Info,
            Some(0),
            "the barcode uses the earlier identifier NDB1 (current: RDB1)",
        );
    }
    let flag = b.get(4).copied().unwrap_or(b'A') - b'A';
    let (signed, compressed) = (flag & 1 == 1, flag & 2 == 2);
    p.field(None, "signed", signed.to_string());
    p.field(None, "compressed", compressed.to_string());
    let Some(mut bin) = base32(b.get(5..).unwrap_or_default()) else {
        p.finding(
            "idb.base32",
            Severity::Error,
            Some(5),
            "the payload is not Base32 (A–Z, 2–7)",
        );
        return p;
    };
    if compressed {
        let mut out = Vec::new();
        let read = flate2::read::ZlibDecoder::new(bin.as_slice())
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out);
        if read.is_err() || out.len() as u64 > MAX_INFLATED {
            p.finding(
                "idb.inflate",
                Severity::Error,
                Some(5),
                format!(
                    "the compressed payload does not inflate (zlib) to at most {MAX_INFLATED} bytes"
                ),
            );
            return p;
        }
        bin = out;
    }
    body(&mut p, &bin, signed, opts);
    p
}

fn body(p: &mut Payload, b: &[u8], signed: bool, opts: &ParseOptions<'_>) {
    let country = b.get(..2).and_then(c40::decode);
    let Some(country) = country else {
        p.finding(
            "idb.header",
            Severity::Error,
            None,
            "the header's country is missing or not C40",
        );
        return;
    };
    p.field(None, "issuing_country", country.trim_end());
    p.identity.issuer = Some(country.trim_end().to_string());
    let mut at = 2;
    let mut alg = None;
    let mut cert_ref = None;
    let mut signed_on = None;
    if signed {
        let (Some(&a), Some(r)) = (b.get(2), b.get(3..8)) else {
            p.finding(
                "idb.header",
                Severity::Error,
                None,
                "the signed header is truncated",
            );
            return;
        };
        alg = Some(a);
        cert_ref = Some(r.to_vec());
        p.field(
            None,
            "signature_algorithm",
            match a {
                1 => "ECDSA SHA-256".to_string(),
                2 => "ECDSA SHA-384".to_string(),
                3 => "ECDSA SHA-512".to_string(),
                x => format!("unknown ({x})"),
            },
        );
        p.field(None, "certificate_reference", hex(r));
        // The signature date is three bytes in the ICAO text and four (a mask byte first) in
        // some issuers' seals: the message group's tag tells which.
        let (date, len) = if b.get(11) == Some(&0x61) {
            (b.get(8..11).and_then(date3), 3)
        } else {
            (b.get(9..12).and_then(date3), 4)
        };
        signed_on = date;
        match date {
            Some(d) => p.field(None, "signature_date", d.to_string()),
            None => p.finding(
                "idb.date",
                Severity::Error,
                Some(8),
                "the signature creation date is not a calendar date",
            ),
        }
        at = 8 + len;
    }
    let mut group_end = None;
    let mut embedded = None;
    let mut sig = None;
    while at < b.len() {
        let Some((tlv, next)) = read_tlv(b, at) else {
            p.finding(
                "idb.truncated",
                Severity::Error,
                Some(at),
                format!("the element at byte {at} runs past the end of the payload"),
            );
            break;
        };
        match tlv.tag {
            0x61 => {
                group_end = Some(next);
                messages(p, tlv.value);
            }
            0x7E => match Certificate::from_der(tlv.value) {
                Some(c) => {
                    p.field(Some("0x7E"), "signer_certificate", c.subject.clone());
                    embedded = Some(c);
                }
                None => p.finding(
                    "idb.certificate",
                    Severity::Error,
                    Some(at),
                    "the signer certificate (tag 0x7E) is not an X.509 certificate",
                ),
            },
            0x7F => sig = Some(tlv.value),
            t => p.finding(
                "idb.unknown_tag",
                Severity::Warning,
                Some(at),
                format!("top-level tag 0x{t:02X} is not an IDB element"),
            ),
        }
        at = next;
    }
    if group_end.is_none() {
        p.finding(
            "idb.no_messages",
            Severity::Error,
            None,
            "the payload has no message group (tag 0x61)",
        );
    }
    p.signature = match (signed, sig, group_end) {
        (false, None, _) => SignatureCheck::not_signed("the flag says the barcode is not signed"),
        (false, Some(_), _) | (true, None, _) => {
            p.finding(
                "idb.signature_flag",
                Severity::Error,
                None,
                "the flag and the presence of a signature (tag 0x7F) disagree",
            );
            SignatureCheck::not_signed("no signature that the flag announces")
        }
        (true, Some(sig), Some(end)) => {
            let hash = match alg {
                Some(2) => SHA384,
                Some(3) => SHA512,
                _ => SHA256,
            };
            let reference = cert_ref.unwrap_or_default();
            let matcher = move |c: &Certificate| {
                let digest = Sha1::digest(&c.der);
                if digest.get(15..) == Some(reference.as_slice()) {
                    CertificateMatch::Matches
                } else {
                    CertificateMatch::Mismatch
                }
            };
            trust::check(
                opts.trust,
                &Signed {
                    data: b.get(..end).unwrap_or_default(),
                    signature: sig,
                    scheme: Scheme::Ecdsa(Some(hash)),
                    embedded,
                    signed_on,
                    usage: Usage::DocumentSigner,
                },
                &matcher,
                opts.as_of,
            )
        }
        (true, Some(_), None) => SignatureCheck::not_signed("nothing signed: no message group"),
    };
}

fn messages(p: &mut Payload, group: &[u8]) {
    let mut at = 0;
    let mut types: Vec<&'static str> = Vec::new();
    while at < group.len() {
        let Some((tlv, next)) = read_tlv(group, at) else {
            p.finding(
                "idb.truncated_message",
                Severity::Error,
                None,
                "a message runs past the end of the message group",
            );
            break;
        };
        let name = message_name(tlv.tag);
        if !types.contains(&name) {
            types.push(name);
        }
        message(p, &tlv, false);
        at = next;
    }
    // What the barcode is, by the messages it carries: a visa, a proof of vaccination, a
    // national document (tags from 0x80 are national definitions).
    if !types.is_empty() {
        let shown: Vec<String> = types.iter().map(|t| t.replace('_', " ")).collect();
        p.description = format!("ICAO Datastructure for Barcode: {}", shown.join(", "));
        p.field(None, "message_types", types.join(","));
        p.finding(
            "idb.message_type",
            Severity::Info,
            None,
            format!("the barcode carries: {}", shown.join(", ")),
        );
    }
}

fn message(p: &mut Payload, tlv: &seal::Tlv<'_>, in_visa: bool) {
    let id = format!("0x{:02X}", tlv.tag);
    let mrz = |len, lines| mrz_text(tlv.value, len, lines);
    let (name, value) = match (in_visa, tlv.tag) {
        (true, 0x01) => ("mrz", mrz(if tlv.value.len() > 48 { 88 } else { 72 }, 2)),
        (true, 0x03) => ("number_of_entries", tlv.value.first().map(u8::to_string)),
        (true, 0x04) => ("duration_of_stay", Some(hex(tlv.value))),
        (true, 0x05) => ("passport_number", c40::decode(tlv.value)),
        (true, _) => ("visa_element", Some(hex(tlv.value))),
        (false, 0x01) => {
            let mut at = 0;
            while at < tlv.value.len() {
                let Some((inner, next)) = read_tlv(tlv.value, at) else {
                    break;
                };
                message(p, &inner, true);
                at = next;
            }
            return;
        }
        (false, 0x07) => ("mrz_td1", mrz(90, 3)),
        (false, 0x08) => ("mrz_td3", mrz(88, 2)),
        (false, 0x81) => ("mrz_td2", mrz(72, 2)),
        (false, 0x09 | 0x82 | 0x83 | 0x85) => (message_name(tlv.tag), c40::decode(tlv.value)),
        (false, 0x84) => (
            "expiry_date",
            tlv.value.get(1..).and_then(date3).map(|d| d.to_string()),
        ),
        (false, 0x86) => (
            "national_document_type",
            tlv.value.first().map(u8::to_string),
        ),
        (false, t) => (message_name(t), Some(hex(tlv.value))),
    };
    match value {
        Some(v) => {
            if name.starts_with("mrz") {
                seal::merge(&mut p.identity, seal::identity_from_mrz(&v));
            }
            p.field(Some(&id), name, v);
        }
        None => {
            p.finding(
                "idb.message_coding",
                Severity::Error,
                Some(tlv.offset),
                format!("the {name} message (tag {id}) is not coded as its type requires"),
            );
            p.field(Some(&id), name, hex(tlv.value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::TrustStore;
    use docexam_base::date::CivilDate;

    fn opts(trust: &TrustStore) -> ParseOptions<'_> {
        ParseOptions {
            kind: None,
            trust,
            as_of: CivilDate::new(2025, 6, 1).unwrap(),
        }
    }

    #[test]
    fn published_vectors_plain_and_compressed_decode_alike() {
        // tsenger/vdstools IdbSealCommonTest (Apache-2.0).
        let store = TrustStore::new();
        for raw in [
            "RDB1ANK6GCEQFCCYLDMVTWS23NN5YXG5LXPF5X27Q",
            "RDB1CPDNACFQA5H7WVPDBCICRBMFRWKZ3JNNWW64LTOV3XS635P4DDIGSO",
        ] {
            let p = parse(raw.as_bytes(), &opts(&store));
            assert!(!p.has_errors(), "{raw}: {:?}", p.findings);
            assert_eq!(p.value("issuing_country"), Some("D"));
            assert_eq!(p.value("document_number"), None);
            assert_eq!(
                p.value("proof_of_recovery"),
                Some("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf")
            );
        }
    }

    #[test]
    fn barcode_text_and_binary_payload_are_inverse() {
        let bin: Vec<u8> = (0..=255u8).chain([0, 1, 2]).collect();
        for signed in [false, true] {
            let text = barcode_text(signed, &bin);
            assert!(text.starts_with(if signed { "RDB1B" } else { "RDB1A" }));
            assert_eq!(binary_payload(text.as_bytes()), Some(bin.clone()));
        }
        assert_eq!(binary_payload(b"XDB1A"), None);
    }

    #[test]
    fn a_signed_vector_reads_its_header() {
        let raw = "RDB1BNK6ACBIEAMBACAE3LWEGCEQECCYLDMVTWS23NN5YXG5LXPF5X27X6OBEXO5TGL2WFKKPJB63MI5Y3NK4JJS3TT2TFKKZQQ5GUNHBC72WGQ5JJVPBQ7ZIEYUUHWCFPGXUNVCIATHWGKH2KI6H";
        let store = TrustStore::new();
        let p = parse(raw.as_bytes(), &opts(&store));
        assert!(!p.has_errors(), "{:?}", p.findings);
        assert_eq!(p.value("certificate_reference"), Some("0504030201"));
        assert_eq!(p.value("signature_date"), Some("2024-10-18"));
        assert_eq!(p.signature.status, crate::trust::SignatureStatus::NoKey);
        assert!(parse(b"ADB1ANK6GCEQ", &opts(&store)).has_errors());
    }
}
