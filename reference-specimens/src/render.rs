//! Draws one side of a document under one light source, personalised with a [`Persona`].

use ab_glyph::FontRef;
use docexam_core::barcode::payload::{idb_mrz_message, write_unsigned_idb};
use docexam_core::ingest::LightSource;
use image::{GrayImage, RgbImage, imageops};

use crate::art;
use crate::design::{Design, MRZ_PITCH, SideDesign};
use crate::draw::{Canvas, Colour, hsv, rgb, rounded_rect};
use crate::fonts::Fonts;
use crate::persona::{Persona, mrz_lines};

/// What varies between captures of the same document (the OVD's colours).
#[derive(Clone, Copy, Debug)]
pub struct Capture {
    /// The OVD's hue shift (0..1): the viewing angle of this capture.
    pub ovd_angle: f64,
}

impl Default for Capture {
    fn default() -> Self {
        Capture { ovd_angle: 0.12 }
    }
}

/// How printed content is altered (for forgeries); the default is none.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// Printed values to show instead of the persona's (by `holds`).
    pub printed: Vec<(String, String)>,
    /// A font to print the MRZ in instead of OCR-B, a pitch instead of 2.54 mm and a size
    /// (mm) instead of 4.
    pub mrz_font: Option<(FontRef<'static>, f64, f64)>,
    /// A different portrait seed (photo substitution), with a visible edge around it.
    pub portrait_seed: Option<u64>,
    /// Background guilloche parameters (an imitation).
    pub guilloche: Option<[f64; 4]>,
    /// No UV emblem and fibres; the substrate glows (ordinary paper).
    pub uv_glowing_paper: bool,
    /// All inks stay visible under IR (a colour reprint).
    pub ir_all_visible: bool,
    /// The barcode's MRZ (a barcode that does not match the printed MRZ).
    pub barcode_mrz: Option<Vec<String>>,
    /// How far (mm, right and down) the personalisation printer set the data fields' values
    /// off their places on the preprinted background (genuine documents vary by up to about
    /// a millimetre).
    pub data_offset_mm: (f64, f64),
    /// A copy-move: on this side, under white light, the pixels of the first rectangle (mm)
    /// copied onto the second.
    pub copy_move: Option<(
        docexam_core::ingest::Side,
        crate::draw::Rect,
        crate::draw::Rect,
    )>,
}

/// The value printed in a field.
pub fn value(design: &Design, holds: &str, p: &Persona, o: &Overrides) -> String {
    if let Some((_, v)) = o.printed.iter().find(|(h, _)| *h == holds) {
        return v.clone();
    }
    let date = |d| docexam_core::date::printed::format_date(crate::design::DATE_FORMAT, d);
    match holds {
        "surname" => p.surname.clone(),
        "given_names" => p.given_names.clone(),
        "document_number" => p.document_number.clone(),
        "nationality" => p.nationality.clone(),
        "birth_date" => date(p.birth_date),
        "sex" => p.sex.to_string(),
        "issue_date" => date(p.issue_date),
        "expiry_date" => date(p.expiry_date),
        "place_of_birth" => p.place_of_birth.clone(),
        "authority" => p.authority.clone(),
        "personal_number" => p.personal_number.clone(),
        "document_type" => design.code.clone(),
        "issuing_state" => design.state.clone(),
        "remarks" => "PERMANENT RESIDENCE".into(),
        "visa_type" => "C".into(),
        "entries" => "MULT".into(),
        _ => String::new(),
    }
}

/// The printed MRZ of this document and persona.
pub fn mrz_of(design: &Design, p: &Persona) -> Vec<String> {
    mrz_lines(design.size, &design.code, &design.state, p)
}

/// The Data Matrix (an unsigned ICAO IDB holding the MRZ), modules 1 px, with no quiet zone.
fn barcode(mrz: &[String], state: &str) -> Option<GrayImage> {
    let tag = match mrz.len() {
        3 => 0x07,
        _ if mrz.first().is_some_and(|l| l.len() == 44) => 0x08,
        _ => 0x81,
    };
    let text = write_unsigned_idb(state, &[(tag, idb_mrz_message(mrz)?)])?;
    let bc = zxingcpp::create(zxingcpp::BarcodeFormat::DataMatrix)
        .from_str(&text)
        .ok()?;
    let img = bc
        .to_image_with(&zxingcpp::write().scale(1).add_quiet_zones(false))
        .ok()?;
    GrayImage::from_raw(img.width() as u32, img.height() as u32, img.data())
}

/// Inks by light: what each printed layer looks like.
struct Inks {
    paper: Colour,
    title: Option<Colour>,
    label: Option<Colour>,
    data: Colour,
    mrz: Colour,
    guilloche: bool,
    glow: bool,
}

fn inks(design: &Design, light: LightSource, o: &Overrides) -> Inks {
    let dark = hsv(design.hue, 0.65, 0.32);
    match light {
        LightSource::Uv if o.uv_glowing_paper => Inks {
            paper: rgb(150, 160, 235),
            title: Some(rgb(110, 115, 190)),
            label: Some(rgb(110, 115, 190)),
            data: rgb(60, 60, 110),
            mrz: rgb(50, 50, 100),
            guilloche: false,
            glow: false,
        },
        LightSource::Uv => Inks {
            paper: rgb(30, 26, 52),
            title: Some(rgb(40, 36, 64)),
            label: None,
            data: rgb(20, 18, 34),
            mrz: rgb(18, 16, 30),
            guilloche: false,
            glow: true,
        },
        LightSource::Ir if o.ir_all_visible => Inks {
            paper: rgb(214, 214, 214),
            title: Some(rgb(70, 70, 70)),
            label: Some(rgb(90, 90, 90)),
            data: rgb(30, 30, 30),
            mrz: rgb(25, 25, 25),
            guilloche: true,
            glow: false,
        },
        LightSource::Ir => Inks {
            paper: rgb(214, 214, 214),
            title: None,
            label: None,
            data: rgb(30, 30, 30),
            mrz: rgb(25, 25, 25),
            guilloche: false,
            glow: false,
        },
        _ => Inks {
            paper: rgb(247, 244, 234),
            title: Some(dark),
            label: Some(hsv(design.hue, 0.5, 0.42)),
            data: rgb(24, 24, 30),
            mrz: rgb(20, 20, 24),
            guilloche: true,
            glow: false,
        },
    }
}

/// The ghost image: the holder's portrait (from `seed`) drawn again at the ghost's size, in
/// grey, printed at 35% strength over what is below it (a faded copy of the same photo).
fn ghost(c: &mut crate::draw::Canvas, r: crate::draw::Rect, seed: u64, dpi: u32) {
    let white = [1.0, 1.0, 1.0];
    let mut t = crate::draw::Canvas::new(r[2], r[3], dpi, white);
    art::portrait(&mut t, [0.0, 0.0, r[2], r[3]], seed, 1.0, true, white);
    let (x0, y0) = (
        libm::round(r[0] * c.px_mm) as u32,
        libm::round(r[1] * c.px_mm) as u32,
    );
    for (x, y, p) in t.img.enumerate_pixels() {
        let l = f64::from(p.0[0]) / 255.0;
        let ink = 1.0 - 0.35 * (1.0 - l);
        c.multiply(x0 + x, y0 + y, [ink, ink, ink], 1.0);
    }
}

/// Draws `side` of `design` under `light` at `dpi`.
#[allow(clippy::too_many_arguments)]
pub fn render(
    design: &Design,
    side: &SideDesign,
    light: LightSource,
    persona: &Persona,
    dpi: u32,
    capture: Capture,
    o: &Overrides,
    fonts: &Fonts,
) -> RgbImage {
    let (w, h) = design.size.size_mm();
    let ink = inks(design, light, o);
    let mut c = Canvas::new(w, h, dpi, ink.paper);
    // A design made from a specimen's images prints onto them instead of drawing artwork;
    // a forgery's wrong UV or IR behaviour replaces the base under that light.
    let base_light = match light {
        LightSource::Ir if o.ir_all_visible => LightSource::White,
        l => l,
    };
    let base = design
        .base
        .as_ref()
        .and_then(|b| b.get(side.side, base_light))
        .filter(|_| !(light == LightSource::Uv && o.uv_glowing_paper));
    if let Some(b) = base {
        let (pw, ph) = c.img.dimensions();
        c.img = imageops::resize(b, pw, ph, imageops::FilterType::Triangle);
        if light == LightSource::Ir {
            let g = imageops::grayscale(&c.img);
            c.img = image::DynamicImage::ImageLuma8(g).to_rgb8();
        }
    }
    let drawn = design.base.is_none();
    let inner = [2.4, 2.4, w - 4.8, h - 4.8];
    let grey = light == LightSource::Ir;
    if ink.guilloche && drawn {
        // The inks as printed, or (a reprint under IR, where nothing drops out) in grey.
        let ink_of = |k: Colour| if grey { rgb(120, 120, 120) } else { k };
        let params = o.guilloche.unwrap_or(design.guilloche);
        art::guilloche(
            &mut c,
            inner,
            |x, _| ink_of(art::fountain(design.hue, 0.35, x / w)),
            params,
        );
        let (rx, ry, r0, r1) = side.rosette;
        let rosette_ink = ink_of(hsv(design.hue + 0.5, 0.5, 0.55));
        art::rosette(&mut c, rx, ry, r0, r1, 12.0, rosette_ink);
        art::border(&mut c, w, h, ink_of(hsv(design.hue + 0.1, 0.7, 0.35)));
    }
    if light == LightSource::Uv && !o.uv_glowing_paper && drawn {
        c.glow = true;
        // Faint, non-fluorescent print shows as a darker trace on the dull substrate.
        let (ex, ey, er) = side.uv_emblem;
        art::fibres(
            &mut c,
            [0.0, 0.0, w, h],
            // Wrapping: a random design's seed is any u64 (release builds always wrapped here;
            // checked arithmetic made every random design's UV image panic in debug builds).
            design
                .seed
                .wrapping_mul(1000)
                .wrapping_add(side.side as u64),
            (w * h / 90.0) as usize,
        );
        art::uv_emblem(&mut c, ex, ey, er, rgb(225, 250, 90));
        art::star(
            &mut c,
            ex + er * 0.9,
            ey - er * 0.6,
            er * 0.25,
            rgb(255, 120, 60),
            0.9,
        );
        c.glow = ink.glow;
    }
    let font = &fonts.sans;
    let bold = &fonts.bold;
    if let (Some((big, small, y)), Some(col), true) = (side.title, ink.title, drawn) {
        c.text(bold, big, 3.5, y, 4.2, 0.6, col, 1.0);
        c.text(font, small, 3.5, y + 3.8, 2.2, 0.1, col, 1.0);
    }
    if let Some(col) = ink
        .label
        .filter(|_| light == LightSource::White || o.ir_all_visible)
    {
        for (x, y, len) in &side.microprint {
            art::microprint(&mut c, font, "UTOPIA REPUBLIC OF UTOPIA", *x, *y, *len, col);
        }
    }
    if let Some(r) = side.ovd
        && light == LightSource::White
    {
        art::ovd(&mut c, r, capture.ovd_angle);
    }
    if let Some(r) = side.portrait {
        let seed = o.portrait_seed.unwrap_or(persona.portrait_seed);
        let tone = if light == LightSource::Uv { 0.35 } else { 1.0 };
        art::portrait(&mut c, r, seed, tone, grey, ink.paper);
        if o.portrait_seed.is_some() && light == LightSource::White {
            // The cut edge of a pasted photo.
            let edge = rounded_rect(r, 0.3);
            c.fill(
                r,
                move |x, y| (edge(x, y) + 0.1).abs() - 0.08,
                |_, _| rgb(250, 250, 250),
                0.9,
            );
        }
    }
    if let Some(r) = side.ghost
        && light != LightSource::Uv
    {
        ghost(&mut c, r, persona.portrait_seed, dpi);
    }
    for fs in &side.fields {
        if let Some(col) = ink.label.filter(|_| drawn) {
            c.text(font, &fs.label, fs.x, fs.y + 1.1, 1.35, 0.0, col, 1.0);
        }
        let v = value(design, &fs.holds, persona, o);
        c.text(
            bold,
            &v,
            fs.x + o.data_offset_mm.0,
            fs.value_baseline() + o.data_offset_mm.1,
            crate::design::VALUE_SIZE_MM,
            crate::design::VALUE_TRACKING_MM,
            ink.data,
            1.0,
        );
    }
    let mrz = mrz_of(design, persona);
    if let Some(m) = side.mrz {
        let (mfont, pitch, size) = o
            .mrz_font
            .as_ref()
            .map_or((&fonts.ocrb, MRZ_PITCH, 4.0), |(f, p, sz)| (f, *p, *sz));
        let width = m.chars as f64 * MRZ_PITCH;
        let x = (w - width) / 2.0;
        for (i, line) in mrz.iter().enumerate() {
            let y = h - m.last_baseline_from_bottom - (m.lines - 1 - i) as f64 * m.line_pitch;
            c.text_pitched(mfont, line, x, y, size, pitch, ink.mrz);
        }
    }
    if let Some(r) = side.barcode
        && let Some(code) = barcode(o.barcode_mrz.as_ref().unwrap_or(&mrz), &design.state)
    {
        let px = (r[2] * c.px_mm) as u32;
        let scaled = imageops::resize(&code, px, px, imageops::FilterType::Nearest);
        let (x0, y0) = ((r[0] * c.px_mm) as u32, (r[1] * c.px_mm) as u32);
        for (x, y, p) in scaled.enumerate_pixels() {
            if p.0[0] < 128 {
                c.multiply(x0 + x, y0 + y, ink.data, 1.0);
            }
        }
    }
    c.img
}
