//! The test-document generator: genuine personalisations and labelled forgeries of a design,
//! captured the way scanners and phones capture them. Every document gets a line in
//! `labels.jsonl` saying what it is, which regions a forgery touched, the data printed and
//! the capture conditions.

use std::io::Write;
use std::path::Path;

use docexam_core::date::CivilDate;
use docexam_core::ingest::LightSource;
use image::RgbImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::capture::{Conditions, capture};
use crate::design::{Design, SideDesign};
use crate::draw::Rect;
use crate::fonts::Fonts;
use crate::persona::{Persona, mrz_lines};
use crate::render::{Capture, Overrides, render};
use crate::specimen::LIGHTS;

/// The forgeries the generator makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForgeryKind {
    /// Another person's portrait pasted over the holder's (with a cut edge).
    PhotoSubstitution,
    /// A printed date or number changed on the page only; the MRZ still holds the original.
    DataAltered,
    /// The MRZ re-typed in a font that is not OCR-B, at a slightly wrong pitch, with valid
    /// check digits.
    MrzRetyped,
    /// A counterfeit reprinted on an inkjet or laser printer: a halftone screen, microprint
    /// and fine lines lost, colours shifted.
    Reprint,
    /// Printed on ordinary paper: no UV emblem or fibres, the substrate glows under UV.
    UvMissing,
    /// All inks stay visible under IR.
    IrWrong,
    /// The background pattern imitated with other parameters.
    BackgroundImitation,
    /// A barcode whose content does not match the printed MRZ.
    BarcodeMismatch,
    /// A region of the page copied over another (6–16 mm): printed data covered with
    /// background taken from elsewhere on the document, or artwork duplicated.
    CopyMove,
    /// The background imitated closely: its line families redrawn 3% off in scale.
    BackgroundClose,
}

impl ForgeryKind {
    /// Every kind.
    pub const ALL: [ForgeryKind; 8] = [
        ForgeryKind::PhotoSubstitution,
        ForgeryKind::DataAltered,
        ForgeryKind::MrzRetyped,
        ForgeryKind::Reprint,
        ForgeryKind::UvMissing,
        ForgeryKind::IrWrong,
        ForgeryKind::BackgroundImitation,
        ForgeryKind::BarcodeMismatch,
    ];

    /// Kinds beyond [`ForgeryKind::ALL`], made only when asked for (the evaluation sets of
    /// `bench detect` stay as they were).
    pub const EXTRA: [ForgeryKind; 2] = [ForgeryKind::CopyMove, ForgeryKind::BackgroundClose];

    fn applies_to(self, d: &Design) -> bool {
        match self {
            ForgeryKind::BarcodeMismatch => d.sides.iter().any(|s| s.barcode.is_some()),
            ForgeryKind::PhotoSubstitution => d.sides.iter().any(|s| s.portrait.is_some()),
            ForgeryKind::MrzRetyped => d.sides.iter().any(|s| s.mrz.is_some()),
            // Imitating a background needs the design that drew it.
            ForgeryKind::BackgroundImitation | ForgeryKind::BackgroundClose => d.base.is_none(),
            ForgeryKind::CopyMove => d.sides.iter().any(|s| !s.fields.is_empty()),
            _ => true,
        }
    }
}

/// A region a forgery touched.
#[derive(Clone, Debug, Serialize)]
pub struct Region {
    /// Side.
    pub side: &'static str,
    /// Light it shows under.
    pub light: &'static str,
    /// Where, in mm.
    pub rect_mm: Rect,
    /// What was done there.
    pub what: String,
}

/// One image of a generated document.
#[derive(Clone, Debug, Serialize)]
pub struct FileLabel {
    /// File name in the output folder.
    pub file: String,
    /// Side.
    pub side: &'static str,
    /// Light.
    pub light: &'static str,
    /// Its capture conditions.
    pub conditions: Conditions,
}

/// The label of one generated document (a line of `labels.jsonl`).
#[derive(Clone, Debug, Serialize)]
pub struct Label {
    /// The document's name (the files' common prefix).
    pub document: String,
    /// The specimen it is made from.
    pub specimen: String,
    /// `genuine` or the forgery kind.
    pub kind: String,
    /// Regions a forgery touched (empty for genuine documents).
    pub regions: Vec<Region>,
    /// The data printed (the genuine personalisation; see `regions` for what was changed).
    pub data: Persona,
    /// The MRZ printed.
    pub mrz: Vec<String>,
    /// The images.
    pub files: Vec<FileLabel>,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    /// Genuine documents.
    pub genuine: usize,
    /// Forged documents (kinds in turn).
    pub forged: usize,
    /// Seed: the same seed gives the same documents.
    pub seed: u64,
    /// Capture resolution; `None` picks 300, 400 or 600 dpi per document.
    pub dpi: Option<u32>,
    /// How the documents are captured.
    pub style: CaptureStyle,
    /// The forgery kinds to make, in turn (`None`: [`ForgeryKind::ALL`]).
    pub kinds: Option<Vec<ForgeryKind>>,
}

/// How generated documents are captured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CaptureStyle {
    /// Scanners and phones in every condition examiners meet ([`Conditions::random`]).
    #[default]
    Mixed,
    /// Flat, clean scans ([`Conditions::clean`]).
    Clean,
    /// As a lab captures: half on a flatbed, half by phone ([`Conditions::lab`]).
    Lab,
}

impl std::str::FromStr for CaptureStyle {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "mixed" => Ok(CaptureStyle::Mixed),
            "clean" => Ok(CaptureStyle::Clean),
            "lab" => Ok(CaptureStyle::Lab),
            other => Err(format!(
                "unknown capture style {other:?}: mixed, clean or lab"
            )),
        }
    }
}

fn region(s: &SideDesign, light: LightSource, rect_mm: Rect, what: impl Into<String>) -> Region {
    Region {
        side: s.side.name(),
        light: light.name(),
        rect_mm,
        what: what.into(),
    }
}

/// A shifted copy of a date, as a forger would write it.
fn shift_year(d: CivilDate, by: i32) -> CivilDate {
    // 29 February becomes the 28th in a year that has none.
    CivilDate::new(d.year() + by, d.month(), d.day())
        .or_else(|| CivilDate::new(d.year() + by, d.month(), 28))
        .unwrap_or(d)
}

/// The overrides and labelled regions of a forgery.
fn forge(
    kind: ForgeryKind,
    d: &Design,
    p: &Persona,
    fonts: &Fonts,
    rng: &mut ChaCha8Rng,
) -> (Overrides, Vec<Region>) {
    let mut o = Overrides::default();
    let mut regions = Vec::new();
    let (w, h) = d.size.size_mm();
    for s in &d.sides {
        match kind {
            ForgeryKind::PhotoSubstitution => {
                if let Some(r) = s.portrait {
                    o.portrait_seed = Some(rng.random());
                    regions.push(region(s, LightSource::White, r, "portrait replaced"));
                }
            }
            ForgeryKind::DataAltered => {
                let targets = ["birth_date", "expiry_date", "document_number"];
                if let Some(f) = s
                    .fields
                    .iter()
                    .find(|f| targets.contains(&f.holds.as_str()))
                {
                    let mut q = p.clone();
                    match f.holds.as_str() {
                        "birth_date" => {
                            q.birth_date = shift_year(p.birth_date, -rng.random_range(3..9))
                        }
                        "expiry_date" => {
                            q.expiry_date = shift_year(p.expiry_date, rng.random_range(2..6))
                        }
                        _ => {
                            q.document_number = format!(
                                "{}{}",
                                &p.document_number[..8],
                                (p.document_number.as_bytes()[8] - b'0' + 1) % 10
                            )
                        }
                    }
                    let v = crate::render::value(d, &f.holds, &q, &Overrides::default());
                    o.printed.push((f.holds.clone(), v.clone()));
                    regions.push(region(
                        s,
                        LightSource::White,
                        f.rect(),
                        format!("{} printed as {v}", f.holds),
                    ));
                }
            }
            ForgeryKind::MrzRetyped => {
                if let Some(r) = d.mrz_rect(s) {
                    // A sans-serif at about the right size and pitch, as a forger's printer
                    // would set it.
                    o.mrz_font = Some((
                        fonts.sans.clone(),
                        rng.random_range(2.35..2.6),
                        rng.random_range(3.3..3.7),
                    ));
                    regions.push(region(
                        s,
                        LightSource::White,
                        r,
                        "MRZ re-typed in a sans-serif font at a wrong pitch",
                    ));
                }
            }
            ForgeryKind::Reprint => {
                regions.push(region(
                    s,
                    LightSource::White,
                    [0.0, 0.0, w, h],
                    "whole side reprinted with a halftone screen",
                ));
            }
            ForgeryKind::UvMissing => {
                o.uv_glowing_paper = true;
                regions.push(region(
                    s,
                    LightSource::Uv,
                    [0.0, 0.0, w, h],
                    "ordinary paper: glows, no emblem or fibres",
                ));
            }
            ForgeryKind::IrWrong => {
                o.ir_all_visible = true;
                regions.push(region(
                    s,
                    LightSource::Ir,
                    s.plain,
                    "drop-out inks stay visible",
                ));
            }
            ForgeryKind::BackgroundImitation => {
                let g = d.guilloche;
                o.guilloche = Some([g[0] * 1.35, g[1] * 0.8, g[2] * 0.7, g[3] * 1.2]);
                regions.push(region(
                    s,
                    LightSource::White,
                    [2.4, 2.4, w - 4.8, h - 4.8],
                    "guilloche imitated with other parameters",
                ));
            }
            ForgeryKind::CopyMove => {
                if o.copy_move.is_some() || s.fields.is_empty() {
                    continue;
                }
                let (pw, ph) = (rng.random_range(6.0..16.0), rng.random_range(4.0..8.0));
                let f = &s.fields[rng.random_range(0..s.fields.len())];
                // Over the field's value, from a place at least a patch away.
                let dst = [f.x, f.value_baseline() - ph + 1.0, pw, ph];
                let src = loop {
                    let x = rng.random_range(2.0..(w - pw - 2.0));
                    let y = rng.random_range(2.0..(h - ph - 2.0));
                    if (x - dst[0]).abs() > pw || (y - dst[1]).abs() > ph {
                        break [x, y, pw, ph];
                    }
                };
                o.copy_move = Some((s.side, src, dst));
                regions.push(region(
                    s,
                    LightSource::White,
                    dst,
                    format!(
                        "{:.0}×{:.0} mm copied from ({:.0}, {:.0}) mm over the {}",
                        pw, ph, src[0], src[1], f.holds
                    ),
                ));
            }
            ForgeryKind::BackgroundClose => {
                let g = d.guilloche;
                o.guilloche = Some([g[0], g[1] * 1.03, g[2] * 1.03, g[3]]);
                regions.push(region(
                    s,
                    LightSource::White,
                    [2.4, 2.4, w - 4.8, h - 4.8],
                    "guilloche imitated 3% off in scale",
                ));
            }
            ForgeryKind::BarcodeMismatch => {
                if let Some(r) = s.barcode {
                    let other = Persona::random(rng);
                    o.barcode_mrz = Some(mrz_lines(d.size, &d.code, &d.state, &other));
                    regions.push(region(
                        s,
                        LightSource::White,
                        r,
                        "barcode holds another person's MRZ",
                    ));
                }
            }
        }
    }
    (o, regions)
}

/// A reprint on an office printer: fine detail lost (blur of ~0.1 mm) and a CMY halftone
/// screen (about 6 lines/mm at 15°, 75° and 0°), colours slightly shifted.
pub fn reprint(img: &RgbImage, px_mm: f64) -> RgbImage {
    let soft = image::imageops::blur(img, (0.1 * px_mm) as f32);
    let period = px_mm / 6.0;
    let screens = [15f64, 75.0, 0.0].map(|a| a.to_radians().sin_cos());
    let mut out = soft;
    for (x, y, px) in out.enumerate_pixels_mut() {
        let (xf, yf) = (f64::from(x), f64::from(y));
        for (i, ch) in px.0.iter_mut().enumerate() {
            let ink = 1.0 - f64::from(*ch) / 255.0;
            let ink = (ink * 1.08 + 0.02).clamp(0.0, 1.0);
            let (s, c) = screens[i];
            let u = (xf * c + yf * s) / period * std::f64::consts::TAU;
            let v = (-xf * s + yf * c) / period * std::f64::consts::TAU;
            let screen = 0.5 - 0.25 * (u.cos() + v.cos());
            *ch = if ink > screen { 30 } else { 250 };
        }
    }
    out
}

/// Copies the pixels of `src` (mm) onto `dst` (mm) in `img` drawn at `px_mm`.
pub fn copy_move(img: &mut RgbImage, src: Rect, dst: Rect, px_mm: f64) {
    let px = |v: f64| (v * px_mm).round() as i64;
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let patch = img.clone();
    for dy in 0..px(dst[3].min(src[3])) {
        for dx in 0..px(dst[2].min(src[2])) {
            let (sx, sy) = (px(src[0]) + dx, px(src[1]) + dy);
            let (tx, ty) = (px(dst[0]) + dx, px(dst[1]) + dy);
            if (0..w).contains(&sx)
                && (0..h).contains(&sy)
                && (0..w).contains(&tx)
                && (0..h).contains(&ty)
            {
                img.put_pixel(tx as u32, ty as u32, *patch.get_pixel(sx as u32, sy as u32));
            }
        }
    }
}

/// Generates documents of `d` into `out` (created if needed) and writes `labels.jsonl`;
/// returns the labels.
pub fn synth(
    d: &Design,
    opts: &SynthOptions,
    out: &Path,
    fonts: &Fonts,
) -> std::io::Result<Vec<Label>> {
    std::fs::create_dir_all(out)?;
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let kinds: Vec<ForgeryKind> = opts
        .kinds
        .clone()
        .unwrap_or_else(|| ForgeryKind::ALL.to_vec())
        .into_iter()
        .filter(|k| k.applies_to(d))
        .collect();
    if kinds.is_empty() && opts.forged > 0 {
        return Err(std::io::Error::other(format!(
            "no forgery kind asked for applies to {}",
            d.id
        )));
    }
    // Decide every document first (one random stream), then draw them in parallel, each
    // from its own seed: the output does not depend on the number of threads.
    struct Job {
        name: String,
        kind: Option<ForgeryKind>,
        persona: Persona,
        overrides: Overrides,
        regions: Vec<Region>,
        dpi: u32,
        capture: Capture,
        seed: u64,
    }
    let mut jobs = Vec::new();
    for n in 0..opts.genuine + opts.forged {
        let forged = n >= opts.genuine;
        let kind = forged.then(|| kinds[(n - opts.genuine) % kinds.len()]);
        let mut persona = Persona::random(&mut rng);
        persona.nationality = d.state.clone();
        let (overrides, regions) = match kind {
            Some(k) => forge(k, d, &persona, fonts, &mut rng),
            None => (Overrides::default(), Vec::new()),
        };
        let dpi = opts
            .dpi
            .unwrap_or_else(|| [300, 400, 600][rng.random_range(0..3)]);
        let name = format!(
            "{}-{:04}-{}",
            d.id.to_ascii_lowercase(),
            n + 1,
            kind.map_or("genuine".to_string(), |k| kind_name(k).replace('_', "-"))
        );
        let capture = Capture {
            ovd_angle: rng.random_range(0.0..1.0),
        };
        jobs.push(Job {
            name,
            kind,
            persona,
            overrides,
            regions,
            dpi,
            capture,
            seed: rng.random(),
        });
    }
    let drawn: Vec<std::io::Result<Vec<FileLabel>>> = jobs
        .par_iter()
        .map(|j| {
            let mut rng = ChaCha8Rng::seed_from_u64(j.seed);
            let mut files = Vec::new();
            for s in &d.sides {
                for light in LIGHTS {
                    let mut img = render(
                        d,
                        s,
                        light,
                        &j.persona,
                        j.dpi,
                        j.capture,
                        &j.overrides,
                        fonts,
                    );
                    if j.kind == Some(ForgeryKind::Reprint) && light == LightSource::White {
                        img = reprint(&img, f64::from(j.dpi) / 25.4);
                    }
                    if let Some((side, src, dst)) = j.overrides.copy_move
                        && side == s.side
                        && light == LightSource::White
                    {
                        copy_move(&mut img, src, dst, f64::from(j.dpi) / 25.4);
                    }
                    let conditions = match opts.style {
                        CaptureStyle::Clean => Conditions::clean(j.dpi),
                        CaptureStyle::Mixed => Conditions::random(&mut rng, j.dpi),
                        CaptureStyle::Lab => Conditions::lab(&mut rng, j.dpi),
                    };
                    let bytes = capture(&img, &conditions, rng.random())?;
                    let file = format!("{}_{}_{}.jpg", j.name, s.side.name(), light.name());
                    std::fs::write(out.join(&file), bytes)?;
                    files.push(FileLabel {
                        file,
                        side: s.side.name(),
                        light: light.name(),
                        conditions,
                    });
                }
            }
            Ok(files)
        })
        .collect();
    let mut labels = Vec::new();
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(out.join("labels.jsonl"))?);
    for (j, files) in jobs.into_iter().zip(drawn) {
        let label = Label {
            document: j.name,
            specimen: d.id.to_string(),
            kind: j
                .kind
                .map_or("genuine".to_string(), |k| kind_name(k).to_string()),
            regions: j.regions,
            mrz: crate::render::mrz_of(d, &j.persona),
            data: j.persona,
            files: files?,
        };
        serde_json::to_writer(&mut jsonl, &label)?;
        writeln!(jsonl)?;
        labels.push(label);
    }
    jsonl.flush()?;
    Ok(labels)
}

/// The label name of a forgery kind (`photo_substitution`).
pub fn kind_name(k: ForgeryKind) -> &'static str {
    match k {
        ForgeryKind::PhotoSubstitution => "photo_substitution",
        ForgeryKind::DataAltered => "data_altered",
        ForgeryKind::MrzRetyped => "mrz_retyped",
        ForgeryKind::Reprint => "reprint",
        ForgeryKind::UvMissing => "uv_missing",
        ForgeryKind::IrWrong => "ir_wrong",
        ForgeryKind::BackgroundImitation => "background_imitation",
        ForgeryKind::BarcodeMismatch => "barcode_mismatch",
        ForgeryKind::CopyMove => "copy_move",
        ForgeryKind::BackgroundClose => "background_close",
    }
}
