//! Any bytes as a barcode payload, detected and forced to every kind, with a trust store of
//! the sample certificates: never a panic, and a payload always comes back as JSON.
#![no_main]

use docexam_core::barcode::{ParseOptions, PayloadKind, TrustStore, parse};
use docexam_core::date::CivilDate;
use libfuzzer_sys::fuzz_target;

static CERTS: &[&[u8]] = &[
    include_bytes!("../../tests/data/barcodes/certs/vds-test-UTTS5B.der"),
    include_bytes!("../../tests/data/barcodes/certs/vds-test-DETS27.der"),
];

fuzz_target!(|data: &[u8]| {
    let mut trust = TrustStore::new();
    for c in CERTS {
        trust.add_bytes(c);
    }
    let Some(as_of) = CivilDate::new(2026, 11, 25) else { return };
    for kind in [
        None,
        Some(PayloadKind::Aamva),
        Some(PayloadKind::Vds),
        Some(PayloadKind::Idb),
        Some(PayloadKind::Vdsnc),
        Some(PayloadKind::Dcc),
        Some(PayloadKind::Bcbp),
    ] {
        let p = parse(data, &ParseOptions { kind, trust: &trust, as_of });
        assert!(serde_json::to_string(&p).is_ok());
    }
});
