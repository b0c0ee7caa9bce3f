//! Printed personal data against the MRZ: every field whose zone says how it is printed
//! ([`PrintSpec`]: typeface, size, baseline, spacing, date format) and whose value the MRZ
//! holds is drawn from the MRZ as the document would print it, then compared with the page
//! character by character. A date or number changed on the page, but not in the MRZ, leaves a
//! character that does not match its drawing.
//!
//! Each field is first found as a whole: its drawing, every character at once, within
//! ±[`FIELD_SEARCH_MM`] of where the registration puts it (a personalisation printer places
//! data up to about a millimetre off the preprinted background, and a curved page moves it
//! further from a flat fit). Each character is then looked for within ±[`SEARCH_MM`] of its
//! place in the field so found; a straight drift
//! along the line is fitted to those that match well, and each character is then measured
//! within ±[`SETTLE_MM`] of it (a wrong character cannot slide onto a neighbour's strokes),
//! against its own drawing and against every other digit and capital drawn in its place.
//! Its margin says how much better its own drawing matches, in units of how unlike the two
//! drawings are: about +1 where it is printed, below 0 where another character is. The
//! feature scores the worst character's margin (`char_margin`), the lowest correlation of
//! a character with its drawing (`text_match`) and the smallest share of a field's
//! characters that match their drawing near their place (`found_share`). A field most of
//! whose characters match nowhere near their place is not where the specimen puts it, or
//! not what the MRZ says: that fails `found_share`, it is not passed over.
//!
//! The MRZ is drawn from only when its check digits all pass: otherwise the reading itself
//! is in doubt (the MRZ's own checks report that), and the feature is inconclusive.
//!
//! Fields checked: `document_number`, `birth_date`, `expiry_date` (with the spec's `format`),
//! `nationality`, `sex`, `issuing_state`, `document_type`, `surname` and `given_names`. The
//! MRZ holds a name transliterated (`MUELLER` for `MÜLLER`) and perhaps truncated: a name is
//! drawn as the MRZ spells it and with each `AE`, `OE`, `UE` read back as `Ä`, `Ö`, `Ü`
//! (the spelling that matches the page best is kept), and only as far as the MRZ holds it.

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};

use super::inputs::FeatureInputs;
use super::result::{Measured, Measurement, Score};
use docexam_base::date::printed::format_date;
use docexam_base::raster::{Plane, ncc_shifts};
use docexam_mrz::{FieldKind, Mrz, MrzDate};
use docexam_specimen::{PrintSpec, RectMm, Zone, ZoneKind};

/// How far (mm) a whole field is looked for around where the registration puts it.
pub const FIELD_SEARCH_MM: f64 = 1.5;

/// Resolution of the whole-field search (px/mm): a field's drawing is a large template, and
/// the characters are then placed at the full resolution.
const FIELD_PX_MM: f64 = 6.0;

/// How far (mm) each character is first looked for around its place.
pub const SEARCH_MM: f64 = 0.6;

/// How far (mm) each character may then lie from the field's common shift.
pub const SETTLE_MM: f64 = 0.15;

/// Highest comparison resolution (px/mm).
const MAX_PX_MM: f64 = 12.0;

/// Glare (the share of full scale it lifts the print by) above which a character is not
/// judged.
pub const MAX_GLARE: f32 = 0.2;

/// Correlation a character must reach in the first search to count for the field's shift.
const GOOD_NCC: f64 = 0.5;

/// What the MRZ says a field holding `holds` prints, when it says it exactly.
pub fn expected(holds: &str, spec: &PrintSpec, mrz: &Mrz) -> Option<String> {
    let date = |d: MrzDate| match (d, spec.format.as_deref()) {
        (MrzDate::Full(d), Some(f)) => Some(format_date(f, d)),
        _ => None,
    };
    let value = |k: FieldKind| mrz.value(k).filter(|v| !v.is_empty());
    // A state code has no check digit: one the MRZ reader got wrong is caught only by not
    // being a code at all, and is then not drawn.
    let known_code = |k: FieldKind| {
        let raw: [u8; 3] = mrz.raw(k)?.as_bytes().try_into().ok()?;
        (docexam_mrz::codes::lookup(raw).class != docexam_mrz::codes::CodeClass::Unknown)
            .then(|| value(k))
            .flatten()
    };
    match holds {
        "document_number" => mrz.document_number().filter(|v| !v.is_empty()),
        "birth_date" => date(mrz.birth_date()),
        "expiry_date" => date(mrz.expiry_date()),
        "nationality" => known_code(FieldKind::Nationality),
        "issuing_state" => known_code(FieldKind::IssuingState),
        "document_type" => value(FieldKind::DocumentCode),
        "sex" => mrz.raw(FieldKind::Sex).map(|s| match s.as_str() {
            "<" => "X".to_string(),
            other => other.to_string(),
        }),
        "surname" => mrz.surname().filter(|v| !v.is_empty()),
        "given_names" => mrz.given_names().filter(|v| !v.is_empty()),
        _ => None,
    }
}

/// Whether a field holding `holds` prints a name, which the MRZ may hold transliterated.
fn is_name(holds: &str) -> bool {
    matches!(holds, "surname" | "given_names")
}

/// Most transliterated pairs of one name read back (2^3 spellings tried at most).
pub const MAX_PAIRS: usize = 3;

/// The spellings a name the MRZ holds as `mrz` may be printed in: as written, and with
/// each `AE`, `OE`, `UE` read back as `Ä`, `Ö`, `Ü` (ICAO 9303-3's transliteration), for
/// the first [`MAX_PAIRS`] such pairs.
pub fn spellings(mrz: &str) -> Vec<String> {
    let chars: Vec<char> = mrz.chars().collect();
    let pairs: Vec<(usize, char)> = chars
        .windows(2)
        .enumerate()
        .filter_map(|(i, w)| match w {
            ['A', 'E'] => Some((i, 'Ä')),
            ['O', 'E'] => Some((i, 'Ö')),
            ['U', 'E'] => Some((i, 'Ü')),
            _ => None,
        })
        .take(MAX_PAIRS)
        .collect();
    // Overlapping pairs (`UEE`) cannot both be read back; each mask is tried as it comes.
    (0u32..1 << pairs.len())
        .map(|mask| {
            let mut out = String::new();
            let mut i = 0;
            while let Some(&c) = chars.get(i) {
                match pairs
                    .iter()
                    .enumerate()
                    .find(|(k, (at, _))| *at == i && mask & (1 << k) != 0)
                {
                    Some((_, (_, u))) => {
                        out.push(*u);
                        i += 2;
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            out
        })
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        })
}

/// One character checked.
#[derive(Clone, Debug)]
pub struct CharCheck {
    /// The character expected.
    pub ch: char,
    /// Its correlation with its drawing, at the field's shift.
    pub ncc: f64,
    /// How much better it matches its own drawing than any other character's (the best
    /// rival, twins aside): below 0, the page prints another character there.
    pub margin: f64,
    /// The rival that came closest.
    pub rival: char,
    /// Where it was measured on the document (mm).
    pub rect_mm: RectMm,
}

/// One field checked.
#[derive(Clone, Debug)]
pub struct FieldCheck {
    /// What it holds.
    pub holds: String,
    /// The value the MRZ says.
    pub expected: String,
    /// Every drawn character judged, in order.
    pub chars: Vec<CharCheck>,
    /// Characters not judged because glare washed them out.
    pub glared: usize,
    /// The field's shift from its specified place (mm).
    pub shift_mm: (f64, f64),
    /// Characters that matched their drawing near their place in the first search, of
    /// `drawn`.
    pub found: usize,
    /// Characters drawn.
    pub drawn: usize,
}

impl FieldCheck {
    /// The character least like its drawing against its rivals: its index and check.
    pub fn worst(&self) -> Option<(usize, &CharCheck)> {
        self.chars
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.margin.total_cmp(&b.1.margin))
    }

    /// The lowest correlation of a character with its drawing.
    pub fn lowest_ncc(&self) -> f64 {
        self.chars.iter().map(|c| c.ncc).fold(1.0, f64::min)
    }

    /// The share of its characters found near their place.
    pub fn found_share(&self) -> f64 {
        self.found as f64 / self.drawn.max(1) as f64
    }
}

/// A character's drawing: its box (mm) and the template (paper 255, ink 0), and where its
/// pen stood (px at the drawing's resolution).
struct Glyph {
    ch: char,
    pen: (f64, f64),
    rect: RectMm,
    template: Plane,
}

/// `ch` drawn by `font` at `scale` with its pen at `pen` (px at `px` px/mm); `None` for a
/// character without outline (a space).
fn glyph(ch: char, pen: (f64, f64), font: &FontVec, scale: PxScale, px: f64) -> Option<Glyph> {
    let sf = font.as_scaled(scale);
    let g = sf
        .glyph_id(ch)
        .with_scale_and_position(scale, ab_glyph::point(pen.0 as f32, pen.1 as f32));
    let outlined = font.outline_glyph(g)?;
    let margin = 2.0;
    let b = outlined.px_bounds();
    let (x0, y0) = (f64::from(b.min.x) - margin, f64::from(b.min.y) - margin);
    let w = (f64::from(b.width()) + 2.0 * margin).round().max(1.0) as usize;
    let h = (f64::from(b.height()) + 2.0 * margin).round().max(1.0) as usize;
    let mut t = Plane::filled(w, h, 255.0);
    outlined.draw(|gx, gy, cov| {
        let (x, y) = (gx as usize + margin as usize, gy as usize + margin as usize);
        if let Some(v) = t.v.get_mut(y * w + x) {
            *v = 255.0 * (1.0 - cov.clamp(0.0, 1.0));
        }
    });
    Some(Glyph {
        ch,
        pen,
        rect: [x0 / px, y0 / px, w as f64 / px, h as f64 / px],
        template: t,
    })
}

/// The type size (mm, ascender to descender) `spec` prints at with `font`: its `size_mm`, or
/// the size at which the font's `H` is `cap_height_mm` tall.
pub fn type_size_mm(spec: &PrintSpec, font: &FontVec) -> f64 {
    let Some(cap) = spec.cap_height_mm else {
        return spec.size_mm;
    };
    let unit = PxScale::from(1000.0);
    let g = font
        .as_scaled(unit)
        .glyph_id('H')
        .with_scale_and_position(unit, ab_glyph::point(0.0, 0.0));
    match font.outline_glyph(g) {
        Some(o) if o.px_bounds().height() > 1.0 => cap * 1000.0 / f64::from(o.px_bounds().height()),
        _ => spec.size_mm,
    }
}

/// The characters of `text` as `font` prints them per `spec`, at `px` px/mm.
fn draw(text: &str, spec: &PrintSpec, font: &FontVec, px: f64) -> Vec<Glyph> {
    let scale = PxScale::from((type_size_mm(spec, font) * px) as f32);
    let sf = font.as_scaled(scale);
    let mut pen = spec.origin_mm[0] * px;
    let base = spec.origin_mm[1] * px;
    let mut out = Vec::new();
    for ch in text.chars() {
        out.extend(glyph(ch, (pen, base), font, scale, px));
        pen += f64::from(sf.h_advance(sf.glyph_id(ch))) + spec.tracking_mm * px;
    }
    out
}

/// Smallest difference between two drawings a margin is measured in (1 − their
/// correlation): characters drawn almost alike are not told apart more finely than this.
const MIN_APART: f64 = 0.1;

/// The correlation of two drawings laid on one canvas where their pens put them.
fn drawn_alike(a: &Glyph, b: &Glyph, px: f64) -> f64 {
    let (x0, y0, x1, y1) = bounds([a, b]);
    let (w, h) = (
        ((x1 - x0) * px).round().max(1.0) as usize,
        ((y1 - y0) * px).round().max(1.0) as usize,
    );
    let lay_one = |g: &Glyph| lay([g], (x0, y0), w, h, px);
    docexam_base::raster::ncc(&lay_one(a), &lay_one(b), 4).unwrap_or(0.0)
}

/// The box (mm: left, top, right, bottom) around every glyph's.
fn bounds<'a>(glyphs: impl IntoIterator<Item = &'a Glyph>) -> (f64, f64, f64, f64) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for g in glyphs {
        x0 = x0.min(g.rect[0]);
        y0 = y0.min(g.rect[1]);
        x1 = x1.max(g.rect[0] + g.rect[2]);
        y1 = y1.max(g.rect[1] + g.rect[3]);
    }
    (x0, y0, x1, y1)
}

/// `glyphs` drawn on a paper-white canvas of `w` × `h` px (at `px` px/mm) whose corner lies
/// at `corner` (mm), each where its pen put it; where two boxes overlap, ink wins.
fn lay<'a>(
    glyphs: impl IntoIterator<Item = &'a Glyph>,
    corner: (f64, f64),
    w: usize,
    h: usize,
    px: f64,
) -> Plane {
    let mut c = Plane::filled(w, h, 255.0);
    for g in glyphs {
        let (ox, oy) = (
            ((g.rect[0] - corner.0) * px).round().max(0.0) as usize,
            ((g.rect[1] - corner.1) * px).round().max(0.0) as usize,
        );
        for y in 0..g.template.height {
            for x in 0..g.template.width.min(w.saturating_sub(ox)) {
                if let (Some(v), Some(d)) = (
                    g.template.v.get(y * g.template.width + x),
                    c.v.get_mut((y + oy) * w + x + ox),
                ) {
                    *d = d.min(*v);
                }
            }
        }
    }
    c
}

/// Characters a printed one is told apart from: digits and capitals.
const RIVALS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Pairs most typefaces draw alike enough that a capture's blur can swap them: a character
/// is not told apart from its twin.
const TWINS: [(char, char); 5] = [('0', 'O'), ('1', 'I'), ('5', 'S'), ('8', 'B'), ('2', 'Z')];

fn twins(a: char, b: char) -> bool {
    TWINS
        .iter()
        .any(|&(x, y)| (a == x && b == y) || (a == y && b == x))
}

/// The best correlation of `g` with the page within ±`s_mm` of its box moved by `shift`
/// (mm), and the shift it was found at.
fn find(
    ctx: &FeatureInputs<'_>,
    g: &Glyph,
    shift: (f64, f64),
    s_mm: f64,
    px: f64,
) -> Option<(f64, (f64, f64))> {
    let s = (s_mm * px).round().max(1.0) as usize;
    let (w, h) = (g.template.width, g.template.height);
    let r = g.rect;
    let q = data_ink(&ctx.q_around([r[0] + shift.0, r[1] + shift.1, r[2], r[3]], w, h, s, px));
    let n = 2 * s + 1;
    let scores = ncc_shifts(&g.template, &q, n, n, w * h * 3 / 4);
    let (i, best) = scores
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let (dx, dy) = ((i % n) as f64 - s as f64, (i / n) as f64 - s as f64);
    Some((best, (shift.0 + dx / px, shift.1 + dy / px)))
}

/// The best correlation of a whole field's drawing (`glyphs`, drawn at `px` px/mm) with the
/// page within ±[`FIELD_SEARCH_MM`] of its place moved by `shift` (mm), and the shift it was
/// found at.
fn find_field(
    ctx: &FeatureInputs<'_>,
    glyphs: &[Glyph],
    shift: (f64, f64),
    px: f64,
) -> Option<(f64, (f64, f64))> {
    if glyphs.is_empty() {
        return None;
    }
    let (x0, y0, x1, y1) = bounds(glyphs);
    let (w, h) = (
        ((x1 - x0) * px).round().max(1.0) as usize + 1,
        ((y1 - y0) * px).round().max(1.0) as usize + 1,
    );
    let g = Glyph {
        ch: ' ',
        pen: (x0 * px, y0 * px),
        rect: [x0, y0, w as f64 / px, h as f64 / px],
        template: lay(glyphs, (x0, y0), w, h, px),
    };
    find(ctx, &g, shift, FIELD_SEARCH_MM, px)
}

/// Where between the data ink's level and the paper's the page is cut off (0: ink, 1: paper).
const INK_CUT: f32 = 0.5;

/// The page as the data ink prints on it: each pixel's lightest channel (black data ink is
/// dark in all three, a coloured background line is light in at least one), and everything
/// lighter than [`INK_CUT`] of the way from the darkest ink (2% quantile) to the paper (90%)
/// cut off there, so that a fine background pattern under a character (a rosette, a
/// guilloche) does not blur its correlation with its drawing.
fn data_ink(c: &docexam_base::raster::ColourPlane) -> Plane {
    let mut p = Plane {
        width: c.width,
        height: c.height,
        v: c.px.iter().map(|p| p[0].max(p[1]).max(p[2])).collect(),
        valid: c.valid.clone(),
    };
    if let (Some(ink), Some(paper)) = (p.quantile(0.02), p.quantile(0.9)) {
        let cut = ink + INK_CUT * (paper - ink).max(0.0);
        for v in &mut p.v {
            *v = v.min(cut);
        }
    }
    p
}

/// The page around one character's place, sampled once for the character and its rivals.
struct Window {
    plane: Plane,
    origin: (f64, f64),
    shift: (f64, f64),
    s: usize,
    px: f64,
}

impl Window {
    /// The page under every glyph's box moved by `shift` (mm), grown by ±[`SETTLE_MM`].
    fn sample<'a>(
        ctx: &FeatureInputs<'_>,
        glyphs: impl Iterator<Item = &'a Glyph>,
        shift: (f64, f64),
        px: f64,
    ) -> Window {
        let s = (SETTLE_MM * px).round().max(1.0) as usize;
        let grow = s as f64 / px;
        let (x0, y0, x1, y1) = bounds(glyphs);
        let origin = (x0 + shift.0 - grow, y0 + shift.1 - grow);
        let (w, h) = (
            ((x1 - x0 + 2.0 * grow) * px).round().max(1.0) as usize + 1,
            ((y1 - y0 + 2.0 * grow) * px).round().max(1.0) as usize + 1,
        );
        let rect = [origin.0, origin.1, w as f64 / px, h as f64 / px];
        Window {
            plane: data_ink(&ctx.q_grid(rect, w, h)),
            origin,
            shift,
            s,
            px,
        }
    }

    /// The best correlation of `g` within ±[`SETTLE_MM`] of its box moved by the window's
    /// shift.
    fn best(&self, g: &Glyph) -> Option<f64> {
        let (w, h) = (g.template.width, g.template.height);
        let s = self.s as f64 / self.px;
        let ox = ((g.rect[0] + self.shift.0 - s - self.origin.0) * self.px).round();
        let oy = ((g.rect[1] + self.shift.1 - s - self.origin.1) * self.px).round();
        let q = self.plane.crop(
            ox.max(0.0) as usize,
            oy.max(0.0) as usize,
            w + 2 * self.s,
            h + 2 * self.s,
        );
        let n = 2 * self.s + 1;
        ncc_shifts(&g.template, &q, n, n, w * h * 3 / 4)
            .into_iter()
            .flatten()
            .max_by(f64::total_cmp)
    }
}

/// A shift that changes along the line: `(x, y) = offset + slope · position` (mm).
#[derive(Clone, Copy, Debug)]
struct Drift {
    centre: f64,
    offset: (f64, f64),
    slope: (f64, f64),
}

impl Drift {
    /// Least squares over `(position, shift)`, refitted without the points more than
    /// [`SETTLE_MM`] from the first fit (a character found on a neighbour's stroke).
    fn fit(points: &[(f64, (f64, f64))]) -> Drift {
        let once = |pts: &[&(f64, (f64, f64))]| -> Drift {
            let n = pts.len().max(1) as f64;
            let centre = pts.iter().map(|p| p.0).sum::<f64>() / n;
            let (mx, my) = pts
                .iter()
                .fold((0.0, 0.0), |a, p| (a.0 + p.1.0 / n, a.1 + p.1.1 / n));
            let sxx: f64 = pts.iter().map(|p| (p.0 - centre).powi(2)).sum();
            let slope = if sxx > 1.0 && pts.len() >= 3 {
                let sx: f64 = pts.iter().map(|p| (p.0 - centre) * (p.1.0 - mx)).sum();
                let sy: f64 = pts.iter().map(|p| (p.0 - centre) * (p.1.1 - my)).sum();
                (sx / sxx, sy / sxx)
            } else {
                (0.0, 0.0)
            };
            Drift {
                centre,
                offset: (mx, my),
                slope,
            }
        };
        let all: Vec<&(f64, (f64, f64))> = points.iter().collect();
        let first = once(&all);
        let kept: Vec<&(f64, (f64, f64))> = points
            .iter()
            .filter(|p| {
                let (x, y) = first.at(p.0);
                (p.1.0 - x).hypot(p.1.1 - y) <= SETTLE_MM
            })
            .collect();
        if kept.len() >= 2 { once(&kept) } else { first }
    }

    /// The shift at `position` along the line (mm).
    fn at(&self, position: f64) -> (f64, f64) {
        let d = position - self.centre;
        (
            self.offset.0 + self.slope.0 * d,
            self.offset.1 + self.slope.1 * d,
        )
    }
}

/// Checks one field printed per `spec` in `font` against `text`, looking for its characters
/// around their place moved by `prior` (mm).
pub fn check_field(
    ctx: &FeatureInputs<'_>,
    zone: &Zone,
    spec: &PrintSpec,
    font: &FontVec,
    text: &str,
    prior: (f64, f64),
) -> Result<FieldCheck, String> {
    let px = ctx.px_mm(MAX_PX_MM);
    let glyphs = draw(text, spec, font, px);
    if glyphs.is_empty() {
        return Err("nothing drawn".into());
    }
    // Where the field lies as a whole, when its drawing is found there; else where the
    // registration (and the fields found before it) put it.
    let fpx = px.min(FIELD_PX_MM);
    let start = find_field(ctx, &draw(text, spec, font, fpx), prior, fpx)
        .filter(|(ncc, _)| *ncc >= GOOD_NCC)
        .map_or(prior, |(_, shift)| shift);
    let first: Vec<Option<(f64, (f64, f64))>> = glyphs
        .iter()
        .map(|g| find(ctx, g, start, SEARCH_MM, px))
        .collect();
    // Where the characters that match well were found, by their place along the line: a
    // straight drift (a page curved a little, a registration a little off in scale or angle)
    // fitted to them, then every character measured close to it.
    let good: Vec<(f64, (f64, f64))> = glyphs
        .iter()
        .zip(&first)
        .filter_map(|(g, f)| {
            let (ncc, shift) = (*f)?;
            (ncc >= GOOD_NCC).then_some((g.rect[0] + g.rect[2] / 2.0, shift))
        })
        .collect();
    // A field most of whose characters match nowhere near their place is not printed where
    // the specimen puts it, or not as the MRZ says: its characters are not judged one by
    // one, and its share found says so.
    if good.len() * 2 < glyphs.len() {
        return Ok(FieldCheck {
            holds: zone.holds.clone().unwrap_or_default(),
            expected: text.to_string(),
            chars: Vec::new(),
            glared: 0,
            shift_mm: start,
            found: good.len(),
            drawn: glyphs.len(),
        });
    }
    let drift = Drift::fit(&good);
    let scale = PxScale::from((type_size_mm(spec, font) * px) as f32);
    let placed = |g: &Glyph| {
        let at = drift.at(g.rect[0] + g.rect[2] / 2.0);
        [g.rect[0] + at.0, g.rect[1] + at.1, g.rect[2], g.rect[3]]
    };
    // A character under glare is not judged: washed-out strokes look like thinner ones.
    let (seen, glared): (Vec<&Glyph>, Vec<&Glyph>) = glyphs
        .iter()
        .partition(|g| ctx.glare(placed(g)) <= MAX_GLARE);
    if seen.is_empty() {
        return Err(format!(
            "under glare: none of its {} characters could be judged",
            glyphs.len()
        ));
    }
    let chars = seen
        .into_iter()
        .map(|g| {
            let at = drift.at(g.rect[0] + g.rect[2] / 2.0);
            let rivals: Vec<Glyph> = RIVALS
                .chars()
                .filter(|&r| r != g.ch && !twins(r, g.ch))
                .filter_map(|r| glyph(r, g.pen, font, scale, px))
                .collect();
            let page = Window::sample(ctx, std::iter::once(g).chain(&rivals), at, px);
            let ncc = page.best(g).unwrap_or(0.0);
            // Against each rival: how much better the page matches the expected drawing
            // than the rival's, in units of how different the two drawings are (near 1 where
            // the expected character is printed, near −1 where the rival is).
            let (rival, margin) = rivals
                .iter()
                .filter_map(|alt| {
                    let v = page.best(alt)?;
                    let apart = (1.0 - drawn_alike(g, alt, px)).max(MIN_APART);
                    Some((alt.ch, (ncc - v) / apart))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((' ', 1.0));
            CharCheck {
                ch: g.ch,
                ncc,
                margin,
                rival,
                rect_mm: placed(g),
            }
        })
        .collect();
    let shift = drift.at(glyphs.first().map_or(0.0, |g| g.rect[0]));
    Ok(FieldCheck {
        holds: zone.holds.clone().unwrap_or_default(),
        expected: text.to_string(),
        chars,
        glared: glared.len(),
        shift_mm: shift,
        found: good.len(),
        drawn: glyphs.len(),
    })
}

/// Fields of fewer characters than this are looked for where the longer ones were found.
const SHORT_FIELD: usize = 3;

/// The median of `shifts` (x and y apart); none at all without any.
fn median_shift(shifts: &mut [(f64, f64)]) -> (f64, f64) {
    let mid = shifts.len() / 2;
    shifts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let x = shifts.get(mid).map_or(0.0, |s| s.0);
    shifts.sort_by(|a, b| a.1.total_cmp(&b.1));
    (x, shifts.get(mid).map_or(0.0, |s| s.1))
}

/// Compares every printed field of the feature's region with what the MRZ says.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    let mrz = ctx
        .document_mrz
        .ok_or("the MRZ was not read: there is nothing to compare the printed data with")?;
    // What the MRZ says is drawn only when its check digits confirm the reading: an MRZ
    // read wrong (or re-typed in a font the reader misreads) would make genuine print look
    // altered. The MRZ's own checks report it.
    let failed = mrz.mrz.checks().iter().filter(|c| !c.is_ok()).count();
    if failed > 0 {
        return Err(format!(
            "the MRZ read fails {failed} check digit{}: the printed data is not drawn from \
             a reading they do not confirm",
            if failed == 1 { "" } else { "s" }
        ));
    }
    let region = ctx.feature.rect_mm;
    let mut fields = Vec::new();
    let mut unchecked = Vec::new();
    for z in ctx.zones.iter().filter(|z| {
        z.kind == ZoneKind::Field
            && crate::register::reference::overlaps_any(&[region], z.rect_mm, 0.0)
    }) {
        let (Some(spec), Some(holds)) = (&z.print, z.holds.as_deref()) else {
            continue;
        };
        let Some(text) = expected(holds, spec, &mrz.mrz) else {
            continue;
        };
        let Some(font) = ctx.reference.font(&z.id) else {
            unchecked.push(format!("{} (no font)", z.id));
            continue;
        };
        fields.push((z, spec, font, text));
    }
    // Long fields first, each on its own: their characters agree on where the line lies.
    // A short field (a sex, a code) has too few characters to tell its place from a
    // pattern under it, so it is looked for where the long fields were found.
    let short = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count() < SHORT_FIELD;
    let long: Vec<Option<Result<FieldCheck, String>>> = fields
        .iter()
        .map(|(z, spec, font, text)| {
            (!short(text)).then(|| check_field(ctx, z, spec, font, text, (0.0, 0.0)))
        })
        .collect();
    let mut found: Vec<(f64, f64)> = long
        .iter()
        .flatten()
        .filter_map(|r| r.as_ref().ok().map(|c| c.shift_mm))
        .collect();
    let prior = median_shift(&mut found);
    let mut checks = Vec::new();
    for ((z, spec, font, text), r) in fields.iter().zip(long) {
        let first = r.unwrap_or_else(|| check_field(ctx, z, spec, font, text, prior));
        // A name may be printed in a spelling the MRZ transliterated: the best is kept.
        let best = if is_name(z.holds.as_deref().unwrap_or("")) {
            spellings(text)
                .iter()
                .skip(1)
                .map(|t| check_field(ctx, z, spec, font, t, prior))
                .fold(first, |a, b| match (&a, &b) {
                    (Ok(x), Ok(y)) if field_quality(y) > field_quality(x) => b,
                    (Err(_), Ok(_)) => b,
                    _ => a,
                })
        } else {
            first
        };
        match best {
            Ok(c) => checks.push(c),
            Err(why) => unchecked.push(format!("{} ({why})", z.id)),
        }
    }
    if checks.is_empty() {
        return Err(if unchecked.is_empty() {
            "no field of the region says how it is printed and holds MRZ data".to_string()
        } else {
            format!(
                "no printed field could be checked: {}",
                unchecked.join(", ")
            )
        });
    }
    let found_share = checks
        .iter()
        .map(FieldCheck::found_share)
        .fold(1.0, f64::min);
    let missing: Vec<String> = checks
        .iter()
        .filter(|c| c.chars.is_empty())
        .map(|c| {
            format!(
                "{} {:?} ({} of {} characters found)",
                c.holds, c.expected, c.found, c.drawn
            )
        })
        .collect();
    let mut scores = vec![
        Score::min("found_share", found_share, "1", MIN_FOUND_SHARE)
            .spread_at_least(FOUND_SHARE_SPREAD),
    ];
    let worst = checks
        .iter()
        .filter_map(|c| c.worst().map(|(i, w)| (c, i, w)))
        .min_by(|a, b| a.2.margin.total_cmp(&b.2.margin));
    let mut note = match worst {
        Some((field, index, ch)) => {
            let lowest = checks
                .iter()
                .filter(|c| !c.chars.is_empty())
                .map(FieldCheck::lowest_ncc)
                .fold(1.0, f64::min);
            scores.insert(0, Score::min("char_margin", ch.margin, "1", 0.0));
            scores.insert(1, Score::min("text_match", lowest, "1", 0.5));
            format!(
                "{} fields drawn from the MRZ; least sure: {} {:?}, character {} {:?} (closest \
                 other character {:?})",
                checks.len(),
                field.holds,
                field.expected,
                index + 1,
                ch.ch,
                ch.rival,
            )
        }
        None => format!("{} fields drawn from the MRZ", checks.len()),
    };
    if !missing.is_empty() {
        note.push_str(&format!(
            "; not found where the specimen puts it: {}",
            missing.join(", ")
        ));
    }
    let glared: usize = checks.iter().map(|c| c.glared).sum();
    if glared > 0 {
        note.push_str(&format!("; {glared} characters under glare not judged"));
    }
    if !unchecked.is_empty() {
        note.push_str(&format!("; not checked: {}", unchecked.join(", ")));
    }
    Ok(Measured {
        scores,
        heat_map: Some(heat_map(region, &checks)),
        note: Some(note),
    })
}

/// Least share of a field's characters found near their place by default: an altered field
/// keeps most of its characters, a field replaced or moved keeps few.
pub const MIN_FOUND_SHARE: f64 = 0.5;

/// Least genuine spread of the share found.
const FOUND_SHARE_SPREAD: f64 = 0.08;

/// How well a field check matched: its share found, then its worst character's margin.
fn field_quality(c: &FieldCheck) -> (f64, f64) {
    let worst = c.worst().map_or(f64::NEG_INFINITY, |(_, w)| w.margin);
    (c.found_share(), worst)
}

/// Resolution (px/mm) of the heat map.
const HEAT_PX_MM: f64 = 4.0;

/// Every checked character's box over `region`, shaded by its margin: black where the page
/// prints the character as drawn (margin 1 or more), white where it prints another (−1 or
/// less).
fn heat_map(region: RectMm, checks: &[FieldCheck]) -> image::GrayImage {
    let (w, h) = (
        (region[2] * HEAT_PX_MM).round().max(1.0) as u32,
        (region[3] * HEAT_PX_MM).round().max(1.0) as u32,
    );
    let mut img = image::GrayImage::new(w, h);
    for c in checks.iter().flat_map(|f| &f.chars) {
        let v = (((1.0 - c.margin) / 2.0).clamp(0.0, 1.0) * 255.0).round() as u8;
        let r = c.rect_mm;
        let x0 = ((r[0] - region[0]) * HEAT_PX_MM).floor().max(0.0) as u32;
        let y0 = ((r[1] - region[1]) * HEAT_PX_MM).floor().max(0.0) as u32;
        let x1 = (((r[0] + r[2] - region[0]) * HEAT_PX_MM).ceil().max(0.0) as u32).min(w);
        let y1 = (((r[1] + r[3] - region[1]) * HEAT_PX_MM).ceil().max(0.0) as u32).min(h);
        for y in y0..y1 {
            for x in x0..x1 {
                if let Some(p) = img.get_pixel_mut_checked(x, y) {
                    p.0[0] = p.0[0].max(v);
                }
            }
        }
    }
    img
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_ink_keeps_black_print_and_flattens_a_coloured_pattern_under_it() {
        // Paper 230, a blue-grey background line (80, 110, 170) and black print (25).
        let (paper, line, ink) = ([230.0; 3], [80.0, 110.0, 170.0], [25.0; 3]);
        let px: Vec<[f32; 3]> = (0..100)
            .map(|i| match i % 10 {
                0..=1 => ink,
                2..=4 => line,
                _ => paper,
            })
            .collect();
        let c = docexam_base::raster::ColourPlane {
            width: 10,
            height: 10,
            valid: vec![true; 100],
            px,
        };
        let p = data_ink(&c);
        // Cut half way from the ink (25) to the paper (230): the line (lightest channel 170)
        // reads as paper, the print stays as dark as it is.
        let cut = 25.0 + INK_CUT * (230.0 - 25.0);
        assert_eq!(p.v.first().copied(), Some(25.0));
        assert_eq!(p.v.get(3).copied(), Some(cut));
        assert_eq!(p.v.get(7).copied(), Some(cut));
    }

    #[test]
    fn short_fields_are_looked_for_at_the_median_shift_of_the_long_ones() {
        assert_eq!(median_shift(&mut []), (0.0, 0.0));
        let mut s = [(0.1, -0.4), (0.0, -0.3), (0.9, 0.5), (0.1, -0.35)];
        // x: 0.0 0.1 0.1 0.9, y: -0.4 -0.35 -0.3 0.5; the upper middle of each.
        assert_eq!(median_shift(&mut s), (0.1, -0.3));
    }

    #[test]
    fn printed_values_come_from_the_mrz() {
        let mrz = docexam_mrz::MrzParser::default().parse(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
             L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        );
        assert!(mrz.is_ok());
        let Ok(mrz) = mrz else { return };
        let spec = |format: Option<&str>| PrintSpec {
            font: docexam_specimen::FileRef {
                file: "f.ttf".into(),
                blake3: String::new(),
            },
            size_mm: 2.5,
            cap_height_mm: None,
            origin_mm: [0.0, 0.0],
            tracking_mm: 0.0,
            format: format.map(str::to_string),
        };
        let dated = spec(Some("DD.MM.YYYY"));
        let plain = spec(None);
        let e = |holds: &str, s: &PrintSpec| expected(holds, s, &mrz);
        assert_eq!(e("birth_date", &dated).as_deref(), Some("12.08.1974"));
        assert_eq!(e("expiry_date", &dated).as_deref(), Some("15.04.2012"));
        assert_eq!(e("document_number", &plain).as_deref(), Some("L898902C3"));
        assert_eq!(e("nationality", &plain).as_deref(), Some("UTO"));
        assert_eq!(e("sex", &plain).as_deref(), Some("F"));
        assert_eq!(e("document_type", &plain).as_deref(), Some("P"));
        // A date without a format and a state code that is no code are not drawn; names are.
        let misread = docexam_mrz::MrzParser::default().parse(
            "P<UTUERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
             L898902C36UTU7408122F1204159ZE184226B<<<<<10",
        );
        assert!(misread.is_ok());
        if let Ok(m) = &misread {
            assert_eq!(expected("issuing_state", &plain, m), None);
            assert_eq!(expected("nationality", &plain, m), None);
        }
        assert_eq!(e("birth_date", &plain), None);
        assert!(e("surname", &plain).is_some());
        assert_eq!(
            spellings("MUELLER"),
            vec!["MUELLER".to_string(), "MÜLLER".to_string()]
        );
        assert_eq!(spellings("SMITH"), vec!["SMITH".to_string()]);
        assert_eq!(spellings("BAER OEHL").len(), 4);
    }
}
