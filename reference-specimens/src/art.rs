//! Security-printing artwork: guilloche backgrounds and rosettes from parametric curves,
//! split-fountain colours, fine-line borders, microprint, an OVD window, synthetic portraits,
//! UV fibres. Every function draws for real at the canvas resolution.

use std::f64::consts::{PI, TAU};

use ab_glyph::{Font, FontRef, ScaleFont};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::draw::{Canvas, Colour, Rect, ellipse, hsv, mix, rgb, rounded_rect};

/// Line width of guilloche lines (within the 0.05–0.1 mm of security printing).
pub const LINE_MM: f64 = 0.07;

/// The split-fountain colour at `t` (0..1 across the document): `hue` drifting by `spread`.
pub fn fountain(hue: f64, spread: f64, t: f64) -> Colour {
    hsv(hue + spread * t, 0.55, 0.78)
}

/// Two interfering families of sine-modulated lines across `r` (a guilloche background),
/// coloured as a split fountain from left to right.
pub fn guilloche(
    c: &mut Canvas,
    r: Rect,
    colour: impl Fn(f64, f64) -> Colour + Copy,
    params: [f64; 4],
) {
    let [a, k, b, m] = params;
    let spacing = 0.55;
    let inside = rounded_rect(r, 0.5);
    c.isolines(
        r,
        inside,
        |x, y| (y + a * libm::sin(k * x + 0.6 * libm::sin(0.21 * y))) / spacing,
        LINE_MM,
        colour,
        0.85,
    );
    c.isolines(
        r,
        inside,
        |x, y| (y + b * libm::sin(m * x + PI / 3.0 + 0.4 * libm::cos(0.17 * y))) / spacing,
        LINE_MM,
        colour,
        0.6,
    );
}

/// A rosette: rings around (`cx`, `cy`) modulated by `petals` lobes, from `r0` to `r1` mm.
pub fn rosette(c: &mut Canvas, cx: f64, cy: f64, r0: f64, r1: f64, petals: f64, colour: Colour) {
    let bounds = [cx - r1 - 1.0, cy - r1 - 1.0, 2.0 * r1 + 2.0, 2.0 * r1 + 2.0];
    let ring = move |x: f64, y: f64| {
        let (dx, dy) = (x - cx, y - cy);
        let r = libm::sqrt(dx * dx + dy * dy);
        (r - r1).max(r0 - r)
    };
    let f = move |x: f64, y: f64| {
        let (dx, dy) = (x - cx, y - cy);
        let r = libm::sqrt(dx * dx + dy * dy);
        let th = libm::atan2(dy, dx);
        (r + 1.6 * libm::sin(petals * th + 0.35 * r) + 0.8 * libm::sin(2.0 * petals * th)) / 0.6
    };
    c.isolines(bounds, ring, f, LINE_MM, |_, _| colour, 0.9);
    let g = move |x: f64, y: f64| {
        let (dx, dy) = (x - cx, y - cy);
        let r = libm::sqrt(dx * dx + dy * dy);
        let th = libm::atan2(dy, dx);
        (r - 1.6 * libm::sin(petals * th - 0.35 * r)) / 0.6
    };
    c.isolines(bounds, ring, g, LINE_MM, |_, _| colour, 0.6);
}

/// A fine-line border: three wavy lines inset from the edge of a `w` × `h` document.
pub fn border(c: &mut Canvas, w: f64, h: f64, colour: Colour) {
    for (k, inset) in [1.4, 1.75, 2.1].into_iter().enumerate() {
        let phase = k as f64 * 2.1;
        let outer = rounded_rect(
            [
                inset - 0.5,
                inset - 0.5,
                w - 2.0 * inset + 1.0,
                h - 2.0 * inset + 1.0,
            ],
            2.5,
        );
        let band = move |x: f64, y: f64| libm::fabs(outer(x, y) + 0.5) - 0.45;
        let f = move |x: f64, y: f64| {
            let d = outer(x, y);
            let along = x + y;
            (d + 0.12 * libm::sin(along * 3.1 + phase)) / 0.9 + 0.5
        };
        c.isolines([0.0, 0.0, w, h], band, f, 0.06, |_, _| colour, 1.0);
    }
}

/// A line of microprint: `text` repeated from `x` to `x + len` at baseline `y`, 0.25 mm high.
pub fn microprint(
    c: &mut Canvas,
    font: &FontRef<'_>,
    text: &str,
    x: f64,
    y: f64,
    len: f64,
    colour: Colour,
) {
    let unit = format!("{text} ");
    let w = crate::draw::text_width(font, &unit, 0.32, c.px_mm).max(0.1);
    let n = (len / w).ceil() as usize;
    let line: String = unit.repeat(n.max(1));
    // Cut to length by characters, adding up their advances.
    let sf = font.as_scaled(ab_glyph::PxScale::from((0.32 * c.px_mm) as f32));
    let mut s = String::new();
    let mut advance = 0f64;
    for ch in line.chars() {
        advance += f64::from(sf.h_advance(sf.glyph_id(ch)));
        if advance / c.px_mm > len {
            break;
        }
        s.push(ch);
    }
    c.text(font, &s, x, y, 0.32, 0.0, colour, 1.0);
}

/// An OVD (hologram) window: diffraction gratings whose colours turn with `angle` (a capture
/// parameter: each capture sees other colours), with a star emblem.
pub fn ovd(c: &mut Canvas, r: Rect, angle: f64) {
    let (cx, cy) = (r[0] + r[2] / 2.0, r[1] + r[3] / 2.0);
    let shape = rounded_rect(r, 1.5);
    c.fill(
        r,
        shape,
        |x, y| {
            let th = libm::atan2(y - cy, x - cx);
            let rr = libm::sqrt((x - cx).powi(2) + (y - cy).powi(2));
            hsv(angle + th / TAU + rr * 0.05, 0.35, 0.93)
        },
        0.55,
    );
    c.isolines(
        r,
        shape,
        move |x, y| {
            let th = libm::atan2(y - cy, x - cx);
            let rr = libm::sqrt((x - cx).powi(2) + (y - cy).powi(2));
            (rr + 0.5 * libm::sin(5.0 * th)) / 0.35
        },
        0.05,
        move |x, y| hsv(angle + 0.5 + (x - cx) * 0.04 + (y - cy) * 0.03, 0.6, 0.7),
        0.7,
    );
    star(
        c,
        cx,
        cy,
        r[3].min(r[2]) * 0.3,
        hsv(angle + 0.15, 0.25, 0.98),
        0.8,
    );
}

/// A five-pointed star.
pub fn star(c: &mut Canvas, cx: f64, cy: f64, rad: f64, colour: Colour, alpha: f64) {
    let sdf = move |x: f64, y: f64| {
        let (dx, dy) = (x - cx, y - cy);
        let r = libm::sqrt(dx * dx + dy * dy);
        let th = libm::atan2(dy, dx) + PI / 2.0;
        let k = libm::cos(5.0 * th) * 0.5 + 0.5;
        r - rad * (0.45 + 0.55 * k * k)
    };
    c.fill(
        [
            cx - rad - 0.5,
            cy - rad - 0.5,
            2.0 * rad + 1.0,
            2.0 * rad + 1.0,
        ],
        sdf,
        |_, _| colour,
        alpha,
    );
}

/// A synthetic portrait (drawn, not a photograph) in `r`, from `seed`; `tone` darkens or
/// fades it towards `paper` (1.0 as printed, lower for a ghost image or under UV); `grey`
/// draws it without colour.
pub fn portrait(c: &mut Canvas, r: Rect, seed: u64, tone: f64, grey: bool, paper: Colour) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let skin = hsv(
        rng.random_range(0.03..0.09),
        rng.random_range(0.25..0.6),
        rng.random_range(0.45..0.9),
    );
    let hair = hsv(
        rng.random_range(0.02..0.12),
        rng.random_range(0.2..0.7),
        rng.random_range(0.1..0.6),
    );
    let bg = rgb(196, 208, 222);
    let col = move |k: Colour| {
        let k = if grey {
            let l = 0.3 * k[0] + 0.59 * k[1] + 0.11 * k[2];
            [l, l, l]
        } else {
            k
        };
        mix(paper, k, tone)
    };
    c.fill(r, rounded_rect(r, 0.3), |_, _| col(bg), 1.0);
    let (cx, w, h) = (r[0] + r[2] / 2.0, r[2], r[3]);
    let face_y = r[1] + h * 0.42;
    let (fw, fh) = (
        w * rng.random_range(0.26..0.32),
        h * rng.random_range(0.25..0.3),
    );
    let clip = rounded_rect(r, 0.3);
    // Shoulders.
    let sh = ellipse(cx, r[1] + h * 1.02, w * 0.48, h * 0.3);
    let coat = hsv(rng.random_range(0.0..1.0), 0.4, rng.random_range(0.2..0.6));
    c.fill(r, |x, y| sh(x, y).max(clip(x, y)), |_, _| col(coat), 1.0);
    // Neck.
    let neck = rounded_rect(
        [cx - fw * 0.45, face_y + fh * 0.6, fw * 0.9, h * 0.25],
        fw * 0.3,
    );
    c.fill(
        r,
        |x, y| neck(x, y).max(clip(x, y)),
        |_, _| col(mix(skin, [0.0; 3], 0.15)),
        1.0,
    );
    // Hair behind the head.
    let back = ellipse(cx, face_y - fh * 0.15, fw * 1.12, fh * 1.1);
    c.fill(r, |x, y| back(x, y).max(clip(x, y)), |_, _| col(hair), 1.0);
    // Face, shaded from the left.
    let face = ellipse(cx, face_y, fw, fh);
    c.fill(
        r,
        face,
        |x, _| col(mix(skin, [1.0; 3], ((x - cx) / fw * 0.12).clamp(-0.1, 0.1))),
        1.0,
    );
    // Fringe.
    let fringe = ellipse(
        cx + fw * rng.random_range(-0.2..0.2),
        face_y - fh * 0.85,
        fw * 1.05,
        fh * 0.42,
    );
    c.fill(r, fringe, |_, _| col(hair), 1.0);
    // Eyes, brows, nose, mouth.
    let eye_y = face_y - fh * 0.1;
    for s in [-1.0, 1.0] {
        let ex = cx + s * fw * 0.4;
        c.fill(
            r,
            ellipse(ex, eye_y, fw * 0.16, fh * 0.07),
            |_, _| col(rgb(245, 245, 240)),
            1.0,
        );
        c.fill(
            r,
            ellipse(ex, eye_y, fw * 0.07, fh * 0.065),
            |_, _| col(rgb(60, 45, 35)),
            1.0,
        );
        c.polyline(
            &[
                (ex - fw * 0.2, eye_y - fh * 0.17),
                (ex + fw * 0.2, eye_y - fh * 0.2),
            ],
            fh * 0.04,
            col(hair),
            1.0,
        );
    }
    c.polyline(
        &[
            (cx, eye_y + fh * 0.05),
            (cx - fw * 0.08, face_y + fh * 0.3),
            (cx + fw * 0.05, face_y + fh * 0.33),
        ],
        fh * 0.025,
        col(mix(skin, [0.0; 3], 0.35)),
        1.0,
    );
    let mouth_y = face_y + fh * 0.55;
    c.polyline(
        &[
            (cx - fw * 0.3, mouth_y),
            (cx, mouth_y + fh * 0.06),
            (cx + fw * 0.3, mouth_y),
        ],
        fh * 0.05,
        col(rgb(150, 70, 70)),
        1.0,
    );
}

/// Fluorescent fibres scattered over `r` (seeded): short curved strands in three colours.
pub fn fibres(c: &mut Canvas, r: Rect, seed: u64, count: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let colours = [rgb(255, 60, 80), rgb(80, 140, 255), rgb(230, 255, 70)];
    for _ in 0..count {
        let x = r[0] + rng.random_range(0.0..r[2]);
        let y = r[1] + rng.random_range(0.0..r[3]);
        let th: f64 = rng.random_range(0.0..TAU);
        let len: f64 = rng.random_range(1.5..4.0);
        let bend: f64 = rng.random_range(-0.6..0.6);
        let colour = colours[rng.random_range(0..colours.len())];
        let pts: Vec<(f64, f64)> = (0..8)
            .map(|i| {
                let t = i as f64 / 7.0;
                let a = th + bend * t;
                (x + libm::cos(a) * len * t, y + libm::sin(a) * len * t)
            })
            .collect();
        c.polyline(&pts, 0.09, colour, 0.95);
    }
}

/// A UV-fluorescent emblem: a sun of rays and rings around (`cx`, `cy`).
pub fn uv_emblem(c: &mut Canvas, cx: f64, cy: f64, rad: f64, colour: Colour) {
    let bounds = [
        cx - rad - 1.0,
        cy - rad - 1.0,
        2.0 * rad + 2.0,
        2.0 * rad + 2.0,
    ];
    let disc = move |x: f64, y: f64| libm::sqrt((x - cx).powi(2) + (y - cy).powi(2)) - rad;
    let rays = move |x: f64, y: f64| {
        let th = libm::atan2(y - cy, x - cx);
        (th / TAU * 48.0) + 0.15 * libm::sin(libm::sqrt((x - cx).powi(2) + (y - cy).powi(2)))
    };
    c.isolines(bounds, disc, rays, 0.25, |_, _| colour, 1.0);
    let rings = move |x: f64, y: f64| libm::sqrt((x - cx).powi(2) + (y - cy).powi(2)) / (rad / 5.0);
    c.isolines(bounds, disc, rings, 0.35, |_, _| colour, 1.0);
    star(c, cx, cy, rad * 0.45, colour, 1.0);
}
