//! `docexam mrz --image` and `docexam bench mrz` as real processes: the JSON contract on a
//! bundled specimen page, a page without an MRZ, a file that is not an image, an MRZ retyped
//! in another font, and a small labelled set read by the bench.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{bundled, docexam};

#[test]
fn image_json_is_the_text_report_plus_its_source() {
    let page = bundled("utopia-td3-passport/front_white.png");
    let out = docexam(&[
        "mrz",
        "--image",
        page.to_str().unwrap(),
        "--json",
        "--as-of",
        "2026-11-25",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "TD3");
    assert_eq!(v["valid"], true);
    let s = &v["source"];
    assert!(s["image"].as_str().unwrap().ends_with("front_white.png"));
    assert_eq!(s["bbox"].as_array().unwrap().len(), 4);
    assert!(s["angle_deg"].as_f64().unwrap() < 1.0 || s["angle_deg"].as_f64().unwrap() > 359.0);
    assert!(s["font_score"].as_f64().unwrap() > 0.85);
    assert_eq!(s["font"]["consistent_with_ocr_b"], true);
    // 2.54 mm at 600 dpi is 60 pixels.
    let px = s["pitch_px"].as_f64().unwrap();
    assert!((px - 60.0).abs() < 1.0, "{px}");
    assert_eq!(s["lines"].as_array().unwrap().len(), 2);
    assert_eq!(s["lines"][0].as_array().unwrap().len(), 44);
    assert!(s["char_confidence_min"].as_f64().is_some());
}

#[test]
fn a_page_without_an_mrz_and_a_non_image_exit_2_with_a_message() {
    let front = bundled("utopia-td1-identity-card/front_white.png");
    let out = docexam(&["mrz", "--image", front.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no machine-readable zone found"), "{err}");
    assert!(err.contains("front_white.png"), "{err}");

    let manifest = bundled("utopia-td1-identity-card/specimen.toml");
    let out = docexam(&["mrz", "--image", manifest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("specimen.toml"));

    let out = docexam(&["mrz", "--image", "/nonexistent/scan.png"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_retyped_mrz_is_read_and_reported_and_the_bench_reads_a_labelled_set() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("set");
    // Forgery kinds come in turn: the third is the MRZ retyped in another font.
    let out = docexam(&[
        "bench",
        "mrz",
        "--specimen",
        "UTO-P-TD3",
        "--n",
        "1",
        "--forged",
        "3",
        "--seed",
        "3",
        "--clean",
        "--dpi",
        "300",
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Accuracy is over the three OCR-B MRZs; the retyped one is counted on its own.
    assert_eq!(v["all"]["images"], 3);
    assert_eq!(v["genuine"]["images"], 1);
    assert_eq!(v["forged"]["images"], 2);
    assert_eq!(v["retyped_in_another_font"]["images"], 1);
    let images = v["images"].as_array().unwrap();
    let genuine = images.iter().find(|i| i["kind"] == "genuine").unwrap();
    assert_eq!(genuine["exact"], true, "{genuine}");
    let retyped = images.iter().find(|i| i["kind"] == "mrz_retyped").unwrap();
    let file = out_dir.join(retyped["file"].as_str().unwrap());
    let out = docexam(&["mrz", "--image", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["source"]["font"]["consistent_with_ocr_b"], false);
    assert_eq!(v["source"]["font"]["finding"]["code"], "mrz_font_mismatch");
}
