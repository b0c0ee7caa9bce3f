//! Any bytes as the start of a case archive that then runs on as an endless stream of zeros
//! (a sparse file of 256 MiB, as `/dev/zero` behind a short header would): import refuses or
//! yields a case that verifies, reads a bounded amount, and never writes outside the
//! destination. A hang shows as libFuzzer's timeout.
#![no_main]

use docexam_core::evidence::archive::import;
use docexam_core::evidence::verify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(tmp) = tempfile::tempdir() else { return };
    let archive = tmp.path().join("in.tar");
    let written = std::fs::File::create(&archive).and_then(|mut f| {
        use std::io::Write as _;
        f.write_all(data)?;
        f.set_len(data.len() as u64 + (256 << 20))
    });
    if written.is_err() {
        return;
    }
    let dest = tmp.path().join("case");
    if import(&archive, &dest, "fuzz").is_ok() {
        assert!(verify(&dest, None).map(|v| v.is_intact()).unwrap_or(false));
    }
    let outside: Vec<_> = std::fs::read_dir(tmp.path())
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(outside.iter().all(|n| n == "in.tar" || n == "case"), "{outside:?}");
});
