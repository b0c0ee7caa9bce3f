//! Writes test and benchmark files: `cargo run --release -p docexam-tests --example corpus --
//! KIND DIR [N]`, KIND one of:
//!
//! - `scans`: N scan-sized JPEGs (2–20 MB, each different) in DIR;
//! - `pdf`: one PDF of N scanned pages (DCT, A4 at 300 dpi) as DIR/scanned-N.pdf;
//! - `seeds`: one small image of every format (fuzzing seeds);
//! - `bad`: the bad inputs of the evidence tests (truncated PNG/JPEG/PDF, a pixel-bomb PNG
//!   header, a PDF with a reference loop, an encrypted PDF, an empty file) in DIR.

use std::fs;
use std::path::Path;

use docexam_tests::pdf::{self, PageImage};
use docexam_tests::scans::{encode, jpeg, padded_jpeg, pattern};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(kind), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: corpus scans|pdf|bad DIR [N]");
        std::process::exit(2);
    };
    let n: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = Path::new(dir);
    fs::create_dir_all(dir)?;
    match kind.as_str() {
        "scans" => {
            for i in 0..n {
                // Sizes spread evenly over 2–20 MB.
                let size = 2_000_000 + (i as usize * 18_000_000 / n.max(1) as usize);
                fs::write(dir.join(format!("scan{i:05}.jpg")), padded_jpeg(size, i))?;
            }
        }
        "pdf" => {
            let pages: Vec<PageImage> = (0..n)
                .map(|i| PageImage::Jpeg {
                    data: jpeg(2480, 3508, i),
                    width: 2480,
                    height: 3508,
                })
                .collect();
            fs::write(dir.join(format!("scanned-{n}.pdf")), pdf::scanned(&pages))?;
        }
        "seeds" => {
            let img = pattern(24, 16, 3);
            for (format, ext) in [
                (image::ImageFormat::Png, "png"),
                (image::ImageFormat::Jpeg, "jpg"),
                (image::ImageFormat::Tiff, "tif"),
                (image::ImageFormat::Bmp, "bmp"),
                (image::ImageFormat::WebP, "webp"),
            ] {
                fs::write(dir.join(format!("seed.{ext}")), encode(&img, format))?;
            }
        }
        "bad" => {
            let png = encode(&pattern(64, 64, 1), image::ImageFormat::Png);
            fs::write(dir.join("truncated.png"), &png[..png.len() / 2])?;
            let jpg = jpeg(64, 64, 2);
            fs::write(dir.join("truncated.jpg"), &jpg[..jpg.len() / 2])?;
            let one = pdf::scanned(&[PageImage::Jpeg {
                data: jpeg(32, 32, 3),
                width: 32,
                height: 32,
            }]);
            fs::write(dir.join("truncated.pdf"), &one[..one.len() / 2])?;
            let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
            bomb.extend_from_slice(&100_000u32.to_be_bytes());
            bomb.extend_from_slice(&100_000u32.to_be_bytes());
            bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
            fs::write(dir.join("bomb.png"), bomb)?;
            fs::write(dir.join("loop.pdf"), pdf::reference_loop())?;
            fs::write(dir.join("self-reference.pdf"), pdf::self_reference())?;
            fs::write(dir.join("encrypted.pdf"), pdf::encrypted())?;
            fs::write(dir.join("empty.png"), b"")?;
        }
        other => {
            eprintln!("unknown kind {other}");
            std::process::exit(2);
        }
    }
    Ok(())
}
