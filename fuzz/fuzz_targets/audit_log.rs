//! Any bytes as an audit log and as b3sum check lines: the chain is followed as far as it
//! holds, never beyond the input.
#![no_main]

use docexam_core::evidence::{audit, checkfile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let chain = audit::follow(data);
    assert!(chain.chained_len as usize <= data.len());
    for (i, e) in chain.entries.iter().enumerate() {
        assert_eq!(e.seq, i as u64);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines() {
            if let Ok((hash, path)) = checkfile::parse_line(line) {
                let again = checkfile::format_line(&hash, &path);
                assert_eq!(checkfile::parse_line(&again).ok(), Some((hash, path)));
            }
        }
    }
});
