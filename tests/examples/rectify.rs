//! Registers capture images onto their specimen and writes each as seen in the specimen's
//! millimetre frame, beside the reference at the same scale: for looking at what a
//! comparison compares.
//!
//! `cargo run --release -p docexam-tests --example rectify -- SPECIMEN_ID PX_PER_MM OUT_DIR
//! IMAGE:SIDE:LIGHT...`

use std::path::PathBuf;

use docexam_core::compare::read_mrz;
use docexam_core::ingest::{Limits, decode_file};
use docexam_core::mrz::MrzParser;
use docexam_core::raster::{Pyramid, View};
use docexam_core::register::{prepare_all, register};
use docexam_core::specimen::{FolderSource, SpecimenSource};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [id, px, out, images @ ..] = args.as_slice() else {
        return Err("usage: rectify SPECIMEN_ID PX_PER_MM OUT_DIR IMAGE:SIDE:LIGHT...".into());
    };
    let px: f64 = px.parse()?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reference-specimens");
    let lib = FolderSource::open(&[root]).value;
    let specimen = lib.load(id)?;
    let references = prepare_all(&specimen, &lib)?;
    let (w, h) = specimen.size_mm();
    for spec in images {
        let mut parts = spec.rsplitn(3, ':');
        let (Some(light), Some(side), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("{spec}: expected IMAGE:SIDE:LIGHT").into());
        };
        let (side, light) = (side.parse()?, light.parse()?);
        let page = decode_file(std::path::Path::new(path), &Limits::DEFAULT)?
            .into_iter()
            .next()
            .ok_or("no page")?;
        let pyramid = Pyramid::new(page.image.into_rgb8());
        let reference = references
            .iter()
            .find(|r| r.side == side && r.light == light)
            .ok_or("no reference for that side and light")?;
        let mrz = read_mrz(&pyramid, &MrzParser::default());
        let reg = register(&pyramid, reference, mrz.as_ref())?;
        eprintln!(
            "{path}: {} {}/{} via {}, residual {:.3} mm",
            reg.stage, reg.inliers, reg.patches, reg.method, reg.residual_mm
        );
        for (method, ncc) in &reg.placements {
            eprintln!("  placement {method}: whole-document NCC {ncc:.3}");
        }
        let stem = std::path::Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("page");
        let q = View {
            pyramid: &pyramid,
            mm_to_px: reg.mm_to_px,
        }
        .sample([0.0, 0.0, w, h], px);
        q.to_image([255, 0, 255])
            .save(out.join(format!("{stem}_rectified.png")))?;
        if let Some(light) = docexam_core::compare::LightField::estimate(
            &View {
                pyramid: &pyramid,
                mm_to_px: reg.mm_to_px,
            },
            reference,
        ) {
            let (lo, hi) = light.gain_range();
            eprintln!(
                "  light: gain {lo:.2}-{hi:.2}, median gain/offset {:?}, washed out {:.0}%",
                light.median(),
                100.0 * light.washed_out_share()
            );
        }
        reference
            .view()
            .sample([0.0, 0.0, w, h], px)
            .to_image([255, 0, 255])
            .save(out.join(format!("{stem}_reference.png")))?;
    }
    Ok(())
}
