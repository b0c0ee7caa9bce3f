//! Bad and truncated inputs: every prefix of every sample file, and the fuzz seeds (including
//! inputs that once failed), must give a record or a clear error, never a panic; a record must
//! read back to the same verdict from its own lines.

use std::fs;

use docexam_core::date::CivilDate;
use docexam_core::mrz::{MrzBlocks, MrzParser};
use docexam_tests::data_dir;

fn parsers() -> [MrzParser; 2] {
    let as_of = CivilDate::new(2026, 11, 24).unwrap();
    [false, true].map(|repair| MrzParser::builder().as_of(as_of).repair(repair).build())
}

fn exercise(bytes: &[u8]) {
    for parser in parsers() {
        match parser.parse_bytes(bytes) {
            Ok(mrz) => {
                for f in mrz.findings() {
                    assert!(!f.message().is_empty());
                }
                let again = parser.parse(&mrz.lines().join("\n")).map(|m| m.lines());
                assert_eq!(again.as_ref().ok(), Some(&mrz.lines()), "{bytes:?}");
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    for block in MrzBlocks::new(bytes) {
        let _ = block.unwrap();
    }
}

#[test]
fn every_prefix_of_every_sample_is_handled() {
    for name in ["samples.txt", "altered.txt", "ocr-damaged.txt"] {
        let bytes = fs::read(data_dir().join("mrz").join(name)).unwrap();
        for end in 0..=bytes.len() {
            exercise(&bytes[..end]);
        }
    }
}

#[test]
fn fuzz_seeds_are_handled() {
    let seeds = data_dir().join("../../fuzz/seeds");
    let mut count = 0;
    for dir in fs::read_dir(&seeds).unwrap() {
        for file in fs::read_dir(dir.unwrap().path()).unwrap() {
            exercise(&fs::read(file.unwrap().path()).unwrap());
            count += 1;
        }
    }
    assert!(count > 10, "seeds found: {count}");
}

#[test]
fn hostile_shapes_are_handled() {
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        b"\xef\xbb\xbf".to_vec(),
        b"\x0b\xef\xbb\xbf\x0b\x0b".to_vec(),
        vec![b'<'; 64],
        vec![b'<'; 65],
        [&b"P<UTO"[..], &[0xC3, 0x28]].concat(),
        "É".repeat(64).into_bytes(),
        "É".repeat(65).into_bytes(),
        b"\n\n\n\n\n".to_vec(),
        b"A\r\nB\r\nC\r\n".to_vec(),
        b"0".repeat(30)
            .iter()
            .chain(b"\n")
            .chain(b"0".repeat(30).iter())
            .chain(b"\n")
            .chain(b"0".repeat(30).iter())
            .copied()
            .collect(),
    ];
    for c in cases {
        exercise(&c);
    }
}
