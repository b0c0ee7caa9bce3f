//! `specimen new`: a specimen folder from a lab's own scans of a genuine document. Each scan is
//! deskewed and cropped to the document (found against the scanner's background), scaled to
//! the ICAO size at the chosen resolution, written as PNG and hashed into a manifest that
//! validates. Zones and features are added to the manifest afterwards.

use std::path::{Path, PathBuf};

use image::{DynamicImage, GrayImage, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{Interpolation, Projection, warp_into};
use imageproc::point::Point;

use super::manifest::{DocumentInfo, FORMAT, ImageRef, MANIFEST_FILE, Manifest};
use super::size::SizeClass;
use docexam_ingest::{LightSource, Side};

/// One scan given to [`scaffold`].
#[derive(Clone, Debug)]
pub struct SideImage {
    /// The side it shows.
    pub side: Side,
    /// The light it was taken under.
    pub light: LightSource,
    /// The decoded scan.
    pub image: DynamicImage,
}

/// What [`scaffold`] writes into the manifest.
#[derive(Clone, Debug)]
pub struct ScaffoldOptions {
    /// The specimen's id.
    pub id: String,
    /// A human name.
    pub name: String,
    /// The size class.
    pub size: SizeClass,
    /// Resolution of the written reference images.
    pub dpi: u32,
    /// Issuing state as in the MRZ.
    pub issuing_state: String,
    /// MRZ document code.
    pub document_code: String,
    /// Where the scans come from.
    pub provenance: String,
    /// The licence of the images.
    pub licence: String,
}

/// Why a folder could not be scaffolded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScaffoldError {
    /// The target folder exists and is not empty.
    #[error("{0}: exists and is not empty; choose a new folder")]
    NotEmpty(PathBuf),
    /// Writing failed.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The scans do not make a specimen.
    #[error("{0}")]
    Input(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Side of the working image the document is searched in.
const WORK_SIDE: u32 = 800;

/// The four corners of the document in `gray` (top-left, top-right, bottom-right,
/// bottom-left, in `gray`'s pixels), found as the largest region that differs from the
/// background at the image border; `None` if nothing stands out from the border.
fn find_document(gray: &GrayImage) -> Option<[(f32, f32); 4]> {
    let (w, h) = gray.dimensions();
    let mut border: Vec<u8> = Vec::new();
    for x in 0..w {
        border.push(gray.get_pixel(x, 0).0[0]);
        border.push(gray.get_pixel(x, h - 1).0[0]);
    }
    for y in 0..h {
        border.push(gray.get_pixel(0, y).0[0]);
        border.push(gray.get_pixel(w - 1, y).0[0]);
    }
    border.sort_unstable();
    let bg = i16::from(*border.get(border.len() / 2)?);
    let diff = GrayImage::from_fn(w, h, |x, y| {
        Luma([(i16::from(gray.get_pixel(x, y).0[0]) - bg)
            .unsigned_abs()
            .min(255) as u8])
    });
    let level = imageproc::contrast::otsu_level(&diff).max(12);
    let mask =
        imageproc::contrast::threshold(&diff, level, imageproc::contrast::ThresholdType::Binary);
    let mask = imageproc::morphology::close(&mask, imageproc::distance_transform::Norm::LInf, 4);
    let labels = imageproc::region_labelling::connected_components(
        &mask,
        imageproc::region_labelling::Connectivity::Eight,
        Luma([0]),
    );
    let mut counts = std::collections::HashMap::<u32, usize>::new();
    for p in labels.pixels() {
        if p.0[0] != 0 {
            *counts.entry(p.0[0]).or_default() += 1;
        }
    }
    let (label, count) = counts
        .into_iter()
        .max_by_key(|&(l, c)| (c, std::cmp::Reverse(l)))?;
    // Too small to be the document: the scan is probably the document alone.
    if count < (w as usize * h as usize) / 10 {
        return None;
    }
    let points: Vec<Point<f32>> = labels
        .enumerate_pixels()
        .filter(|(_, _, p)| p.0[0] == label)
        .map(|(x, y, _)| Point::new(x as f32, y as f32))
        .collect();
    if points.len() < 3 {
        return None;
    }
    let r = imageproc::geometry::min_area_rect(&points);
    Some(order_corners(r.map(|p| (p.x, p.y))))
}

/// Corners ordered top-left, top-right, bottom-right, bottom-left, with the long side as the
/// top edge (a document standing in the scan is turned a quarter turn clockwise).
fn order_corners(mut c: [(f32, f32); 4]) -> [(f32, f32); 4] {
    // Top-left: smallest x + y; then clockwise.
    let cx = c.iter().map(|p| p.0).sum::<f32>() / 4.0;
    let cy = c.iter().map(|p| p.1).sum::<f32>() / 4.0;
    c.sort_by(|a, b| {
        let aa = (a.1 - cy).atan2(a.0 - cx);
        let ab = (b.1 - cy).atan2(b.0 - cx);
        aa.total_cmp(&ab)
    });
    // After sorting by angle (y down): clockwise from the top-left quadrant.
    let start = c
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1.0 + a.1.1).total_cmp(&(b.1.0 + b.1.1)))
        .map_or(0, |(i, _)| i);
    c.rotate_left(start);
    let len = |a: (f32, f32), b: (f32, f32)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    if len(c[0], c[1]) < len(c[1], c[2]) {
        // Portrait: make the left edge the top (a quarter turn clockwise of the content).
        c.rotate_left(3);
    }
    c
}

/// The document in `img`, deskewed, cropped and scaled to `size` at `dpi` (RGB). A scan that
/// is the document alone (nothing stands out from its border) is only scaled. A document found
/// standing (portrait) is turned a quarter clockwise: which way up it belongs cannot be told
/// from its outline, so scan landscape documents landscape.
pub fn deskew_to_size(
    img: &DynamicImage,
    size: SizeClass,
    dpi: u32,
) -> Result<RgbImage, ScaffoldError> {
    check_dpi(dpi)?;
    let rgb = img.to_rgb8();
    let (w, h) = rgb.dimensions();
    let scale = (WORK_SIDE as f32 / w.max(h) as f32).min(1.0);
    let small = image::imageops::resize(
        &img.to_luma8(),
        ((w as f32 * scale) as u32).max(8),
        ((h as f32 * scale) as u32).max(8),
        image::imageops::FilterType::Triangle,
    );
    let sx = w as f32 / small.width() as f32;
    let sy = h as f32 / small.height() as f32;
    let full = [
        (0.0, 0.0),
        (w as f32, 0.0),
        (w as f32, h as f32),
        (0.0, h as f32),
    ];
    let corners = find_document(&small)
        .map(|c| c.map(|(x, y)| (x * sx, y * sy)))
        .unwrap_or_else(|| order_corners(full));
    let (ow, oh) = size.size_px(dpi);
    let to = [
        (0.0, 0.0),
        (ow as f32, 0.0),
        (ow as f32, oh as f32),
        (0.0, oh as f32),
    ];
    let mut out = RgbImage::from_pixel(ow, oh, Rgb([255, 255, 255]));
    match Projection::from_control_points(corners, to) {
        Some(p) => warp_into(
            &rgb,
            p,
            Interpolation::Bilinear,
            imageproc::geometric_transformations::Border::Replicate,
            &mut out,
        ),
        // Degenerate corners (a sliver): the scan as it is, scaled.
        None => out = image::imageops::resize(&rgb, ow, oh, image::imageops::FilterType::Triangle),
    }
    Ok(out)
}

fn check_dpi(dpi: u32) -> Result<(), ScaffoldError> {
    if super::DPI_RANGE.contains(&dpi) {
        Ok(())
    } else {
        Err(ScaffoldError::Input(format!(
            "{dpi} dpi is outside the {}–{} dpi a reference image may have",
            super::DPI_RANGE.start(),
            super::DPI_RANGE.end()
        )))
    }
}

/// Writes a specimen folder at `dir` (which must not exist or be empty) from `scans`.
pub fn scaffold(
    dir: &Path,
    opts: &ScaffoldOptions,
    scans: &[SideImage],
) -> Result<Manifest, ScaffoldError> {
    if scans.is_empty() {
        return Err(ScaffoldError::Input("give at least one scan".into()));
    }
    check_dpi(opts.dpi)?;
    // What validation would refuse is refused before anything is written.
    if !super::validate::is_id(&opts.id) {
        return Err(ScaffoldError::Input(format!(
            "{:?} is not a specimen id: 1–64 letters, digits, '.', '_' or '-' (give --id)",
            opts.id
        )));
    }
    for side in scans.iter().map(|s| s.side) {
        if !scans
            .iter()
            .any(|s| s.side == side && s.light == LightSource::White)
        {
            return Err(ScaffoldError::Input(format!(
                "the {} has no white-light scan; every side needs one",
                side.name()
            )));
        }
    }
    for (i, a) in scans.iter().enumerate() {
        if scans
            .iter()
            .skip(i + 1)
            .any(|b| a.side == b.side && a.light == b.light)
        {
            return Err(ScaffoldError::Input(format!(
                "two {} scans of the {}",
                a.light.name(),
                a.side.name()
            )));
        }
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut sides: Vec<Side> = Vec::new();
    let mut images = Vec::new();
    for s in scans {
        if !sides.contains(&s.side) {
            sides.push(s.side);
        }
        let out = deskew_to_size(&s.image, opts.size, opts.dpi)?;
        let file = format!("{}_{}.png", s.side.name(), s.light.name());
        let path = dir.join(&file);
        let mut bytes = Vec::new();
        out.write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(|e| ScaffoldError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        std::fs::write(&path, &bytes).map_err(io(&path))?;
        images.push(ImageRef {
            side: s.side,
            light: s.light,
            file,
            dpi: opts.dpi,
            blake3: blake3::hash(&bytes).to_hex().to_string(),
        });
    }
    sides.sort_by_key(|s| s.name() != "front");
    let manifest = Manifest {
        format: FORMAT.to_string(),
        document: DocumentInfo {
            id: opts.id.clone(),
            name: opts.name.clone(),
            issuing_state: opts.issuing_state.clone(),
            document_code: opts.document_code.clone(),
            size_class: opts.size,
            sides,
            valid_from: None,
            valid_to: None,
            provenance: opts.provenance.clone(),
            licence: opts.licence.clone(),
        },
        calibration: None,
        images,
        zones: Vec::new(),
        features: Vec::new(),
    };
    let text = toml::to_string_pretty(&manifest)
        .map_err(|e| ScaffoldError::Input(format!("cannot write the manifest: {e}")))?;
    let header = "# docexam specimen (docs/specimen-format.md). Add [[zone]] and [[feature]] \
                  tables in millimetres\n# on the document, then run `docexam specimen \
                  validate` on this folder.\n\n";
    let path = dir.join(MANIFEST_FILE);
    std::fs::write(&path, format!("{header}{text}")).map_err(io(&path))?;
    Ok(manifest)
}
