//! Any bytes as chip data: as TLV (every value inside the input, offsets in order), as EF.COM
//! and as DG1, whose MRZ text the MRZ engine must then read without a panic.
#![no_main]

use docexam_core::chip::{read_com, read_dg1_mrz, tlv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(all) = tlv::read_all(data, 0) {
        let mut end = 0;
        for t in &all {
            assert!(t.offset >= end && t.value_offset + t.value.len() <= data.len());
            end = t.value_offset + t.value.len();
        }
        assert_eq!(end, data.len());
        let _ = tlv::find(&all, 0x5F1F);
    }
    let _ = read_com(data);
    if let Ok(text) = read_dg1_mrz(data) {
        let _ = docexam_core::mrz::MrzParser::builder().build().parse(&text);
    }
});
