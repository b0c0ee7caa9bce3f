//! Any bytes, as MRZ text, with and without repair, and as raw OCR output: never a panic; a
//! record that parses again from its own lines to the same verdict.
#![no_main]

use docexam_core::date::CivilDate;
use docexam_core::mrz::MrzParser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(as_of) = CivilDate::new(2026, 11, 24) else { return };
    for repair in [false, true] {
        let parser = MrzParser::builder().as_of(as_of).repair(repair).build();
        if let Ok(mrz) = parser.parse_bytes(data) {
            let _ = mrz.is_valid();
            for f in mrz.findings() {
                let _ = f.message();
            }
            let _ = (mrz.surname(), mrz.given_names(), mrz.document_number());
            if !repair {
                let again = parser.parse(&mrz.lines().join("\n")).map(|m| m.is_valid());
                assert_eq!(again.ok(), Some(mrz.is_valid()));
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let parser = MrzParser::builder().as_of(as_of).build();
        if let Ok(mrz) = parser.parse_ocr_output(text) {
            assert!(mrz.lines().len() <= 3);
            for f in mrz.findings() {
                let _ = f.message();
            }
        }
    }
});
