//! Any bytes as a batch stream: blocks come out without panics, each a line range of the input.
#![no_main]

use docexam_core::mrz::MrzBlocks;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last_line = 0;
    for item in MrzBlocks::new(data) {
        let Ok(block) = item else { return };
        let first = match &block {
            Ok(b) => b.first_line,
            Err(e) => e.first_line,
        };
        assert!(first > last_line, "blocks come in input order");
        last_line = first;
    }
});
