//! EU Digital COVID Certificates: `HC1:` + Base45 of zlib of a COSE_Sign1 whose payload is a
//! CWT holding the health certificate (claim -260). The signature (ES256 or PS256) is checked
//! against the supplied key set, whose certificates are found by key id (the first 8 bytes of
//! the SHA-256 of the certificate).

use std::io::Read;

use ciborium::Value;
use sha2::{Digest, Sha256};

use super::{ParseOptions, Payload, PayloadKind, base45, flatten, hex};
use crate::barcode::trust::{self, Certificate, CertificateMatch, Scheme, SignatureCheck, Signed};
use crate::date::CivilDate;
use crate::mrz::Severity;

/// Largest inflated COSE message.
const MAX_INFLATED: u64 = 64 * 1024;

fn int(v: &Value) -> Option<i128> {
    v.as_integer().map(i128::from)
}

fn get(map: &[(Value, Value)], key: i128) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| int(k) == Some(key))
        .map(|(_, v)| v)
}

/// Parses a DCC.
pub(super) fn parse(b: &[u8], opts: &ParseOptions<'_>) -> Payload {
    let mut p = Payload::empty(PayloadKind::Dcc, "EU Digital COVID Certificate");
    let Some(text) = b.strip_prefix(b"HC1:") else {
        p.finding(
            "dcc.prefix",
            Severity::Error,
            Some(0),
            "a DCC starts with HC1:",
        );
        return p;
    };
    let Some(zipped) = base45::decode(text) else {
        p.finding(
            "dcc.base45",
            Severity::Error,
            Some(4),
            "the text after HC1: is not Base45",
        );
        return p;
    };
    let cose = if zipped.first() == Some(&0x78) {
        let mut out = Vec::new();
        let r = flate2::read::ZlibDecoder::new(zipped.as_slice())
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out);
        if r.is_err() || out.len() as u64 > MAX_INFLATED {
            p.finding(
                "dcc.zlib",
                Severity::Error,
                Some(4),
                format!("the payload does not inflate (zlib) to at most {MAX_INFLATED} bytes"),
            );
            return p;
        }
        out
    } else {
        p.finding(
            "dcc.uncompressed",
            Severity::Warning,
            Some(4),
            "the payload is not zlib-compressed, as the specification requires",
        );
        zipped
    };
    let Ok(mut v) = ciborium::de::from_reader::<Value, _>(cose.as_slice()) else {
        p.finding("dcc.cbor", Severity::Error, None, "the message is not CBOR");
        return p;
    };
    // Tags: 61 (CWT) and 18 (COSE_Sign1), either or both.
    while let Value::Tag(_, inner) = v {
        v = *inner;
    }
    let Some(parts) = v.as_array().filter(|a| a.len() == 4) else {
        p.finding(
            "dcc.cose",
            Severity::Error,
            None,
            "the message is not a COSE_Sign1 array of four",
        );
        return p;
    };
    let (Some(prot), Some(payload), Some(sig)) = (
        parts.first().and_then(Value::as_bytes),
        parts.get(2).and_then(Value::as_bytes),
        parts.get(3).and_then(Value::as_bytes),
    ) else {
        p.finding(
            "dcc.cose",
            Severity::Error,
            None,
            "the COSE_Sign1 parts are not byte strings",
        );
        return p;
    };
    let prot_map: Vec<(Value, Value)> = if prot.is_empty() {
        Vec::new()
    } else {
        ciborium::de::from_reader::<Value, _>(prot.as_slice())
            .ok()
            .and_then(|m| m.into_map().ok())
            .unwrap_or_default()
    };
    let unprot = parts
        .get(1)
        .and_then(Value::as_map)
        .cloned()
        .unwrap_or_default();
    let alg = get(&prot_map, 1).or_else(|| get(&unprot, 1)).and_then(int);
    let kid = get(&prot_map, 4)
        .or_else(|| get(&unprot, 4))
        .and_then(Value::as_bytes)
        .cloned();
    p.field(
        None,
        "algorithm",
        match alg {
            Some(-7) => "ES256".to_string(),
            Some(-37) => "PS256".to_string(),
            Some(a) => format!("COSE {a}"),
            None => "none".to_string(),
        },
    );
    if let Some(k) = &kid {
        p.field(None, "kid", hex(k));
    }
    let Ok(claims) = ciborium::de::from_reader::<Value, _>(payload.as_slice()) else {
        p.finding(
            "dcc.cwt",
            Severity::Error,
            None,
            "the COSE payload is not a CBOR map (CWT)",
        );
        return p;
    };
    let claims = claims.into_map().unwrap_or_default();
    if let Some(iss) = get(&claims, 1).and_then(Value::as_text) {
        p.field(None, "issuer", iss);
        p.identity.issuer = Some(iss.to_string());
    }
    let iat = get(&claims, 6).and_then(int);
    let exp = get(&claims, 4).and_then(int);
    let day = |t: i128| CivilDate::from_unix_days(i64::try_from(t.div_euclid(86_400)).unwrap_or(0));
    if let Some(t) = iat {
        p.field(None, "issued_at", day(t).to_string());
    }
    if let Some(t) = exp {
        p.field(None, "expires", day(t).to_string());
        if day(t) < opts.as_of {
            p.finding(
                "dcc.expired",
                Severity::Warning,
                None,
                format!(
                    "the certificate expired on {} (as of {})",
                    day(t),
                    opts.as_of
                ),
            );
        }
    }
    if let Some(t) = iat
        && day(t) > opts.as_of
    {
        p.finding(
            "dcc.not_yet_issued",
            Severity::Warning,
            None,
            format!("issued on {}, after the as-of date {}", day(t), opts.as_of),
        );
    }
    match get(&claims, -260)
        .and_then(Value::as_map)
        .and_then(|m| get(m, 1))
    {
        Some(hcert) => {
            let json = to_json(hcert);
            flatten(&mut p, "", &json);
            let s = |ptr: &str| {
                json.pointer(ptr)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            p.identity.surname = s("/nam/fn").or_else(|| s("/nam/fnt"));
            p.identity.given_names = s("/nam/gn").or_else(|| s("/nam/gnt"));
            p.identity.birth_date = s("/dob").and_then(|d| d.parse().ok());
            p.description = format!(
                "EU DCC ({})",
                ["v", "t", "r"]
                    .iter()
                    .find(|k| json.get(**k).is_some())
                    .map(|k| match *k {
                        "v" => "vaccination",
                        "t" => "test",
                        _ => "recovery",
                    })
                    .unwrap_or("no entry")
            );
        }
        None => p.finding(
            "dcc.hcert",
            Severity::Error,
            None,
            "the CWT holds no health certificate (claim -260/1)",
        ),
    }
    // Sig_structure = ["Signature1", protected, external_aad, payload].
    let sig_structure = Value::Array(vec![
        Value::Text("Signature1".into()),
        Value::Bytes(prot.clone()),
        Value::Bytes(Vec::new()),
        Value::Bytes(payload.clone()),
    ]);
    let mut to_be_signed = Vec::new();
    if ciborium::ser::into_writer(&sig_structure, &mut to_be_signed).is_err() {
        return p;
    }
    let scheme = match alg {
        Some(-7) => Scheme::Ecdsa(Some("2.16.840.1.101.3.4.2.1")),
        Some(-37) => Scheme::Ps256,
        _ => {
            p.signature = SignatureCheck {
                status: trust::SignatureStatus::Unsupported,
                ..SignatureCheck::not_signed(format!(
                    "COSE algorithm {alg:?} is not ES256 or PS256"
                ))
            };
            return p;
        }
    };
    let matcher = move |c: &Certificate| match &kid {
        Some(k) if Sha256::digest(&c.der).get(..8) == Some(k.as_slice()) => {
            CertificateMatch::Matches
        }
        Some(_) => CertificateMatch::Mismatch,
        None => CertificateMatch::NotApplicable,
    };
    p.signature = trust::check(
        opts.trust,
        &Signed {
            data: &to_be_signed,
            signature: sig,
            scheme,
            embedded: None,
        },
        &matcher,
        opts.as_of,
    );
    p
}

/// A CBOR value as JSON (the health certificate is JSON in CBOR clothing).
fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Integer(i) => J::from(i128::from(*i) as i64),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Text(s) => J::String(s.clone()),
        Value::Bool(b) => J::Bool(*b),
        Value::Bytes(b) => J::String(hex(b)),
        Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        Value::Map(m) => J::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Text(s) => s.clone(),
                        other => format!("{:?}", to_json(other)),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Value::Tag(_, inner) => to_json(inner),
        _ => J::Null,
    }
}
