//! Dark connected components of a page: a local-mean threshold, then run-based labelling.

use image::GrayImage;

/// A connected component of dark pixels.
#[derive(Clone, Copy, Debug)]
pub(super) struct Blob {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub count: u32,
    pub cx: f32,
    pub cy: f32,
}

impl Blob {
    pub fn width(&self) -> u32 {
        self.x1 - self.x0 + 1
    }
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
}

/// Pixels darker than the mean of the `2r+1` square around them by more than `percent` %
/// (Bradley's threshold) are ink. Returns one byte per pixel (1 = ink).
pub(super) fn threshold(img: &GrayImage, r: u32, percent: u32) -> Vec<u8> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let raw = img.as_raw();
    let mut out = vec![0u8; w * h];
    if w == 0 || h == 0 {
        return out;
    }
    // Integral image, one row and one column of zeros ahead. Sums stay below 2^32 for any
    // image of fewer than 16 million pixels; larger ones wrap, and the box sums (differences)
    // are still exact in wrapping arithmetic as long as one box holds less than 2^32 / 255.
    let iw = w + 1;
    let mut integral = vec![0u32; iw * (h + 1)];
    for (y, src) in raw.chunks_exact(w).enumerate().take(h) {
        let (done, rest) = integral.split_at_mut((y + 1) * iw);
        let above = done.get(y * iw..).unwrap_or_default();
        let here = rest.get_mut(..iw).unwrap_or_default();
        let mut run = 0u32;
        for ((o, a), &p) in here.iter_mut().skip(1).zip(above.iter().skip(1)).zip(src) {
            run = run.wrapping_add(u32::from(p));
            *o = a.wrapping_add(run);
        }
    }
    let r = r as usize;
    let keep = u64::from(100 - percent.min(99));
    for (y, (src, dst)) in raw.chunks_exact(w).zip(out.chunks_exact_mut(w)).enumerate() {
        let (ya, yb) = (y.saturating_sub(r), (y + r + 1).min(h));
        let top = integral.get(ya * iw..(ya + 1) * iw).unwrap_or_default();
        let bottom = integral.get(yb * iw..(yb + 1) * iw).unwrap_or_default();
        let rows = (yb - ya) as u64;
        let edge = |x: usize| {
            let (xa, xb) = (x.saturating_sub(r), (x + r + 1).min(w));
            let at = |row: &[u32], i: usize| row.get(i).copied().unwrap_or(0);
            let sum = at(bottom, xb)
                .wrapping_sub(at(bottom, xa))
                .wrapping_sub(at(top, xb))
                .wrapping_add(at(top, xa));
            let count = rows * (xb - xa) as u64;
            let p = u64::from(src.get(x).copied().unwrap_or(255));
            u8::from(p * count * 100 < u64::from(sum) * keep)
        };
        // Columns whose square lies inside the image share one pixel count: there the box
        // sums are four slices walked together.
        let (lo, hi) = (r.min(w), w.saturating_sub(r).max(r.min(w)));
        for x in (0..lo).chain(hi..w) {
            if let Some(o) = dst.get_mut(x) {
                *o = edge(x);
            }
        }
        let scaled = rows * (2 * r as u64 + 1) * 100;
        let inner = dst.get_mut(lo..hi).unwrap_or_default();
        let n = inner.len();
        fn ends(row: &[u32], from: usize, n: usize) -> &[u32] {
            row.get(from..from + n).unwrap_or_default()
        }
        // The first inner column is `r`: its square spans columns 0 to 2r.
        let (br, bl) = (ends(bottom, 2 * r + 1, n), ends(bottom, 0, n));
        let (tr, tl) = (ends(top, 2 * r + 1, n), ends(top, 0, n));
        let pix = src.get(lo..hi).unwrap_or_default();
        for (i, o) in inner.iter_mut().enumerate() {
            let (Some(&a), Some(&b), Some(&c), Some(&d), Some(&p)) =
                (br.get(i), bl.get(i), tr.get(i), tl.get(i), pix.get(i))
            else {
                break;
            };
            let sum = a.wrapping_sub(b).wrapping_sub(c).wrapping_add(d);
            *o = u8::from(u64::from(p) * scaled < u64::from(sum) * keep);
        }
    }
    out
}

/// A horizontal run of ink on one row, with its label.
struct Run {
    y: u32,
    x0: u32,
    x1: u32,
    label: u32,
}

fn find(parent: &mut [u32], mut a: u32) -> u32 {
    while let Some(&p) = parent.get(a as usize) {
        if p == a {
            break;
        }
        let gp = parent.get(p as usize).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(a as usize) {
            *slot = gp;
        }
        a = gp;
    }
    a
}

/// 8-connected components of the ink pixels in a `w` × `h` mask.
pub(super) fn components(mask: &[u8], w: usize, h: usize) -> Vec<Blob> {
    let mut runs: Vec<Run> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    let mut prev = 0..0usize;
    for y in 0..h {
        let row = mask.get(y * w..(y + 1) * w).unwrap_or(&[]);
        let start = runs.len();
        let mut x = 0usize;
        while x < row.len() {
            if row.get(x) != Some(&1) {
                x += 1;
                continue;
            }
            let x0 = x;
            while row.get(x) == Some(&1) {
                x += 1;
            }
            let label = parent.len() as u32;
            parent.push(label);
            runs.push(Run {
                y: y as u32,
                x0: x0 as u32,
                x1: (x - 1) as u32,
                label,
            });
        }
        // Join with overlapping runs (8-connected) of the row above.
        let mut j = prev.start;
        for i in start..runs.len() {
            let (x0, x1, li) = match runs.get(i) {
                Some(r) => (r.x0, r.x1, r.label),
                None => continue,
            };
            while let Some(p) = runs.get(j) {
                if j >= prev.end || p.x1 + 1 >= x0 {
                    break;
                }
                j += 1;
            }
            let mut k = j;
            while k < prev.end {
                let Some(p) = runs.get(k) else { break };
                if p.x0 > x1 + 1 {
                    break;
                }
                let (a, b) = (find(&mut parent, li), find(&mut parent, p.label));
                if a != b {
                    let (lo, hi) = (a.min(b), a.max(b));
                    if let Some(slot) = parent.get_mut(hi as usize) {
                        *slot = lo;
                    }
                }
                k += 1;
            }
        }
        prev = start..runs.len();
    }
    let mut index = vec![u32::MAX; parent.len()];
    let mut blobs: Vec<Blob> = Vec::new();
    let mut sums: Vec<(f64, f64)> = Vec::new();
    for r in &runs {
        let root = find(&mut parent, r.label);
        let Some(slot) = index.get_mut(root as usize) else {
            continue;
        };
        if *slot == u32::MAX {
            *slot = blobs.len() as u32;
            blobs.push(Blob {
                x0: r.x0,
                y0: r.y,
                x1: r.x1,
                y1: r.y,
                count: 0,
                cx: 0.0,
                cy: 0.0,
            });
            sums.push((0.0, 0.0));
        }
        let n = r.x1 - r.x0 + 1;
        if let (Some(b), Some(s)) = (blobs.get_mut(*slot as usize), sums.get_mut(*slot as usize)) {
            b.x0 = b.x0.min(r.x0);
            b.x1 = b.x1.max(r.x1);
            b.y1 = b.y1.max(r.y);
            b.count += n;
            s.0 += f64::from(n) * (f64::from(r.x0) + f64::from(r.x1)) / 2.0;
            s.1 += f64::from(n) * f64::from(r.y);
        }
    }
    for (b, s) in blobs.iter_mut().zip(&sums) {
        b.cx = (s.0 / f64::from(b.count)) as f32;
        b.cy = (s.1 / f64::from(b.count)) as f32;
    }
    blobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_diagonal_and_u_shapes_as_one() {
        // A "U" (joined only at the bottom) and a diagonal (8-connected), and a lone pixel.
        let rows = [
            "1.1...1..",
            "1.1....1.",
            "111.....1",
            ".........",
            "....1....",
        ];
        let w = rows[0].len();
        let mask: Vec<u8> = rows
            .iter()
            .flat_map(|r| r.bytes().map(|b| u8::from(b == b'1')))
            .collect();
        let mut blobs = components(&mask, w, rows.len());
        blobs.sort_by_key(|b| b.x0);
        assert_eq!(blobs.len(), 3);
        assert_eq!(
            (blobs[0].width(), blobs[0].height(), blobs[0].count),
            (3, 3, 7)
        );
        assert_eq!((blobs[1].x0, blobs[1].y0, blobs[1].count), (4, 4, 1));
        assert_eq!((blobs[2].x0, blobs[2].x1, blobs[2].count), (6, 8, 3));
    }

    #[test]
    fn threshold_is_the_mean_of_the_clipped_square() {
        for (w, h, r) in [(37u32, 23u32, 4u32), (9, 30, 6), (5, 5, 8), (64, 3, 1)] {
            let img = GrayImage::from_fn(w, h, |x, y| {
                image::Luma([((x * 53 + y * 29 + x * y) % 256) as u8])
            });
            let fast = threshold(&img, r, 15);
            for y in 0..h {
                for x in 0..w {
                    let (xa, xb) = (x.saturating_sub(r), (x + r + 1).min(w));
                    let (ya, yb) = (y.saturating_sub(r), (y + r + 1).min(h));
                    let mut sum = 0u64;
                    for yy in ya..yb {
                        for xx in xa..xb {
                            sum += u64::from(img.get_pixel(xx, yy).0[0]);
                        }
                    }
                    let count = u64::from((xb - xa) * (yb - ya));
                    let p = u64::from(img.get_pixel(x, y).0[0]);
                    let ink = u8::from(p * count * 100 < sum * 85);
                    assert_eq!(
                        fast[(y * w + x) as usize],
                        ink,
                        "{w}x{h} r {r} at ({x}, {y})"
                    );
                }
            }
        }
    }

    #[test]
    fn threshold_finds_dark_marks_on_uneven_light() {
        let img = GrayImage::from_fn(40, 10, |x, y| {
            let base = 150 + (x * 2) as u8;
            image::Luma([if (18..21).contains(&x) && (3..7).contains(&y) {
                40
            } else {
                base
            }])
        });
        let m = threshold(&img, 5, 15);
        assert_eq!(m.iter().filter(|&&v| v == 1).count(), 12);
    }
}
