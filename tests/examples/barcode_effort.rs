//! Where barcode decoding spends its effort: hard images (turned 8°, blurred, noisy, JPEG 55)
//! with codes of several symbologies and module sizes on a page with fine lines and a portrait
//! block, read by one bare zxing-cpp call and by `decode_image`. Prints, per image kind, the
//! codes each reads, the time each takes and which attempt found docexam's reads. "wrecked"
//! codes are blurred beyond reading, "wiped" ones have their middle third erased beside small
//! print. `PLAIN=1` leaves out the lines and portrait.
//! Run: `cargo run --release -p docexam-tests --example barcode_effort [-- ROUNDS]`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

use docexam_core::barcode::decode::FORMATS;
use docexam_core::barcode::decode_image;
use docexam_tests::barcodes::{Symbology, code, degraded, on_page};
use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{Border, Interpolation, rotate_about_center};
use zxingcpp::{ImageFormat, ImageView};

fn bare(img: &GrayImage) -> usize {
    let view =
        ImageView::from_slice(img.as_raw(), img.width(), img.height(), ImageFormat::Lum).unwrap();
    zxingcpp::read()
        .formats(FORMATS)
        .try_harder(true)
        .try_rotate(true)
        .try_invert(true)
        .try_downscale(true)
        .from(view)
        .map(|v| v.iter().filter(|b| b.is_valid()).count())
        .unwrap_or(0)
}

/// A page with the code, turned `deg`, blurred, noised and compressed. A negative `blur`
/// blurs by its magnitude after wiping the middle third of the code (too much for error
/// correction) and printing small text beside it.
fn hard(sym: Symbology, bytes: &[u8], module: i32, blur: f32, deg: f32) -> GrayImage {
    let mut c = code(sym, bytes, module);
    let wiped = blur < 0.0;
    let blur = blur.abs();
    if wiped {
        let (w, h) = c.dimensions();
        for y in 0..h {
            for x in w / 3..2 * w / 3 {
                c.put_pixel(x, y, Luma([235]));
            }
        }
    }
    let mut page = on_page(&c, c.width() + 900, c.height() + 700, 420, 330);
    if std::env::var_os("PLAIN").is_none() {
        guilloche(&mut page, &c, (420, 330));
    }
    if wiped {
        text(&mut page, (420, 60));
    }
    let turned = rotate_about_center(
        &page,
        deg.to_radians(),
        Interpolation::Bilinear,
        Border::Constant(Luma([235])),
    );
    degraded(&turned, blur, 8, 55)
}

/// Fine sinusoidal lines every 0.6 mm (at 300 dpi) a few grey levels below the paper, and a
/// dark portrait block, around the code (as on a document).
fn guilloche(page: &mut GrayImage, code: &GrayImage, at: (u32, u32)) {
    let px_per_mm = 300.0 / 25.4;
    for (x, y, p) in page.enumerate_pixels_mut() {
        let inside = x >= at.0 && y >= at.1 && x < at.0 + code.width() && y < at.1 + code.height();
        if inside {
            continue;
        }
        let (xm, ym) = (x as f32 / px_per_mm, y as f32 / px_per_mm);
        let phase = (ym + 0.8 * (xm * 0.35).sin()) / 0.6;
        if (phase.fract() - 0.5).abs() < 0.08 {
            p.0[0] = 200;
        }
        if (40..300).contains(&x) && (60..400).contains(&y) {
            p.0[0] = 90;
        }
    }
}

/// Lines of small dark glyph-like marks (strokes 2 px wide, 10 px high) from `at`.
fn text(page: &mut GrayImage, at: (u32, u32)) {
    for line in 0..8u32 {
        for ch in 0..60u32 {
            let (x0, y0) = (at.0 + ch * 9, at.1 + line * 18);
            let shape = (ch * 7 + line * 3) % 5;
            for dy in 0..10 {
                for dx in 0..7 {
                    let on = match shape {
                        0 => dx < 2 || dy < 2,
                        1 => !(2..=4).contains(&dx),
                        2 => !(2..=7).contains(&dy) || dx > 4,
                        3 => (dx + dy) % 6 < 2,
                        _ => dy > 7 || dx < 2,
                    };
                    if on && x0 + dx < page.width() && y0 + dy < page.height() {
                        page.put_pixel(x0 + dx, y0 + dy, Luma([30]));
                    }
                }
            }
        }
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let payloads: Vec<Vec<u8>> = (0..4)
        .map(|i| {
            (0..(60 + 90 * i))
                .map(|j| b'A' + ((i * 7 + j * 13) % 26) as u8)
                .collect()
        })
        .collect();
    let kinds = [
        ("pdf417 m3", Symbology::Pdf417, 3, 1.0),
        ("pdf417 m2", Symbology::Pdf417, 2, 0.8),
        ("datamatrix m4", Symbology::DataMatrix, 4, 1.0),
        ("datamatrix m2", Symbology::DataMatrix, 2, 0.7),
        ("qr m3", Symbology::Qr, 3, 1.0),
        ("qr m2", Symbology::Qr, 2, 0.8),
        ("pdf417 m3 wrecked", Symbology::Pdf417, 3, 3.0),
        ("datamatrix m2 wrecked", Symbology::DataMatrix, 2, 2.0),
        ("pdf417 m3 wiped", Symbology::Pdf417, 3, -1.0),
        ("datamatrix m2 wiped", Symbology::DataMatrix, 2, -0.7),
    ];
    println!(
        "{:24} {:>6} {:>6} {:>6} {:>9} {:>9} {:>6}  found by",
        "kind", "images", "bare", "ours", "bare ms", "ours ms", "ratio"
    );
    for (name, sym, module, blur) in kinds {
        let (mut nb, mut no, mut tb, mut to) = (0, 0, 0.0, 0.0);
        let mut by: Vec<String> = Vec::new();
        let mut n = 0;
        for p in &payloads {
            let img = hard(sym, p, module, blur, 8.0);
            for _ in 0..rounds {
                let t = Instant::now();
                let b = bare(&img);
                tb += t.elapsed().as_secs_f64();
                let t = Instant::now();
                let r = decode_image(&img).unwrap();
                to += t.elapsed().as_secs_f64();
                nb += b;
                no += r.codes.len();
                n += 1;
                for c in &r.codes {
                    if !by.contains(&c.found_by) {
                        by.push(c.found_by.clone());
                    }
                }
            }
        }
        println!(
            "{:24} {:>6} {:>6} {:>6} {:>9.1} {:>9.1} {:>6.2}  {}",
            name,
            n,
            nb,
            no,
            1000.0 * tb / n as f64,
            1000.0 * to / n as f64,
            to / tb,
            by.join(",")
        );
    }
}
