//! The direction data flows through docexam's library crates: each may depend only on the
//! crates below it. Leaves (`docexam-base`: dates, hashes, rasters, severities, the reading
//! rule for untrusted files); the MRZ engine and ingest on the leaves; barcodes and the
//! evidence store on those; specimens, then registration and comparison; `docexam-core`, the
//! examination, ties them. Cargo refuses cycles between crates; this test refuses a crate that
//! reaches past its layer (an MRZ library that needs the evidence store, say), names the
//! manifest that does it, and keeps registration below comparison inside `docexam-compare`.
//! See ARCHITECTURE.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each library crate and the docexam crates it may depend on, lowest layer first.
const CRATES: &[(&str, &[&str])] = &[
    ("docexam-base", &[]),
    ("docexam-mrz", &["docexam-base"]),
    ("docexam-ingest", &["docexam-base"]),
    ("docexam-barcode", &["docexam-base", "docexam-mrz"]),
    ("docexam-chip", &["docexam-base", "docexam-mrz"]),
    ("docexam-evidence", &["docexam-base", "docexam-ingest"]),
    (
        "docexam-specimen",
        &["docexam-base", "docexam-ingest", "docexam-mrz"],
    ),
    (
        "docexam-compare",
        &[
            "docexam-base",
            "docexam-ingest",
            "docexam-mrz",
            "docexam-specimen",
        ],
    ),
    (
        "docexam-core",
        &[
            "docexam-base",
            "docexam-mrz",
            "docexam-ingest",
            "docexam-barcode",
            "docexam-chip",
            "docexam-evidence",
            "docexam-specimen",
            "docexam-compare",
        ],
    ),
];

/// Front ends and tools: they may use any library crate, and no library crate may use them.
const ABOVE: &[&str] = &[
    "docexam-cli",
    "docexam-gui",
    "docexam-specimens",
    "docexam-tests",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn manifest(dir: &Path) -> toml::Table {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    text.parse().unwrap()
}

/// The docexam crates a manifest names in any dependency table (normal, dev, build, and
/// per target).
fn docexam_dependencies(m: &toml::Table) -> BTreeSet<String> {
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Table> = kinds
        .iter()
        .filter_map(|k| m.get(*k).and_then(toml::Value::as_table))
        .collect();
    if let Some(targets) = m.get("target").and_then(toml::Value::as_table) {
        for t in targets.values().filter_map(toml::Value::as_table) {
            tables.extend(
                kinds
                    .iter()
                    .filter_map(|k| t.get(*k).and_then(toml::Value::as_table)),
            );
        }
    }
    tables
        .into_iter()
        .flat_map(|t| t.keys())
        .filter(|k| k.starts_with("docexam-"))
        .cloned()
        .collect()
}

/// The workspace's member folders and their package names.
fn members() -> Vec<(PathBuf, String)> {
    let root = workspace_root();
    let ws = manifest(&root);
    let list = ws["workspace"]["members"].as_array().unwrap();
    list.iter()
        .map(|m| {
            let dir = root.join(m.as_str().unwrap());
            let name = manifest(&dir)["package"]["name"]
                .as_str()
                .unwrap()
                .to_owned();
            (dir, name)
        })
        .collect()
}

#[test]
fn every_crate_depends_only_on_the_crates_below_it() {
    let mut wrong = Vec::new();
    for (dir, name) in members() {
        if ABOVE.contains(&name.as_str()) {
            continue;
        }
        let Some((_, may)) = CRATES.iter().find(|(c, _)| *c == name) else {
            wrong.push(format!(
                "{}: crate `{name}` is in no layer of docexam-core/tests/layers.rs",
                dir.display()
            ));
            continue;
        };
        for used in docexam_dependencies(&manifest(&dir)) {
            if !may.contains(&used.as_str()) {
                wrong.push(format!(
                    "{}/Cargo.toml: `{name}` depends on `{used}`",
                    dir.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_front_ends_are_all_known() {
    let names: BTreeSet<String> = members().into_iter().map(|(_, n)| n).collect();
    for f in ABOVE {
        assert!(
            names.contains(*f),
            "`{f}` is listed above the libraries but is no member"
        );
    }
}

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
fn registration_uses_nothing_of_comparison() {
    // docexam-compare holds both; registration is the lower layer (a comparator may use the
    // registered reference, never the other way round).
    let src = workspace_root().join("docexam-compare/src/register");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(!files.is_empty(), "no sources under {}", src.display());
    let mut wrong = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for used in referenced(&text) {
            if used != "register" {
                wrong.push(format!(
                    "{}: registration uses `crate::{used}`",
                    file.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_layer_table_has_no_cycle() {
    // Each crate's allowed set only names crates listed before it.
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (module, deps) in CRATES {
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
