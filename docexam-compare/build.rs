//! Hashes what preparing a specimen depends on — the source of this crate and of the docexam
//! crates it builds on, the MRZ reader's font and the workspace's lock file (the image
//! decoders' versions) — into `DOCEXAM_PREPARE_SOURCE_HASH`,
//! so that what one build of docexam keeps on disk for itself (prepared reference images) is
//! never read by another.

use std::path::{Path, PathBuf};

fn main() {
    let inputs = [
        Path::new("src"),
        Path::new("../docexam-base/src"),
        Path::new("../docexam-ingest/src"),
        Path::new("../docexam-mrz/src"),
        Path::new("../docexam-mrz/fonts"),
        Path::new("../docexam-specimen/src"),
        Path::new("../Cargo.lock"),
    ];
    let mut files = Vec::new();
    for p in inputs {
        println!("cargo:rerun-if-changed={}", p.display());
        collect(p, &mut files);
    }
    files.sort();
    // FNV-1a (64 bits): defined by its constants, the same on every toolchain.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for f in &files {
        eat(f.to_string_lossy().as_bytes());
        eat(&[0]);
        eat(&std::fs::read(f).unwrap_or_default());
    }
    println!(
        "cargo:rustc-env=DOCEXAM_PREPARE_SOURCE_HASH={}-{h:016x}",
        env!("CARGO_PKG_VERSION")
    );
}

/// `path` if it is a file, else every file under it (nothing if it does not exist).
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for e in entries.flatten() {
        collect(&e.path(), out);
    }
}
