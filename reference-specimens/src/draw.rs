//! Drawing on a canvas measured in millimetres: anti-aliased shapes from signed distances,
//! fine-line patterns from isolines of a function, polylines and text. All arithmetic goes
//! through `libm`, so a drawing is the same bytes on every machine.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgb, RgbImage};

/// A colour as linear-ish floating RGB in 0..=1 (sRGB values, blended as they are).
pub type Colour = [f64; 3];

/// An sRGB colour from 8-bit components.
pub const fn rgb(r: u8, g: u8, b: u8) -> Colour {
    [r as f64 / 255.0, g as f64 / 255.0, b as f64 / 255.0]
}

/// Hue (0..1), saturation and value to RGB.
pub fn hsv(h: f64, s: f64, v: f64) -> Colour {
    let h6 = (h - libm::floor(h)) * 6.0;
    let i = libm::floor(h6);
    let f = h6 - i;
    let (p, q, t) = (v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f)));
    match i as i32 {
        0 => [v, t, p],
        1 => [q, v, p],
        2 => [p, v, t],
        3 => [p, q, v],
        4 => [t, p, v],
        _ => [v, p, q],
    }
}

/// Linear interpolation between two colours.
pub fn mix(a: Colour, b: Colour, t: f64) -> Colour {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// A rectangle in millimetres: x, y, width, height.
pub type Rect = [f64; 4];

/// An image with a resolution, drawn on in millimetres.
pub struct Canvas {
    /// The pixels.
    pub img: RgbImage,
    /// Pixels per millimetre.
    pub px_mm: f64,
    /// Lines and text emit light (UV fluorescence: blended over) instead of absorbing it
    /// (ink: multiplied).
    pub glow: bool,
}

impl Canvas {
    /// A canvas of `w_mm` × `h_mm` at `dpi`, filled with `paper`.
    pub fn new(w_mm: f64, h_mm: f64, dpi: u32, paper: Colour) -> Self {
        let px_mm = f64::from(dpi) / 25.4;
        let w = libm::round(w_mm * px_mm) as u32;
        let h = libm::round(h_mm * px_mm) as u32;
        Canvas {
            img: RgbImage::from_pixel(w, h, to_rgb8(paper)),
            px_mm,
            glow: false,
        }
    }

    /// Applies `mix(old, ink, opacity)` to each channel of pixel (`x`, `y`), if it exists.
    fn paint(&mut self, x: u32, y: u32, c: Colour, a: f64, mix: impl Fn(f64, f64, f64) -> f64) {
        if a <= 0.0 || x >= self.img.width() || y >= self.img.height() {
            return;
        }
        let a = a.min(1.0);
        let p = self.img.get_pixel_mut(x, y);
        for (ch, ink) in p.0.iter_mut().zip(c) {
            *ch = to_u8(mix(f64::from(*ch) / 255.0, ink, a));
        }
    }

    /// Blends `c` into pixel (`x`, `y`) with opacity `a`.
    pub fn blend(&mut self, x: u32, y: u32, c: Colour, a: f64) {
        self.paint(x, y, c, a, |old, ink, a| old + (ink - old) * a);
    }

    /// Multiplies pixel (`x`, `y`) by `c` with opacity `a` (ink over ink darkens); on a
    /// glowing canvas, blends instead.
    pub fn multiply(&mut self, x: u32, y: u32, c: Colour, a: f64) {
        if self.glow {
            self.blend(x, y, c, a);
        } else {
            self.paint(x, y, c, a, |old, ink, a| old * (1.0 - a + a * ink));
        }
    }

    /// Pixel bounds of a rectangle in millimetres, clipped to the canvas.
    fn px_bounds(&self, r: Rect) -> (u32, u32, u32, u32) {
        let clip = |v: f64, max: u32| (libm::floor(v * self.px_mm).max(0.0) as u32).min(max);
        (
            clip(r[0], self.img.width()),
            clip(r[1], self.img.height()),
            clip(r[0] + r[2] + 1.0 / self.px_mm, self.img.width()),
            clip(r[1] + r[3] + 1.0 / self.px_mm, self.img.height()),
        )
    }

    /// Calls `f(canvas, x, y, x_mm, y_mm)` for each pixel centre inside `r`.
    pub fn each(&mut self, r: Rect, mut f: impl FnMut(&mut Canvas, u32, u32, f64, f64)) {
        let (x0, y0, x1, y1) = self.px_bounds(r);
        for y in y0..y1 {
            let ym = (f64::from(y) + 0.5) / self.px_mm;
            for x in x0..x1 {
                let xm = (f64::from(x) + 0.5) / self.px_mm;
                f(self, x, y, xm, ym);
            }
        }
    }

    /// Coverage of a pixel by a shape at signed distance `d` mm (negative inside).
    pub fn coverage(&self, d: f64) -> f64 {
        (0.5 - d * self.px_mm).clamp(0.0, 1.0)
    }

    /// Fills the shape with signed distance `sdf` (mm, negative inside) within `bounds`,
    /// coloured by `colour(x_mm, y_mm)`, with opacity `alpha`.
    pub fn fill(
        &mut self,
        bounds: Rect,
        sdf: impl Fn(f64, f64) -> f64,
        colour: impl Fn(f64, f64) -> Colour,
        alpha: f64,
    ) {
        self.each(bounds, |c, x, y, xm, ym| {
            let a = c.coverage(sdf(xm, ym)) * alpha;
            if a > 0.0 {
                c.blend(x, y, colour(xm, ym), a);
            }
        });
    }

    /// Fine lines along the integer isolines of `f` (in line units) inside `bounds` where
    /// `clip(x, y)` holds: each line `width_mm` wide, coloured by `colour(x, y)`, printed
    /// with opacity `alpha` (multiplied, as ink). The distance to the nearest line is
    /// estimated from `f`'s gradient, so line width stays constant wherever `f` bends.
    #[allow(clippy::too_many_arguments)]
    pub fn isolines(
        &mut self,
        bounds: Rect,
        clip: impl Fn(f64, f64) -> f64,
        f: impl Fn(f64, f64) -> f64,
        width_mm: f64,
        colour: impl Fn(f64, f64) -> Colour,
        alpha: f64,
    ) {
        let h = 0.5 / self.px_mm;
        self.each(bounds, |c, x, y, xm, ym| {
            let inside = c.coverage(clip(xm, ym));
            if inside <= 0.0 {
                return;
            }
            let v = f(xm, ym);
            let gx = (f(xm + h, ym) - v) / h;
            let gy = (f(xm, ym + h) - v) / h;
            let g = libm::sqrt(gx * gx + gy * gy).max(1e-9);
            let d = libm::fabs(v - libm::round(v)) / g - width_mm / 2.0;
            let a = c.coverage(d) * inside * alpha;
            if a > 0.0 {
                c.multiply(x, y, colour(xm, ym), a);
            }
        });
    }

    /// A polyline through `pts` (mm), `width_mm` wide, blended with `colour`.
    pub fn polyline(&mut self, pts: &[(f64, f64)], width_mm: f64, colour: Colour, alpha: f64) {
        for seg in pts.windows(2) {
            let [(ax, ay), (bx, by)] = [seg[0], seg[1]];
            let m = width_mm;
            let bounds = [
                ax.min(bx) - m,
                ay.min(by) - m,
                libm::fabs(bx - ax) + 2.0 * m,
                libm::fabs(by - ay) + 2.0 * m,
            ];
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = (dx * dx + dy * dy).max(1e-12);
            self.each(bounds, |c, x, y, xm, ym| {
                let t = (((xm - ax) * dx + (ym - ay) * dy) / len2).clamp(0.0, 1.0);
                let (px, py) = (ax + t * dx - xm, ay + t * dy - ym);
                let d = libm::sqrt(px * px + py * py) - width_mm / 2.0;
                let a = c.coverage(d) * alpha;
                if a > 0.0 {
                    // Overlapping segments: keep the strongest coverage, not the sum.
                    c.blend(x, y, colour, a);
                }
            });
        }
    }

    /// Text with its baseline's left end at (`x`, `y`) mm, `size_mm` from ascender to
    /// descender, `tracking_mm` added between characters; returns the advance in mm.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        font: &FontRef<'_>,
        s: &str,
        x: f64,
        y: f64,
        size_mm: f64,
        tracking_mm: f64,
        colour: Colour,
        alpha: f64,
    ) -> f64 {
        let scale = PxScale::from((size_mm * self.px_mm) as f32);
        let sf = font.as_scaled(scale);
        let mut pen = x * self.px_mm;
        let base = y * self.px_mm;
        for ch in s.chars() {
            let id = sf.glyph_id(ch);
            let g = id.with_scale_and_position(scale, ab_glyph::point(pen as f32, base as f32));
            if let Some(outlined) = font.outline_glyph(g) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, cov| {
                    let px = b.min.x as i64 + i64::from(gx);
                    let py = b.min.y as i64 + i64::from(gy);
                    if px >= 0 && py >= 0 {
                        self.multiply(px as u32, py as u32, colour, f64::from(cov) * alpha);
                    }
                });
            }
            pen += f64::from(sf.h_advance(id)) + tracking_mm * self.px_mm;
        }
        pen / self.px_mm - x
    }

    /// Text placed at a fixed pitch: each character centred in its `pitch_mm` cell (the way
    /// an MRZ is printed).
    #[allow(clippy::too_many_arguments)]
    pub fn text_pitched(
        &mut self,
        font: &FontRef<'_>,
        s: &str,
        x: f64,
        y: f64,
        size_mm: f64,
        pitch_mm: f64,
        colour: Colour,
    ) {
        let scale = PxScale::from((size_mm * self.px_mm) as f32);
        let sf = font.as_scaled(scale);
        for (i, ch) in s.chars().enumerate() {
            let id = sf.glyph_id(ch);
            let adv = f64::from(sf.h_advance(id)) / self.px_mm;
            let cx = x + pitch_mm * i as f64 + (pitch_mm - adv) / 2.0;
            self.text(font, &ch.to_string(), cx, y, size_mm, 0.0, colour, 1.0);
        }
    }
}

/// Width of `s` in mm at `size_mm`.
pub fn text_width(font: &FontRef<'_>, s: &str, size_mm: f64, px_mm: f64) -> f64 {
    let sf = font.as_scaled(PxScale::from((size_mm * px_mm) as f32));
    s.chars()
        .map(|c| f64::from(sf.h_advance(sf.glyph_id(c))))
        .sum::<f64>()
        / px_mm
}

fn to_u8(v: f64) -> u8 {
    libm::round(v.clamp(0.0, 1.0) * 255.0) as u8
}

/// A colour as an 8-bit pixel.
pub fn to_rgb8(c: Colour) -> Rgb<u8> {
    Rgb([to_u8(c[0]), to_u8(c[1]), to_u8(c[2])])
}

/// Signed distance to a rounded rectangle.
pub fn rounded_rect(r: Rect, radius: f64) -> impl Fn(f64, f64) -> f64 + Copy {
    move |x, y| {
        let cx = r[0] + r[2] / 2.0;
        let cy = r[1] + r[3] / 2.0;
        let qx = libm::fabs(x - cx) - (r[2] / 2.0 - radius);
        let qy = libm::fabs(y - cy) - (r[3] / 2.0 - radius);
        let ox = qx.max(0.0);
        let oy = qy.max(0.0);
        libm::sqrt(ox * ox + oy * oy) + qx.max(qy).min(0.0) - radius
    }
}

/// Signed distance to an ellipse (approximate, good near the outline).
pub fn ellipse(cx: f64, cy: f64, rx: f64, ry: f64) -> impl Fn(f64, f64) -> f64 + Copy {
    move |x, y| {
        let nx = (x - cx) / rx;
        let ny = (y - cy) / ry;
        let k = libm::sqrt(nx * nx + ny * ny);
        let gx = nx / rx;
        let gy = ny / ry;
        let g = libm::sqrt(gx * gx + gy * gy).max(1e-9);
        (k - 1.0) * k / g
    }
}
