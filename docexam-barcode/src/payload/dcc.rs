//! EU Digital COVID Certificates: `HC1:` + Base45 of zlib of a COSE_Sign1 whose payload is a
//! CWT holding the health certificate (claim -260). The signature (ES256 or PS256) is checked
//! against the supplied key set, whose certificates are found by key id (the first 8 bytes of
//! the SHA-256 of the certificate).

use std::io::Read;

use ciborium::Value;
use sha2::{Digest, Sha256};

use super::{ParseOptions, Payload, PayloadKind, base45, flatten, hex};
use coset::{AsCborValue, RegisteredLabelWithPrivate, iana};

use crate::trust::{self, Certificate, CertificateMatch, Scheme, SignatureCheck, Signed, Usage};
use docexam_base::date::CivilDate;
use docexam_base::severity::Severity;

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
    let sign1 = match coset::CoseSign1::from_cbor_value(v) {
        Ok(s) => s,
        Err(e) => {
            p.finding(
                "dcc.cose",
                Severity::Error,
                None,
                format!("the message is not a COSE_Sign1 structure ({e})"),
            );
            return p;
        }
    };
    let Some(payload) = sign1.payload.clone() else {
        p.finding(
            "dcc.cose",
            Severity::Error,
            None,
            "the COSE_Sign1 carries no payload",
        );
        return p;
    };
    // Only the signed (protected) header may say how the message was signed.
    let alg = match (&sign1.protected.header.alg, &sign1.unprotected.alg) {
        (Some(a), _) => Some(a.clone()),
        (None, Some(_)) => {
            p.finding(
                "dcc.alg_unprotected",
                Severity::Error,
                None,
                "the signature algorithm is named only in the unprotected COSE header, which the \
                 signature does not cover; it is not used",
            );
            None
        }
        (None, None) => None,
    };
    let kid = [&sign1.protected.header.key_id, &sign1.unprotected.key_id]
        .into_iter()
        .find(|k| !k.is_empty())
        .cloned();
    // The schemes docexam verifies, by their COSE names.
    let known = match &alg {
        Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256)) => {
            Some(("ES256", Scheme::Ecdsa(Some("2.16.840.1.101.3.4.2.1"))))
        }
        Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::PS256)) => {
            Some(("PS256", Scheme::Ps256))
        }
        _ => None,
    };
    p.field(
        None,
        "algorithm",
        match (known, &alg) {
            (Some((name, _)), _) => name.to_string(),
            (None, Some(a)) => format!("COSE {a:?}"),
            (None, None) => "none".to_string(),
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
    let mut entry_kind = None;
    match get(&claims, -260)
        .and_then(Value::as_map)
        .and_then(|m| get(m, 1))
    {
        Some(hcert) => {
            let json = to_json(hcert);
            flatten(&mut p, "", &json);
            let (version, violations) = super::dcc_schema::validate(&json);
            for v in violations {
                p.finding(
                    "dcc.schema",
                    Severity::Error,
                    None,
                    format!("the health certificate breaks the EU DCC schema {version}: {v}"),
                );
            }
            let s = |ptr: &str| {
                json.pointer(ptr)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            p.identity.surname = s("/nam/fn").or_else(|| s("/nam/fnt"));
            p.identity.given_names = s("/nam/gn").or_else(|| s("/nam/gnt"));
            p.identity.birth_date = s("/dob").and_then(|d| d.parse().ok());
            entry_kind = ['v', 't', 'r']
                .into_iter()
                .find(|k| json.get(k.to_string()).is_some());
            p.description = format!(
                "EU DCC ({})",
                entry_kind.map_or("no entry", trust::dcc_entry_name)
            );
        }
        None => p.finding(
            "dcc.hcert",
            Severity::Error,
            None,
            "the CWT holds no health certificate (claim -260/1)",
        ),
    }
    // Sig_structure = ["Signature1", protected (as received), external_aad, payload].
    let to_be_signed = sign1.tbs_data(b"");
    let Some((_, scheme)) = known else {
        let why = match &alg {
            Some(a) => format!("COSE algorithm {a:?} is not ES256 or PS256"),
            None => "no signature algorithm in the protected COSE header".to_string(),
        };
        p.signature = SignatureCheck::unsupported(why, !opts.trust.is_empty());
        return p;
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
            signature: &sign1.signature,
            scheme,
            embedded: None,
            signed_on: iat.map(day),
            usage: Usage::Dcc(entry_kind),
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
