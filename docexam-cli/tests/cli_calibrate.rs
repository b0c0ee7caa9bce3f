//! `docexam specimen calibrate ID --genuine DIR` as a lab runs it: a specimen copied into the
//! lab's own folder, calibrated on a few genuine exemplars captured as labs capture them; the
//! manifest records the calibration as evidence, and examinations against it carry the
//! calibrated document score.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::docexam;

use std::path::{Path, PathBuf};
use std::process::Output;

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Genuine documents of the TD1 card drawn at 300 dpi as a lab captures them; their white
/// captures copied into `into` (the exemplar folder a lab gives).
fn exemplars(specimens: &Path, seed: &str, n: &str, into: &Path) -> PathBuf {
    let set = into.with_extension("set");
    ok(&docexam(&[
        "specimen",
        "synth",
        "UTO-I-TD1",
        "--genuine",
        n,
        "--forged",
        "0",
        "--seed",
        seed,
        "--dpi",
        "300",
        "--capture",
        "lab",
        "--out",
        set.to_str().unwrap(),
        "--specimens",
        specimens.to_str().unwrap(),
    ]));
    std::fs::create_dir_all(into).unwrap();
    for e in std::fs::read_dir(&set).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with("_white.jpg") {
            std::fs::copy(&p, into.join(&name)).unwrap();
        }
    }
    set
}

#[test]
fn calibration_on_genuine_exemplars_is_recorded_and_examinations_carry_its_score() {
    let tmp = tempfile::tempdir().unwrap();
    let specimens = tmp.path().join("specimens");
    let folder = specimens.join("utopia-td1-identity-card");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../reference-specimens/utopia-td1-identity-card"),
        &folder,
    );
    let ex = tmp.path().join("exemplars");
    exemplars(&specimens, "41", "6", &ex);

    // Too few exemplars: a clear error naming the folder and the least number.
    let few = tmp.path().join("few");
    std::fs::create_dir_all(&few).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&ex)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut documents: Vec<String> = names
        .iter()
        .map(|n| n.split('_').next().unwrap().to_string())
        .collect();
    documents.dedup();
    assert_eq!(documents.len(), 6);
    for n in names
        .iter()
        .filter(|n| documents[..4].iter().any(|d| n.starts_with(d.as_str())))
    {
        std::fs::copy(ex.join(n), few.join(n)).unwrap();
    }
    let out = docexam(&[
        "specimen",
        "calibrate",
        "UTO-I-TD1",
        "--genuine",
        few.to_str().unwrap(),
        "--specimens",
        specimens.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("at least 5") && err.contains("few"), "{err}");

    let out = docexam(&[
        "specimen",
        "calibrate",
        "UTO-I-TD1",
        "--genuine",
        ex.to_str().unwrap(),
        "--false-alarm-rate",
        "0.02",
        "--specimens",
        specimens.to_str().unwrap(),
    ]);
    ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("6 exemplars"), "{stdout}");

    // The manifest records the calibration: method, rate, each exemplar's files with their
    // blake3, and every modelled score's parameters beside its limit.
    let text = std::fs::read_to_string(folder.join("specimen.toml")).unwrap();
    let m: toml::Value = toml::from_str(&text).unwrap();
    let cal = &m["calibration"];
    assert_eq!(cal["method"].as_str(), Some("genuine-exemplars"));
    assert_eq!(cal["false_alarm_rate"].as_float(), Some(0.02));
    let exs = cal["exemplar"].as_array().unwrap();
    assert_eq!(exs.len(), 6);
    for e in exs {
        let files = e["files"].as_array().unwrap();
        assert_eq!(files.len(), 2, "front and back white: {e:?}");
        for f in files {
            let (name, hash) = f.as_str().unwrap().split_once(':').unwrap();
            let bytes = std::fs::read(ex.join(name)).unwrap();
            assert_eq!(hash, blake3::hash(&bytes).to_hex().to_string());
        }
    }
    let features = m["feature"].as_array().unwrap();
    let modelled: Vec<&toml::Value> = features
        .iter()
        .filter(|f| {
            f.get("thresholds")
                .and_then(|t| t.as_table())
                .is_some_and(|t| t.keys().any(|k| k.ends_with("_scale")))
        })
        .collect();
    assert!(modelled.len() >= 6, "{} features modelled", modelled.len());
    for f in &modelled {
        let t = f["thresholds"].as_table().unwrap();
        for k in t.keys().filter(|k| k.ends_with("_scale")) {
            let name = k.trim_end_matches("_scale");
            assert_eq!(t[&format!("{name}_n")].as_float(), Some(6.0), "{k}");
            assert!(t.contains_key(&format!("{name}_typical")));
            assert!(
                t.contains_key(&format!("{name}_min")) || t.contains_key(&format!("{name}_max"))
            );
        }
    }
    // The duplicated-region check every specimen gets is declared once calibrated.
    assert!(
        features
            .iter()
            .any(|f| f["kind"].as_str() == Some("duplicated_regions")),
        "no duplicated_regions feature in {text}"
    );
    ok(&docexam(&[
        "specimen",
        "validate",
        folder.to_str().unwrap(),
    ]));

    // A genuine document of another holder, examined against the calibrated specimen: the
    // report names the calibration and carries the document score and each score's
    // probability.
    let test = tmp.path().join("test");
    let set = exemplars(&specimens, "42", "1", &test);
    let files: Vec<String> = std::fs::read_dir(&set)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec![
        "examine",
        "--specimen",
        "UTO-I-TD1",
        "--json",
        "--specimens",
        specimens.to_str().unwrap(),
    ];
    args.extend(files.iter().map(String::as_str));
    let out = docexam(&args);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    assert_eq!(report["specimen"]["calibration"]["exemplars"], 6);
    assert_eq!(report["specimen"]["calibration"]["false_alarm_rate"], 0.02);
    let score = &report["document_score"];
    let p = score["p_value"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p), "{score}");
    assert!(score["scores_tested"].as_u64().unwrap() >= 6, "{score}");
    assert!(score["sentence"].as_str().unwrap().contains("probability"));
    let with_p = report["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["probability"].is_number())
        .count();
    assert!(with_p >= 6, "{with_p} features with a probability");
}
