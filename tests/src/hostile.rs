//! Hostile inputs, built at test time: files an adversary prepares to crash, hang or exhaust a
//! reader of scans (decompression and pixel bombs, structures that loop or lie about their
//! sizes, truncations, garbage behind valid headers), in every format docexam takes. Each is a
//! name and its bytes; the runner (`docexam-cli/tests/cli_hostile_corpus.rs`) gives them to
//! the CLI under a memory and time cap and asserts a clean outcome.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

use crate::pdf;
use crate::scans::{self, jpeg};

/// One hostile input: a class (what it attacks), a file name and its bytes.
pub struct Hostile {
    /// What the input attacks, for reports (`pixel bomb`, `structure loop`, …).
    pub class: &'static str,
    /// The file name it is written under (its extension as a sender would give it).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

fn h(class: &'static str, name: &str, bytes: Vec<u8>) -> Hostile {
    Hostile {
        class,
        name: name.to_owned(),
        bytes,
    }
}

/// Deterministic pseudo-random bytes (xorshift), so that a failure reproduces.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::best());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A PNG whose header declares `w`×`h` at `depth` bits and colour type `colour`, with `idat`
/// as its compressed data (CRCs valid, so only the sizes lie).
pub fn png_declaring(w: u32, h: u32, depth: u8, colour: u8, idat: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[depth, colour, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", idat);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A little-endian TIFF of one or more image file directories, each entry (tag, type, count,
/// value) given as is; `next` gives each directory's next-directory offset (`None`: the one
/// written after it, or 0 for the last). Directories start at offset 8 and follow each other.
fn tiff(dirs: &[Vec<(u16, u16, u32, u32)>], next: &[Option<u32>], tail: &[u8]) -> Vec<u8> {
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    let sizes: Vec<u32> = dirs.iter().map(|d| 2 + 12 * d.len() as u32 + 4).collect();
    let mut at = 8u32;
    for (i, d) in dirs.iter().enumerate() {
        out.extend_from_slice(&u16::try_from(d.len()).unwrap_or(0).to_le_bytes());
        for (tag, kind, count, value) in d {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        at += sizes[i];
        let following = match next.get(i).copied().flatten() {
            Some(n) => n,
            None if i + 1 < dirs.len() => at,
            None => 0,
        };
        out.extend_from_slice(&following.to_le_bytes());
    }
    out.extend_from_slice(tail);
    out
}

/// A TIFF directory for an uncompressed 8-bit RGB image of `w`×`h` whose one strip of
/// `strip_len` bytes is at `offset`.
fn rgb_dir(w: u32, h: u32, offset: u32, strip_len: u32) -> Vec<(u16, u16, u32, u32)> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    vec![
        (256, LONG, 1, w),
        (257, LONG, 1, h),
        (258, SHORT, 1, 8),
        (259, SHORT, 1, 1),
        (262, SHORT, 1, 2),
        (273, LONG, 1, offset),
        (277, SHORT, 1, 3),
        (278, LONG, 1, h),
        (279, LONG, 1, strip_len),
    ]
}

fn nested_pdf(depth: usize) -> Vec<u8> {
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    pdf::assemble(
        &[
            format!("<< /Type /Catalog /Pages 2 0 R /Deep {deep} >>").into_bytes(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ],
        "/Root 1 0 R",
    )
}

/// Every hostile input, across the formats docexam reads.
pub fn corpus() -> Vec<Hostile> {
    let good_jpeg = jpeg(64, 48, 3);
    let good_png = scans::encode(&scans::pattern(64, 48, 4), image::ImageFormat::Png);
    let mut corrupt_idat = good_png.clone();
    if let Some(at) = corrupt_idat.windows(4).position(|w| w == b"IDAT") {
        for b in corrupt_idat.iter_mut().skip(at + 8).take(40) {
            *b ^= 0x5a;
        }
    }
    let mut huge_sof = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFF, 0xF0, 0xFF, 0xF0, 0x03,
    ];
    huge_sof.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
    huge_sof.extend(noise(2000, 5));
    let one_strip: u32 = 8 + 16 * (2 + 12 * 9 + 4);
    let huge_pages: Vec<_> = (0..16)
        .map(|_| rgb_dir(16_000, 16_000, one_strip, 3))
        .collect();
    let loop_dir = rgb_dir(4, 4, 8 + 2 + 12 * 9 + 4, 48);
    vec![
        h("empty file", "empty_front.jpg", Vec::new()),
        h("garbage", "noise_front.jpg", noise(4096, 1)),
        h("garbage", "noise.pdf", noise(4096, 2)),
        h(
            "truncated",
            "half_front.jpg",
            good_jpeg[..good_jpeg.len() / 2].to_vec(),
        ),
        h("truncated", "soi_front.jpg", vec![0xFF, 0xD8]),
        h("pixel bomb", "sof-65520_front.jpg", huge_sof),
        h(
            "truncated",
            "half_front.png",
            good_png[..good_png.len() / 2].to_vec(),
        ),
        h("corrupt data", "idat_front.png", corrupt_idat),
        h(
            "pixel bomb",
            "100000x100000_front.png",
            png_declaring(100_000, 100_000, 8, 2, &zlib(&[0; 1024])),
        ),
        h(
            "pixel bomb",
            "16bit-rgba-16000_front.png",
            png_declaring(16_000, 16_000, 16, 6, &zlib(&vec![0; 1 << 20])),
        ),
        h(
            "decompression bomb",
            "zeros-4000_front.png",
            png_declaring(4_000, 4_000, 8, 0, &zlib(&vec![0; 4_001 * 4_000])),
        ),
        h(
            "pixel bomb",
            "16-pages-16000_front.tif",
            tiff(&huge_pages, &[], &[0, 0, 0]),
        ),
        h(
            "structure loop",
            "ifd-loop_front.tif",
            tiff(&[loop_dir], &[Some(8)], &[0x80; 48]),
        ),
        h(
            "size lie",
            "strip-past-end_front.tif",
            tiff(&[rgb_dir(64, 64, 4_000_000, 12_288)], &[], &[]),
        ),
        h(
            "size lie",
            "zero-size_front.tif",
            tiff(&[rgb_dir(0, 0, 130, 0)], &[], &[]),
        ),
        h(
            "truncated",
            "header-only_front.tif",
            b"II*\0\x08\0\0\0".to_vec(),
        ),
        h("pixel bomb", "60000_front.bmp", {
            let mut b = b"BM".to_vec();
            b.extend_from_slice(&[0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0]);
            b.extend_from_slice(&60_000u32.to_le_bytes());
            b.extend_from_slice(&60_000u32.to_le_bytes());
            b.extend_from_slice(&[1, 0, 24, 0, 0, 0, 0, 0]);
            b.extend_from_slice(&[0; 20]);
            b
        }),
        h("size lie", "riff_front.webp", {
            let mut b = b"RIFF\xff\xff\xff\x7fWEBPVP8 ".to_vec();
            b.extend(noise(200, 9));
            b
        }),
        h(
            "structure loop",
            "reference-loop.pdf",
            pdf::reference_loop(),
        ),
        h(
            "structure loop",
            "self-reference.pdf",
            pdf::self_reference(),
        ),
        h("structure loop", "prev-loop.pdf", pdf::prev_loop()),
        h("size lie", "prev-into-object.pdf", pdf::prev_to(Some(20))),
        h("corrupt data", "xref-letter.pdf", pdf::bad_xref_digit()),
        h("encrypted", "encrypted.pdf", pdf::encrypted()),
        h("truncated", "half.pdf", {
            let p = pdf::scanned(&[pdf::PageImage::Jpeg {
                data: good_jpeg.clone(),
                width: 64,
                height: 48,
            }]);
            p[..p.len() / 2].to_vec()
        }),
        h(
            "pixel bomb",
            "flate-100000.pdf",
            pdf::scanned(&[pdf::PageImage::FlateRgb {
                rgb: vec![0; 30],
                width: 100_000,
                height: 100_000,
                predictor: false,
            }]),
        ),
        h("structure depth", "nested-100000.pdf", nested_pdf(100_000)),
        h(
            "size lie",
            "count-1e9.pdf",
            pdf::assemble(
                &[
                    b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                    b"<< /Type /Pages /Kids [] /Count 1000000000 >>".to_vec(),
                ],
                "/Root 1 0 R",
            ),
        ),
        h(
            "many pages",
            "shared-3000.pdf",
            pdf::shared_image(3000, &good_jpeg, 64, 48),
        ),
        h("garbage", "header-then-noise.pdf", {
            let mut b = b"%PDF-1.7\n".to_vec();
            b.extend(noise(8192, 11));
            b
        }),
        h("hostile name", "evil\nname_front.jpg", good_jpeg.clone()),
        h("hostile name", "scan#2_front.jpg", good_jpeg.clone()),
        h("hostile name", "\u{202e}gpj.exe_front.jpg", good_jpeg),
    ]
}
