//! The layouts of the Utopia documents, in millimetres: the single place that says where
//! everything is, used both to draw the documents and to write their manifests.

use docexam_core::ingest::{LightSource, Side};
use docexam_core::specimen::SizeClass;

use crate::draw::Rect;

/// A printed data field: a small label above a value.
#[derive(Clone, Debug)]
pub struct FieldSpot {
    /// What the field holds (`surname`, `birth_date`, …).
    pub holds: String,
    /// The printed label.
    pub label: String,
    /// Left edge (mm).
    pub x: f64,
    /// Top of the label (mm).
    pub y: f64,
    /// Width (mm).
    pub w: f64,
}

impl FieldSpot {
    /// The field's rectangle (label and value).
    pub fn rect(&self) -> Rect {
        [self.x - 0.3, self.y - 0.3, self.w, 5.4]
    }

    /// Baseline of the value.
    pub fn value_baseline(&self) -> f64 {
        self.y + 4.2
    }
}

/// Type size of printed values (mm, the font's height).
pub const VALUE_SIZE_MM: f64 = 2.5;

/// Space after every character of a printed value (mm).
pub const VALUE_TRACKING_MM: f64 = 0.05;

/// How dates are printed.
pub const DATE_FORMAT: &str = "DD MMM YYYY";

/// Where the MRZ is printed.
#[derive(Clone, Copy, Debug)]
pub struct MrzSpot {
    /// Number of lines.
    pub lines: usize,
    /// Characters per line.
    pub chars: usize,
    /// Baseline of the last line, from the document's bottom edge (mm).
    pub last_baseline_from_bottom: f64,
    /// Distance between baselines (mm).
    pub line_pitch: f64,
}

/// Two lines of 44 (TD3, MRV-A).
const MRZ_2X44: MrzSpot = MrzSpot {
    lines: 2,
    chars: 44,
    last_baseline_from_bottom: 5.6,
    line_pitch: 4.9,
};

/// Two lines of 36 (TD2).
const MRZ_2X36: MrzSpot = MrzSpot {
    chars: 36,
    ..MRZ_2X44
};

/// Character pitch of the MRZ: 10 characters per inch.
pub const MRZ_PITCH: f64 = 2.54;

/// One side of a document.
#[derive(Clone, Debug)]
pub struct SideDesign {
    /// Which side.
    pub side: Side,
    /// Title lines (big, small) with the baseline of the first.
    pub title: Option<(&'static str, &'static str, f64)>,
    /// Portrait.
    pub portrait: Option<Rect>,
    /// Ghost image.
    pub ghost: Option<Rect>,
    /// OVD window.
    pub ovd: Option<Rect>,
    /// Printed fields.
    pub fields: Vec<FieldSpot>,
    /// MRZ.
    pub mrz: Option<MrzSpot>,
    /// Barcode (Data Matrix with an ICAO IDB).
    pub barcode: Option<Rect>,
    /// Rosette: centre x, centre y, inner and outer radius.
    pub rosette: (f64, f64, f64, f64),
    /// UV emblem: centre x, centre y, radius.
    pub uv_emblem: (f64, f64, f64),
    /// Microprint lines: x, baseline y, length.
    pub microprint: Vec<(f64, f64, f64)>,
    /// A data-free area for the rainbow print and IR drop-out checks.
    pub plain: Rect,
}

/// A document design.
#[derive(Clone, Debug)]
pub struct Design {
    /// Specimen id.
    pub id: String,
    /// Folder name under `reference-specimens/`.
    pub folder: String,
    /// Human name.
    pub name: String,
    /// Size class.
    pub size: SizeClass,
    /// MRZ document code.
    pub code: String,
    /// Issuing state as in the MRZ.
    pub state: String,
    /// Base hue of the split fountain.
    pub hue: f64,
    /// Guilloche parameters (amplitude, wave number of two line families).
    pub guilloche: [f64; 4],
    /// The sides.
    pub sides: Vec<SideDesign>,
    /// Seed of the fibres and other random artwork.
    pub seed: u64,
    /// Reference images with their personalised zones blanked, by side and light, for a
    /// design made from a specimen's own images ([`crate::generic`]): documents are printed
    /// onto them instead of being drawn.
    pub base: Option<std::sync::Arc<Base>>,
}

/// Blank reference images of a specimen, and their resolution.
#[derive(Clone, Debug)]
pub struct Base {
    /// Images by side and light.
    pub images: Vec<(Side, LightSource, image::RgbImage)>,
}

impl Base {
    /// The image of `side` under `light`.
    pub fn get(&self, side: Side, light: LightSource) -> Option<&image::RgbImage> {
        self.images
            .iter()
            .find(|(s, l, _)| *s == side && *l == light)
            .map(|(_, _, i)| i)
    }
}

impl Design {
    /// The MRZ spot's rectangle on its side, if the side has one.
    pub fn mrz_rect(&self, s: &SideDesign) -> Option<Rect> {
        let m = s.mrz?;
        let (w, h) = self.size.size_mm();
        let width = m.chars as f64 * MRZ_PITCH;
        let x = (w - width) / 2.0;
        let top = h - m.last_baseline_from_bottom - (m.lines as f64 - 1.0) * m.line_pitch - 3.0;
        Some([x - 0.8, top, width + 1.6, h - top - 1.2])
    }
}

fn f(holds: &str, label: &str, x: f64, y: f64, w: f64) -> FieldSpot {
    FieldSpot {
        holds: holds.to_string(),
        label: label.to_string(),
        x,
        y,
        w,
    }
}

/// The Utopia documents.
pub fn utopia() -> Vec<Design> {
    vec![td3(), td1(), td2(), mrv_a(), td3_diplomatic()]
}

/// A second passport design with other colours, background, layout and artwork positions:
/// the specimen that comparison thresholds and methods are checked on without having been
/// tuned on it.
fn td3_diplomatic() -> Design {
    Design {
        id: "UTO-PD-TD3".into(),
        folder: "utopia-td3-diplomatic-passport".into(),
        name: "Utopia diplomatic passport, data page (synthetic specimen)".into(),
        size: SizeClass::Td3,
        code: "PD".into(),
        state: "UTO".into(),
        hue: 0.08,
        guilloche: [1.2, 0.4, 0.5, 1.1],
        seed: 5,
        base: None,
        sides: vec![SideDesign {
            side: Side::Front,
            title: Some((
                "UTOPIA",
                "DIPLOMATIC PASSPORT / PASSEPORT DIPLOMATIQUE",
                7.5,
            )),
            portrait: Some([87.0, 17.0, 33.0, 42.0]),
            ghost: Some([6.0, 40.0, 15.0, 19.0]),
            ovd: Some([5.0, 15.5, 18.0, 14.0]),
            fields: vec![
                f("document_type", "Type / Type", 26.0, 16.0, 12.0),
                f("issuing_state", "Code / Code", 40.0, 16.0, 14.0),
                f(
                    "document_number",
                    "Passport No. / No du passeport",
                    56.0,
                    16.0,
                    29.0,
                ),
                f("surname", "Surname / Nom", 26.0, 22.0, 58.0),
                f("given_names", "Given names / Prénoms", 26.0, 28.0, 58.0),
                f("nationality", "Nationality / Nationalité", 26.0, 34.0, 40.0),
                f(
                    "birth_date",
                    "Date of birth / Date de naissance",
                    26.0,
                    40.0,
                    36.0,
                ),
                f("sex", "Sex / Sexe", 66.0, 40.0, 14.0),
                f(
                    "place_of_birth",
                    "Place of birth / Lieu de naissance",
                    26.0,
                    46.0,
                    58.0,
                ),
                f(
                    "issue_date",
                    "Date of issue / Date de délivrance",
                    26.0,
                    52.0,
                    36.0,
                ),
                f("authority", "Authority / Autorité", 64.0, 52.0, 22.0),
                f(
                    "expiry_date",
                    "Date of expiry / Date d'expiration",
                    26.0,
                    58.0,
                    36.0,
                ),
            ],
            mrz: Some(MRZ_2X44),
            barcode: None,
            rosette: (60.0, 42.0, 4.0, 16.0),
            uv_emblem: (50.0, 36.0, 13.0),
            microprint: vec![(5.0, 14.2, 115.0), (26.0, 64.6, 76.0)],
            plain: [62.0, 2.6, 56.0, 10.0],
        }],
    }
}

fn td3() -> Design {
    Design {
        id: "UTO-P-TD3".into(),
        folder: "utopia-td3-passport".into(),
        name: "Utopia passport, data page (synthetic specimen)".into(),
        size: SizeClass::Td3,
        code: "P".into(),
        state: "UTO".into(),
        hue: 0.48,
        guilloche: [0.9, 0.55, 0.7, 0.8],
        seed: 3,
        base: None,
        sides: vec![SideDesign {
            side: Side::Front,
            title: Some(("UTOPIA", "PASSPORT / PASSEPORT", 7.5)),
            portrait: Some([5.0, 17.0, 33.0, 42.0]),
            ghost: Some([104.0, 40.0, 15.0, 19.0]),
            ovd: Some([102.0, 15.5, 18.0, 14.0]),
            fields: vec![
                f("document_type", "Type / Type", 42.0, 16.0, 12.0),
                f("issuing_state", "Code / Code", 56.0, 16.0, 14.0),
                f(
                    "document_number",
                    "Passport No. / No du passeport",
                    72.0,
                    16.0,
                    29.0,
                ),
                f("surname", "Surname / Nom", 42.0, 22.0, 58.0),
                f("given_names", "Given names / Prénoms", 42.0, 28.0, 58.0),
                f("nationality", "Nationality / Nationalité", 42.0, 34.0, 40.0),
                f(
                    "birth_date",
                    "Date of birth / Date de naissance",
                    42.0,
                    40.0,
                    36.0,
                ),
                f("sex", "Sex / Sexe", 82.0, 40.0, 14.0),
                f(
                    "place_of_birth",
                    "Place of birth / Lieu de naissance",
                    42.0,
                    46.0,
                    58.0,
                ),
                f(
                    "issue_date",
                    "Date of issue / Date de délivrance",
                    42.0,
                    52.0,
                    36.0,
                ),
                f("authority", "Authority / Autorité", 80.0, 52.0, 22.0),
                f(
                    "expiry_date",
                    "Date of expiry / Date d'expiration",
                    42.0,
                    58.0,
                    36.0,
                ),
            ],
            mrz: Some(MRZ_2X44),
            barcode: None,
            rosette: (86.0, 40.0, 4.0, 17.0),
            uv_emblem: (70.0, 38.0, 14.0),
            microprint: vec![(5.0, 14.2, 115.0), (42.0, 64.6, 76.0)],
            plain: [40.0, 2.6, 60.0, 10.0],
        }],
    }
}

fn td1() -> Design {
    Design {
        id: "UTO-I-TD1".into(),
        folder: "utopia-td1-identity-card".into(),
        name: "Utopia identity card (synthetic specimen)".into(),
        size: SizeClass::Td1,
        code: "I".into(),
        state: "UTO".into(),
        hue: 0.02,
        guilloche: [0.7, 0.7, 0.55, 0.95],
        seed: 1,
        base: None,
        sides: vec![
            SideDesign {
                side: Side::Front,
                title: Some(("UTOPIA", "IDENTITY CARD / CARTE D'IDENTITÉ", 5.8)),
                portrait: Some([3.5, 12.0, 24.0, 31.0]),
                ghost: Some([71.5, 30.0, 10.5, 13.5]),
                ovd: Some([66.0, 11.5, 15.5, 12.0]),
                fields: vec![
                    f("surname", "Surname / Nom", 30.5, 12.0, 34.0),
                    f("given_names", "Given names / Prénoms", 30.5, 18.0, 34.0),
                    f("sex", "Sex / Sexe", 30.5, 24.0, 12.0),
                    f("nationality", "Nationality / Nationalité", 44.0, 24.0, 24.0),
                    f(
                        "birth_date",
                        "Date of birth / Date de naissance",
                        30.5,
                        30.0,
                        38.0,
                    ),
                    f(
                        "document_number",
                        "Document No. / No du document",
                        30.5,
                        36.0,
                        38.0,
                    ),
                    f(
                        "expiry_date",
                        "Date of expiry / Date d'expiration",
                        30.5,
                        42.0,
                        38.0,
                    ),
                ],
                mrz: None,
                barcode: None,
                rosette: (58.0, 31.0, 3.0, 13.0),
                uv_emblem: (45.0, 27.0, 11.0),
                microprint: vec![(3.5, 50.6, 78.0), (30.5, 10.9, 34.0)],
                plain: [30.0, 1.8, 34.0, 7.0],
            },
            SideDesign {
                side: Side::Back,
                title: None,
                portrait: None,
                ghost: None,
                ovd: None,
                fields: vec![
                    f(
                        "issue_date",
                        "Date of issue / Date de délivrance",
                        4.0,
                        4.0,
                        40.0,
                    ),
                    f("authority", "Authority / Autorité", 4.0, 10.0, 40.0),
                    f(
                        "place_of_birth",
                        "Place of birth / Lieu de naissance",
                        4.0,
                        16.0,
                        40.0,
                    ),
                    f(
                        "personal_number",
                        "Personal No. / No personnel",
                        4.0,
                        22.0,
                        40.0,
                    ),
                ],
                mrz: Some(MrzSpot {
                    lines: 3,
                    chars: 30,
                    last_baseline_from_bottom: 3.4,
                    line_pitch: 4.3,
                }),
                barcode: Some([63.0, 4.0, 19.0, 19.0]),
                rosette: (50.0, 17.0, 3.0, 11.0),
                uv_emblem: (18.0, 17.0, 9.0),
                microprint: vec![(4.0, 33.0, 77.5)],
                plain: [46.0, 25.0, 36.0, 5.0],
            },
        ],
    }
}

fn td2() -> Design {
    Design {
        id: "UTO-AR-TD2".into(),
        folder: "utopia-td2-residence-permit".into(),
        name: "Utopia residence permit (synthetic specimen)".into(),
        size: SizeClass::Td2,
        code: "AR".into(),
        state: "UTO".into(),
        hue: 0.72,
        guilloche: [0.8, 0.62, 0.6, 0.9],
        seed: 2,
        base: None,
        sides: vec![SideDesign {
            side: Side::Front,
            title: Some(("UTOPIA", "RESIDENCE PERMIT / TITRE DE SÉJOUR", 6.5)),
            portrait: Some([4.0, 13.0, 28.0, 36.0]),
            ghost: Some([88.0, 27.0, 12.0, 15.5]),
            ovd: Some([84.0, 9.5, 16.0, 13.0]),
            fields: vec![
                f("surname", "Surname / Nom", 36.0, 13.0, 46.0),
                f("given_names", "Given names / Prénoms", 36.0, 19.0, 46.0),
                f("nationality", "Nationality / Nationalité", 36.0, 25.0, 24.0),
                f("sex", "Sex / Sexe", 62.0, 25.0, 12.0),
                f(
                    "birth_date",
                    "Date of birth / Date de naissance",
                    36.0,
                    31.0,
                    40.0,
                ),
                f(
                    "document_number",
                    "Permit No. / No du titre",
                    36.0,
                    37.0,
                    30.0,
                ),
                f(
                    "expiry_date",
                    "Valid until / Valable jusqu'au",
                    68.0,
                    37.0,
                    30.0,
                ),
                f("remarks", "Remarks / Remarques", 36.0, 43.0, 46.0),
            ],
            mrz: Some(MRZ_2X36),
            barcode: None,
            rosette: (72.0, 33.0, 3.0, 15.0),
            uv_emblem: (56.0, 30.0, 13.0),
            microprint: vec![(4.0, 52.2, 97.0), (36.0, 11.8, 46.0)],
            plain: [36.0, 2.2, 46.0, 8.0],
        }],
    }
}

fn mrv_a() -> Design {
    Design {
        id: "UTO-V-MRVA".into(),
        folder: "utopia-mrv-a-visa".into(),
        name: "Utopia visa, format A (synthetic specimen)".into(),
        size: SizeClass::MrvA,
        code: "V".into(),
        state: "UTO".into(),
        hue: 0.9,
        guilloche: [1.0, 0.5, 0.8, 0.75],
        seed: 4,
        base: None,
        sides: vec![SideDesign {
            side: Side::Front,
            title: Some(("UTOPIA", "VISA", 6.5)),
            portrait: Some([4.0, 14.0, 28.0, 36.0]),
            ghost: None,
            ovd: Some([98.0, 26.0, 18.0, 14.0]),
            fields: vec![
                f("issue_date", "Valid from / Du", 36.0, 14.0, 30.0),
                f("expiry_date", "Until / Au", 68.0, 14.0, 30.0),
                f("visa_type", "Type / Type", 36.0, 20.0, 20.0),
                f("entries", "Entries / Entrées", 58.0, 20.0, 22.0),
                f("surname", "Surname / Nom", 36.0, 26.0, 60.0),
                f("given_names", "Given names / Prénoms", 36.0, 32.0, 60.0),
                f(
                    "birth_date",
                    "Date of birth / Date de naissance",
                    36.0,
                    38.0,
                    36.0,
                ),
                f("sex", "Sex / Sexe", 74.0, 38.0, 10.0),
                f("nationality", "Nationality", 85.0, 38.0, 12.0),
                f(
                    "document_number",
                    "Passport No. / No du passeport",
                    36.0,
                    44.0,
                    40.0,
                ),
            ],
            mrz: Some(MRZ_2X44),
            barcode: None,
            rosette: (82.0, 34.0, 3.0, 18.0),
            uv_emblem: (62.0, 34.0, 15.0),
            microprint: vec![(4.0, 54.0, 112.0), (36.0, 12.6, 60.0)],
            plain: [36.0, 2.2, 60.0, 8.0],
        }],
    }
}
