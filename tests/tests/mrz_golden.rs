//! Golden JSON reports for the bundled MRZ samples. A change in output shows up as a diff
//! against `tests/data/mrz/golden/`; after checking it is intended, run with `DOCEXAM_BLESS=1`
//! to rewrite the golden files.

use std::fs;
use std::path::Path;

use docexam_core::date::CivilDate;
use docexam_core::mrz::{MrzBlocks, MrzParser};
use docexam_tests::data_dir;

fn report(input: &Path, repair: bool) -> String {
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 24).unwrap())
        .repair(repair)
        .build();
    let file = fs::File::open(input).unwrap();
    let mut out = String::new();
    for block in MrzBlocks::new(std::io::BufReader::new(file)) {
        let block = block.unwrap().unwrap();
        let mrz = parser.parse(&block.text).unwrap();
        let mut value = serde_json::to_value(&mrz).unwrap();
        value["input_line"] = block.first_line.into();
        out.push_str(&serde_json::to_string(&value).unwrap());
        out.push('\n');
    }
    out
}

fn check_golden(input: &str, golden: &str, repair: bool) {
    let dir = data_dir().join("mrz");
    let got = report(&dir.join(input), repair);
    let path = dir.join("golden").join(golden);
    if std::env::var_os("DOCEXAM_BLESS").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &got).unwrap();
        return;
    }
    let want = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with DOCEXAM_BLESS=1 to create it",
            path.display()
        )
    });
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        let g: serde_json::Value = serde_json::from_str(g).unwrap();
        let w: serde_json::Value = serde_json::from_str(w).unwrap();
        if g != w {
            // Name only the keys that differ: whole records are too long to read in a diff.
            let null = serde_json::Value::Null;
            let keys: Vec<String> = g
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| w.get(k.as_str()) != Some(*v))
                .map(|(k, v)| {
                    format!(
                        "{k}: got {v}\n  golden {}",
                        w.get(k.as_str()).unwrap_or(&null)
                    )
                })
                .collect();
            panic!(
                "{golden}: record {} differs (DOCEXAM_BLESS=1 rewrites after review):\n{}",
                i + 1,
                keys.join("\n")
            );
        }
    }
    assert_eq!(
        got.lines().count(),
        want.lines().count(),
        "{golden}: number of records"
    );
}

#[test]
fn samples_match_their_golden_reports() {
    check_golden("samples.txt", "samples.jsonl", false);
}

#[test]
fn altered_samples_match_their_golden_reports() {
    check_golden("altered.txt", "altered.jsonl", false);
}

#[test]
fn ocr_damaged_samples_match_their_golden_repairs() {
    check_golden("ocr-damaged.txt", "ocr-damaged.repair.jsonl", true);
}
