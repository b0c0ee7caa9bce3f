//! The specimen format: a valid manifest loads from memory and from a folder; every kind of
//! mistake is an error naming the file and the field.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests: a panic is a failure

use std::collections::BTreeMap;

use docexam_specimen::{
    FolderSource, MemorySource, Specimen, SpecimenError, SpecimenSource, parse_manifest,
};

/// A TD1 card image at 72 dpi: 243 × 153 px.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([240, 236, 220]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn manifest(hash: &str, extra: &str) -> String {
    format!(
        r#"format = "docexam-specimen/1"

[document]
id = "TEST-TD1"
name = "Test card"
issuing_state = "UTO"
document_code = "I"
size_class = "TD1"
sides = ["front"]
valid_from = "2020-01-01"
provenance = "unit test"
licence = "CC0-1.0"

[[image]]
side = "front"
light = "white"
file = "front_white.png"
dpi = 72
blake3 = "{hash}"

[[zone]]
id = "portrait"
kind = "portrait"
side = "front"
rect_mm = [3.0, 10.0, 24.0, 31.0]

[[feature]]
id = "background"
kind = "guilloche"
side = "front"
light = "white"
rect_mm = [1.0, 1.0, 83.0, 51.0]
mask_zones = ["portrait"]
thresholds = {{ ncc_min = 0.6 }}
{extra}"#
    )
}

fn load(text: &str, files: &[(&str, Vec<u8>)]) -> Result<Specimen, SpecimenError> {
    let mut src = MemorySource::new();
    let files: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(n, b)| (n.to_string(), b.clone()))
        .collect();
    let id = src.insert(text, files)?;
    src.load(&id)
}

fn err(text: &str, files: &[(&str, Vec<u8>)]) -> String {
    load(text, files).expect_err("must not load").to_string()
}

#[test]
fn a_valid_manifest_loads_with_its_hash_and_images() {
    let img = png(243, 153);
    let hash = blake3::hash(&img).to_hex().to_string();
    let text = manifest(&hash, "");
    let s = load(&text, &[("front_white.png", img.clone())]).unwrap();
    assert_eq!(s.id(), "TEST-TD1");
    assert_eq!(
        s.hash.to_hex(),
        blake3::hash(text.as_bytes()).to_hex().to_string()
    );
    assert_eq!(s.manifest.features[0].mask_zones, ["portrait"]);
    assert_eq!(s.size_mm(), (85.6, 53.98));
}

#[test]
fn every_mistake_names_the_file_and_the_field() {
    let img = png(243, 153);
    let hash = blake3::hash(&img).to_hex().to_string();
    let files = [("front_white.png", img.clone())];

    let unknown_kind = manifest(&hash, "").replace("kind = \"guilloche\"", "kind = \"flat_box\"");
    let e = load(&unknown_kind, &files).unwrap_err().to_string();
    assert!(
        e.contains("specimen.toml") && e.contains("flat_box") && e.contains("line"),
        "{e}"
    );

    let outside = manifest(&hash, "").replace("[1.0, 1.0, 83.0, 51.0]", "[60.0, 1.0, 40.0, 51.0]");
    let e = err(&outside, &files);
    assert!(
        e.contains("feature[\"background\"].rect_mm") && e.contains("outside the TD1"),
        "{e}"
    );

    let e = err(&manifest(&hash, ""), &[]);
    assert!(
        e.contains("image[0].file") && e.contains("front_white.png"),
        "{e}"
    );

    let e = err(&manifest(&"0".repeat(64), ""), &files);
    assert!(e.contains("image[0].blake3") && e.contains(&hash), "{e}");

    let small = png(200, 153);
    let small_hash = blake3::hash(&small).to_hex().to_string();
    let e = err(&manifest(&small_hash, ""), &[("front_white.png", small)]);
    assert!(
        e.contains("image[0].dpi") && e.contains("200 × 153") && e.contains("243 × 153"),
        "{e}"
    );

    let typo = manifest(&hash, "").replace("licence =", "license =");
    let e = err(&typo, &files);
    assert!(e.contains("license"), "{e}");

    let uv_under_white = manifest(
        &hash,
        "\n[[feature]]\nid = \"emblem\"\nkind = \"uv_pattern\"\nside = \"front\"\nlight = \"white\"\nrect_mm = [10.0, 10.0, 5.0, 5.0]\n",
    );
    let e = err(&uv_under_white, &files);
    assert!(
        e.contains("feature[\"emblem\"].light") && e.contains("uv"),
        "{e}"
    );

    let no_back =
        manifest(&hash, "").replace("sides = [\"front\"]", "sides = [\"front\", \"back\"]");
    let e = err(&no_back, &files);
    assert!(e.contains("the back has no white-light image"), "{e}");

    let escape = manifest(&hash, "").replace(
        "file = \"front_white.png\"",
        "file = \"../front_white.png\"",
    );
    let e = err(&escape, &files);
    assert!(
        e.contains("image[0].file") && e.contains("relative path"),
        "{e}"
    );

    let bad_mask =
        manifest(&hash, "").replace("mask_zones = [\"portrait\"]", "mask_zones = [\"photo\"]");
    let e = err(&bad_mask, &files);
    assert!(e.contains("mask_zones") && e.contains("photo"), "{e}");
}

#[test]
fn several_problems_are_all_listed() {
    let img = png(200, 100);
    let text = manifest(&"0".repeat(64), "")
        .replace("issuing_state = \"UTO\"", "issuing_state = \"utopia\"");
    let e = load(&text, &[("front_white.png", img)]).unwrap_err();
    let SpecimenError::Problems { problems, .. } = &e else {
        panic!("expected several problems: {e}");
    };
    // The bad state and the wrong hash (an image whose hash is wrong is not measured further).
    assert_eq!(problems.len(), 2, "{e}");
    let text = e.to_string();
    assert!(text.contains("document.issuing_state"), "{e}");
    assert!(text.contains("image[0].blake3"), "{e}");
}

#[test]
fn a_folder_library_reports_broken_and_duplicate_manifests_and_loads_the_rest() {
    let img = png(243, 153);
    let hash = blake3::hash(&img).to_hex().to_string();
    let root = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        let d = root.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("specimen.toml"), manifest(&hash, "")).unwrap();
        std::fs::write(d.join("front_white.png"), &img).unwrap();
    }
    let broken = root.path().join("c");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("specimen.toml"), "format = [").unwrap();
    let (lib, warnings) = FolderSource::open(&[root.path().to_path_buf()]).into_parts();
    assert_eq!(lib.ids(), ["TEST-TD1"]);
    let w: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w.iter().any(|m| m.contains("defined twice")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("c/specimen.toml")), "{w:?}");
    let s = lib.load("TEST-TD1").unwrap();
    assert_eq!(s.dir.as_deref(), Some(root.path().join("a").as_path()));
    assert!(Specimen::validate_dir(&root.path().join("a")).is_empty());
    // A changed image is caught when the image is read, not only on load.
    std::fs::write(root.path().join("a/front_white.png"), png(243, 154)).unwrap();
    let e = s
        .load_image(
            &lib,
            docexam_ingest::Side::Front,
            docexam_ingest::LightSource::White,
        )
        .unwrap_err();
    assert!(e.to_string().contains("changed since it was loaded"), "{e}");
    let e = lib.load("nope").unwrap_err().to_string();
    assert!(e.contains("TEST-TD1"), "{e}");
    assert!(parse_manifest("x.toml", b"\xff").is_err());
}

#[cfg(unix)]
#[test]
fn files_that_are_devices_or_lead_out_of_the_folder_are_refused() {
    let img = png(243, 153);
    let hash = blake3::hash(&img).to_hex().to_string();
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside.png");
    std::fs::write(&outside, &img).unwrap();
    let d = root.path().join("lib/card");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("specimen.toml"), manifest(&hash, "")).unwrap();
    // A symlink leading out of the specimen folder.
    std::os::unix::fs::symlink(&outside, d.join("front_white.png")).unwrap();
    let problems = Specimen::validate_dir(&d);
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("outside the specimen folder")),
        "{text:?}"
    );
    // A symlink to an endless device: refused at once, not read until memory runs out.
    std::fs::remove_file(d.join("front_white.png")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("front_white.png")).unwrap();
    let text: Vec<String> = Specimen::validate_dir(&d)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("outside the specimen folder")),
        "{text:?}"
    );
    // A named pipe inside the folder: refused without opening it (opening would block).
    std::fs::remove_file(d.join("front_white.png")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(d.join("front_white.png"))
        .status()
        .unwrap();
    assert!(made.success());
    let text: Vec<String> = Specimen::validate_dir(&d)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        text.iter().any(|t| t.contains("not a regular file")),
        "{text:?}"
    );
}

#[test]
fn a_folder_without_a_specimen_does_not_validate_and_ids_are_not_replaced() {
    let empty = tempfile::tempdir().unwrap();
    let problems = Specimen::validate_dir(empty.path());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].to_string().contains("no specimen here"),
        "{}",
        problems[0]
    );

    let img = png(243, 153);
    let hash = blake3::hash(&img).to_hex().to_string();
    let mut src = MemorySource::new();
    src.insert(&manifest(&hash, ""), BTreeMap::new()).unwrap();
    let again = src
        .insert(&manifest(&hash, ""), BTreeMap::new())
        .unwrap_err();
    assert!(again.to_string().contains("defined twice"), "{again}");

    let short = manifest(&format!("{hash} "), "");
    let e = err(&short, &[("front_white.png", img)]);
    assert!(
        e.contains("image[0].blake3") && e.contains("64 hexadecimal"),
        "{e}"
    );
}
