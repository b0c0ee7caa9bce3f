//! Floating-point image planes in a document's millimetre frame, with a mask of the pixels
//! that may be compared (inside the capture and outside personalised zones).

/// A colour plane: RGB in 0–255 per pixel, and whether each pixel counts.
#[derive(Clone, Debug, Default)]
pub struct ColourPlane {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Pixels, row by row.
    pub px: Vec<[f32; 3]>,
    /// Whether each pixel counts (inside the capture, not masked).
    pub valid: Vec<bool>,
}

/// A grey plane: one value per pixel, and whether each pixel counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plane {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Values, row by row.
    pub v: Vec<f32>,
    /// Whether each pixel counts.
    pub valid: Vec<bool>,
}

impl ColourPlane {
    /// Luminance (Rec. 601 weights).
    pub fn grey(&self) -> Plane {
        Plane {
            width: self.width,
            height: self.height,
            v: self
                .px
                .iter()
                .map(|p| 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2])
                .collect(),
            valid: self.valid.clone(),
        }
    }

    /// The plane as an 8-bit image; pixels that do not count are drawn in `fill`.
    pub fn to_image(&self, fill: [u8; 3]) -> image::RgbImage {
        image::RgbImage::from_fn(self.width as u32, self.height as u32, |x, y| {
            let i = y as usize * self.width + x as usize;
            match (self.px.get(i), self.valid.get(i)) {
                (Some(p), Some(true)) => image::Rgb(p.map(|v| v.round().clamp(0.0, 255.0) as u8)),
                _ => image::Rgb(fill),
            }
        })
    }

    /// Mean colour of the valid pixels, `None` when there are none.
    pub fn mean(&self) -> Option<[f64; 3]> {
        let mut s = [0.0f64; 3];
        let mut n = 0usize;
        for (p, _) in self.px.iter().zip(&self.valid).filter(|(_, v)| **v) {
            for (a, b) in s.iter_mut().zip(p) {
                *a += f64::from(*b);
            }
            n += 1;
        }
        (n > 0).then(|| s.map(|v| v / n as f64))
    }
}

impl Plane {
    /// A plane of `width` × `height` holding `value`, all valid.
    pub fn filled(width: usize, height: usize, value: f32) -> Plane {
        Plane {
            width,
            height,
            v: vec![value; width * height],
            valid: vec![true; width * height],
        }
    }

    /// The value at (`x`, `y`), if inside and valid.
    pub fn get(&self, x: usize, y: usize) -> Option<f32> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = y * self.width + x;
        match (self.v.get(i), self.valid.get(i)) {
            (Some(v), Some(true)) => Some(*v),
            _ => None,
        }
    }

    /// Valid values, in order.
    pub fn valid_values(&self) -> Vec<f32> {
        self.v
            .iter()
            .zip(&self.valid)
            .filter(|(_, ok)| **ok)
            .map(|(v, _)| *v)
            .collect()
    }

    /// Share of the pixels that are valid.
    pub fn valid_share(&self) -> f64 {
        if self.valid.is_empty() {
            return 0.0;
        }
        self.valid.iter().filter(|v| **v).count() as f64 / self.valid.len() as f64
    }

    /// The part of the plane in `[x, y, w, h]` (pixels, clipped).
    pub fn crop(&self, x: usize, y: usize, w: usize, h: usize) -> Plane {
        let x = x.min(self.width);
        let y = y.min(self.height);
        let w = w.min(self.width - x);
        let h = h.min(self.height - y);
        let mut out = Plane {
            width: w,
            height: h,
            v: Vec::with_capacity(w * h),
            valid: Vec::with_capacity(w * h),
        };
        for row in y..y + h {
            let s = row * self.width + x;
            out.v.extend(self.v.get(s..s + w).unwrap_or_default());
            out.valid
                .extend(self.valid.get(s..s + w).unwrap_or_default());
        }
        out
    }

    /// A box mean of radius `r` pixels (a (2r+1)² window, clipped at the edges; invalid
    /// pixels take part with their values).
    pub fn box_blur(&self, r: usize) -> Plane {
        let (w, h) = (self.width, self.height);
        let mut tmp = vec![0f32; w * h];
        // Rows: a running sum along each row.
        for (src, dst) in self.v.chunks(w.max(1)).zip(tmp.chunks_mut(w.max(1))) {
            let mut acc = 0f64;
            let mut count = 0usize;
            for v in src.iter().take(r.min(w)) {
                acc += f64::from(*v);
                count += 1;
            }
            for i in 0..w {
                if let Some(v) = src.get(i + r) {
                    acc += f64::from(*v);
                    count += 1;
                }
                if i > r
                    && let Some(v) = src.get(i - r - 1)
                {
                    acc -= f64::from(*v);
                    count -= 1;
                }
                if let Some(d) = dst.get_mut(i) {
                    *d = (acc / count.max(1) as f64) as f32;
                }
            }
        }
        // Columns: running sums of whole rows.
        let mut out = vec![0f32; w * h];
        let mut acc = vec![0f64; w];
        let mut count = 0usize;
        let row = |y: usize| tmp.get(y * w..(y + 1) * w).unwrap_or_default();
        for y in 0..r.min(h) {
            for (a, v) in acc.iter_mut().zip(row(y)) {
                *a += f64::from(*v);
            }
            count += 1;
        }
        for y in 0..h {
            if y + r < h {
                for (a, v) in acc.iter_mut().zip(row(y + r)) {
                    *a += f64::from(*v);
                }
                count += 1;
            }
            if y > r {
                for (a, v) in acc.iter_mut().zip(row(y - r - 1)) {
                    *a -= f64::from(*v);
                }
                count -= 1;
            }
            if let Some(dst) = out.get_mut(y * w..(y + 1) * w) {
                let c = count.max(1) as f64;
                for (d, a) in dst.iter_mut().zip(&acc) {
                    *d = (a / c) as f32;
                }
            }
        }
        Plane {
            width: w,
            height: h,
            v: out,
            valid: self.valid.clone(),
        }
    }

    /// The plane minus its box mean of radius `r`: fine structure only.
    pub fn high_pass(&self, r: usize) -> Plane {
        let low = self.box_blur(r);
        Plane {
            width: self.width,
            height: self.height,
            v: self.v.iter().zip(&low.v).map(|(a, b)| a - b).collect(),
            valid: self.valid.clone(),
        }
    }

    /// Each valid pixel's departure from the mean of the valid pixels within `r`, in units of
    /// their standard deviation (at least `floor` grey levels, so plain paper stays near 0):
    /// the structure of the plane with the light that fell on it taken out (a shadow, a
    /// falloff, a glare spot scale and shift the pixels around them alike).
    pub fn local_contrast(&self, r: usize, floor: f32) -> Plane {
        let (w, h) = (self.width, self.height);
        let weights = Plane {
            width: w,
            height: h,
            v: self
                .valid
                .iter()
                .map(|&ok| f32::from(u8::from(ok)))
                .collect(),
            valid: self.valid.clone(),
        };
        let masked = |f: &dyn Fn(f32) -> f32| Plane {
            width: w,
            height: h,
            v: self
                .v
                .iter()
                .zip(&self.valid)
                .map(|(v, ok)| if *ok { f(*v) } else { 0.0 })
                .collect(),
            valid: self.valid.clone(),
        };
        let n = weights.box_blur(r);
        let s1 = masked(&|v| v).box_blur(r);
        let s2 = masked(&|v| v * v).box_blur(r);
        let v = self
            .v
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let (Some(n), Some(a), Some(b)) = (n.v.get(i), s1.v.get(i), s2.v.get(i)) else {
                    return 0.0;
                };
                if *n < 1e-3 {
                    return 0.0;
                }
                let mean = a / n;
                let sd = (b / n - mean * mean).max(0.0).sqrt().max(floor);
                (v - mean) / sd
            })
            .collect();
        Plane {
            width: w,
            height: h,
            v,
            valid: self.valid.clone(),
        }
    }

    /// Root-mean-square of the valid values, `None` when there are none.
    pub fn rms(&self) -> Option<f64> {
        let v = self.valid_values();
        (!v.is_empty())
            .then(|| (v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / v.len() as f64).sqrt())
    }

    /// The `q`-quantile (0–1) of the valid values.
    pub fn quantile(&self, q: f64) -> Option<f32> {
        let mut v = self.valid_values();
        quantile(&mut v, q)
    }
}

/// The `q`-quantile (0–1) of `v` (reordered), `None` when empty.
pub fn quantile(v: &mut [f32], q: f64) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    let k = ((v.len() - 1) as f64 * q.clamp(0.0, 1.0)).round() as usize;
    let (_, m, _) = v.select_nth_unstable_by(k, f32::total_cmp);
    Some(*m)
}

/// Keeps a pixel valid in both masks only where it is valid in both (two samplings of one
/// region compared pixel for pixel).
pub fn valid_in_both(a: &mut [bool], b: &mut [bool]) {
    for (x, y) in a.iter_mut().zip(b.iter_mut()) {
        let both = *x && *y;
        *x = both;
        *y = both;
    }
}

/// Zero-mean normalised cross-correlation of `a` and `b` (same size) over the pixels valid
/// in both; `None` with fewer than `min_px` such pixels or no contrast in either.
pub fn ncc(a: &Plane, b: &Plane, min_px: usize) -> Option<f64> {
    if a.width != b.width || a.height != b.height {
        return ncc_at(a, b, 0, 0, min_px);
    }
    ncc_shifts(a, b, 1, 1, min_px).first().copied().flatten()
}

/// [`ncc`] with `b` shifted by (`dx`, `dy`) pixels: `a(x, y)` against `b(x + dx, y + dy)`.
pub fn ncc_at(a: &Plane, b: &Plane, dx: isize, dy: isize, min_px: usize) -> Option<f64> {
    let (mut n, mut sa, mut sb, mut saa, mut sbb, mut sab) = (0usize, 0.0, 0.0, 0.0, 0.0, 0.0);
    for y in 0..a.height {
        let by = y as isize + dy;
        if by < 0 || by as usize >= b.height {
            continue;
        }
        for x in 0..a.width {
            let bx = x as isize + dx;
            if bx < 0 || bx as usize >= b.width {
                continue;
            }
            let (Some(p), Some(q)) = (a.get(x, y), b.get(bx as usize, by as usize)) else {
                continue;
            };
            let (p, q) = (f64::from(p), f64::from(q));
            n += 1;
            sa += p;
            sb += q;
            saa += p * p;
            sbb += q * q;
            sab += p * q;
        }
    }
    if n < min_px.max(2) {
        return None;
    }
    let nf = n as f64;
    let va = saa - sa * sa / nf;
    let vb = sbb - sb * sb / nf;
    if va <= 1e-9 * nf || vb <= 1e-9 * nf {
        return None;
    }
    Some((sab - sa * sb / nf) / (va * vb).sqrt())
}

/// [`ncc_at`] for every shift (`dx` in `0..nx`, `dy` in `0..ny`), row by row (`None` where
/// it cannot be measured): one pass over dense rows per shift, the way block matching needs
/// it.
pub fn ncc_shifts(a: &Plane, b: &Plane, nx: usize, ny: usize, min_px: usize) -> Vec<Option<f64>> {
    let (aw, ah, bw) = (a.width, a.height, b.width);
    // Values with invalid pixels zeroed, and masks as 0/1.
    let dense = |p: &Plane| -> (Vec<f32>, Vec<f32>) {
        let m: Vec<f32> = p.valid.iter().map(|&v| if v { 1.0 } else { 0.0 }).collect();
        let v: Vec<f32> = p.v.iter().zip(&m).map(|(x, k)| x * k).collect();
        (v, m)
    };
    let b_valid = b.valid.iter().all(|v| *v);
    if b_valid && a.valid.iter().all(|v| *v) {
        return ncc_shifts_dense(&a.v, &b.v, aw, ah, bw, b.height, nx, ny, min_px);
    }
    let (av, am) = dense(a);
    if b_valid {
        return ncc_shifts_masked_template(&av, &am, b, aw, ah, nx, ny, min_px);
    }
    let (bv, bm) = dense(b);
    let a2: Vec<f32> = av.iter().map(|x| x * x).collect();
    let b2: Vec<f32> = bv.iter().map(|x| x * x).collect();
    let mut out = Vec::with_capacity(nx * ny);
    for dy in 0..ny {
        for dx in 0..nx {
            if dx + aw > b.width || dy + ah > b.height {
                out.push(None);
                continue;
            }
            let (mut n, mut sa, mut sb, mut saa, mut sbb, mut sab) =
                (0f64, 0f64, 0f64, 0f64, 0f64, 0f64);
            for y in 0..ah {
                let ar = y * aw..(y + 1) * aw;
                let br = (y + dy) * bw + dx..(y + dy) * bw + dx + aw;
                let (Some(ra), Some(rb), Some(ma), Some(mb), Some(ra2), Some(rb2)) = (
                    av.get(ar.clone()),
                    bv.get(br.clone()),
                    am.get(ar.clone()),
                    bm.get(br.clone()),
                    a2.get(ar),
                    b2.get(br),
                ) else {
                    continue;
                };
                let [rn, rsa, rsb, rsaa, rsbb, rsab] = masked_row_sums([ma, mb, ra, rb, ra2, rb2]);
                n += f64::from(rn);
                sa += f64::from(rsa);
                sb += f64::from(rsb);
                saa += f64::from(rsaa);
                sbb += f64::from(rsbb);
                sab += f64::from(rsab);
            }
            out.push(finish(n, sa, sb, saa, sbb, sab, min_px));
        }
    }
    out
}

/// [`ncc_shifts`] when every pixel of `b` counts (a masked template searched in a window
/// wholly captured): the template's own sums once, three sums per shift instead of six.
#[allow(clippy::too_many_arguments)]
fn ncc_shifts_masked_template(
    av: &[f32],
    am: &[f32],
    b: &Plane,
    aw: usize,
    ah: usize,
    nx: usize,
    ny: usize,
    min_px: usize,
) -> Vec<Option<f64>> {
    let (bw, bh) = (b.width, b.height);
    let n: f64 = am.iter().map(|m| f64::from(*m)).sum();
    let sa: f64 = av.iter().map(|v| f64::from(*v)).sum();
    let saa: f64 = av.iter().map(|v| f64::from(*v) * f64::from(*v)).sum();
    let b2: Vec<f32> = b.v.iter().map(|x| x * x).collect();
    let mut out = Vec::with_capacity(nx * ny);
    for dy in 0..ny {
        for dx in 0..nx {
            if dx + aw > bw || dy + ah > bh {
                out.push(None);
                continue;
            }
            let (mut sb, mut sbb, mut sab) = (0f64, 0f64, 0f64);
            for y in 0..ah {
                let ar = y * aw..(y + 1) * aw;
                let br = (y + dy) * bw + dx..(y + dy) * bw + dx + aw;
                let (Some(ra), Some(ma), Some(rb), Some(rb2)) = (
                    av.get(ar.clone()),
                    am.get(ar),
                    b.v.get(br.clone()),
                    b2.get(br),
                ) else {
                    continue;
                };
                let [rsb, rsbb, rsab] = template_row_sums([ma, ra, rb, rb2]);
                sb += f64::from(rsb);
                sbb += f64::from(rsbb);
                sab += f64::from(rsab);
            }
            out.push(finish(n, sa, sb, saa, sbb, sab, min_px));
        }
    }
    out
}

/// Lanes of the row sums: independent accumulators the compiler keeps in vector registers
/// (one accumulator would force the additions into sequence).
const LANES: usize = 8;

/// Σ a·b over two rows of the same length.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (xa, xb) in ca.zip(cb) {
        for ((s, x), y) in acc.iter_mut().zip(xa).zip(xb) {
            *s += x * y;
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// The six sums of a masked correlation over one row, from the masks `ma`, `mb` (0/1), the
/// masked values `a`, `b` and their squares: [Σ ma·mb, Σ a·mb, Σ b·ma, Σ a²·mb, Σ b²·ma,
/// Σ a·b].
#[allow(clippy::indexing_slicing)] // every index below `len`, the shortest row's length
fn masked_row_sums([ma, mb, a, b, a2, b2]: [&[f32]; 6]) -> [f32; 6] {
    let len = [mb, a, b, a2, b2]
        .iter()
        .fold(ma.len(), |n, r| n.min(r.len()));
    let mut acc = [[0f32; LANES]; 6];
    let whole = len / LANES * LANES;
    for at in (0..whole).step_by(LANES) {
        let r = at..at + LANES;
        let (ka, kb, x, y, x2, y2) = (
            &ma[r.clone()],
            &mb[r.clone()],
            &a[r.clone()],
            &b[r.clone()],
            &a2[r.clone()],
            &b2[r],
        );
        for l in 0..LANES {
            let (ka, kb, x, y, x2, y2) = (ka[l], kb[l], x[l], y[l], x2[l], y2[l]);
            acc[0][l] += ka * kb;
            acc[1][l] += x * kb;
            acc[2][l] += y * ka;
            acc[3][l] += x2 * kb;
            acc[4][l] += y2 * ka;
            acc[5][l] += x * y;
        }
    }
    let mut out = acc.map(|lanes| lanes.iter().sum::<f32>());
    for i in whole..len {
        let (ka, kb, x, y, x2, y2) = (ma[i], mb[i], a[i], b[i], a2[i], b2[i]);
        out[0] += ka * kb;
        out[1] += x * kb;
        out[2] += y * ka;
        out[3] += x2 * kb;
        out[4] += y2 * ka;
        out[5] += x * y;
    }
    out
}

/// The three sums of a masked template's correlation with a wholly valid row, from the
/// template's mask `ma` (0/1), its masked values `a`, and the row `b` with its squares:
/// [Σ b·ma, Σ b²·ma, Σ a·b].
#[allow(clippy::indexing_slicing)] // every index below `len`, the shortest row's length
fn template_row_sums([ma, a, b, b2]: [&[f32]; 4]) -> [f32; 3] {
    let len = [a, b, b2].iter().fold(ma.len(), |n, r| n.min(r.len()));
    let mut acc = [[0f32; LANES]; 3];
    let whole = len / LANES * LANES;
    for at in (0..whole).step_by(LANES) {
        let r = at..at + LANES;
        let (ka, x, y, y2) = (&ma[r.clone()], &a[r.clone()], &b[r.clone()], &b2[r]);
        for l in 0..LANES {
            acc[0][l] += y[l] * ka[l];
            acc[1][l] += y2[l] * ka[l];
            acc[2][l] += x[l] * y[l];
        }
    }
    let mut out = acc.map(|lanes| lanes.iter().sum::<f32>());
    for i in whole..len {
        out[0] += b[i] * ma[i];
        out[1] += b2[i] * ma[i];
        out[2] += a[i] * b[i];
    }
    out
}

/// The correlation from its sums, `None` with too few pixels or no contrast.
fn finish(n: f64, sa: f64, sb: f64, saa: f64, sbb: f64, sab: f64, min_px: usize) -> Option<f64> {
    if n < min_px.max(2) as f64 {
        return None;
    }
    let va = saa - sa * sa / n;
    let vb = sbb - sb * sb / n;
    if va <= 1e-9 * n || vb <= 1e-9 * n {
        return None;
    }
    Some((sab - sa * sb / n) / (va * vb).sqrt())
}

/// [`ncc_shifts`] when every pixel of both planes counts: the sums of `a` once, the window
/// sums of `b` from integral images, only the cross term per shift.
#[allow(clippy::too_many_arguments)]
fn ncc_shifts_dense(
    av: &[f32],
    bv: &[f32],
    aw: usize,
    ah: usize,
    bw: usize,
    bh: usize,
    nx: usize,
    ny: usize,
    min_px: usize,
) -> Vec<Option<f64>> {
    let sa: f64 = av.iter().map(|v| f64::from(*v)).sum();
    let saa: f64 = av.iter().map(|v| f64::from(*v) * f64::from(*v)).sum();
    // Integral images of b and b², (bw + 1) × (bh + 1).
    let iw = bw + 1;
    let mut s1 = vec![0f64; iw * (bh + 1)];
    let mut s2 = vec![0f64; iw * (bh + 1)];
    for y in 0..bh {
        let (mut r1, mut r2) = (0f64, 0f64);
        for x in 0..bw {
            let v = f64::from(bv.get(y * bw + x).copied().unwrap_or(0.0));
            r1 += v;
            r2 += v * v;
            let up1 = s1.get(y * iw + x + 1).copied().unwrap_or(0.0);
            let up2 = s2.get(y * iw + x + 1).copied().unwrap_or(0.0);
            if let Some(d) = s1.get_mut((y + 1) * iw + x + 1) {
                *d = up1 + r1;
            }
            if let Some(d) = s2.get_mut((y + 1) * iw + x + 1) {
                *d = up2 + r2;
            }
        }
    }
    let rect = |s: &[f64], x: usize, y: usize| {
        let g = |xx: usize, yy: usize| s.get(yy * iw + xx).copied().unwrap_or(0.0);
        g(x + aw, y + ah) - g(x, y + ah) - g(x + aw, y) + g(x, y)
    };
    let n = (aw * ah) as f64;
    let mut out = Vec::with_capacity(nx * ny);
    for dy in 0..ny {
        for dx in 0..nx {
            if dx + aw > bw || dy + ah > bh {
                out.push(None);
                continue;
            }
            let mut sab = 0f64;
            for y in 0..ah {
                let (Some(ra), Some(rb)) = (
                    av.get(y * aw..(y + 1) * aw),
                    bv.get((y + dy) * bw + dx..(y + dy) * bw + dx + aw),
                ) else {
                    continue;
                };
                sab += f64::from(dot(ra, rb));
            }
            out.push(finish(
                n,
                sa,
                rect(&s1, dx, dy),
                saa,
                rect(&s2, dx, dy),
                sab,
                min_px,
            ));
        }
    }
    out
}

/// Mean and standard deviation of the valid values.
pub fn mean_std(p: &Plane) -> Option<(f64, f64)> {
    let (mut n, mut s, mut ss) = (0usize, 0.0f64, 0.0f64);
    for v in p.valid_values() {
        let v = f64::from(v);
        n += 1;
        s += v;
        ss += v * v;
    }
    if n == 0 {
        return None;
    }
    let m = s / n as f64;
    Some((m, (ss / n as f64 - m * m).max(0.0).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(w: usize, h: usize, f: impl Fn(usize, usize) -> f32) -> Plane {
        let mut p = Plane::filled(w, h, 0.0);
        for y in 0..h {
            for x in 0..w {
                if let Some(v) = p.v.get_mut(y * w + x) {
                    *v = f(x, y);
                }
            }
        }
        p
    }

    #[test]
    fn ncc_is_one_for_an_affine_copy_and_finds_a_shift() {
        let a = ramp(20, 20, |x, y| ((x * 7 + y * 3) % 11) as f32);
        let b = ramp(20, 20, |x, y| 3.0 * ((x * 7 + y * 3) % 11) as f32 + 5.0);
        assert!((ncc(&a, &b, 10).unwrap_or(0.0) - 1.0).abs() < 1e-9);
        let c = ramp(20, 20, |x, y| (((x + 22 - 2) * 7 + y * 3) % 11) as f32);
        // c(x + 2) = a(x)
        assert!((ncc_at(&a, &c, 2, 0, 10).unwrap_or(0.0) - 1.0).abs() < 1e-9);
        assert!(ncc_at(&a, &c, 0, 0, 10).unwrap_or(1.0) < 0.9);
    }

    #[test]
    fn the_shift_search_agrees_with_one_shift_at_a_time() {
        // Rows wider than the summing lanes, with a remainder, exercise the lanes and the tail.
        let a0 = ramp(19, 6, |x, y| ((x * 5 + y * 3) % 7) as f32);
        let b0 = ramp(26, 11, |x, y| ((x * 5 + y * 3 + x * y) % 9) as f32);
        let hole = |p: &Plane, at: usize| {
            let mut p = p.clone();
            if let Some(v) = p.valid.get_mut(at) {
                *v = false;
            }
            p
        };
        // Every path: both whole, a masked template in a whole window, a hole in the window,
        // holes in both.
        for (case, a, b) in [
            ("dense", a0.clone(), b0.clone()),
            ("template", hole(&a0, 11), b0.clone()),
            ("window", a0.clone(), hole(&b0, 40)),
            ("both", hole(&a0, 11), hole(&b0, 40)),
        ] {
            let all = ncc_shifts(&a, &b, 8, 6, 10);
            for dy in 0..6 {
                for dx in 0..8 {
                    let one = ncc_at(&a, &b, dx as isize, dy as isize, 10);
                    let got = all.get(dy * 8 + dx).copied().flatten();
                    match (one, got) {
                        (Some(p), Some(q)) => {
                            assert!((p - q).abs() < 1e-4, "{case} {dx},{dy}: {p} vs {q}")
                        }
                        (p, q) => assert_eq!(p.is_some(), q.is_some(), "{case} {dx},{dy}"),
                    }
                }
            }
        }
    }

    #[test]
    fn local_contrast_takes_out_a_gain_and_an_offset() {
        let a = ramp(30, 20, |x, y| ((x * 7 + y * 3) % 11) as f32 * 10.0);
        // The same print under half the light, pushed a third of the way to white.
        let b = ramp(30, 20, |x, y| {
            let v = 0.5 * ((x * 7 + y * 3) % 11) as f32 * 10.0;
            v + (255.0 - v) / 3.0
        });
        let (la, lb) = (a.local_contrast(3, 1.0), b.local_contrast(3, 1.0));
        for (p, q) in la.v.iter().zip(&lb.v) {
            assert!((p - q).abs() < 1e-3, "{p} vs {q}");
        }
        // Plain paper stays at 0; pixels outside the capture do not pull their neighbours.
        let mut c = Plane::filled(10, 10, 200.0);
        for i in 0..30 {
            if let Some(v) = c.valid.get_mut(i) {
                *v = false;
            }
            if let Some(v) = c.v.get_mut(i) {
                *v = 0.0;
            }
        }
        let lc = c.local_contrast(2, 4.0);
        assert!(
            lc.v.iter()
                .zip(&lc.valid)
                .all(|(v, ok)| !*ok || v.abs() < 1e-3)
        );
    }

    #[test]
    fn box_blur_keeps_a_constant_and_high_pass_removes_it() {
        let p = Plane::filled(9, 7, 4.0);
        assert!(p.box_blur(2).v.iter().all(|v| (v - 4.0).abs() < 1e-5));
        assert!(p.high_pass(2).v.iter().all(|v| v.abs() < 1e-5));
        // A single bright pixel spreads evenly over the windows that hold it; a window
        // clipped by the edge averages over the pixels it has.
        let mut q = Plane::filled(9, 7, 0.0);
        if let Some(v) = q.v.get_mut(3 * 9 + 4) {
            *v = 25.0;
        }
        let b = q.box_blur(2);
        assert!((b.get(4, 3).unwrap_or(0.0) - 1.0).abs() < 1e-5);
        assert!((b.get(3, 2).unwrap_or(0.0) - 1.0).abs() < 1e-5);
        assert!((b.get(2, 1).unwrap_or(0.0) - 25.0 / 20.0).abs() < 1e-5);
        assert_eq!(b.get(1, 3), Some(0.0));
    }

    #[test]
    fn quantiles_and_crops() {
        let p = ramp(10, 10, |x, y| (y * 10 + x) as f32);
        assert_eq!(p.quantile(0.0), Some(0.0));
        assert_eq!(p.quantile(1.0), Some(99.0));
        let c = p.crop(8, 8, 5, 5);
        assert_eq!((c.width, c.height), (2, 2));
        assert_eq!(c.get(1, 1), Some(99.0));
    }
}
