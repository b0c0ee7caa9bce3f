//! ICAO VDS for non-constrained environments (VDS-NC): JSON with `data` (header `hdr` and
//! message `msg`) and `sig` (`alg`, the signer certificate `cer`, the signature `sigvl`).
//! The signature covers the RFC 8785 canonical form of `data`.

use serde_json::Value;

use super::{ParseOptions, Payload, PayloadKind, flatten, jcs};
use crate::codec::base64_any;
use crate::trust::{self, Certificate, CertificateMatch, Scheme, SignatureCheck, Signed, Usage};
use docexam_base::severity::Severity;

/// Whether the bytes are a JSON object with `data` and `sig`.
pub(super) fn looks_like(b: &[u8]) -> bool {
    let t = b.trim_ascii_start();
    t.first() == Some(&b'{')
        && serde_json::from_slice::<Value>(b)
            .ok()
            .is_some_and(|v| v.get("data").is_some() && v.get("sig").is_some())
}

/// Parses a VDS-NC.
pub(super) fn parse(b: &[u8], opts: &ParseOptions<'_>) -> Payload {
    let mut p = Payload::empty(PayloadKind::Vdsnc, "ICAO VDS-NC");
    let v: Value = match serde_json::from_slice(b) {
        Ok(v) => v,
        Err(e) => {
            p.finding(
                "vdsnc.json",
                Severity::Error,
                None,
                format!("not JSON: {e}"),
            );
            return p;
        }
    };
    let Some(data) = v.get("data") else {
        p.finding("vdsnc.data", Severity::Error, None, "no data member");
        return p;
    };
    let hdr = |k: &str| {
        data.pointer(&format!("/hdr/{k}"))
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
    };
    for (k, name) in [("t", "type"), ("v", "version"), ("is", "issuing_country")] {
        match hdr(k) {
            Some(x) => p.field(Some(k), name, x),
            None => p.finding(
                "vdsnc.header",
                Severity::Error,
                None,
                format!("the header has no {k} ({name})"),
            ),
        }
    }
    p.identity.issuer = hdr("is");
    p.description = format!("ICAO VDS-NC {}", hdr("t").unwrap_or_default());
    if let Some(msg) = data.get("msg") {
        flatten(&mut p, "msg", msg);
        let s = |ptr: &str| msg.pointer(ptr).and_then(Value::as_str).map(str::to_string);
        p.identity.surname = s("/pid/n");
        p.identity.birth_date = s("/pid/dob").and_then(|d| d.parse().ok());
        p.identity.document_number = s("/pid/i").or_else(|| s("/pid/dn"));
        p.identity.sex = s("/pid/sex").and_then(|x| x.chars().next());
    } else {
        p.finding(
            "vdsnc.message",
            Severity::Error,
            None,
            "no msg member in data",
        );
    }
    let Some(sig) = v.get("sig") else {
        p.signature = SignatureCheck::not_signed("no sig member");
        p.finding(
            "vdsnc.unsigned",
            Severity::Error,
            None,
            "the VDS-NC has no signature",
        );
        return p;
    };
    let alg = sig.get("alg").and_then(Value::as_str).unwrap_or_default();
    p.field(None, "sig.alg", alg);
    let cert = sig.get("cer").and_then(Value::as_str).and_then(base64_any);
    let embedded = cert.as_deref().and_then(Certificate::from_der);
    if let Some(c) = &embedded {
        p.field(None, "sig.signer", c.subject.clone());
    } else {
        p.finding(
            "vdsnc.certificate",
            Severity::Error,
            None,
            "sig.cer is not a base64url X.509 certificate",
        );
    }
    let Some(value) = sig
        .get("sigvl")
        .and_then(Value::as_str)
        .and_then(base64_any)
    else {
        p.finding(
            "vdsnc.signature",
            Severity::Error,
            None,
            "sig.sigvl is not base64url",
        );
        p.signature = SignatureCheck::not_signed("no readable signature value");
        return p;
    };
    let scheme = match alg {
        "ES256" => Scheme::Ecdsa(Some("2.16.840.1.101.3.4.2.1")),
        "ES384" => Scheme::Ecdsa(Some("2.16.840.1.101.3.4.2.2")),
        "ES512" => Scheme::Ecdsa(Some("2.16.840.1.101.3.4.2.3")),
        other => {
            p.signature = SignatureCheck::unsupported(
                format!("signature algorithm {other:?} is not ES256/384/512"),
                !opts.trust.is_empty(),
            );
            return p;
        }
    };
    let canonical = jcs::canonical(data);
    let der = embedded.as_ref().map(|c| c.der.clone());
    let matcher = move |c: &Certificate| match &der {
        Some(d) if *d == c.der => CertificateMatch::Matches,
        Some(_) => CertificateMatch::Mismatch,
        None => CertificateMatch::NotApplicable,
    };
    p.signature = trust::check(
        opts.trust,
        &Signed {
            data: canonical.as_bytes(),
            signature: &value,
            scheme,
            embedded,
            signed_on: None,
            usage: Usage::DocumentSigner,
        },
        &matcher,
        opts.as_of,
    );
    p
}
