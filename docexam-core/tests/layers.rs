//! The direction data flows in `docexam-core`: each top-level module may use only the modules
//! below it, as the crates of a workspace would declare them. Leaves (dates, hashes, the
//! reading rule for untrusted files, rasters, temporary names) use nothing above them; the MRZ
//! engine and ingest sit on the leaves; barcodes and the evidence store on those; specimens,
//! registration, comparison and the examination follow in that order. A module that reaches
//! upwards (a helper in the wrong place) makes a cycle, which this test names with the file
//! that holds the reference. See ARCHITECTURE.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module and the modules it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("date", &[]),
    ("untrusted_file", &[]),
    ("raster", &[]),
    ("temp_name", &["date"]),
    ("hash", &["untrusted_file"]),
    ("mrz", &["date", "raster"]),
    ("ingest", &["hash", "temp_name", "untrusted_file", "date"]),
    (
        "barcode",
        &["date", "mrz", "raster", "untrusted_file", "hash"],
    ),
    (
        "evidence",
        &["date", "hash", "ingest", "temp_name", "untrusted_file"],
    ),
    (
        "specimen",
        &[
            "date",
            "evidence",
            "hash",
            "ingest",
            "mrz",
            "raster",
            "untrusted_file",
        ],
    ),
    (
        "register",
        &[
            "date",
            "hash",
            "ingest",
            "mrz",
            "raster",
            "specimen",
            "untrusted_file",
        ],
    ),
    (
        "compare",
        &[
            "date",
            "hash",
            "ingest",
            "mrz",
            "raster",
            "register",
            "specimen",
            "untrusted_file",
        ],
    ),
    (
        "examine",
        &[
            "barcode",
            "compare",
            "date",
            "evidence",
            "hash",
            "ingest",
            "mrz",
            "raster",
            "register",
            "specimen",
            "temp_name",
            "untrusted_file",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a source text names through `crate::`.
fn referenced(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let preceded = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if preceded {
            continue; // `docexam_crate::…` or similar, not this crate
        }
        let rest = &text[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            inner.split(',').map(str::trim).collect()
        } else {
            vec![rest]
        };
        for n in names {
            let name: String = n
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue; // the crate root re-exports and ties everything
        }
        let Some(may) = allowed.get(module.as_str()) else {
            wrong.push(format!(
                "{}: module `{module}` is not in the layer table of tests/layers.rs",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in referenced(&text) {
            if used != module && !may.contains(used.as_str()) && allowed.contains_key(used.as_str())
            {
                wrong.push(format!("{}: `{module}` uses `{used}`", rel.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "references against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_table_has_no_cycle() {
    // Each module's allowed set only names modules listed before it.
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (module, deps) in ALLOWED {
        for d in *deps {
            assert!(
                seen.contains(d),
                "`{module}` may use `{d}`, which is not below it"
            );
        }
        seen.insert(module);
    }
}

#[test]
fn grouped_and_plain_references_are_both_seen() {
    let text = "use crate::{date::CivilDate, mrz};\nlet h = crate::hash::EvidenceHash::of(x);\n\
                docexam_crate::ignored";
    let got: Vec<String> = referenced(text).into_iter().collect();
    assert_eq!(got, ["date", "hash", "mrz"]);
}
