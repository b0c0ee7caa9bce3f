//! The public barcode-payload samples (`tests/data/barcodes/cases.json`, transcribed from the
//! test suites named there): every case parses to its expected values and signatures verify
//! with the published test certificates; tampered copies are caught.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::path::{Path, PathBuf};

use docexam_core::barcode::trust::{CertificateMatch, TrustStatus};
use docexam_core::barcode::{
    ParseOptions, Payload, PayloadKind, SignatureStatus, TrustStore, parse,
};
use docexam_core::date::CivilDate;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/barcodes")
}

fn cases() -> Vec<Value> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(dir().join("cases.json")).unwrap()).unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn bytes(case: &Value) -> Vec<u8> {
    use base64::Engine;
    let raw = std::fs::read(dir().join(case["payload_file"].as_str().unwrap())).unwrap();
    if case["payload_file"].as_str().unwrap().ends_with(".b64") {
        let text: String = String::from_utf8(raw).unwrap().split_whitespace().collect();
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap()
    } else {
        raw
    }
}

/// Trust material: the VDS test certificates and the DCC signer certificates of the cases.
fn trust() -> TrustStore {
    use base64::Engine;
    let mut store = TrustStore::load_dir(&dir().join("certs")).unwrap().value;
    for c in cases() {
        if let Some(b64) = c["expected"]["signer_certificate_der_b64"].as_str() {
            let der = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            assert_eq!(store.add_bytes(&der), 1);
        }
    }
    store
}

fn run(case: &Value, store: &TrustStore, as_of: CivilDate) -> Payload {
    parse(
        &bytes(case),
        &ParseOptions {
            kind: None,
            trust: store,
            as_of,
        },
    )
}

fn day(s: &str) -> CivilDate {
    s.get(..10).unwrap().parse().unwrap()
}

fn expected_kind(kind: &str) -> PayloadKind {
    match kind {
        "aamva_pdf417" => PayloadKind::Aamva,
        "icao_vds_datamatrix" => PayloadKind::Vds,
        "icao_vds_nc_qr" => PayloadKind::Vdsnc,
        "eu_dcc_hc1_qr" => PayloadKind::Dcc,
        "iata_bcbp" => PayloadKind::Bcbp,
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn every_case_is_detected_and_parses_without_errors() {
    let store = trust();
    let cases = cases();
    assert_eq!(cases.len(), 13);
    for c in &cases {
        let as_of = c["expected"]["validation_clock"]
            .as_str()
            .map_or(CivilDate::new(2021, 6, 1).unwrap(), day);
        let p = run(c, &store, as_of);
        let id = c["id"].as_str().unwrap();
        assert_eq!(p.kind, expected_kind(c["kind"].as_str().unwrap()), "{id}");
        assert!(!p.has_errors(), "{id}: {:#?}", p.findings);
    }
}

#[test]
fn aamva_headers_and_elements_match_the_source_suites() {
    let store = TrustStore::new();
    let as_of = CivilDate::new(2024, 1, 1).unwrap();
    for c in cases().iter().filter(|c| c["kind"] == "aamva_pdf417") {
        let id = c["id"].as_str().unwrap();
        let p = run(c, &store, as_of);
        let h = &c["expected"]["header_derived_from_payload"];
        assert_eq!(p.value("iin"), h["iin"].as_str(), "{id}");
        assert_eq!(
            p.value("aamva_version"),
            Some(h["aamva_version"].to_string().as_str()),
            "{id}"
        );
        assert_eq!(
            p.findings.iter().any(|f| f.code == "aamva.bom"),
            h["starts_with_utf8_bom"].as_bool().unwrap(),
            "{id}"
        );
        assert_eq!(
            p.findings.iter().any(|f| f.code == "aamva.separators"),
            !h["standard_separators_0a_1e_0d"].as_bool().unwrap(),
            "{id}"
        );
        // Every directory entry whose stated offset does not hold its subfile is reported.
        for d in h["subfile_designators"].as_array().unwrap() {
            let (kind, offset) = (
                d["type"].as_str().unwrap(),
                d["offset"].as_u64().unwrap() as usize,
            );
            let data = bytes(c);
            let start = data.iter().position(|&b| b == b'@').unwrap();
            let holds = data.get(start + offset..start + offset + 2) == Some(kind.as_bytes());
            let reported = p.findings.iter().any(|f| {
                f.code == "aamva.offset_mismatch"
                    && f.message.contains(&format!("the {kind} subfile"))
            });
            assert_eq!(!holds, reported, "{id} {kind}");
        }
        let s = &c["expected"]["semantic_fields_from_test_suite"];
        if s.is_object() {
            let id_number = s["IdNumber"].as_str().unwrap();
            assert_eq!(p.value("customer_id_number"), Some(id_number), "{id}");
            assert_eq!(p.identity.surname.as_deref(), s["Last"].as_str(), "{id}");
            assert_eq!(
                p.identity.birth_date,
                Some(day(s["DateOfBirth"].as_str().unwrap())),
                "{id}"
            );
            assert_eq!(
                p.identity.expiry_date,
                Some(day(s["ExpirationDate"].as_str().unwrap())),
                "{id}"
            );
            assert_eq!(p.value("issue_date"), s["IssueDate"].as_str(), "{id}");
            assert_eq!(p.value("city"), s["City"].as_str(), "{id}");
            let sex = match s["Sex"].as_str().unwrap() {
                "Male" => 'M',
                "Female" => 'F',
                other => panic!("{id}: sex {other}"),
            };
            assert_eq!(p.identity.sex, Some(sex), "{id}");
            let given = format!(
                "{} {}",
                s["First"].as_str().unwrap(),
                s["Middle"].as_str().unwrap()
            );
            assert_eq!(
                p.identity.given_names.as_deref(),
                Some(given.as_str()),
                "{id}"
            );
        }
        if let Some(elements) = c["expected"]["element_values_transcribed_from_payload"].as_object()
        {
            for (eid, want) in elements {
                let f = p
                    .fields
                    .iter()
                    .find(|f| f.id.as_deref() == Some(eid.as_str()))
                    .unwrap();
                // Dates are normalised; the raw element keeps the payload's own form.
                let want = want.as_str().unwrap();
                assert!(
                    f.value == want || f.raw.as_deref() == Some(want),
                    "{id} {eid}: {f:?}"
                );
            }
        }
    }
}

#[test]
fn vds_seals_decode_and_verify_with_their_test_certificates() {
    let store = trust();
    let as_of = CivilDate::new(2024, 1, 1).unwrap();
    for c in cases()
        .iter()
        .filter(|c| c["kind"] == "icao_vds_datamatrix")
    {
        let id = c["id"].as_str().unwrap();
        let p = run(c, &store, as_of);
        let h = &c["expected"]["header_decoded"];
        assert_eq!(
            p.value("version"),
            Some(h["version"].to_string().as_str()),
            "{id}"
        );
        assert_eq!(
            p.value("issuing_country"),
            Some(h["issuing_country"].as_str().unwrap().trim_end()),
            "{id}"
        );
        assert_eq!(
            p.value("signer_identifier"),
            h["signer_identifier"].as_str(),
            "{id}"
        );
        assert_eq!(
            p.value("certificate_reference"),
            h["certificate_reference"].as_str(),
            "{id}"
        );
        assert_eq!(p.value("issue_date"), h["issuing_date"].as_str(), "{id}");
        assert_eq!(
            p.value("signature_date"),
            h["signature_date"].as_str(),
            "{id}"
        );
        if let Some(msgs) = c["expected"]["from_source_tests"]["messages"].as_object() {
            for (name, want) in msgs {
                assert_eq!(
                    p.value(&name.to_ascii_lowercase()),
                    want.as_str(),
                    "{id} {name}"
                );
            }
        }
        assert_eq!(
            p.signature.status,
            SignatureStatus::Valid,
            "{id}: {}",
            p.signature.detail
        );
        assert_eq!(
            p.signature.certificate_match,
            CertificateMatch::Matches,
            "{id}"
        );
        assert_eq!(p.signature.trust, TrustStatus::Listed, "{id}");
        assert!(p.signature.trusted());
        // Without trust material the seal is still read, and says so.
        let bare = run(c, &TrustStore::new(), as_of);
        assert_eq!(bare.signature.status, SignatureStatus::NoKey);
    }
}

#[test]
fn vds_nc_and_dcc_signatures_verify() {
    let store = trust();
    for c in cases()
        .iter()
        .filter(|c| matches!(c["kind"].as_str(), Some("icao_vds_nc_qr" | "eu_dcc_hc1_qr")))
    {
        let id = c["id"].as_str().unwrap();
        let as_of = c["expected"]["validation_clock"]
            .as_str()
            .map_or(CivilDate::new(2021, 6, 1).unwrap(), day);
        let p = run(c, &store, as_of);
        assert_eq!(
            p.signature.status,
            SignatureStatus::Valid,
            "{id}: {}",
            p.signature.detail
        );
        if let Some(hcert) = c["expected"]["decoded_hcert_json"].as_object() {
            assert_eq!(p.value("dob"), hcert["dob"].as_str(), "{id}");
            assert_eq!(p.value("nam.fnt"), hcert["nam"]["fnt"].as_str(), "{id}");
            assert_eq!(
                p.identity.surname.as_deref(),
                hcert["nam"]["fn"].as_str(),
                "{id}"
            );
            assert_eq!(
                p.signature.certificate_match,
                CertificateMatch::Matches,
                "{id}"
            );
        }
        if c["kind"] == "icao_vds_nc_qr" {
            assert_eq!(p.value("type"), Some("icao.vacc"));
            assert_eq!(p.value("issuing_country"), Some("AUS"));
            assert_eq!(p.value("sig.signer"), Some("C=AU, CN=DFAT"));
            // The signer certificate travels in the code; nothing in the trust folder vouches for it.
            assert_eq!(p.signature.trust, TrustStatus::Untrusted);
            assert!(!p.signature.trusted());
        }
    }
}

#[test]
fn boarding_passes_match_the_source_suite() {
    let store = TrustStore::new();
    for c in cases().iter().filter(|c| c["kind"] == "iata_bcbp") {
        let id = c["id"].as_str().unwrap();
        let p = run(c, &store, CivilDate::new(2024, 1, 1).unwrap());
        let unquote = |v: &Value| -> Option<String> {
            let s = v.as_str()?;
            let s = s
                .strip_prefix("Some(")
                .and_then(|x| x.strip_suffix(')'))
                .unwrap_or(s);
            (s != "None").then(|| s.trim_matches(|c| c == '"' || c == '\'').to_string())
        };
        for (name, want) in c["expected"]["top_level"].as_object().unwrap() {
            assert_eq!(
                p.value(name).map(str::to_string),
                unquote(want),
                "{id} {name}"
            );
        }
        for (name, want) in c["expected"]["legs"][0].as_object().unwrap() {
            assert_eq!(
                p.value(&format!("leg1_{name}")).map(str::to_string),
                unquote(want),
                "{id} {name}"
            );
        }
    }
}

#[test]
fn a_flipped_byte_in_a_signed_payload_breaks_its_signature() {
    let store = trust();
    for c in cases()
        .iter()
        .filter(|c| c["kind"] == "icao_vds_datamatrix")
    {
        let mut b = bytes(c);
        // The last message byte before the signature zone (0xFF tag).
        let sig_at = b.len() - 66;
        assert_eq!(b[sig_at], 0xFF, "{}", c["id"]);
        b[sig_at - 1] ^= 0x01;
        let p = parse(
            &b,
            &ParseOptions {
                kind: None,
                trust: &store,
                as_of: CivilDate::new(2024, 1, 1).unwrap(),
            },
        );
        assert_eq!(p.signature.status, SignatureStatus::Invalid, "{}", c["id"]);
    }
    // A changed character of a DCC's signed content: the payload no longer decodes or no
    // longer verifies; it is never reported valid.
    for c in cases().iter().filter(|c| c["kind"] == "eu_dcc_hc1_qr") {
        let b = bytes(c);
        for at in [20, 100, 300] {
            let mut t = b.clone();
            t[at] = if t[at] == b'A' { b'B' } else { b'A' };
            let p = parse(
                &t,
                &ParseOptions {
                    kind: None,
                    trust: &store,
                    as_of: CivilDate::new(2021, 6, 1).unwrap(),
                },
            );
            assert_ne!(
                p.signature.status,
                SignatureStatus::Valid,
                "{} at {at}",
                c["id"]
            );
        }
    }
}
