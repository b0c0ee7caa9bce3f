//! Any bytes as trust material (DER certificate, PEM, CSCA master list, JSON trust list):
//! never a panic.
#![no_main]

use docexam_core::barcode::TrustStore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = TrustStore::new();
    store.add_bytes(data);
    for c in store.certificates() {
        let _ = c.summary();
    }
});
