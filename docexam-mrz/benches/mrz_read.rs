#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Reading the MRZ from page images (issue target: at most 50 ms per 600-dpi page on one core,
//! from the decoded pixels). Run: `cargo bench -p docexam-mrz --bench mrz_read`.
//!
//! Pages: the bundled Utopia TD3 passport data page (125 × 88 mm, 600 dpi, 2953 × 2079 px)
//! upright, and the same page turned a quarter and skewed by 12° on a scanner bed; the
//! TD1 card's back (600 dpi); the TD3 page shrunk to 300 dpi. Each is timed from the decoded
//! RGB pixels (`ink_plane` + `read`) and, separately, `read` alone.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use docexam_base::date::CivilDate;
use docexam_mrz::MrzParser;
use docexam_mrz::read::{ReadOptions, ink_plane, read};
use image::{DynamicImage, Rgb, RgbImage, imageops};
use imageproc::geometric_transformations::{Border, Interpolation, rotate_about_center};

fn load(path: &str) -> Option<DynamicImage> {
    image::open(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).ok()
}

/// The page turned a quarter clockwise and skewed by 12° on a light scanner bed.
fn turned(page: &DynamicImage) -> DynamicImage {
    let rgb = imageops::rotate90(&page.to_rgb8());
    let margin = rgb.width().max(rgb.height()) / 10;
    let bed = Rgb([236, 236, 238]);
    let mut canvas = RgbImage::from_pixel(rgb.width() + 2 * margin, rgb.height() + 2 * margin, bed);
    imageops::overlay(&mut canvas, &rgb, i64::from(margin), i64::from(margin));
    DynamicImage::ImageRgb8(rotate_about_center(
        &canvas,
        12f32.to_radians(),
        Interpolation::Bilinear,
        Border::Constant(bed),
    ))
}

fn bench(c: &mut Criterion) {
    let parser = MrzParser::builder()
        .as_of(CivilDate::new(2026, 11, 25).unwrap_or_else(CivilDate::today_utc))
        .build();
    let opts = ReadOptions::default();
    let Some(td3) = load("reference-specimens/utopia-td3-passport/front_white.png") else {
        eprintln!("the Utopia TD3 specimen image is missing");
        return;
    };
    let Some(td1) = load("reference-specimens/utopia-td1-identity-card/back_white.png") else {
        eprintln!("the Utopia TD1 specimen image is missing");
        return;
    };
    let td3_300 = DynamicImage::ImageRgb8(imageops::resize(
        &td3.to_rgb8(),
        td3.width() / 2,
        td3.height() / 2,
        imageops::FilterType::Triangle,
    ));
    let pages = [
        ("td3_600dpi", td3.clone()),
        ("td3_600dpi_turned_skewed", turned(&td3)),
        ("td1_back_600dpi", td1),
        ("td3_300dpi", td3_300),
    ];
    let mut g = c.benchmark_group("mrz_read");
    g.sample_size(30);
    for (name, page) in &pages {
        // Every page must read before it is timed.
        let plane = ink_plane(page);
        match read(&plane, &parser, &opts) {
            Ok(r) if r.mrz.is_valid() => {}
            other => {
                eprintln!("{name}: not read: {:?}", other.map(|r| r.mrz.lines()));
                continue;
            }
        }
        g.bench_function(format!("{name}/from_pixels"), |b| {
            b.iter(|| read(&ink_plane(black_box(page)), &parser, &opts))
        });
        g.bench_function(format!("{name}/read_only"), |b| {
            b.iter(|| read(black_box(&plane), &parser, &opts))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
