//! Any bytes as trust material (DER certificate or CRL, PEM, CSCA master list, JSON trust
//! list) and as a signer certificate carried in a seal: never a panic. The bytes reach
//! certificate and CRL parsing, master-list signature checks, explicit-curve matching,
//! signature verification and chain building.
#![no_main]

use base64::Engine;
use docexam_core::barcode::trust::Certificate;
use docexam_core::barcode::{ParseOptions, TrustStore, parse};
use docexam_core::date::CivilDate;
use libfuzzer_sys::fuzz_target;

const CSCA: &[u8] = include_bytes!("../../tests/data/trust/csca.der");
const CRL: &[u8] = include_bytes!("../../tests/data/trust/crl.der");
const VDS_NC: &str = include_str!("../../tests/data/barcodes/vdsnc-aus-vacc-valid.txt");

fuzz_target!(|data: &[u8]| {
    let Some(as_of) = CivilDate::new(2025, 6, 1) else {
        return;
    };
    // The bytes as trust material beside a real CSCA: every certificate read is tried as the
    // issuer of every other, and the published seal is judged against the store.
    let mut store = TrustStore::new();
    store.add_bytes(CSCA);
    store.add_bytes(data);
    store.add_bytes(CRL);
    let certs: Vec<&Certificate> = store.certificates().iter().take(6).collect();
    for c in &certs {
        let _ = c.summary();
        for i in &certs {
            let _ = c.is_signed_by(i);
        }
    }
    let opts = ParseOptions {
        kind: None,
        trust: &store,
        as_of,
    };
    let _ = parse(VDS_NC.as_bytes(), &opts);
    // The bytes as the signer certificate a VDS-NC carries, judged against the real CSCA.
    let mut anchors = TrustStore::new();
    anchors.add_bytes(CSCA);
    anchors.add_bytes(CRL);
    let cer = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data);
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(VDS_NC) else {
        return;
    };
    v["sig"]["cer"] = serde_json::Value::String(cer);
    let seal = v.to_string();
    let _ = parse(
        seal.as_bytes(),
        &ParseOptions {
            kind: None,
            trust: &anchors,
            as_of,
        },
    );
});
