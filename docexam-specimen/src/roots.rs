//! Where specimen libraries are looked for.

use std::path::{Path, PathBuf};

/// The bundled `reference-specimens/`: installed beside the running binary
/// (`../share/docexam/reference-specimens` or `reference-specimens`), or in the source tree
/// the binary was built from.
pub fn bundled_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok();
    let exe_dir = exe.as_deref().and_then(Path::parent);
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(d) = exe_dir {
        candidates.push(d.join("../share/docexam/reference-specimens"));
        candidates.push(d.join("reference-specimens"));
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reference-specimens"
    )));
    candidates
        .into_iter()
        .find(|p| p.is_dir())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
}
