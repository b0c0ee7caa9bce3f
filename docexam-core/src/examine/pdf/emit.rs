//! The display list written as PDF with pdf-writer: each typeface embedded whole as a
//! TrueType CID font (Identity-H, glyph ids as character codes, a ToUnicode map so that text
//! can be searched and copied), pictures as JPEG, content streams deflated, a running header
//! and a footer with the page number on every page. The same display list gives the same
//! bytes.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use ab_glyph::{Font as _, FontRef};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::figures::Jpeg;
use super::layout::{Face, GREY, MARGIN_X, Op, PAGE_H, PAGE_W, RULE, Rgb};
use super::{BOLD_FONT, MONO_FONT, PdfError, REGULAR_FONT};

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// One embedded typeface.
struct Embedded {
    face: Face,
    resource: &'static [u8],
    postscript: &'static [u8],
    bytes: &'static [u8],
    font: FontRef<'static>,
    /// Glyphs used, with the character each stands for.
    used: BTreeMap<u16, char>,
}

impl Embedded {
    fn new(
        face: Face,
        resource: &'static [u8],
        postscript: &'static [u8],
        bytes: &'static [u8],
    ) -> Result<Self, PdfError> {
        let font = FontRef::try_from_slice(bytes).map_err(|_| PdfError::Font(face.name()))?;
        Ok(Embedded {
            face,
            resource,
            postscript,
            bytes,
            font,
            used: BTreeMap::new(),
        })
    }

    /// The character codes (two bytes per glyph id) of `text`, noting the glyphs used.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let gid = self.font.glyph_id(c).0;
            self.used.entry(gid).or_insert(c);
            out.extend_from_slice(&gid.to_be_bytes());
        }
        out
    }

    /// Advance of glyph `gid` in thousandths of an em.
    fn width(&self, gid: u16) -> f32 {
        let em = self.font.units_per_em().unwrap_or(1000.0);
        self.font.h_advance_unscaled(ab_glyph::GlyphId(gid)) * 1000.0 / em
    }

    /// Writes the font's objects from `first` (five references).
    fn write(&self, pdf: &mut Pdf, first: Ref) {
        let (type0, cid, descriptor, file, cmap) = (
            first,
            Ref::new(first.get() + 1),
            Ref::new(first.get() + 2),
            Ref::new(first.get() + 3),
            Ref::new(first.get() + 4),
        );
        let name = Name(self.postscript);
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(type0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type2)
            .base_font(name)
            .system_info(info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut w = c.widths();
        for &gid in self.used.keys() {
            w.consecutive(gid, [self.width(gid)]);
        }
        w.finish();
        c.finish();
        let em = self.font.units_per_em().unwrap_or(1000.0);
        let ascent = self.font.ascent_unscaled() * 1000.0 / em;
        let descent = self.font.descent_unscaled() * 1000.0 / em;
        let mut flags = FontFlags::SYMBOLIC;
        if self.face == Face::Mono {
            flags |= FontFlags::FIXED_PITCH;
        }
        pdf.font_descriptor(descriptor)
            .name(name)
            .flags(flags)
            .bbox(Rect::new(-600.0, descent, 2000.0, ascent))
            .italic_angle(0.0)
            .ascent(ascent)
            .descent(descent)
            .cap_height(ascent * 0.72)
            .stem_v(if self.face == Face::Bold { 140.0 } else { 80.0 })
            .font_file2(file);
        let packed = deflate(self.bytes);
        pdf.stream(file, &packed).filter(Filter::FlateDecode).pair(
            Name(b"Length1"),
            i32::try_from(self.bytes.len()).unwrap_or(i32::MAX),
        );
        let mut map = UnicodeCmap::new(Name(b"Custom"), info);
        for (&gid, &c) in &self.used {
            map.pair(gid, c);
        }
        let map = map.finish();
        pdf.cmap(cmap, &map);
    }
}

fn rgb(c: Rgb) -> (f32, f32, f32) {
    (
        f32::from(c[0]) / 255.0,
        f32::from(c[1]) / 255.0,
        f32::from(c[2]) / 255.0,
    )
}

/// Writes `pages` as a PDF; `header` runs along the top of every page.
pub fn emit(pages: &[Vec<Op>], header: &str, title: &str) -> Result<Vec<u8>, PdfError> {
    let mut fonts = [
        Embedded::new(Face::Regular, b"F1", b"DejaVuSans", REGULAR_FONT)?,
        Embedded::new(Face::Bold, b"F2", b"DejaVuSans-Bold", BOLD_FONT)?,
        Embedded::new(Face::Mono, b"F3", b"OCRB", MONO_FONT)?,
    ];
    let font_index = |f: Face| match f {
        Face::Regular => 0,
        Face::Bold => 1,
        Face::Mono => 2,
    };
    // Pictures, each written once (the same picture may appear twice).
    let mut images: Vec<Arc<Jpeg>> = Vec::new();
    let mut contents: Vec<(Vec<u8>, Vec<usize>)> = Vec::new();
    let n = pages.len();
    for (i, ops) in pages.iter().enumerate() {
        let mut c = Content::new();
        let mut used_images = Vec::new();
        let mut text =
            |c: &mut Content, x: f32, y: f32, size: f32, face: Face, color: Rgb, t: &str| {
                let k = font_index(face);
                let Some(f) = fonts.get_mut(k) else { return };
                let bytes = f.encode(t);
                let (r, g, b) = rgb(color);
                c.begin_text()
                    .set_font(Name(f.resource), size)
                    .set_fill_rgb(r, g, b)
                    .next_line(x, PAGE_H - y)
                    .show(Str(&bytes))
                    .end_text();
            };
        text(&mut c, MARGIN_X, 30.0, 8.0, Face::Regular, GREY, header);
        let (r, g, b) = rgb(RULE);
        c.set_fill_rgb(r, g, b)
            .rect(MARGIN_X, PAGE_H - 36.5, PAGE_W - 2.0 * MARGIN_X, 0.5)
            .fill_nonzero();
        text(
            &mut c,
            MARGIN_X,
            PAGE_H - 26.0,
            8.0,
            Face::Regular,
            GREY,
            &format!("page {} of {n}", i + 1),
        );
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    face,
                    color,
                    text: t,
                } => text(&mut c, *x, *y, *size, *face, *color, t),
                Op::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    c.save_state();
                    if let Some(f) = fill {
                        let (r, g, b) = rgb(*f);
                        c.set_fill_rgb(r, g, b);
                    }
                    if let Some((s, width)) = stroke {
                        let (r, g, b) = rgb(*s);
                        c.set_stroke_rgb(r, g, b).set_line_width(*width);
                    }
                    c.rect(*x, PAGE_H - y - h, *w, *h);
                    match (fill.is_some(), stroke.is_some()) {
                        (true, true) => c.fill_nonzero_and_stroke(),
                        (true, false) => c.fill_nonzero(),
                        _ => c.stroke(),
                    };
                    c.restore_state();
                }
                Op::Polygon { points, stroke } => {
                    let (r, g, b) = rgb(stroke.0);
                    c.save_state()
                        .set_stroke_rgb(r, g, b)
                        .set_line_width(stroke.1);
                    for (k, (px, py)) in points.iter().enumerate() {
                        if k == 0 {
                            c.move_to(*px, PAGE_H - py);
                        } else {
                            c.line_to(*px, PAGE_H - py);
                        }
                    }
                    c.close_and_stroke().restore_state();
                }
                Op::Image { x, y, w, h, jpeg } => {
                    let k = match images.iter().position(|j| Arc::ptr_eq(j, jpeg)) {
                        Some(k) => k,
                        None => {
                            images.push(jpeg.clone());
                            images.len() - 1
                        }
                    };
                    used_images.push(k);
                    let name = format!("Im{k}");
                    c.save_state()
                        .transform([*w, 0.0, 0.0, *h, *x, PAGE_H - y - h])
                        .x_object(Name(name.as_bytes()))
                        .restore_state();
                }
            }
        }
        used_images.sort_unstable();
        used_images.dedup();
        contents.push((c.finish().into_vec(), used_images));
    }

    // References: catalog, page tree, info; five per font; one per picture; two per page.
    let mut pdf = Pdf::new();
    let (catalog, tree, info) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let font_ref = |k: usize| Ref::new(4 + 5 * k as i32);
    let image_ref = |k: usize| Ref::new(4 + 5 * 3 + k as i32);
    let page_ref = |p: usize| Ref::new(4 + 5 * 3 + images.len() as i32 + 2 * p as i32);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..n).map(page_ref))
        .count(i32::try_from(n).unwrap_or(i32::MAX));
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr(&format!("docexam {}", env!("CARGO_PKG_VERSION"))))
        .producer(TextStr("docexam (pdf-writer)"));
    for (k, f) in fonts.iter().enumerate() {
        f.write(&mut pdf, font_ref(k));
    }
    for (k, j) in images.iter().enumerate() {
        let mut x = pdf.image_xobject(image_ref(k), &j.data);
        x.filter(Filter::DctDecode);
        x.width(i32::try_from(j.width).unwrap_or(1))
            .height(i32::try_from(j.height).unwrap_or(1))
            .bits_per_component(8);
        x.color_space().device_rgb();
        x.finish();
    }
    for (p, (content, used)) in contents.iter().enumerate() {
        let (page, stream) = (page_ref(p), Ref::new(page_ref(p).get() + 1));
        let mut pg = pdf.page(page);
        pg.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(stream);
        let mut res = pg.resources();
        let mut fd = res.fonts();
        for (k, f) in fonts.iter().enumerate() {
            fd.pair(Name(f.resource), font_ref(k));
        }
        fd.finish();
        let mut xd = res.x_objects();
        for &k in used {
            let name = format!("Im{k}");
            xd.pair(Name(name.as_bytes()), image_ref(k));
        }
        xd.finish();
        res.finish();
        pg.finish();
        let packed = deflate(content);
        pdf.stream(stream, &packed).filter(Filter::FlateDecode);
    }
    Ok(pdf.finish())
}
