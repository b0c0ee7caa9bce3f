//! Where the document may lie on the page: placements (millimetres → page pixels) proposed
//! from the document's outline against the scanner bed or background, and from the MRZ.

// Indexing here is into fixed-size arrays (3×3 and 8×8 systems, four corners) by loop
// counters below their length, never by values from a file.
#![allow(
    clippy::indexing_slicing,
    clippy::needless_range_loop,
    clippy::type_complexity
)]

use image::RgbImage;

use docexam_base::raster::{Homography, Pyramid};
use docexam_mrz::read::ImageRead;

/// Longest side of the copy the outline is searched on.
const OUTLINE_SIDE: u32 = 700;

/// A proposed placement and where it came from.
#[derive(Clone, Debug)]
pub struct Placement {
    /// Document millimetres → page pixels.
    pub mm_to_px: Homography,
    /// `outline` or `mrz`, with the quarter turn.
    pub method: String,
    /// For an outline: whether its shape is the document's (sides in the document's ratio).
    pub shape_matches: bool,
}

/// Placements from the document's outline: the largest region that differs from the page's
/// border (the scanner bed or the background), its minimum-area rectangle mapped onto the
/// document in both directions along its long side (and both across, when the rectangle is
/// nearly square).
pub fn from_outline(page: &Pyramid, size_mm: (f64, f64)) -> Vec<Placement> {
    let Some((small, f)) = small_copy(page) else {
        return Vec::new();
    };
    let Some((d, noise_t)) = difference(&small) else {
        return Vec::new();
    };
    let (w, h) = (small.width() as usize, small.height() as usize);
    // Two splits of the difference from the border: above the border's own noise (paper
    // barely darker than the bed still counts), and Otsu's (strong contrast, a shadow on the
    // bed left out). Each outline proposes its placements; scoring picks among them all.
    let otsu_t = otsu(&d).max(8);
    let mut out = Vec::new();
    for (k, t) in [noise_t, otsu_t].into_iter().enumerate() {
        if k == 1 && otsu_t == noise_t {
            break;
        }
        let mask: Vec<bool> = d.iter().map(|&v| v > t).collect();
        let mask = close(&mask, w, h, 2);
        out.extend(outline_placements(&mask, w, h, f, size_mm));
    }
    out
}

/// Placements from the document's outline by hue alone, as [`from_outline`] finds them: a
/// shadow across the bed darkens it without changing its hue, so tinted paper stands out
/// where the shadow hides the difference in levels.
pub fn from_hue_outline(page: &Pyramid, size_mm: (f64, f64)) -> Vec<Placement> {
    let Some((small, f)) = small_copy(page) else {
        return Vec::new();
    };
    let Some((c, t)) = hue_difference(&small) else {
        return Vec::new();
    };
    let (w, h) = (small.width() as usize, small.height() as usize);
    let mask: Vec<bool> = c.iter().map(|&v| v > t).collect();
    let mask = close(&mask, w, h, 2);
    outline_placements(&mask, w, h, f, size_mm)
}

/// How far each pixel's hue (its channels over their mean) lies from the page border's
/// median hue, scaled so that 0.1 is 40, and a threshold above the border's own spread;
/// `None` when the border itself varies in hue (nothing to tell the document by).
fn hue_difference(img: &RgbImage) -> Option<(Vec<u8>, u8)> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let ring = (w.min(h) / 40).max(2);
    let in_ring = |x: usize, y: usize| !(x >= ring && y >= ring && x + ring < w && y + ring < h);
    let hue = |p: &image::Rgb<u8>| -> Option<[f32; 3]> {
        let m = p.0.iter().map(|v| f32::from(*v)).sum::<f32>() / 3.0;
        (m >= 24.0).then(|| p.0.map(|v| f32::from(v) / m))
    };
    let mut ring_hues: [Vec<f32>; 3] = Default::default();
    for (x, y, p) in img.enumerate_pixels() {
        if in_ring(x as usize, y as usize)
            && let Some(c) = hue(p)
        {
            for (v, r) in c.iter().zip(ring_hues.iter_mut()) {
                r.push(*v);
            }
        }
    }
    let mut bg = [0f32; 3];
    for (b, r) in bg.iter_mut().zip(ring_hues.iter_mut()) {
        *b = docexam_base::raster::quantile(r, 0.5)?;
    }
    let d: Vec<u8> = img
        .pixels()
        .map(|p| {
            hue(p).map_or(0, |c| {
                let worst = c
                    .iter()
                    .zip(&bg)
                    .map(|(v, b)| (v - b).abs())
                    .fold(0.0, f32::max);
                (worst * 400.0).min(255.0) as u8
            })
        })
        .collect();
    let mut ring_d: Vec<u8> = d
        .iter()
        .enumerate()
        .filter(|(i, _)| in_ring(i % w, i / w))
        .map(|(_, v)| *v)
        .collect();
    ring_d.sort_unstable();
    let p90 = ring_d.get(ring_d.len() * 9 / 10).copied().unwrap_or(0);
    // A border of many hues (a patterned table under a phone photo) cannot be told apart.
    (p90 < 24).then(|| (d, p90.saturating_mul(2).max(8)))
}

fn outline_placements(
    mask: &[bool],
    w: usize,
    h: usize,
    f: f64,
    size_mm: (f64, f64),
) -> Vec<Placement> {
    let Some(points) = largest_component(mask, w, h) else {
        return Vec::new();
    };
    let hull = convex_hull(points);
    let Some(rect) = min_area_rect(&hull) else {
        return Vec::new();
    };
    let [c0, c1, c2, c3] = rect.map(|(x, y)| (x * f, y * f));
    let side = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let (l01, l12) = (side(c0, c1), side(c1, c2));
    let aspect_doc = size_mm.0.max(size_mm.1) / size_mm.0.min(size_mm.1);
    let aspect = l01.max(l12) / l01.min(l12).max(1.0);
    // The corners in order so that the first edge is a long one.
    let corners = if l01 >= l12 {
        [c0, c1, c2, c3]
    } else {
        [c1, c2, c3, c0]
    };
    let (w_mm, h_mm) = size_mm;
    let doc = [(0.0, 0.0), (w_mm, 0.0), (w_mm, h_mm), (0.0, h_mm)];
    // The document's long edge along the rectangle's long edge, both ways round; across
    // too, when the shape cannot tell.
    let mut starts: Vec<usize> = if w_mm >= h_mm { vec![0, 2] } else { vec![1, 3] };
    let shape_matches = (aspect - aspect_doc).abs() <= 0.08 * aspect_doc;
    if (aspect - aspect_doc).abs() > 0.25 * aspect_doc || aspect < 1.1 {
        starts = vec![0, 1, 2, 3];
    }
    starts
        .into_iter()
        .filter_map(|k| {
            let pairs: Vec<_> = (0..4).map(|i| (doc[i], corners[(i + k) % 4])).collect();
            Some(Placement {
                mm_to_px: Homography::fit(&pairs)?,
                method: format!("outline, turn {k}"),
                shape_matches,
            })
        })
        .collect()
}

/// A copy of the page with its longest side at most [`OUTLINE_SIDE`] pixels, and its scale
/// back to full-size pixels.
fn small_copy(page: &Pyramid) -> Option<(RgbImage, f64)> {
    let (w, h) = page.dimensions();
    if w.min(h) < 16 {
        return None;
    }
    let long = w.max(h);
    let target = long.min(OUTLINE_SIDE);
    let (sw, sh) = (
        (u64::from(w) * u64::from(target) / u64::from(long)).max(1) as u32,
        (u64::from(h) * u64::from(target) / u64::from(long)).max(1) as u32,
    );
    let view = docexam_base::raster::View {
        pyramid: page,
        mm_to_px: Homography::IDENTITY,
    };
    let plane = view.sample_grid(
        [0.0, 0.0, f64::from(w), f64::from(h)],
        sw as usize,
        sh as usize,
    );
    // Non-negative after the clamp: adding a half and truncating rounds.
    let raw: Vec<u8> = plane
        .px
        .iter()
        .flat_map(|p| p.map(|v| (v.clamp(0.0, 255.0) + 0.5) as u8))
        .collect();
    let img = RgbImage::from_raw(sw, sh, raw)?;
    Some((img, f64::from(w) / f64::from(sw)))
}

/// How much each pixel differs from the page border's colour (a plane fitted per channel to
/// the outermost ring, so an even falloff of light is followed), and a threshold above the
/// ring's own noise.
fn difference(img: &RgbImage) -> Option<(Vec<u8>, u8)> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let ring = (w.min(h) / 40).max(2);
    // Least-squares plane a + b·x + c·y per channel over the ring.
    let mut ata = [[0.0f64; 3]; 3];
    let mut atb = [[0.0f64; 3]; 3];
    for (x, y, p) in img.enumerate_pixels() {
        let (xu, yu) = (x as usize, y as usize);
        if xu >= ring && yu >= ring && xu + ring < w && yu + ring < h {
            continue;
        }
        let r = [1.0, x as f64 / w as f64, y as f64 / h as f64];
        for i in 0..3 {
            for j in 0..3 {
                ata[i][j] += r[i] * r[j];
            }
            for (c, v) in p.0.iter().enumerate() {
                atb[c][i] += r[i] * f64::from(*v);
            }
        }
    }
    let planes: Vec<[f64; 3]> = atb.iter().map(|b| solve3(ata, *b)).collect::<Option<_>>()?;
    // Along a row each channel's background is linear in x: its value at the row's start and
    // its step per pixel.
    let mut d = Vec::with_capacity(w * h);
    for (y, row) in img.as_raw().chunks_exact(w * 3).enumerate() {
        let yr = y as f64 / h as f64;
        let mut bg = [0f32; 3];
        let mut dx = [0f32; 3];
        for ((b, t), pl) in bg.iter_mut().zip(dx.iter_mut()).zip(&planes) {
            *b = (pl[0] + pl[2] * yr) as f32;
            *t = (pl[1] / w as f64) as f32;
        }
        for p in row.chunks_exact(3) {
            let mut worst = 0f32;
            for ((v, b), t) in p.iter().zip(bg.iter_mut()).zip(&dx) {
                worst = worst.max((f32::from(*v) - *b).abs());
                *b += t;
            }
            d.push(worst.min(255.0) as u8);
        }
    }
    let mut ring_d: Vec<u8> = d
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let (x, y) = (i % w, i / w);
            !(x >= ring && y >= ring && x + ring < w && y + ring < h)
        })
        .map(|(_, v)| *v)
        .collect();
    ring_d.sort_unstable();
    let p90 = ring_d.get(ring_d.len() * 9 / 10).copied().unwrap_or(0);
    Some((d, p90.saturating_mul(2).max(8)))
}

fn solve3(a: [[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(a);
    if d.abs() < 1e-12 {
        return None;
    }
    let mut x = [0.0; 3];
    for (k, out) in x.iter_mut().enumerate() {
        let mut m = a;
        for (row, bv) in m.iter_mut().zip(b) {
            row[k] = bv;
        }
        *out = det(m) / d;
    }
    Some(x)
}

/// Otsu's threshold of 8-bit values.
fn otsu(v: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &x in v {
        hist[usize::from(x)] += 1;
    }
    let total = v.len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut wb, mut sb, mut best, mut t) = (0.0, 0.0, -1.0, 0u8);
    for (i, &c) in hist.iter().enumerate() {
        wb += c as f64;
        if wb == 0.0 {
            continue;
        }
        let wf = total - wb;
        if wf == 0.0 {
            break;
        }
        sb += i as f64 * c as f64;
        let (mb, mf) = (sb / wb, (sum - sb) / wf);
        let between = wb * wf * (mb - mf).powi(2);
        if between > best {
            best = between;
            t = i as u8;
        }
    }
    t
}

/// Morphological closing (dilation then erosion) with a square of radius `r`.
fn close(mask: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    if mask.len() != w * h || w == 0 || h == 0 {
        return mask.to_vec();
    }
    // Dilation is the OR over the square, erosion the AND; each is separable: along the
    // row first, then across the rows (whole rows at a time, which vectorise).
    let pass = |m: &[bool], dilate: bool| -> Vec<bool> {
        let mut along = vec![false; w * h];
        for (src, dst) in m.chunks_exact(w).zip(along.chunks_exact_mut(w)) {
            for (x, d) in dst.iter_mut().enumerate() {
                let window = src
                    .get(x.saturating_sub(r)..(x + r + 1).min(w))
                    .unwrap_or(&[]);
                *d = if dilate {
                    window.iter().any(|v| *v)
                } else {
                    window.iter().all(|v| *v)
                };
            }
        }
        let mut out = vec![false; w * h];
        for (y, dst) in out.chunks_exact_mut(w).enumerate() {
            let rows = along
                .get(y.saturating_sub(r) * w..(y + r + 1).min(h) * w)
                .unwrap_or(&[]);
            dst.fill(!dilate);
            for row in rows.chunks_exact(w) {
                for (d, v) in dst.iter_mut().zip(row) {
                    if dilate {
                        *d |= *v;
                    } else {
                        *d &= *v;
                    }
                }
            }
        }
        out
    };
    pass(&pass(mask, true), false)
}

/// The pixels (corners of each, so the hull covers them) of the largest 4-connected region.
fn largest_component(mask: &[bool], w: usize, h: usize) -> Option<Vec<(f64, f64)>> {
    let mut label = vec![0u32; w * h];
    let mut best: (usize, u32) = (0, 0);
    let mut next = 0u32;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !mask.get(start).copied().unwrap_or(false) || label.get(start) != Some(&0) {
            continue;
        }
        next += 1;
        let mut size = 0usize;
        stack.push(start);
        if let Some(l) = label.get_mut(start) {
            *l = next;
        }
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if mask.get(j).copied().unwrap_or(false)
                    && let Some(l) = label.get_mut(j)
                    && *l == 0
                {
                    *l = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if size > best.0 {
            best = (size, next);
        }
    }
    // A document covers a fair part of the page.
    if best.0 < w * h / 50 {
        return None;
    }
    // Only pixels on the region's row ends matter for the hull.
    let mut pts = Vec::new();
    for y in 0..h {
        let row = label.get(y * w..(y + 1) * w)?;
        let first = row.iter().position(|&l| l == best.1);
        let last = row.iter().rposition(|&l| l == best.1);
        if let (Some(a), Some(b)) = (first, last) {
            pts.extend([
                (a as f64, y as f64),
                (a as f64, y as f64 + 1.0),
                (b as f64 + 1.0, y as f64),
                (b as f64 + 1.0, y as f64 + 1.0),
            ]);
        }
    }
    Some(pts)
}

/// The convex hull (Andrew's monotone chain), counter-clockwise.
fn convex_hull(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f64, f64)> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &(f64, f64)>> = if pass == 0 {
            Box::new(pts.iter())
        } else {
            Box::new(pts.iter().rev())
        };
        for &p in iter {
            while hull.len() >= start + 2 {
                let (a, b) = (hull[hull.len() - 2], hull[hull.len() - 1]);
                if cross(a, b, p) <= 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The minimum-area rectangle around a convex polygon (one side lies on a hull edge), as
/// four corners in order.
fn min_area_rect(hull: &[(f64, f64)]) -> Option<[(f64, f64); 4]> {
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, [(f64, f64); 4])> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len < 1e-9 {
            continue;
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let (mut lo_u, mut hi_u, mut lo_v, mut hi_v) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in hull {
            let u = p.0 * ux + p.1 * uy;
            let v = -p.0 * uy + p.1 * ux;
            lo_u = lo_u.min(u);
            hi_u = hi_u.max(u);
            lo_v = lo_v.min(v);
            hi_v = hi_v.max(v);
        }
        let area = (hi_u - lo_u) * (hi_v - lo_v);
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            let pt = |u: f64, v: f64| (u * ux - v * uy, u * uy + v * ux);
            best = Some((
                area,
                [
                    pt(lo_u, lo_v),
                    pt(hi_u, lo_v),
                    pt(hi_u, hi_v),
                    pt(lo_u, hi_v),
                ],
            ));
        }
    }
    best.map(|(_, r)| r)
}

/// A placement from an MRZ read on the page: rotation from its lines, scale from its pitch
/// taken as `pitch_mm` (10 characters per inch, 2.54 mm, in every ICAO format), position
/// from the centre of its characters onto `centre_mm`, where the reference's own MRZ
/// characters are centred (or, when that is not known, the centre of the specimen's MRZ
/// zone).
pub fn from_mrz(read: &ImageRead, centre_mm: (f64, f64), pitch_mm: f64) -> Option<Placement> {
    let lines = &read.source.lines;
    let longest = lines.iter().max_by_key(|l| l.len())?;
    let (first, last) = (longest.first()?, longest.last()?);
    let (dx, dy) = (
        f64::from(last.centre[0] - first.centre[0]),
        f64::from(last.centre[1] - first.centre[1]),
    );
    let steps = longest.len().saturating_sub(1) as f64;
    if steps < 1.0 {
        return None;
    }
    let pitch_px = (dx * dx + dy * dy).sqrt() / steps;
    let scale = pitch_px / pitch_mm;
    let angle = dy.atan2(dx);
    let n: usize = lines.iter().map(Vec::len).sum();
    let (sx, sy) = lines.iter().flatten().fold((0.0, 0.0), |a, c| {
        (a.0 + f64::from(c.centre[0]), a.1 + f64::from(c.centre[1]))
    });
    let (cx, cy) = (sx / n as f64, sy / n as f64);
    let (zx, zy) = centre_mm;
    let rot = Homography::similarity(scale, angle, 0.0, 0.0);
    let (rx, ry) = rot.apply(zx, zy)?;
    Some(Placement {
        mm_to_px: Homography::similarity(scale, angle, cx - rx, cy - ry),
        method: "mrz".into(),
        shape_matches: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tinted_document_under_a_shadow_across_the_bed_is_outlined_by_its_hue() {
        // A 125 × 88 mm cream document at 2 px/mm on a grey bed, a shadow darkening the
        // lower left of both to 70%: the shadowed bed differs from the lit border as much as
        // the document does, but keeps the border's hue.
        let (x0, y0, dw, dh) = (200u32, 120u32, 250u32, 176u32);
        let page = RgbImage::from_fn(640, 420, |x, y| {
            let inside = (x0..x0 + dw).contains(&x) && (y0..y0 + dh).contains(&y);
            let lit = if inside {
                [235.0, 232.0, 205.0]
            } else {
                [236.0, 236.0, 238.0]
            };
            let k = if x + 2 * y > 700 { 0.7 } else { 1.0 };
            image::Rgb(lit.map(|v: f64| (v * k).round() as u8))
        });
        let page = Pyramid::new(page);
        // The levels cannot tell the shadowed bed from the document; the hue can.
        let by_levels = from_outline(&page, (125.0, 88.0));
        let placements = from_hue_outline(&page, (125.0, 88.0));
        let near = |a: Option<(f64, f64)>, b: (f64, f64)| {
            a.is_some_and(|a| (a.0 - b.0).abs() < 3.0 && (a.1 - b.1).abs() < 3.0)
        };
        let found = |placements: &[Placement]| {
            placements.iter().any(|p| {
                near(p.mm_to_px.apply(0.0, 0.0), (f64::from(x0), f64::from(y0)))
                    && near(
                        p.mm_to_px.apply(125.0, 88.0),
                        (f64::from(x0 + dw), f64::from(y0 + dh)),
                    )
            })
        };
        assert!(!found(&by_levels));
        assert!(found(&placements));
    }

    #[test]
    fn closing_fills_small_gaps_and_keeps_the_rest_as_the_direct_definition_does() {
        // The closing by its definition: dilate then erode with a (2r+1)² square, the
        // window clipped at the edges.
        fn direct(m: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
            let pass = |m: &[bool], value: bool| -> Vec<bool> {
                (0..w * h)
                    .map(|i| {
                        let (x, y) = (i % w, i / w);
                        let hit = (y.saturating_sub(r)..=(y + r).min(h - 1)).any(|yy| {
                            (x.saturating_sub(r)..=(x + r).min(w - 1))
                                .any(|xx| m[yy * w + xx] == value)
                        });
                        if hit { value } else { m[i] }
                    })
                    .collect()
            };
            pass(&pass(m, true), false)
        }
        let (w, h) = (23, 17);
        let mut state = 7u32;
        let mask: Vec<bool> = (0..w * h)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 16).is_multiple_of(3)
            })
            .collect();
        for r in 0..4 {
            assert_eq!(close(&mask, w, h, r), direct(&mask, w, h, r), "r = {r}");
        }
        // A one-pixel gap in a bar is closed.
        let mut bar = vec![false; w * h];
        for x in 2..20 {
            bar[8 * w + x] = x != 10;
        }
        assert!(close(&bar, w, h, 1)[8 * w + 10]);
    }

    #[test]
    fn the_rectangle_of_a_turned_square_is_found() {
        // The corners of a 10 × 4 rectangle turned by 30°.
        let (s, c) = 30f64.to_radians().sin_cos();
        let pts: Vec<_> = [(0.0, 0.0), (10.0, 0.0), (10.0, 4.0), (0.0, 4.0), (5.0, 2.0)]
            .into_iter()
            .map(|(x, y)| (x * c - y * s + 20.0, x * s + y * c + 20.0))
            .collect();
        let hull = convex_hull(pts);
        assert_eq!(hull.len(), 4);
        let r = min_area_rect(&hull).unwrap_or_default();
        let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        let (a, b) = (d(r[0], r[1]), d(r[1], r[2]));
        assert!((a.max(b) - 10.0).abs() < 1e-6 && (a.min(b) - 4.0).abs() < 1e-6);
    }

    #[test]
    fn otsu_splits_two_populations() {
        let mut v = vec![10u8; 100];
        v.extend(vec![200u8; 50]);
        let t = otsu(&v);
        assert!((10..200).contains(&t));
    }
}
