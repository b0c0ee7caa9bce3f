//! The manifest of a specimen folder (`specimen.toml`), as written on disk. Every table denies
//! unknown keys, so a misspelt key is an error naming it rather than a silently ignored line.
//! The format is documented in `docs/specimen-format.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::size::SizeClass;
use docexam_base::date::CivilDate;
use docexam_ingest::{LightSource, Side};

/// The format identifier every manifest starts with.
pub const FORMAT: &str = "docexam-specimen/1";

/// The file name of a manifest inside a specimen folder.
pub const MANIFEST_FILE: &str = "specimen.toml";

/// A specimen manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// What document this is a specimen of.
    pub document: DocumentInfo,
    /// How the features' thresholds were calibrated, when they were calibrated on a lab's
    /// genuine exemplars (`docexam specimen calibrate ID --genuine DIR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// Reference images, one per side and light source.
    #[serde(default, rename = "image", skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageRef>,
    /// Zones of the layout (MRZ, portrait, printed fields, barcode, …).
    #[serde(default, rename = "zone", skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<Zone>,
    /// Security features to compare.
    #[serde(default, rename = "feature", skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Feature>,
}

/// The record of a calibration on genuine exemplars: evidence of where every limit came
/// from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// How the limits were set (`genuine-exemplars`: each score's genuine model, its limit at
    /// `per_score_rate`).
    pub method: String,
    /// When (ISO 8601 date).
    pub date: String,
    /// The document-level false-alarm rate the limits were set for.
    pub false_alarm_rate: f64,
    /// The rate each score's limit was set at (Šidák over `scores`).
    pub per_score_rate: f64,
    /// How many scores got a genuine model.
    pub scores: usize,
    /// How many simulated captures of each exemplar were added (white balance, exposure,
    /// blur, JPEG, resolution).
    pub augmented_per_exemplar: usize,
    /// How many exemplars the limits of the others would have flagged (leave-one-out).
    pub leave_one_out_false_alarms: usize,
    /// The exemplars, with the blake3 of each file.
    #[serde(rename = "exemplar")]
    pub exemplars: Vec<Exemplar>,
}

/// One genuine exemplar a calibration used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemplar {
    /// The document's name (from its files' names).
    pub document: String,
    /// Its files' names and blake3 (hex), `name:hash`.
    pub files: Vec<String>,
}

impl Manifest {
    /// The light sources with a reference image, sorted by name, without repeats.
    pub fn lights(&self) -> Vec<LightSource> {
        let mut l: Vec<LightSource> = self.images.iter().map(|i| i.light).collect();
        l.sort_by_key(|l| l.name());
        l.dedup();
        l
    }
}

/// The identity of the document type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInfo {
    /// A unique id: letters, digits, `.`, `_` and `-` (`UTO-P-TD3-2026`).
    pub id: String,
    /// A human name (`Utopia passport, data page, 2026 series`).
    pub name: String,
    /// The issuing state as in the MRZ (`UTO`, `D`).
    pub issuing_state: String,
    /// The MRZ document code (`P`, `I`, `ID`, `AR`, `V`).
    pub document_code: String,
    /// The ICAO size class.
    pub size_class: SizeClass,
    /// The sides with reference images.
    pub sides: Vec<Side>,
    /// First day documents of this series were issued, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<CivilDate>,
    /// Last day documents of this series were issued, if the series has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<CivilDate>,
    /// Where the reference comes from (a generator and seed, a lab's scan of a genuine
    /// document with its case number, a vendor database).
    pub provenance: String,
    /// The licence the reference images may be used under.
    pub licence: String,
}

/// One reference image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageRef {
    /// The side it shows.
    pub side: Side,
    /// The light it was taken under.
    pub light: LightSource,
    /// The file, relative to the specimen folder.
    pub file: String,
    /// Its resolution in dots per inch; its pixel size must match the document size at this
    /// resolution.
    pub dpi: u32,
    /// The blake3 of the file (hex), checked on load.
    pub blake3: String,
}

/// A rectangle on one side of the document, in millimetres from the top-left corner:
/// `[x, y, width, height]`.
pub type RectMm = [f64; 4];

/// What a zone holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// The machine-readable zone.
    Mrz,
    /// The holder's portrait.
    Portrait,
    /// The ghost image (a smaller, lighter copy of the portrait).
    GhostImage,
    /// A printed data field (see [`Zone::holds`]).
    Field,
    /// A barcode.
    Barcode,
    /// The holder's signature.
    Signature,
}

/// A zone of the layout: where personalised content is printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// A unique id within the specimen (`mrz`, `surname`, `portrait`).
    pub id: String,
    /// What the zone holds.
    pub kind: ZoneKind,
    /// The side it is on.
    pub side: Side,
    /// Where, in millimetres.
    pub rect_mm: RectMm,
    /// For a field: what is printed there (`surname`, `given_names`, `document_number`,
    /// `nationality`, `birth_date`, `sex`, `place_of_birth`, `issue_date`, `expiry_date`,
    /// `authority`, `personal_number`, or a name of the lab's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holds: Option<String>,
    /// For a field: the label printed above it, if any (`Surname / Nom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// For a barcode: the symbology as zxing-cpp names it (`PDF417`, `DataMatrix`, `QRCode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbology: Option<String>,
    /// For a barcode: the payload kind it carries (`aamva`, `vds`, `idb`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// For a field: how its value is printed, so that the value the MRZ says can be drawn
    /// and compared with what is printed (a `printed_data` feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print: Option<PrintSpec>,
}

/// How a field's value is printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintSpec {
    /// The typeface (a TrueType or OpenType file of the specimen folder).
    pub font: FileRef,
    /// The type size: the font's height (ascender to descender) in millimetres. A font
    /// metric: give `cap_height_mm` instead where it was measured on a document.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub size_mm: f64,
    /// The height of a capital letter (`H`) in millimetres, as measured on a document with a
    /// ruler or a loupe: the type size follows from the font. One of `size_mm` and this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_height_mm: Option<f64>,
    /// The left end of the value's baseline, in millimetres on the document.
    pub origin_mm: [f64; 2],
    /// Space added after every character, in millimetres.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tracking_mm: f64,
    /// For a date: how it is printed, from `DD` (day), `MM` (month number), `MMM` (month
    /// as JAN … DEC), `YY`, `YYYY` and literal characters (`DD MMM YYYY`, `DD.MM.YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// The kinds of security feature a specimen can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// Guilloche or rosette background of fine lines.
    Guilloche,
    /// Microprinted text.
    Microprint,
    /// Rainbow (split-fountain) printing: a smooth colour gradient.
    RainbowPrint,
    /// A fine-line border.
    FineLineBorder,
    /// An optically variable device (hologram, kinegram) window.
    Ovd,
    /// A pattern that fluoresces under UV light.
    UvPattern,
    /// Fluorescent fibres in the substrate.
    UvFibres,
    /// A substrate that stays dull under UV (no optical brighteners).
    UvDullSubstrate,
    /// Ink that disappears under IR light.
    IrDropout,
    /// Ink that stays visible under IR light (MRZ, some data).
    IrVisible,
    /// The ghost image.
    GhostImage,
    /// The portrait zone (substitution signs).
    PortraitZone,
    /// Laser perforation.
    LaserPerforation,
    /// The MRZ font and position.
    MrzFont,
    /// Printing technique (continuous lines vs halftone screen).
    PrintingTechnique,
    /// The printed personal data (the fields with a [`PrintSpec`]) as the MRZ says it.
    PrintedData,
    /// No region of the side copied over another (copy-move). Every white-light side is
    /// checked for it without being declared; a manifest declares it to set its thresholds.
    DuplicatedRegions,
}

impl FeatureKind {
    /// The light a feature of this kind must be seen under, if it is bound to one.
    pub fn required_light(self) -> Option<LightSource> {
        match self {
            FeatureKind::UvPattern | FeatureKind::UvFibres | FeatureKind::UvDullSubstrate => {
                Some(LightSource::Uv)
            }
            FeatureKind::IrDropout | FeatureKind::IrVisible => Some(LightSource::Ir),
            _ => None,
        }
    }

    /// The comparator used when the manifest names none.
    pub fn default_comparator(self) -> Comparator {
        match self {
            FeatureKind::Guilloche | FeatureKind::FineLineBorder => Comparator::Pattern,
            FeatureKind::Microprint => Comparator::Microprint,
            FeatureKind::RainbowPrint => Comparator::Colour,
            FeatureKind::Ovd => Comparator::Ovd,
            FeatureKind::UvPattern | FeatureKind::UvFibres => Comparator::UvPattern,
            FeatureKind::UvDullSubstrate => Comparator::UvDull,
            FeatureKind::IrDropout => Comparator::IrDropout,
            FeatureKind::IrVisible => Comparator::IrVisible,
            FeatureKind::GhostImage | FeatureKind::PortraitZone => Comparator::Portrait,
            FeatureKind::LaserPerforation => Comparator::Pattern,
            FeatureKind::MrzFont => Comparator::MrzFont,
            FeatureKind::PrintingTechnique => Comparator::Halftone,
            FeatureKind::PrintedData => Comparator::PrintedData,
            FeatureKind::DuplicatedRegions => Comparator::CopyMove,
        }
    }
}

/// How a feature region is compared with the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// Masked zero-mean NCC and SSIM, plus line continuity.
    Pattern,
    /// Resolvable high-frequency energy vs the reference.
    Microprint,
    /// Halftone screen detection (FFT peaks).
    Halftone,
    /// CIE ΔE2000 of region statistics.
    Colour,
    /// Fluorescent pattern present under UV.
    UvPattern,
    /// Substrate dullness under UV.
    UvDull,
    /// Ink drops out under IR.
    IrDropout,
    /// Ink stays under IR.
    IrVisible,
    /// Portrait zone: edges, pattern continuity, ghost image.
    Portrait,
    /// Diffractive pattern present.
    Ovd,
    /// MRZ font shape and pitch.
    MrzFont,
    /// Printed data drawn from the MRZ and compared character by character.
    PrintedData,
    /// Blocks of the page repeated elsewhere on it, where the reference does not repeat.
    CopyMove,
}

/// A security feature: where it is, under which light, and how it is judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// A unique id within the specimen (`front-guilloche`, `uv-emblem`).
    pub id: String,
    /// What it is.
    pub kind: FeatureKind,
    /// The side it is on.
    pub side: Side,
    /// The light it is seen under.
    pub light: LightSource,
    /// Where, in millimetres.
    pub rect_mm: RectMm,
    /// The comparator (default: the kind's, see [`FeatureKind::default_comparator`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparator: Option<Comparator>,
    /// Thresholds for the comparator, by name (`ncc_min = 0.6`); the comparator's defaults
    /// apply to the ones not named.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub thresholds: BTreeMap<String, f64>,
    /// Zones whose pixels are personalised and left out of the comparison.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mask_zones: Vec<String>,
    /// A mask image (white: compared, black: left out) at the reference image's size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<FileRef>,
    /// What an examiner looks for, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Feature {
    /// The comparator that judges this feature.
    pub fn comparator(&self) -> Comparator {
        self.comparator
            .unwrap_or_else(|| self.kind.default_comparator())
    }
}

/// A file of the specimen with its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// The file, relative to the specimen folder.
    pub file: String,
    /// Its blake3 (hex), checked on load.
    pub blake3: String,
}
