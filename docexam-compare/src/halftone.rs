//! Printing technique: a halftone or screen (inkjet, laser and offset reproductions) shows
//! in the Fourier spectrum as isolated periodic peaks, with a ruling and an angle, where a
//! genuine print of continuous lines has none. The strongest isolated peak above
//! 2.5 cycles/mm is measured on the questioned region and on the reference, in dB above
//! the spectrum around it.

use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

use super::inputs::FeatureInputs;
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::{Plane, quantile};

/// FFT window side (pixels).
const N: usize = 256;

/// Lowest frequency searched for a screen (cycles/mm).
const MIN_CYCLES_MM: f64 = 2.5;

/// A spectral peak: strength (dB over its surroundings), frequency (cycles/mm), angle (°).
#[derive(Clone, Copy, Debug)]
pub struct Peak {
    /// Peak power over the median power at the same frequency, in dB.
    pub db: f64,
    /// Frequency in cycles per mm (the screen ruling in lines per mm).
    pub cycles_mm: f64,
    /// Direction of the screen, degrees.
    pub angle_deg: f64,
}

/// Compares the printing technique of the region.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    // Data printed over the region is part of the print: a screen shows in it too.
    let ctx = &ctx.unmasked();
    let px = ctx.px_mm(16.0);
    if px < 2.0 * MIN_CYCLES_MM * 1.2 {
        return Err(format!(
            "the capture resolves {px:.1} px/mm, too few to see a screen"
        ));
    }
    let r = ctx.feature.rect_mm;
    let side = N as f64 / px;
    // Windows of N pixels over the region, up to four, the most complete first.
    let mut windows = Vec::new();
    let (nx, ny) = (
        (r[2] / side).floor() as usize,
        (r[3] / side).floor() as usize,
    );
    for j in 0..ny.max(1) {
        for i in 0..nx.max(1) {
            windows.push([r[0] + i as f64 * side, r[1] + j as f64 * side, side, side]);
        }
    }
    let mut best: Option<(Peak, Peak)> = None;
    let mut used = 0;
    for w in windows {
        let (a, b, _) = ctx.grey_pair(w, px, 0.0);
        if a.width != N || a.height != N || a.valid_share() < 0.4 {
            continue;
        }
        used += 1;
        let (Some(pr), Some(pq)) = (peak(&a, px), peak(&b, px)) else {
            continue;
        };
        if best.is_none_or(|(_, q)| pq.db - pr.db > q.db) {
            best = Some((
                pr,
                Peak {
                    db: pq.db - pr.db,
                    ..pq
                },
            ));
        }
        if used >= 4 {
            break;
        }
    }
    let Some((reference, excess)) = best else {
        return Err("no window of the region was captured whole".into());
    };
    Ok(Measured {
        scores: vec![Score::max("screen_peak_excess", excess.db, "dB", 6.0)],
        heat_map: None,
        note: Some(format!(
            "strongest periodic peak {:.1} lines/mm ({:.0} lpi) at {:.0}°, reference peak {:.1} dB",
            excess.cycles_mm,
            excess.cycles_mm * 25.4,
            excess.angle_deg,
            reference.db
        )),
    })
}

/// The strongest isolated peak of `p` (N × N) sampled at `px` px/mm.
pub fn peak(p: &Plane, px: f64) -> Option<Peak> {
    let vals = p.valid_values();
    if vals.is_empty() {
        return None;
    }
    let mean = vals.iter().map(|v| f64::from(*v)).sum::<f64>() / vals.len() as f64;
    let hann: Vec<f64> = (0..N)
        .map(|i| 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / N as f64).cos())
        .collect();
    let mut data: Vec<Complex<f64>> = (0..N * N)
        .map(|i| {
            let v = if p.valid.get(i).copied().unwrap_or(false) {
                f64::from(p.v.get(i).copied().unwrap_or(0.0)) - mean
            } else {
                0.0
            };
            let w =
                hann.get(i % N).copied().unwrap_or(0.0) * hann.get(i / N).copied().unwrap_or(0.0);
            Complex::new(v * w, 0.0)
        })
        .collect();
    let mut planner = FftPlanner::new();
    let fft = planner.plan_fft_forward(N);
    for row in data.chunks_mut(N) {
        fft.process(row);
    }
    // Columns: transpose, transform rows, (the spectrum's orientation does not matter for
    // the magnitude search below as long as both axes are transformed).
    let mut t = vec![Complex::new(0.0, 0.0); N * N];
    for y in 0..N {
        for x in 0..N {
            if let (Some(d), Some(s)) = (t.get_mut(x * N + y), data.get(y * N + x)) {
                *d = *s;
            }
        }
    }
    for row in t.chunks_mut(N) {
        fft.process(row);
    }
    // t[u * N + v]: u the x frequency, v the y frequency.
    let power = |u: usize, v: usize| t.get(u * N + v).map_or(0.0, |c| c.norm_sqr());
    let freq = |k: usize| {
        if k < N / 2 {
            k as f64
        } else {
            k as f64 - N as f64
        }
    };
    let min_r = MIN_CYCLES_MM / px * N as f64;
    let max_r = 0.95 * N as f64 / 2.0;
    // Median power per radius ring (1 bin wide), for the background.
    let rings = (N / 2) + 1;
    let mut by_ring: Vec<Vec<f32>> = vec![Vec::new(); rings];
    for u in 0..N {
        for v in 0..N / 2 {
            let rr = (freq(u).powi(2) + freq(v).powi(2)).sqrt();
            if let Some(ring) = by_ring.get_mut(rr.round() as usize) {
                ring.push(power(u, v) as f32);
            }
        }
    }
    let medians: Vec<f64> = by_ring
        .iter_mut()
        .map(|r| f64::from(quantile(r, 0.5).unwrap_or(0.0)))
        .collect();
    let mut best: Option<Peak> = None;
    for u in 0..N {
        for v in 0..N / 2 {
            let (fu, fv) = (freq(u), freq(v));
            let rr = (fu * fu + fv * fv).sqrt();
            if rr < min_r || rr > max_r {
                continue;
            }
            let bg = medians
                .get(rr.round() as usize)
                .copied()
                .unwrap_or(0.0)
                .max(1e-9);
            let db = 10.0 * (power(u, v) / bg).log10();
            if best.is_none_or(|b| db > b.db) {
                best = Some(Peak {
                    db,
                    cycles_mm: rr / N as f64 * px,
                    angle_deg: fv.atan2(fu).to_degrees().rem_euclid(180.0),
                });
            }
        }
    }
    best
}
