//! Plane projective maps (homographies): fitting from point pairs, applying, inverting.

// Indexing here is into fixed-size arrays (3×3 and 8×8 systems, four corners) by loop
// counters below their length, never by values from a file.
#![allow(
    clippy::indexing_slicing,
    clippy::needless_range_loop,
    clippy::type_complexity
)]

/// A 3×3 projective map of the plane, row-major, normalised so that the last entry is 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// The identity.
    pub const IDENTITY: Homography = Homography([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);

    /// Scale by `s`, rotate by `angle_rad` (clockwise on an image, y pointing down), then move
    /// by (`tx`, `ty`).
    pub fn similarity(s: f64, angle_rad: f64, tx: f64, ty: f64) -> Homography {
        let (sin, cos) = angle_rad.sin_cos();
        Homography([s * cos, -s * sin, tx, s * sin, s * cos, ty, 0.0, 0.0, 1.0])
    }

    /// Where `(x, y)` goes; `None` where the map sends it to infinity.
    pub fn apply(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let m = &self.0;
        let w = m[6] * x + m[7] * y + m[8];
        if w.abs() < 1e-12 {
            return None;
        }
        Some((
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        ))
    }

    /// `self` after `first`: the map `p ↦ self(first(p))`.
    pub fn after(&self, first: &Homography) -> Homography {
        let (a, b) = (&self.0, &first.0);
        let mut m = [0.0; 9];
        for (i, out) in m.iter_mut().enumerate() {
            let (r, c) = (i / 3, i % 3);
            *out = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
        }
        Homography(m).normalised()
    }

    /// The inverse map, if there is one.
    pub fn inverse(&self) -> Option<Homography> {
        let m = &self.0;
        let c = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        let det = m[0] * c[0] + m[1] * c[3] + m[2] * c[6];
        if det.abs() < 1e-18 {
            return None;
        }
        Some(Homography(c.map(|v| v / det)).normalised())
    }

    fn normalised(self) -> Homography {
        let w = self.0[8];
        if w.abs() < 1e-15 {
            return self;
        }
        Homography(self.0.map(|v| v / w))
    }

    /// The local scale at `(x, y)`: the square root of the Jacobian's determinant.
    pub fn scale_at(&self, x: f64, y: f64) -> f64 {
        let d = 1e-3;
        match (self.apply(x, y), self.apply(x + d, y), self.apply(x, y + d)) {
            (Some(p), Some(px), Some(py)) => {
                let (ax, ay) = ((px.0 - p.0) / d, (px.1 - p.1) / d);
                let (bx, by) = ((py.0 - p.0) / d, (py.1 - p.1) / d);
                (ax * by - ay * bx).abs().sqrt()
            }
            _ => 0.0,
        }
    }

    /// The least-squares map taking each `from` point to its `to` point (at least four pairs,
    /// not all on one line); `None` when they do not determine one.
    pub fn fit(pairs: &[((f64, f64), (f64, f64))]) -> Option<Homography> {
        if pairs.len() < 4 {
            return None;
        }
        // Normalise both point sets (centroid at 0, mean distance √2) for a well-conditioned
        // system, solve the normal equations with h33 = 1, undo the normalisation.
        let (tf, tt) = (
            normaliser(pairs.iter().map(|p| p.0))?,
            normaliser(pairs.iter().map(|p| p.1))?,
        );
        let mut ata = [[0.0f64; 8]; 8];
        let mut atb = [0.0f64; 8];
        for &(f, t) in pairs {
            let (x, y) = tf.apply(f.0, f.1)?;
            let (u, v) = tt.apply(t.0, t.1)?;
            let rows = [
                ([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y], u),
                ([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y], v),
            ];
            for (r, b) in rows {
                for i in 0..8 {
                    for j in 0..8 {
                        ata[i][j] += r[i] * r[j];
                    }
                    atb[i] += r[i] * b;
                }
            }
        }
        let h = solve8(ata, atb)?;
        let n = Homography([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]);
        Some(tt.inverse()?.after(&n).after(&tf))
    }
}

/// The similarity that centres `points` and scales their mean distance from the centre to √2.
fn normaliser(points: impl Iterator<Item = (f64, f64)> + Clone) -> Option<Homography> {
    let n = points.clone().count() as f64;
    let (sx, sy) = points
        .clone()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (cx, cy) = (sx / n, sy / n);
    let d = points
        .map(|p| ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt())
        .sum::<f64>()
        / n;
    if d < 1e-12 {
        return None;
    }
    let s = std::f64::consts::SQRT_2 / d;
    Some(Homography([
        s,
        0.0,
        -s * cx,
        0.0,
        s,
        -s * cy,
        0.0,
        0.0,
        1.0,
    ]))
}

/// Solves the 8×8 system `a x = b` by Gaussian elimination with partial pivoting.
#[allow(clippy::indexing_slicing)] // fixed 8×8 arrays indexed by loop counters below 8
fn solve8(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..8 {
            let f = a[row][col] / a[col][col];
            for k in col..8 {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; 8];
    for row in (0..8).rev() {
        let s: f64 = (row + 1..8).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_a_projective_map_and_inverse_undoes_it() {
        let h = Homography([1.1, 0.05, 30.0, -0.04, 0.95, 12.0, 1e-4, -2e-4, 1.0]);
        let pairs: Vec<_> = [
            (0.0, 0.0),
            (100.0, 0.0),
            (100.0, 70.0),
            (0.0, 70.0),
            (50.0, 35.0),
        ]
        .into_iter()
        .map(|p| (p, h.apply(p.0, p.1).unwrap_or_default()))
        .collect();
        let g = Homography::fit(&pairs).unwrap_or(Homography::IDENTITY);
        for (a, b) in g.0.iter().zip(h.0.iter()) {
            assert!((a - b).abs() < 1e-6, "{g:?} vs {h:?}");
        }
        let inv = h.inverse().unwrap_or(Homography::IDENTITY);
        let (x, y) = inv.after(&h).apply(42.0, 17.0).unwrap_or_default();
        assert!((x - 42.0).abs() < 1e-9 && (y - 17.0).abs() < 1e-9);
    }

    #[test]
    fn collinear_points_do_not_determine_a_map() {
        let pairs: Vec<_> = (0..5)
            .map(|i| ((i as f64, i as f64), (i as f64, 0.0)))
            .collect();
        assert!(Homography::fit(&pairs).is_none());
    }

    #[test]
    fn similarity_scales_and_turns() {
        let h = Homography::similarity(2.0, std::f64::consts::FRAC_PI_2, 10.0, 0.0);
        let (x, y) = h.apply(1.0, 0.0).unwrap_or_default();
        assert!((x - 10.0).abs() < 1e-9 && (y - 2.0).abs() < 1e-9);
        assert!((h.scale_at(3.0, 4.0) - 2.0).abs() < 1e-6);
    }
}
