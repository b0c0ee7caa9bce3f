#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Barcode decoding and payload parsing (issue targets: our pipeline adds less than 10 % over a
//! bare zxing-cpp call on the same image; at least 100,000 AAMVA payloads per second).
//! Run: `cargo bench -p docexam-barcode --bench barcode`.
//!
//! Images: an ID-1 card (85.60 × 53.98 mm) and a TD3 data page (125 × 88 mm) at 300 and 600 dpi,
//! a fine-line background, a dark portrait block and one PDF417 holding a real AAMVA payload,
//! modules 0.254 mm wide (3 px at 300 dpi) as on driving licences, lightly blurred.

use std::hint::black_box;

use base64::Engine as _;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use docexam_barcode::decode::FORMATS;
use docexam_barcode::{ParseOptions, TrustStore, decode_image, parse, read_image};
use docexam_base::date::CivilDate;
use image::{GrayImage, Luma, imageops};
use zxingcpp::{BarcodeFormat, ImageFormat, ImageView};

const AAMVA_NY: &str = include_str!("../../tests/data/barcodes/aamva-ny.b64");
const AAMVA_VA: &str = include_str!("../../tests/data/barcodes/aamva-va-v10-va-u21.b64");
const AAMVA_MA: &str = include_str!("../../tests/data/barcodes/aamva-ma-2016.b64");
const AAMVA_PA: &str = include_str!("../../tests/data/barcodes/aamva-pa.b64");

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .unwrap_or_default()
}

fn mm_to_px(mm: f32, dpi: u32) -> u32 {
    (mm / 25.4 * dpi as f32).round() as u32
}

/// A PDF417 of `bytes` with modules of `module` pixels.
fn pdf417(bytes: &[u8], module: i32) -> Option<GrayImage> {
    let bc = zxingcpp::create(BarcodeFormat::PDF417)
        .from_slice(bytes)
        .ok()?;
    let img = bc
        .to_image_with(&zxingcpp::write().scale(module).add_quiet_zones(true))
        .ok()?;
    GrayImage::from_raw(img.width() as u32, img.height() as u32, img.data())
}

/// A document of `w_mm` × `h_mm` at `dpi` with the code at (`x_mm`, `y_mm`).
fn document(w_mm: f32, h_mm: f32, dpi: u32, code: &GrayImage, x_mm: f32, y_mm: f32) -> GrayImage {
    let (w, h) = (mm_to_px(w_mm, dpi), mm_to_px(h_mm, dpi));
    let px_per_mm = dpi as f32 / 25.4;
    // Fine sinusoidal lines every 0.6 mm, a few grey levels below the paper.
    let mut page = GrayImage::from_fn(w, h, |x, y| {
        let (xm, ym) = (x as f32 / px_per_mm, y as f32 / px_per_mm);
        let phase = (ym + 0.8 * (xm * 0.35).sin()) / 0.6;
        let line = (phase.fract() - 0.5).abs() < 0.08;
        Luma([if line { 200 } else { 238 }])
    });
    let portrait = GrayImage::from_pixel(mm_to_px(25.0, dpi), mm_to_px(32.0, dpi), Luma([90]));
    imageops::overlay(
        &mut page,
        &portrait,
        i64::from(mm_to_px(4.0, dpi)),
        i64::from(mm_to_px(12.0, dpi)),
    );
    imageops::overlay(
        &mut page,
        code,
        i64::from(mm_to_px(x_mm, dpi)),
        i64::from(mm_to_px(y_mm, dpi)),
    );
    imageops::blur(&page, 0.6 * dpi as f32 / 300.0)
}

/// The reader a bare call would use: the same symbologies and the same effort settings.
fn bare_read(img: &GrayImage) -> usize {
    let Ok(view) = ImageView::from_slice(img.as_raw(), img.width(), img.height(), ImageFormat::Lum)
    else {
        return 0;
    };
    zxingcpp::read()
        .formats(FORMATS)
        .try_harder(true)
        .try_rotate(true)
        .try_invert(true)
        .try_downscale(true)
        .from(view)
        .map(|v| v.len())
        .unwrap_or(0)
}

fn decode(c: &mut Criterion) {
    let payload = b64(AAMVA_NY);
    let trust = TrustStore::new();
    let opts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: CivilDate::new(2026, 11, 25).unwrap_or_else(CivilDate::today_utc),
    };
    let mut group = c.benchmark_group("barcode_decode");
    group.sample_size(20);
    for dpi in [300u32, 600] {
        let module = (3 * dpi / 300) as i32;
        let Some(code) = pdf417(&payload, module) else {
            eprintln!("the writer did not render the PDF417");
            return;
        };
        for (doc, w, h, x, y) in [
            ("id1", 85.60, 53.98, 32.0, 14.0),
            ("td3", 125.0, 88.0, 34.0, 10.0),
        ] {
            let img = document(w, h, dpi, &code, x, y);
            let label = format!("{doc}_{dpi}dpi");
            // The image must hold exactly one decodable code for the comparison to mean anything.
            let ours = decode_image(&img).map(|r| r.codes.len()).unwrap_or(0);
            let bare = bare_read(&img);
            eprintln!(
                "{label}: {}×{} px, module {module} px, docexam {ours} code(s), bare {bare}",
                img.width(),
                img.height()
            );
            group.bench_with_input(BenchmarkId::new("zxing_bare", &label), &img, |b, img| {
                b.iter(|| black_box(bare_read(black_box(img))))
            });
            group.bench_with_input(BenchmarkId::new("decode_image", &label), &img, |b, img| {
                b.iter(|| black_box(decode_image(black_box(img)).map(|r| r.codes.len())))
            });
            group.bench_with_input(BenchmarkId::new("read_image", &label), &img, |b, img| {
                b.iter(|| black_box(read_image(black_box(img), &opts).map(|r| r.codes.len())))
            });
        }
    }
    group.finish();
}

fn aamva(c: &mut Criterion) {
    let trust = TrustStore::new();
    let opts = ParseOptions {
        kind: None,
        trust: &trust,
        as_of: CivilDate::new(2026, 11, 25).unwrap_or_else(CivilDate::today_utc),
    };
    let mut group = c.benchmark_group("aamva_parse");
    group.throughput(Throughput::Elements(1));
    for (name, text) in [
        ("ny_v7", AAMVA_NY),
        ("va_v10", AAMVA_VA),
        ("ma_2016", AAMVA_MA),
        ("pa", AAMVA_PA),
    ] {
        let bytes = b64(text);
        group.bench_function(name, |b| {
            b.iter(|| black_box(parse(black_box(&bytes), &opts).fields.len()))
        });
    }
    group.finish();
}

const CSCA: &[u8] = include_bytes!("../../tests/data/trust/csca.der");
const DS: &[u8] = include_bytes!("../../tests/data/trust/ds.der");
const RSA_PSS_CSCA: &[u8] = include_bytes!("../../tests/data/trust/rsa-pss-csca.der");
const RSA_PSS_DS: &[u8] = include_bytes!("../../tests/data/trust/rsa-pss-ds.der");
const MASTER_LIST_500: &[u8] = include_bytes!("../../tests/data/trust/masterlist-500.der");
const DETS27: &[u8] = include_bytes!("../../tests/data/barcodes/certs/vds-test-DETS27.der");
const VDS_BP256: &str = include_str!("../../tests/data/barcodes/vds-arrival-attestation.b64");
const DCC_AT: &str = include_str!("../../tests/data/barcodes/dgc-at-1.txt");
const DCC_AT_CASE: &[u8] = include_bytes!("../../tests/data/barcodes/dgc-at-1.json");

/// Seal verification per signature: an ECDSA P-256 SHA-256 and an RSA-PSS 3072 certificate
/// signature (a document signer checked against its CSCA), a brainpoolP256r1 ICAO VDS and an ES256 EU DCC checked
/// with the whole payload parse around them, and loading a 501-certificate CSCA master list
/// with its CMS signature checked.
fn trust(c: &mut Criterion) {
    use docexam_barcode::trust::Certificate;
    let mut g = c.benchmark_group("trust");
    let (Some(csca), Some(ds)) = (Certificate::from_der(CSCA), Certificate::from_der(DS)) else {
        return;
    };
    // The crate's verification alone, key and signature decoded beforehand: what the
    // certificate check above adds to it is parsing and hashing.
    if let docexam_barcode::trust::PublicKey::Ec { point, .. } = &csca.key
        && let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
    {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let digest = [7u8; 32];
        let sig = p256::ecdsa::Signature::from_scalars([1u8; 32], [2u8; 32]);
        if let Ok(sig) = sig {
            g.bench_function("p256_verify_prehash_only", |b| {
                b.iter(|| black_box(key.verify_prehash(black_box(&digest), &sig).is_ok()))
            });
        }
    }
    g.bench_function("ecdsa_p256_certificate_signature", |b| {
        b.iter(|| black_box(ds.is_signed_by(black_box(&csca))))
    });
    if let (Some(ca), Some(ds)) = (
        Certificate::from_der(RSA_PSS_CSCA),
        Certificate::from_der(RSA_PSS_DS),
    ) {
        g.bench_function("rsa_pss_3072_certificate_signature", |b| {
            b.iter(|| black_box(ds.is_signed_by(black_box(&ca))))
        });
    }
    let as_of = CivilDate::new(2025, 6, 1).unwrap_or(CivilDate::today_utc());
    let mut vds_trust = TrustStore::new();
    vds_trust.add_bytes(DETS27);
    let vds = b64(VDS_BP256);
    g.bench_function("vds_brainpoolp256r1_parse_and_verify", |b| {
        b.iter(|| {
            black_box(parse(
                black_box(&vds),
                &ParseOptions {
                    kind: None,
                    trust: &vds_trust,
                    as_of,
                },
            ))
        })
    });
    let mut dcc_trust = TrustStore::new();
    dcc_trust.add_bytes(DCC_AT_CASE);
    g.bench_function("dcc_es256_parse_and_verify", |b| {
        b.iter(|| {
            black_box(parse(
                black_box(DCC_AT.as_bytes()),
                &ParseOptions {
                    kind: None,
                    trust: &dcc_trust,
                    as_of,
                },
            ))
        })
    });
    g.sample_size(20);
    g.bench_function("master_list_501_csca_with_signature", |b| {
        b.iter(|| {
            let mut s = TrustStore::new();
            black_box(s.add_bytes(black_box(MASTER_LIST_500)))
        })
    });
    g.finish();
}

criterion_group!(benches, decode, aamva, trust);
criterion_main!(benches);
