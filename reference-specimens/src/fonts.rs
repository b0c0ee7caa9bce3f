//! The vendored fonts (see `fonts/README.md`).

use ab_glyph::FontRef;

/// The fonts the documents are printed with.
pub struct Fonts {
    /// OCR-B, for the MRZ.
    pub ocrb: FontRef<'static>,
    /// DejaVu Sans, for labels and microprint.
    pub sans: FontRef<'static>,
    /// DejaVu Sans Bold, for titles and data.
    pub bold: FontRef<'static>,
}

static SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// The typeface of the printed data as specimen folders carry it (DejaVu Sans Bold cut down
/// to Latin-1; see `fonts/README.md`): its bytes and its file name in a specimen folder.
pub static DATA_FONT: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold-Latin1.ttf");

/// Where a specimen folder keeps [`DATA_FONT`].
pub const DATA_FONT_FILE: &str = "fonts/DejaVuSans-Bold-Latin1.ttf";
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

impl Fonts {
    /// Parses the vendored fonts.
    pub fn load() -> Result<Self, ab_glyph::InvalidFont> {
        Ok(Fonts {
            ocrb: FontRef::try_from_slice(docexam_core::mrz::read::OCRB_FONT)?,
            sans: FontRef::try_from_slice(SANS)?,
            bold: FontRef::try_from_slice(BOLD)?,
        })
    }
}
