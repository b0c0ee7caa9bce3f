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
    let iw = w + 1;
    let mut integral = vec![0u32; iw * (h + 1)];
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            row += u32::from(raw.get(y * w + x).copied().unwrap_or(255));
            let above = integral.get(y * iw + x + 1).copied().unwrap_or(0);
            if let Some(v) = integral.get_mut((y + 1) * iw + x + 1) {
                *v = above + row;
            }
        }
    }
    let r = r as usize;
    let mut out = vec![0u8; w * h];
    let get = |x: usize, y: usize| integral.get(y * iw + x).copied().unwrap_or(0);
    for y in 0..h {
        let (ya, yb) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (xa, xb) = (x.saturating_sub(r), (x + r + 1).min(w));
            let count = ((yb - ya) * (xb - xa)) as u64;
            let sum = u64::from(
                get(xb, yb)
                    .wrapping_sub(get(xa, yb))
                    .wrapping_sub(get(xb, ya))
                    .wrapping_add(get(xa, ya)),
            );
            let p = u64::from(raw.get(y * w + x).copied().unwrap_or(255));
            if p * count * 100 < sum * u64::from(100 - percent.min(99))
                && let Some(o) = out.get_mut(y * w + x)
            {
                *o = 1;
            }
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
