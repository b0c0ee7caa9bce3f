//! Any bytes as an audit log and as b3sum check lines: the chain is followed as far as it
//! holds, never beyond the input.
#![no_main]

use docexam_core::evidence::{audit, checkfile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let chain = audit::follow(data);
    let n = chain.entries.len();
    let chained = chain.len_of(n).expect("every chained entry has an end");
    assert!(chained as usize <= data.len());
    assert_eq!(chain.ends.len(), n);
    for (i, e) in chain.entries.iter().enumerate() {
        assert_eq!(e.seq, i as u64);
    }
    // Any number of entries may count as committed; the tail is classified, never past the input.
    for committed in [0, n / 2, n, n + 1] {
        match chain.uncommitted(data, committed) {
            audit::Uncommitted::None => assert_eq!(chain.len_of(committed), Some(data.len() as u64)),
            audit::Uncommitted::Interrupted { bytes, entries } | audit::Uncommitted::Foreign { bytes, entries } => {
                assert!(bytes as usize <= data.len() && entries <= n);
            }
        }
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
