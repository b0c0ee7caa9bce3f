//! Hashes the library's source into `DOCEXAM_CORE_SOURCE_HASH`, so that what one build of
//! docexam keeps on disk for itself (prepared reference images) is never read by another.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    println!(
        "cargo:rustc-env=DOCEXAM_CORE_SOURCE_HASH={}-{:016x}",
        env!("CARGO_PKG_VERSION"),
        h.finish()
    );
}

/// Every file under `dir`.
fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}
