//! A seal signed by a forger's own certificate never passes: `docexam payload` and `docexam
//! barcode` exit 1 when the trust folder names the real anchors, and say plainly when no
//! trust material was given that authenticity was not checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::docexam_stdin as docexam;

use std::path::Path;
use std::process::Output;

use docexam_tests::barcodes::{Symbology, code, on_page};
use docexam_tests::seals::{cert, key, trust_data, vds_nc};

/// A trust folder with the real Utopia CSCA and its revocation list.
fn anchors() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["csca.der", "crl.der"] {
        std::fs::copy(trust_data().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn payload(trust: Option<&Path>, seal: &str) -> Output {
    let mut args = vec!["payload", "--json", "--as-of", "2025-06-01"];
    if let Some(t) = trust {
        args.extend(["--trust", t.to_str().unwrap()]);
    }
    args.push("-");
    docexam(&args, seal.as_bytes())
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn payload_exits_1_for_every_forgery_and_0_for_the_genuine_seal() {
    let trust = anchors();
    let genuine = payload(Some(trust.path()), &vds_nc(&key("ds"), &cert("ds")));
    assert_eq!(
        genuine.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&genuine.stdout)
    );
    assert_eq!(
        json(&genuine)["payload"]["signature"]["authenticity"],
        "proven"
    );
    for forger in [
        "forger-self",
        "forger-ds",
        "ds-by-not-a-ca",
        "ds-revoked",
        "ds-expired",
    ] {
        let out = payload(Some(trust.path()), &vds_nc(&key(forger), &cert(forger)));
        assert_eq!(out.status.code(), Some(1), "{forger}");
        let v = json(&out);
        let sig = &v["payload"]["signature"];
        assert_eq!(
            sig["status"], "valid",
            "{forger}: the forger's key verifies its own seal"
        );
        assert_eq!(sig["authenticity"], "unproven", "{forger}");
        assert_eq!(sig["trusted"], false, "{forger}");
        assert!(!sig["problems"].as_array().unwrap().is_empty(), "{forger}");
    }
}

#[test]
fn without_trust_the_text_says_authenticity_was_not_checked() {
    let out = docexam(
        &["payload", "--as-of", "2025-06-01", "-"],
        vds_nc(&key("forger-self"), &cert("forger-self")).as_bytes(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("authenticity not checked"), "{text}");
    assert!(!text.contains("trusted"), "{text}");
}

#[test]
fn barcode_exits_1_for_a_forged_code_on_a_page() {
    let trust = anchors();
    let dir = tempfile::tempdir().unwrap();
    let seal = vds_nc(&key("forger-self"), &cert("forger-self"));
    let c = code(Symbology::Qr, seal.as_bytes(), 3);
    let page = on_page(&c, c.width() + 200, c.height() + 200, 100, 100);
    let path = dir.path().join("forged.png");
    page.save(&path).unwrap();
    let out = docexam(
        &[
            "barcode",
            "--json",
            "--as-of",
            "2025-06-01",
            "--trust",
            trust.path().to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(
        v[0]["codes"][0]["payload"]["signature"]["authenticity"],
        "unproven"
    );
}

/// The genuine identity-card sample with its unsigned IDB replaced by the same data signed by
/// `signer` (named by its certificate reference, not embedded), written into `dir` under the
/// name `doc`; returns the six captures.
fn card_with_seal(dir: &Path, doc: &str, signer: &str) -> Vec<std::path::PathBuf> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference-specimens/samples");
    let back = image::open(samples.join("idcard-genuine_back_white.jpg")).unwrap();
    let report = docexam_core::barcode::decode_image(&back.to_luma8()).unwrap();
    let original = &report.codes[0];
    let text = std::str::from_utf8(&original.bytes).unwrap();
    assert!(
        text.starts_with("RDB1A"),
        "an unsigned, uncompressed IDB: {text}"
    );
    let bin = docexam_core::barcode::payload::idb_binary_payload(text.as_bytes()).unwrap();
    let (country, group) = bin.split_at(2);
    // The message group's content (tag 0x61, one length byte or 0x81 and one).
    let content = match group[1] {
        0x81 => &group[3..],
        _ => &group[2..],
    };
    let seal = docexam_tests::seals::idb(country, content, &key(signer), &cert(signer), false);
    let xs: Vec<i32> = original.position.iter().map(|p| p[0]).collect();
    let ys: Vec<i32> = original.position.iter().map(|p| p[1]).collect();
    let (x0, x1) = (*xs.iter().min().unwrap(), *xs.iter().max().unwrap());
    let (y0, y1) = (*ys.iter().min().unwrap(), *ys.iter().max().unwrap());
    let side = (x1 - x0).max(y1 - y0) as u32 + 8;
    let new = code(Symbology::DataMatrix, seal.as_bytes(), 4);
    let new = image::imageops::resize(&new, side, side, image::imageops::FilterType::Nearest);
    let mut page = back.to_rgb8();
    for (x, y, p) in new.enumerate_pixels() {
        let (px, py) = (x0 as u32 - 4 + x, y0 as u32 - 4 + y);
        if px < page.width() && py < page.height() {
            page.put_pixel(px, py, image::Rgb([p.0[0], p.0[0], p.0[0]]));
        }
    }
    let mut files = Vec::new();
    let white = dir.join(format!("{doc}_back_white.png"));
    page.save(&white).unwrap();
    files.push(white);
    for name in ["back_uv", "back_ir", "front_white", "front_uv", "front_ir"] {
        let to = dir.join(format!("{doc}_{name}.jpg"));
        std::fs::copy(samples.join(format!("idcard-genuine_{name}.jpg")), &to).unwrap();
        files.push(to);
    }
    files
}

fn examine(trust: &Path, files: &[std::path::PathBuf]) -> Output {
    let mut args = vec![
        "examine".to_string(),
        "--json".into(),
        "--as-of".into(),
        "2025-06-01".into(),
        "--trust".into(),
        trust.to_string_lossy().into_owned(),
    ];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    docexam(&args, b"")
}

fn seal_anomalies(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["assessment"]["anomalies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "barcode")
        .cloned()
        .collect()
}

#[test]
fn examine_never_passes_a_card_whose_seal_a_forger_signed() {
    let dir = tempfile::tempdir().unwrap();
    let trust = tempfile::tempdir().unwrap();
    for f in ["csca.der", "ds.der"] {
        std::fs::copy(trust_data().join(f), trust.path().join(f)).unwrap();
    }
    let forged = examine(
        trust.path(),
        &card_with_seal(dir.path(), "forged", "forger-self"),
    );
    assert_eq!(
        forged.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&forged.stderr)
    );
    let v = json(&forged);
    let seal = seal_anomalies(&v);
    assert_eq!(seal.len(), 1, "{seal:?}");
    assert_eq!(seal[0]["severity"], "major");
    assert!(
        seal[0]["sentence"].as_str().unwrap().contains("not proven"),
        "{}",
        seal[0]["sentence"]
    );
    // The same card sealed by the real document signer raises no seal anomaly.
    let genuine = examine(trust.path(), &card_with_seal(dir.path(), "sealed", "ds"));
    let v = json(&genuine);
    assert!(seal_anomalies(&v).is_empty(), "{:?}", seal_anomalies(&v));
    let sig = &v["barcodes"][0]["codes"][0]["payload"]["signature"];
    assert_eq!(sig["authenticity"], "proven", "{sig}");
}
