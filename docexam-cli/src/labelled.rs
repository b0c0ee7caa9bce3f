//! Comparing the documents of a labelled set (from `docexam specimen synth`) with their
//! specimen: shared by `docexam bench detect` and `docexam specimen calibrate`.

use std::fs;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use docexam_core::compare::{Capture, FeatureResult, Status, compare_document};
use docexam_core::ingest::{LightSource, Limits, decode_page_file};
use docexam_core::mrz::MrzParser;
use docexam_core::raster::Pyramid;
use docexam_core::register::ReferenceImage;
use docexam_core::specimen::{RectMm, Specimen};
use serde_json::Value;

/// A region a forgery touched.
#[derive(Clone, Debug)]
pub struct Touched {
    /// Side.
    pub side: String,
    /// Light.
    pub light: String,
    /// Where (mm).
    pub rect_mm: RectMm,
}

/// One document compared.
#[derive(Debug)]
pub struct Compared {
    /// Document name.
    pub document: String,
    /// `genuine` or the forgery kind.
    pub kind: String,
    /// What the forgery touched.
    pub regions: Vec<Touched>,
    /// Every feature's result.
    pub features: Vec<FeatureResult>,
    /// Each capture's registration in words (stage, inliers, placement) with its residual
    /// (mm), NaN where it failed.
    pub registrations: Vec<(String, f64)>,
    /// Wall time of the comparison (decoding excluded), ms.
    pub ms: f64,
}

impl Compared {
    /// The document's score, higher for less genuine: −log10 of the calibrated document
    /// probability where the features carry genuine models, else the largest margin of a
    /// judged feature (above 0: flagged).
    pub fn score(&self) -> f64 {
        if let Some(s) = docexam_core::compare::model::document_score(&self.features, 0.01) {
            return -s.p_value.max(1e-300).log10();
        }
        self.features
            .iter()
            .filter(|f| matches!(f.status, Status::Pass | Status::Fail) && f.margin.is_finite())
            .map(|f| f.margin)
            .fold(-10.0, f64::max)
    }

    /// Whether any feature failed.
    pub fn flagged(&self) -> bool {
        self.features.iter().any(|f| f.status == Status::Fail)
    }

    /// Whether nothing failed but a feature could not be judged: the verdict would be
    /// inconclusive.
    pub fn inconclusive(&self) -> bool {
        !self.flagged()
            && self
                .features
                .iter()
                .any(|f| f.status == Status::Inconclusive)
    }

    /// The failing feature with the largest margin.
    pub fn worst(&self) -> Option<&FeatureResult> {
        self.features
            .iter()
            .filter(|f| f.status == Status::Fail)
            .max_by(|a, b| a.margin.total_cmp(&b.margin))
    }

    /// Whether the worst failing feature lies in a region the forgery touched.
    pub fn attributed(&self) -> bool {
        let Some(w) = self.worst() else {
            return false;
        };
        self.regions.iter().any(|r| {
            r.side == w.side.name() && r.light == w.light.name() && overlaps(r.rect_mm, w.region_mm)
        })
    }
}

fn overlaps(a: RectMm, b: RectMm) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/// The folder of a labelled set, and the temporary folder holding it when it has one
/// (removed when this is dropped).
pub struct SetDir {
    /// The folder.
    pub path: std::path::PathBuf,
    _temp: Option<tempfile::TempDir>,
}

/// The labelled set to work on: `dir` as it is when given; otherwise one that `make`
/// generates into `out` or, without `out`, into a temporary folder.
pub fn set_dir(
    dir: Option<&Path>,
    out: Option<&Path>,
    make: impl FnOnce(&Path) -> Result<()>,
) -> Result<SetDir> {
    if let Some(d) = dir {
        return Ok(SetDir {
            path: d.to_path_buf(),
            _temp: None,
        });
    }
    let (path, temp) = match out {
        Some(o) => (o.to_path_buf(), None),
        None => {
            let t = tempfile::tempdir().context("cannot make a temporary folder")?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    make(&path)?;
    Ok(SetDir { path, _temp: temp })
}

/// Reads `labels.jsonl` of `dir`.
pub fn labels(dir: &Path) -> Result<Vec<Value>> {
    let path = dir.join("labels.jsonl");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}: line {} is not JSON", path.display(), i + 1))
        })
        .collect()
}

/// Compares one labelled document of `dir`: its captures under `lights`, or all.
pub fn compare_one(
    specimen: &Specimen,
    references: &[ReferenceImage],
    dir: &Path,
    label: &Value,
    parser: &MrzParser,
    lights: Option<&[LightSource]>,
) -> Result<Compared> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let mut captures = Vec::new();
    for f in label
        .get("files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let light: LightSource = s(f, "light")
            .parse()
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("{}: light", s(f, "file")))?;
        if lights.is_some_and(|l| !l.contains(&light)) {
            continue;
        }
        let path = dir.join(s(f, "file"));
        let img = decode_page_file(&path, 1, &Limits::DEFAULT)
            .with_context(|| format!("decoding {}", path.display()))?
            .image
            .into_rgb8();
        captures.push(Capture {
            side: s(f, "side")
                .parse()
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("{}: side", path.display()))?,
            light,
            pyramid: Pyramid::new(img),
        });
    }
    let start = Instant::now();
    let cmp = compare_document(specimen, references, &captures, parser);
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let regions = label
        .get("regions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| {
            let rect = r
                .get("rect_mm")
                .and_then(Value::as_array)
                .map(|a| {
                    let v: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
                    [
                        v.first().copied().unwrap_or(0.0),
                        v.get(1).copied().unwrap_or(0.0),
                        v.get(2).copied().unwrap_or(0.0),
                        v.get(3).copied().unwrap_or(0.0),
                    ]
                })
                .unwrap_or_default();
            Touched {
                side: s(r, "side"),
                light: s(r, "light"),
                rect_mm: rect,
            }
        })
        .collect();
    Ok(Compared {
        document: s(label, "document"),
        kind: s(label, "kind"),
        regions,
        features: cmp.features,
        registrations: cmp
            .registrations
            .iter()
            .map(|r| {
                (
                    match &r.registration {
                        Some(g) => format!(
                            "{}_{} {} {}/{} via {} (margin {:.2})",
                            r.side.name(),
                            r.light.name(),
                            g.stage,
                            g.inliers,
                            g.patches,
                            g.method,
                            g.margin
                        ),
                        None => format!("{}_{} failed", r.side.name(), r.light.name()),
                    },
                    r.registration.as_ref().map_or(f64::NAN, |g| g.residual_mm),
                )
            })
            .collect(),
        ms,
    })
}
