#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Full security-feature comparison of one 600-dpi TD3 page (issue target: at most 300 ms
//! wall on 2 cores): a genuine Utopia passport drawn by the generator (fixed seed, random
//! capture conditions), white, UV and IR captures decoded beforehand; timed: MRZ reading,
//! registration of every capture and every feature's comparator. The reference images are
//! prepared once per specimen, as a lab's tool keeps them.
//! Run: `cargo bench -p docexam-tests --bench compare`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use docexam_core::compare::{Capture, compare_document};
use docexam_core::ingest::{LightSource, Limits, Side, decode_file};
use docexam_core::mrz::MrzParser;
use docexam_core::raster::Pyramid;
use docexam_core::register::prepare_all;
use docexam_core::specimen::{FolderSource, SpecimenSource};
use docexam_specimens::fonts::Fonts;
use docexam_specimens::synth::{SynthOptions, synth};

fn bench(c: &mut Criterion) {
    let root = format!("{}/../reference-specimens", env!("CARGO_MANIFEST_DIR"));
    let lib = FolderSource::open(&[root.into()]).value;
    let (Ok(specimen), Ok(fonts), Ok(dir)) =
        (lib.load("UTO-P-TD3"), Fonts::load(), tempfile::tempdir())
    else {
        eprintln!("the Utopia TD3 specimen, the fonts or a temporary folder is missing");
        return;
    };
    let design = docexam_specimens::design::utopia()
        .into_iter()
        .find(|d| d.id == "UTO-P-TD3");
    let Some(design) = design else {
        return;
    };
    let opts = SynthOptions {
        genuine: 1,
        forged: 0,
        seed: 42,
        dpi: Some(600),
        style: docexam_specimens::synth::CaptureStyle::Mixed,
        kinds: None,
    };
    let Ok(labels) = synth(&design, &opts, dir.path(), &fonts) else {
        eprintln!("could not generate the page");
        return;
    };
    let Ok(references) = prepare_all(&specimen, &lib) else {
        return;
    };
    let mut captures = Vec::new();
    for f in labels.iter().flat_map(|l| &l.files) {
        let Ok(mut pages) = decode_file(&dir.path().join(&f.file), &Limits::DEFAULT) else {
            return;
        };
        let Ok(light) = f.light.parse::<LightSource>() else {
            return;
        };
        captures.push((light, pages.swap_remove(0).image.into_rgb8()));
    }
    let parser = MrzParser::default();
    let pages_of = || -> Vec<Capture> {
        captures
            .iter()
            .map(|(light, img)| Capture {
                side: Side::Front,
                light: *light,
                pyramid: Pyramid::new(img.clone()),
            })
            .collect()
    };
    let pages = pages_of();
    let mut g = c.benchmark_group("compare");
    g.sample_size(10);
    g.bench_function("td3_600dpi_white_uv_ir", |b| {
        b.iter(|| black_box(compare_document(&specimen, &references, &pages, &parser)))
    });
    // Including the pyramids of the decoded pages.
    g.bench_function("td3_600dpi_white_uv_ir_with_pyramids", |b| {
        b.iter(|| {
            black_box(compare_document(
                &specimen,
                &references,
                &pages_of(),
                &parser,
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
