//! Any bytes as the samples of a PDF page image (Flate data, predictors, colour spaces):
//! pixels or a clear error, never a panic or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u32, u32, u8, i32, u8, &[u8])| {
    let (width, height, bpc, predictor, colors, data) = input;
    let bpc = [1u8, 2, 4, 8, 16, 3][usize::from(bpc % 6)];
    docexam_core::fuzzing::fuzz_samples(data, width, height, bpc, predictor % 16, colors);
});
