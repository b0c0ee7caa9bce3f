//! ICAO size classes of machine-readable travel documents (Doc 9303 Parts 4–7).

use serde::{Deserialize, Serialize};

/// The size class of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SizeClass {
    /// ID-1 card, 85.60 × 53.98 mm (identity cards, residence permits).
    #[serde(rename = "TD1")]
    Td1,
    /// ID-2, 105 × 74 mm.
    #[serde(rename = "TD2")]
    Td2,
    /// ID-3, 125 × 88 mm (passport data page).
    #[serde(rename = "TD3")]
    Td3,
    /// Visa format A, 80 × 120 mm (a visa sticker filling a passport page).
    #[serde(rename = "MRV-A")]
    MrvA,
    /// Visa format B, 74 × 105 mm.
    #[serde(rename = "MRV-B")]
    MrvB,
}

impl SizeClass {
    /// Every size class.
    pub const ALL: [SizeClass; 5] = [
        SizeClass::Td1,
        SizeClass::Td2,
        SizeClass::Td3,
        SizeClass::MrvA,
        SizeClass::MrvB,
    ];

    /// Width and height in millimetres, landscape (the way the MRZ reads).
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            SizeClass::Td1 => (85.60, 53.98),
            SizeClass::Td2 => (105.0, 74.0),
            SizeClass::Td3 => (125.0, 88.0),
            SizeClass::MrvA => (120.0, 80.0),
            SizeClass::MrvB => (105.0, 74.0),
        }
    }

    /// The ICAO MRZ format printed on documents of this size.
    pub fn mrz_format(self) -> docexam_mrz::MrzFormat {
        use docexam_mrz::MrzFormat;
        match self {
            SizeClass::Td1 => MrzFormat::Td1,
            SizeClass::Td2 => MrzFormat::Td2,
            SizeClass::Td3 => MrzFormat::Td3,
            SizeClass::MrvA => MrzFormat::MrvA,
            SizeClass::MrvB => MrzFormat::MrvB,
        }
    }

    /// The name used in manifests and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SizeClass::Td1 => "TD1",
            SizeClass::Td2 => "TD2",
            SizeClass::Td3 => "TD3",
            SizeClass::MrvA => "MRV-A",
            SizeClass::MrvB => "MRV-B",
        }
    }

    /// Pixel size of a full image of the document at `dpi`.
    pub fn size_px(self, dpi: u32) -> (u32, u32) {
        let (w, h) = self.size_mm();
        (mm_to_px(w, dpi), mm_to_px(h, dpi))
    }
}

/// Millimetres to whole pixels at `dpi`.
pub fn mm_to_px(mm: f64, dpi: u32) -> u32 {
    (mm * f64::from(dpi) / 25.4).round().max(0.0) as u32
}

impl std::str::FromStr for SizeClass {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.to_ascii_uppercase().replace('_', "-");
        SizeClass::ALL
            .into_iter()
            .find(|c| c.name() == norm || c.name().replace('-', "") == norm)
            .ok_or_else(|| {
                format!("unknown size class {s:?}: expected TD1, TD2, TD3, MRV-A or MRV-B")
            })
    }
}

impl std::fmt::Display for SizeClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
