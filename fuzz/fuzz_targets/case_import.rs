//! Any bytes as a case archive: import refuses or yields a case that verifies, and never writes
//! outside the destination.
#![no_main]

use docexam_core::evidence::archive::import;
use docexam_core::evidence::verify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(tmp) = tempfile::tempdir() else { return };
    let archive = tmp.path().join("in.tar");
    if std::fs::write(&archive, data).is_err() {
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
