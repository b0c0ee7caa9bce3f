//! Duplicated regions (copy-move): a part of the page copied over another part of the same
//! page — background pasted over a printed date, artwork cloned over an erasure. Looked for
//! over the whole side, needing no declaration in the specimen.
//!
//! The white capture is sampled in the document frame at [`PX_MM`]; every block of
//! [`BLOCK`] px on a grid of [`STRIDE`] px gets a descriptor (4 × 4 cell means, normalised);
//! blocks are hashed by the signs of random projections of it (locality-sensitive hashing),
//! and blocks of one bucket whose descriptors agree are verified pixel by pixel. A pair counts when the two blocks lie at
//! least a block apart, correlate at [`MIN_NCC`] or more on the page, and do **not** look
//! alike at the same two places of the reference (a design that repeats itself — a periodic
//! background, the same label twice — repeats on the specimen too). Pairs whose blocks both
//! lie in text zones (the same digits in two dates, the MRZ's fillers), in the portrait and
//! the ghost image, or in one zone, are not counted: personal data repeats itself. A copy
//! from one printed field onto another is therefore left to the printed-data check, which
//! reads each field against the MRZ. Pairs whose two ends both still look as the specimen
//! prints them there are not counted either: a copy's destination no longer does. Pairs vote for their shift; the score is the area
//! (mm²) of the largest set of blocks moved by one shift.

use std::collections::{BTreeMap, HashMap};

use image::GrayImage;

use super::inputs::FeatureInputs;
use super::result::{Measured, Measurement, Score};
use docexam_base::raster::Plane;
use docexam_specimen::{RectMm, ZoneKind};

/// Sampling resolution (px/mm).
pub const PX_MM: f64 = 6.0;

/// Block side (px).
pub const BLOCK: usize = 16;

/// Grid step (px).
pub const STRIDE: usize = 3;

/// Correlation two blocks of the page must reach to be a copy (both are captured with
/// their own noise and sampled at their own sub-pixel phase).
pub const MIN_NCC: f64 = 0.85;

/// Correlation the fine detail of two blocks must reach to be a copy.
pub const MIN_DETAIL_NCC: f64 = 0.6;

/// Largest squared distance of two blocks' unit descriptors to be compared further.
const MAX_DIST: f32 = 0.1;

/// Hash tables, and bits per hash.
const HASH_TABLES: usize = 3;
const HASH_BITS: usize = 9;

/// Most blocks of one bucket compared pairwise.
const MAX_BUCKET: usize = 600;

/// Correlation of the same two places on the reference above which the design repeats
/// itself there.
pub const DESIGN_NCC: f64 = 0.5;

/// Least grey-level spread of a block for it to be compared (flat paper matches anything).
const MIN_STD: f32 = 5.0;

/// Margin (mm) along the document's edge not searched.
pub const EDGE_MM: f64 = 4.0;

/// Largest duplicated area (mm²) by default: a capture's moiré or a glare band can make a
/// few blocks repeat; a copy of 6 × 4 mm or more moves more than this. A calibration on
/// genuine exemplars sets the limit for the lab's own captures.
pub const MAX_AREA_MM2: f64 = 10.0;

/// Smallest genuine spread (mm²) a calibration gives the duplicated area. Exemplars on a
/// flatbed repeat nothing, so their spread is nil, yet a phone capture's moiré or glare band
/// makes a few square millimetres repeat (2–6 mm² seen on genuine phone captures of designs
/// whose ten exemplars repeated nothing): the limit must lie beyond that chance match and
/// still well short of the smallest copy worth finding (6 × 6 mm).
pub const DUPLICATED_SPREAD_MM2: f64 = 2.0;

/// The score a side's largest duplicated area gives.
fn duplicated_score(area_mm2: f64) -> Score {
    Score::max("duplicated_mm2", area_mm2, "mm²", MAX_AREA_MM2)
        .spread_at_least(DUPLICATED_SPREAD_MM2)
}

struct Block {
    x: usize,
    y: usize,
    d: [f32; 16],
}

/// Summed-area tables of a plane's values, their squares and its invalid pixels: any
/// rectangle's sum in four look-ups.
struct Sums {
    w: usize,
    v: Vec<f64>,
    sq: Vec<f64>,
    bad: Vec<u32>,
}

impl Sums {
    fn of(p: &Plane) -> Sums {
        let w = p.width + 1;
        let n = w * (p.height + 1);
        let (mut v, mut sq, mut bad) = (vec![0.0; n], vec![0.0; n], vec![0u32; n]);
        for y in 0..p.height {
            let (mut rv, mut rs, mut rb) = (0.0, 0.0, 0u32);
            for x in 0..p.width {
                let i = y * p.width + x;
                let ok = p.valid.get(i).copied().unwrap_or(false);
                let val = f64::from(p.v.get(i).copied().unwrap_or(0.0));
                rv += val;
                rs += val * val;
                rb += u32::from(!ok);
                let at = (y + 1) * w + x + 1;
                let up = y * w + x + 1;
                if let (Some(u_v), Some(u_s), Some(u_b)) = (
                    v.get(up).copied(),
                    sq.get(up).copied(),
                    bad.get(up).copied(),
                ) {
                    if let Some(c) = v.get_mut(at) {
                        *c = u_v + rv;
                    }
                    if let Some(c) = sq.get_mut(at) {
                        *c = u_s + rs;
                    }
                    if let Some(c) = bad.get_mut(at) {
                        *c = u_b + rb;
                    }
                }
            }
        }
        Sums { w, v, sq, bad }
    }

    fn rect<T: Copy + std::ops::Add<Output = T> + std::ops::Sub<Output = T> + Default>(
        &self,
        t: &[T],
        x: usize,
        y: usize,
        w: usize,
        h: usize,
    ) -> T {
        let g = |xx: usize, yy: usize| t.get(yy * self.w + xx).copied().unwrap_or_default();
        g(x + w, y + h) + g(x, y) - g(x + w, y) - g(x, y + h)
    }
}

/// The descriptor of the block at (x, y): its 4 × 4 cell means, zero-mean and unit-norm;
/// None for a flat block or one not wholly captured.
fn descriptor(s: &Sums, x: usize, y: usize) -> Option<[f32; 16]> {
    if s.rect(&s.bad, x, y, BLOCK, BLOCK) > 0 {
        return None;
    }
    let n = (BLOCK * BLOCK) as f64;
    let sum = s.rect(&s.v, x, y, BLOCK, BLOCK);
    let var = s.rect(&s.sq, x, y, BLOCK, BLOCK) / n - (sum / n).powi(2);
    if var.max(0.0).sqrt() < f64::from(MIN_STD) {
        return None;
    }
    let cell = BLOCK / 4;
    let cm = sum / 16.0;
    let mut d = [0f32; 16];
    for (k, c) in d.iter_mut().enumerate() {
        *c = (s.rect(&s.v, x + (k % 4) * cell, y + (k / 4) * cell, cell, cell) - cm) as f32;
    }
    let norm = d.iter().map(|c| c * c).sum::<f32>().sqrt();
    if norm < 1e-3 {
        return None;
    }
    for c in &mut d {
        *c /= norm;
    }
    Some(d)
}

/// Correlation of the fine detail of the blocks at `a` and `b` of `p`: each pixel less its
/// cell's mean (so smooth gradients, which correlate anywhere, count for nothing); None when
/// either block has too little detail.
fn detail_ncc(p: &Plane, s: &Sums, a: (usize, usize), b: (usize, usize)) -> Option<f64> {
    let cell = BLOCK / 4;
    let detail = |at: (usize, usize)| -> Option<Vec<f64>> {
        let mut out = Vec::with_capacity(BLOCK * BLOCK);
        for yy in 0..BLOCK {
            for xx in 0..BLOCK {
                let (cx, cy) = (at.0 + xx / cell * cell, at.1 + yy / cell * cell);
                let m = s.rect(&s.v, cx, cy, cell, cell) / (cell * cell) as f64;
                out.push(f64::from(*p.v.get((at.1 + yy) * p.width + at.0 + xx)?) - m);
            }
        }
        Some(out)
    };
    let (da, db) = (detail(a)?, detail(b)?);
    let n = da.len() as f64;
    let (saa, sbb) = (
        da.iter().map(|v| v * v).sum::<f64>(),
        db.iter().map(|v| v * v).sum::<f64>(),
    );
    if (saa / n).sqrt() < MIN_DETAIL || (sbb / n).sqrt() < MIN_DETAIL {
        return None;
    }
    let sab: f64 = da.iter().zip(&db).map(|(x, y)| x * y).sum();
    Some(sab / (saa * sbb).sqrt())
}

/// Least spread (grey levels) of a block's fine detail for it to be verified.
const MIN_DETAIL: f64 = 2.0;

/// Zero-mean correlation of the block at `at` of `p` with the block at the same place of
/// `q` (planes of one size).
fn block_ncc_between(p: &Plane, q: &Plane, at: (usize, usize)) -> Option<f64> {
    blocks_ncc((p, at), (q, at))
}

/// Zero-mean correlation of the blocks at `a` and `b` of `p`.
fn block_ncc(p: &Plane, a: (usize, usize), b: (usize, usize)) -> Option<f64> {
    blocks_ncc((p, a), (p, b))
}

/// Zero-mean correlation of a block of one plane with a block of another (or the same).
fn blocks_ncc(a: (&Plane, (usize, usize)), b: (&Plane, (usize, usize))) -> Option<f64> {
    let (pa, (ax, ay)) = a;
    let (pb, (bx, by)) = b;
    let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0f64, 0f64, 0f64, 0f64, 0f64);
    for yy in 0..BLOCK {
        for xx in 0..BLOCK {
            let va = f64::from(*pa.v.get((ay + yy) * pa.width + ax + xx)?);
            let vb = f64::from(*pb.v.get((by + yy) * pb.width + bx + xx)?);
            sa += va;
            sb += vb;
            saa += va * va;
            sbb += vb * vb;
            sab += va * vb;
        }
    }
    let n = (BLOCK * BLOCK) as f64;
    let cov = sab - sa * sb / n;
    let var = (saa - sa * sa / n) * (sbb - sb * sb / n);
    (var > 1e-6).then(|| cov / var.sqrt())
}

/// Places of the design sampled to tell whether it repeats itself with a shift.
const PERIOD_SAMPLES: usize = 40;

/// How near (px) a place of the design must lie to a pair to tell whether the design
/// repeats itself there (a border or a band may repeat where the rest does not).
const NEAR_PX: usize = 60;

/// Whether the reference `r` repeats itself with `shift` (px) near `at`: the median
/// correlation of blocks at places of `free` within [`NEAR_PX`] of it with the blocks
/// `shift` away reaches [`DESIGN_NCC`].
fn repeats_with(r: &Plane, shift: (i64, i64), free: &[(usize, usize)], at: (usize, usize)) -> bool {
    let near: Vec<(usize, usize)> = free
        .iter()
        .filter(|(x, y)| x.abs_diff(at.0) <= NEAR_PX && y.abs_diff(at.1) <= NEAR_PX)
        .copied()
        .collect();
    let step = (near.len() / PERIOD_SAMPLES).max(1);
    let mut c: Vec<f64> = near
        .iter()
        .step_by(step)
        .filter_map(|&(x, y)| {
            let (tx, ty) = (x as i64 + shift.0, y as i64 + shift.1);
            if tx < 0 || ty < 0 {
                return None;
            }
            let (tx, ty) = (tx as usize, ty as usize);
            if tx + BLOCK > r.width || ty + BLOCK > r.height {
                return None;
            }
            block_ncc(r, (x, y), (tx, ty))
        })
        .collect();
    if c.len() < 5 {
        return false;
    }
    c.sort_by(f64::total_cmp);
    c.get(c.len() / 2).is_some_and(|m| *m >= DESIGN_NCC)
}

/// Looks for duplicated regions on the feature's side.
pub fn compare(ctx: &FeatureInputs<'_>) -> Measurement {
    let (w, h) = ctx.reference.size_mm;
    // The document's edge is left out: a capture shows the bed and the card's rounded
    // corners there, alike all along it.
    let rect: RectMm = [EDGE_MM, EDGE_MM, w - 2.0 * EDGE_MM, h - 2.0 * EDGE_MM];
    let q = ctx.q_sample(rect, PX_MM).grey();
    let r = ctx.r().sample(rect, PX_MM).grey();
    if q.width < BLOCK * 2 || q.height < BLOCK * 2 {
        return Err("the side is too small to look for duplicated regions".into());
    }
    // Personal text repeats itself (the same digits in two dates, the MRZ's fillers), the
    // ghost image repeats the portrait, and a zone may repeat its own content: a pair within
    // text zones, within image zones, or within one zone, is not a copy. A block belongs to
    // every zone it overlaps.
    let zones_of = |x: usize, y: usize| -> u64 {
        let (x0, y0) = (rect[0] + x as f64 / PX_MM, rect[1] + y as f64 / PX_MM);
        let side = BLOCK as f64 / PX_MM;
        ctx.zones
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, z)| {
                crate::register::reference::overlaps_any(&[z.rect_mm], [x0, y0, side, side], 0.3)
            })
            .fold(0u64, |m, (i, _)| m | (1 << i))
    };
    let of_kind = |m: u64, kinds: &[ZoneKind]| {
        ctx.zones
            .iter()
            .take(64)
            .enumerate()
            .any(|(i, z)| m & (1 << i) != 0 && kinds.contains(&z.kind))
    };
    const TEXT: [ZoneKind; 4] = [
        ZoneKind::Field,
        ZoneKind::Mrz,
        ZoneKind::Barcode,
        ZoneKind::Signature,
    ];
    const IMAGE: [ZoneKind; 2] = [ZoneKind::Portrait, ZoneKind::GhostImage];
    let personal_pair = |a: (usize, usize), b: (usize, usize)| {
        let (za, zb) = (zones_of(a.0, a.1), zones_of(b.0, b.1));
        (of_kind(za, &TEXT) && of_kind(zb, &TEXT))
            || (of_kind(za, &IMAGE) && of_kind(zb, &IMAGE))
            || za & zb != 0
    };
    let sums = Sums::of(&q);
    let mut blocks = Vec::new();
    for y in (0..=q.height - BLOCK).step_by(STRIDE) {
        for x in (0..=q.width - BLOCK).step_by(STRIDE) {
            if let Some(d) = descriptor(&sums, x, y) {
                blocks.push(Block { x, y, d });
            }
        }
    }
    if blocks.len() < 16 {
        return Err("too little texture on the side to look for duplicated regions".into());
    }
    // Locality-sensitive hashing: each table hashes a descriptor to the signs of
    // [`HASH_BITS`] fixed random projections, so near-identical blocks share a bucket in at
    // least one table with high probability; pairs are compared within buckets only.
    let min_shift = BLOCK as i64;
    let mut votes: BTreeMap<(i64, i64), Vec<(usize, usize)>> = BTreeMap::new();
    let mut seen: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    let mut periodic: HashMap<(i64, i64, usize, usize), bool> = HashMap::new();
    // Textured blocks of the reference outside every zone: where the design shows itself.
    let free: Vec<(usize, usize)> = blocks
        .iter()
        .filter(|b| zones_of(b.x, b.y) == 0)
        .map(|b| (b.x, b.y))
        .collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 40) as f32 / (1u64 << 24) as f32) - 0.5
    };
    for _ in 0..HASH_TABLES {
        let planes: Vec<[f32; 16]> = (0..HASH_BITS)
            .map(|_| std::array::from_fn(|_| next()))
            .collect();
        let mut buckets: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, b) in blocks.iter().enumerate() {
            let h = planes.iter().enumerate().fold(0u32, |h, (k, p)| {
                let dot: f32 = b.d.iter().zip(p).map(|(x, y)| x * y).sum();
                h | (u32::from(dot > 0.0) << k)
            });
            buckets.entry(h).or_default().push(i);
        }
        for members in buckets.values() {
            // A crowded bucket is a texture the side is full of (a periodic background):
            // it is left to the other tables.
            if members.len() > MAX_BUCKET {
                continue;
            }
            for (k, &i) in members.iter().enumerate() {
                for &j in members.iter().skip(k + 1) {
                    let (Some(a), Some(b)) = (blocks.get(i), blocks.get(j)) else {
                        continue;
                    };
                    let (dx, dy) = (b.x as i64 - a.x as i64, b.y as i64 - a.y as i64);
                    if dx.abs() < min_shift && dy.abs() < min_shift {
                        continue;
                    }
                    let dist: f32 = a.d.iter().zip(&b.d).map(|(x, y)| (x - y) * (x - y)).sum();
                    if dist > MAX_DIST || !seen.insert((i.min(j), i.max(j))) {
                        continue;
                    }
                    if personal_pair((a.x, a.y), (b.x, b.y)) {
                        continue;
                    }
                    if block_ncc(&q, (a.x, a.y), (b.x, b.y)).is_none_or(|c| c < MIN_NCC)
                        || detail_ncc(&q, &sums, (a.x, a.y), (b.x, b.y))
                            .is_none_or(|c| c < MIN_DETAIL_NCC)
                    {
                        continue;
                    }
                    // The design repeats itself here, or with this shift wherever it is not
                    // personalised: the specimen shows the same.
                    // Both ends as the specimen prints them there: nothing was copied over
                    // either (a copy's destination no longer shows the design).
                    let as_printed = |at: (usize, usize)| {
                        block_ncc_between(&q, &r, at).is_some_and(|c| c >= DESIGN_NCC)
                    };
                    if (as_printed((a.x, a.y)) && as_printed((b.x, b.y)))
                        || block_ncc(&r, (a.x, a.y), (b.x, b.y)).is_some_and(|c| c >= DESIGN_NCC)
                        || *periodic
                            .entry((dx, dy, a.x / NEAR_PX, a.y / NEAR_PX))
                            .or_insert_with(|| repeats_with(&r, (dx, dy), &free, (a.x, a.y)))
                    {
                        continue;
                    }
                    // One direction for both orders of the pair.
                    let (sx, sy, from, to) = if (dy, dx) > (0, 0) {
                        (dx, dy, (a.x, a.y), (b.x, b.y))
                    } else {
                        (-dx, -dy, (b.x, b.y), (a.x, a.y))
                    };
                    let e = votes
                        .entry((sx / STRIDE as i64, sy / STRIDE as i64))
                        .or_default();
                    e.push(from);
                    e.push(to);
                }
            }
        }
    }
    // The largest set moved by one shift, neighbouring shifts (within a grid step) merged;
    // shifts in order, the first of equals kept, so that the same page gives the same report.
    let mut best: (usize, Option<(i64, i64)>) = (0, None);
    for &(kx, ky) in votes.keys() {
        let mut at: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
        for ox in -1..=1 {
            for oy in -1..=1 {
                if let Some(v) = votes.get(&(kx + ox, ky + oy)) {
                    at.extend(v.iter().copied());
                }
            }
        }
        if at.len() > best.0 {
            best = (at.len(), Some((kx, ky)));
        }
    }
    let cell_mm2 = (STRIDE as f64 / PX_MM).powi(2);
    // Each block of the set covers one grid cell; both ends of a copy are counted, so half
    // the set is the area moved.
    let area = best.0 as f64 / 2.0 * cell_mm2;
    let heat = heat_map(&q, &votes, best.1);
    let note = match best.1 {
        Some((kx, ky)) if area > 0.0 => format!(
            "largest duplicated area {area:.1} mm² moved by ({:.1}, {:.1}) mm",
            (kx * STRIDE as i64) as f64 / PX_MM,
            (ky * STRIDE as i64) as f64 / PX_MM
        ),
        _ => "no region of the side repeats another that the specimen does not repeat".into(),
    };
    Ok(Measured {
        scores: vec![duplicated_score(area)],
        heat_map: Some(heat),
        note: Some(note),
    })
}

/// Blocks of the largest duplicated set, white on black, at the sampling resolution / 2.
fn heat_map(
    q: &Plane,
    votes: &BTreeMap<(i64, i64), Vec<(usize, usize)>>,
    best: Option<(i64, i64)>,
) -> GrayImage {
    let (w, h) = ((q.width / 2).max(1) as u32, (q.height / 2).max(1) as u32);
    let mut img = GrayImage::new(w, h);
    let Some((kx, ky)) = best else {
        return img;
    };
    for ox in -1..=1 {
        for oy in -1..=1 {
            for &(x, y) in votes.get(&(kx + ox, ky + oy)).into_iter().flatten() {
                for yy in (y / 2)..((y + BLOCK) / 2) {
                    for xx in (x / 2)..((x + BLOCK) / 2) {
                        if let Some(p) = img.get_pixel_mut_checked(xx as u32, yy as u32) {
                            p.0[0] = 255;
                        }
                    }
                }
            }
        }
    }
    img
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DEFAULT_FALSE_ALARM_RATE, ScoreModel, per_score_rate};

    #[test]
    fn exemplars_that_repeat_nothing_give_a_limit_beyond_chance_and_short_of_a_copy() {
        let s = duplicated_score(0.0);
        let m = ScoreModel::fit(&[0.0; 10], &[0.0; 50], s.spread_floor).expect("model");
        // Some forty scores judged on a document.
        let limit = m.limit(per_score_rate(DEFAULT_FALSE_ALARM_RATE, 40), false);
        assert!(
            limit > 6.0,
            "a chance match of a phone capture fails: {limit}"
        );
        assert!(limit < 36.0, "a 6 × 6 mm copy passes: {limit}");
    }
}
