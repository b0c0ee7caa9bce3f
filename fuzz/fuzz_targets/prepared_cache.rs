//! Any bytes as a prepared-specimen cache entry (under the key the bytes themselves carry, so
//! that the fuzzer gets past it): refused, or read back as exactly what writing it gives.
#![no_main]

use docexam_core::register::prepared_cache::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut key = [0u8; 32];
    if let Some(k) = data.get(16..48) {
        key.copy_from_slice(k);
    }
    if let Some(c) = decode(&mut &data[..], data.len() as u64, &key) {
        let mut again = Vec::new();
        encode(&mut again, &key, &c).expect("writing to memory cannot fail");
        assert_eq!(again, data);
    }
});
