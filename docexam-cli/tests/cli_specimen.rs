//! `docexam specimen` as a real process: list (JSON contract), show, validate, and `new` on a
//! skewed scan of a generated document producing a folder that validates.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

mod common;
use common::{bundled, docexam};

use std::path::Path;

#[test]
fn list_json_names_every_bundled_specimen_with_the_contract_fields() {
    let out = docexam(&["specimen", "list", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "UTO-AR-TD2",
            "UTO-I-TD1",
            "UTO-P-TD3",
            "UTO-PD-TD3",
            "UTO-V-MRVA"
        ]
    );
    let td1 = &rows[1];
    assert_eq!(td1["issuing_state"], "UTO");
    assert_eq!(td1["document_code"], "I");
    assert_eq!(td1["size_class"], "TD1");
    assert_eq!(td1["sides"], serde_json::json!(["front", "back"]));
    assert_eq!(td1["lights"], serde_json::json!(["ir", "uv", "white"]));
    assert!(
        Path::new(td1["path"].as_str().unwrap())
            .join("specimen.toml")
            .is_file()
    );
}

#[test]
fn show_and_validate_by_id_and_a_broken_copy_names_the_field() {
    let out = docexam(&["specimen", "show", "UTO-P-TD3"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("front-mrz") && text.contains("Microprint"),
        "{text}"
    );
    assert_eq!(
        docexam(&["specimen", "validate", "UTO-V-MRVA"])
            .status
            .code(),
        Some(0)
    );

    // A lab's copy with an edited manifest: found through --specimens, reported precisely.
    let lab = tempfile::tempdir().unwrap();
    let copy = lab.path().join("td2");
    std::fs::create_dir_all(&copy).unwrap();
    let src = bundled("utopia-td2-residence-permit");
    docexam_specimens::specimen::copy_folder(&src, &copy).unwrap();
    let m = std::fs::read_to_string(copy.join("specimen.toml")).unwrap();
    let m = m
        .replace("id = \"UTO-AR-TD2\"", "id = \"LAB-TD2\"")
        .replace("dpi = 600", "dpi = 300");
    std::fs::write(copy.join("specimen.toml"), m).unwrap();
    let lab_dir = lab.path().to_str().unwrap();
    let out = docexam(&["specimen", "--specimens", lab_dir, "validate", "LAB-TD2"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("image[0].dpi") && text.contains("specimen.toml"),
        "{text}"
    );
    let out = docexam(&["specimen", "validate", "NO-SUCH"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_from_a_skewed_scan_gives_a_folder_that_validates_and_matches_the_document() {
    // The TD1 front at 600 dpi, scaled to 300 dpi, rotated by 6° on a larger dark scanner bed.
    let original = image::open(bundled("utopia-td1-identity-card/front_white.png"))
        .unwrap()
        .to_rgb8();
    let small =
        image::imageops::resize(&original, 1011, 638, image::imageops::FilterType::Triangle);
    let mut bed = image::RgbImage::from_pixel(1400, 1100, image::Rgb([30, 30, 34]));
    image::imageops::overlay(&mut bed, &small, 190, 230);
    let scan = imageproc::geometric_transformations::rotate_about_center(
        &bed,
        6f32.to_radians(),
        imageproc::geometric_transformations::Interpolation::Bilinear,
        imageproc::geometric_transformations::Border::Constant(image::Rgb([30, 30, 34])),
    );
    let dir = tempfile::tempdir().unwrap();
    let scan_path = dir.path().join("scan.png");
    scan.save(&scan_path).unwrap();
    let out_dir = dir.path().join("my-card");
    let side = format!("front={}", scan_path.display());
    let out = docexam(&[
        "specimen",
        "new",
        out_dir.to_str().unwrap(),
        "--size",
        "TD1",
        "--side",
        &side,
        "--dpi",
        "300",
        "--state",
        "UTO",
        "--code",
        "I",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        docexam(&["specimen", "validate", out_dir.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    // The manifest extends as its header says: [[zone]] and [[feature]] tables appended to
    // it, a printed field declared by the capital height a lab measures with a ruler.
    let manifest = out_dir.join("specimen.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("Add [[zone]]"), "{text}");
    text.push_str(
        "\n[[zone]]\nid = \"surname\"\nkind = \"field\"\nside = \"front\"\n\
         rect_mm = [30.0, 12.0, 50.0, 5.0]\nholds = \"surname\"\n\n\
         [[feature]]\nid = \"front-guilloche\"\nkind = \"guilloche\"\nside = \"front\"\n\
         light = \"white\"\nrect_mm = [3.0, 3.0, 79.6, 48.0]\n",
    );
    std::fs::write(&manifest, &text).unwrap();
    let v = docexam(&["specimen", "validate", out_dir.to_str().unwrap()]);
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    // The deskewed image lines up with the document: mean absolute difference of a
    // heavily blurred copy stays small (a 6° error would smear the portrait across the data).
    let got = image::open(out_dir.join("front_white.png"))
        .unwrap()
        .to_luma8();
    assert_eq!(got.dimensions(), (1011, 638));
    let want = image::imageops::grayscale(&small);
    let (a, b) = (
        image::imageops::blur(&got, 4.0),
        image::imageops::blur(&want, 4.0),
    );
    let mad: f64 = a
        .pixels()
        .zip(b.pixels())
        .map(|(p, q)| (f64::from(p.0[0]) - f64::from(q.0[0])).abs())
        .sum::<f64>()
        / f64::from(a.width() * a.height());
    assert!(mad < 12.0, "mean absolute difference {mad:.1}");
}

#[test]
fn synth_writes_documents_and_labels_and_refuses_what_it_cannot_draw() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("set");
    let run = docexam(&[
        "specimen",
        "synth",
        "UTO-V-MRVA",
        "--genuine",
        "1",
        "--forged",
        "2",
        "--seed",
        "9",
        "--dpi",
        "150",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let labels = std::fs::read_to_string(dir.join("labels.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = labels
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["kind"], "genuine");
    assert_eq!(rows[1]["kind"], "photo_substitution");
    assert_eq!(rows[1]["regions"][0]["side"], "front");
    for r in &rows {
        for f in r["files"].as_array().unwrap() {
            assert!(dir.join(f["file"].as_str().unwrap()).is_file());
        }
    }
    let bad = docexam(&[
        "specimen",
        "synth",
        "NO-SUCH",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = docexam(&[
        "specimen",
        "synth",
        "UTO-V-MRVA",
        "--dpi",
        "5000",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--dpi 5000"));
}
