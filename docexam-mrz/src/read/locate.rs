//! Finding the MRZ on a page: character-sized blobs, their common direction, chains of
//! blobs at a fixed pitch, and two or three such chains stacked at an MRZ's line spacing.
//!
//! An MRZ line has no spaces: every one of its 30, 36 or 44 positions holds a glyph (fillers
//! are `<`), at one fixed pitch. Printed text in proportional fonts, guilloche fragments and
//! barcodes rarely form such chains, and never two or three of equal length stacked.

// Histogram bins are taken modulo their count, and the per-blob tables (`next`, `prev`,
// `rot`) all have one entry per blob, indexed by blob numbers from the same enumeration.
#![allow(clippy::indexing_slicing)]

use std::f32::consts::PI;

use super::blobs::Blob;

/// The lines and line length of an MRZ shape.
pub(super) const SHAPES: [(usize, usize); 3] = [(3, 30), (2, 36), (2, 44)];

/// One MRZ line as found: the centre of every character position, in reading order along
/// the line's direction (the page may still be upside down).
#[derive(Clone, Debug)]
pub(super) struct LineGeom {
    /// Centre of each character position, in page pixels.
    pub centres: Vec<(f32, f32)>,
    /// Median blob size (about the character height), in page pixels.
    pub height: f32,
}

/// The MRZ as found on the page.
#[derive(Clone, Debug)]
pub(super) struct Located {
    /// The lines, in order across the page, with a few positions to spare at either end.
    pub lines: Vec<LineGeom>,
    /// The line lengths an MRZ of this many lines may have.
    pub lengths: Vec<usize>,
}

#[derive(Clone, Copy)]
struct Cand {
    x: f32,
    y: f32,
    size: f32,
}

/// Finds the MRZ among the `blobs` of a `w` × `h` page; coordinates are scaled by `factor` (and
/// shifted to pixel centres) into page pixels. `shape` restricts the lines and line length.
pub(super) fn locate(
    blobs: &[Blob],
    (w, h): (usize, usize),
    factor: f32,
    shape: Option<(usize, usize)>,
) -> Option<Located> {
    let max_size = (w.min(h) as f32 / 5.0).max(8.0);
    let cands: Vec<Cand> = blobs
        .iter()
        .filter(|b| {
            let (bw, bh) = (b.width() as f32, b.height() as f32);
            let size = bw.max(bh);
            let fill = b.count as f32 / (bw * bh);
            (4.0..=max_size).contains(&size)
                && b.count >= 5
                && size / bw.min(bh) <= 12.0
                && (0.05..=0.97).contains(&fill)
        })
        .map(|b| Cand {
            x: b.cx,
            y: b.cy,
            size: (b.width().max(b.height())) as f32,
        })
        .collect();
    if cands.len() < 40 {
        return None;
    }
    let grid = Grid::new(&cands, |c| (c.x, c.y));
    for angle in directions(&cands, &grid) {
        if let Some((found, lengths)) = find_at(&cands, angle, shape) {
            let off = (factor - 1.0) / 2.0;
            let lines = found
                .into_iter()
                .map(|l| LineGeom {
                    centres: l
                        .centres
                        .iter()
                        .map(|&(x, y)| (x * factor + off, y * factor + off))
                        .collect(),
                    height: l.height * factor,
                })
                .collect();
            return Some(Located { lines, lengths });
        }
    }
    None
}

/// A uniform grid over points, for neighbour queries.
struct Grid {
    cell: f32,
    x0: f32,
    y0: f32,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    fn new<T>(items: &[T], pos: impl Fn(&T) -> (f32, f32)) -> Grid {
        let cell = 24.0;
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for it in items {
            let (x, y) = pos(it);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let cols = (((x1 - x0) / cell) as usize + 1).min(4096);
        let rows = (((y1 - y0) / cell) as usize + 1).min(4096);
        let mut cells = vec![Vec::new(); cols * rows];
        for (i, it) in items.iter().enumerate() {
            let (x, y) = pos(it);
            let (cx, cy) = (
                (((x - x0) / cell) as usize).min(cols - 1),
                (((y - y0) / cell) as usize).min(rows - 1),
            );
            if let Some(c) = cells.get_mut(cy * cols + cx) {
                c.push(i as u32);
            }
        }
        Grid {
            cell,
            x0,
            y0,
            cols,
            rows,
            cells,
        }
    }

    /// Indices of items in the cells meeting the box `[xa, xb] × [ya, yb]`.
    fn query(&self, xa: f32, xb: f32, ya: f32, yb: f32) -> impl Iterator<Item = usize> + '_ {
        let clampc = |v: f32, n: usize| ((v / self.cell).floor().max(0.0) as usize).min(n - 1);
        let (ca, cb) = (
            clampc(xa - self.x0, self.cols),
            clampc(xb - self.x0, self.cols),
        );
        let (ra, rb) = (
            clampc(ya - self.y0, self.rows),
            clampc(yb - self.y0, self.rows),
        );
        (ra..=rb).flat_map(move |r| {
            (ca..=cb).flat_map(move |c| {
                self.cells
                    .get(r * self.cols + c)
                    .into_iter()
                    .flatten()
                    .map(|&i| i as usize)
            })
        })
    }
}

/// Whether two blobs are of a size to be neighbours in a line (a filler `<` is smaller than
/// a letter in some fonts).
fn similar(a: f32, b: f32) -> bool {
    let r = a / b;
    (0.4..=2.5).contains(&r)
}

/// Text directions (radians, in `[0, π)`), most likely first: the peaks of the directions from
/// each blob to its nearest similar neighbour, weighted by the blob's area.
fn directions(cands: &[Cand], grid: &Grid) -> Vec<f32> {
    const BINS: usize = 180;
    let mut hist = [0f32; BINS];
    for (i, a) in cands.iter().enumerate() {
        let r = 2.5 * a.size;
        let mut best: Option<(f32, f32, f32)> = None;
        for j in grid.query(a.x - r, a.x + r, a.y - r, a.y + r) {
            let Some(b) = cands.get(j) else { continue };
            if j == i || !similar(a.size, b.size) {
                continue;
            }
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let d = dx * dx + dy * dy;
            if d > r * r || d < 0.09 * a.size * a.size {
                continue;
            }
            if best.is_none_or(|(bd, _, _)| d < bd) {
                best = Some((d, dx, dy));
            }
        }
        if let Some((_, dx, dy)) = best {
            let mut ang = dy.atan2(dx);
            if ang < 0.0 {
                ang += PI;
            }
            let bin = ((ang / PI * BINS as f32) as usize) % BINS;
            // Larger blobs weigh more: MRZ characters are among the largest text on a page,
            // and fine-line backgrounds break into many small, locally aligned fragments.
            if let Some(h) = hist.get_mut(bin) {
                *h += a.size * a.size;
            }
        }
    }
    let smooth: Vec<f32> = (0..BINS)
        .map(|i| (0..7).map(|k| hist[(i + BINS + k - 3) % BINS]).sum())
        .collect();
    let mut peaks: Vec<(f32, usize)> = Vec::new();
    let mut order: Vec<usize> = (0..BINS).collect();
    order.sort_by(|&a, &b| smooth[b].total_cmp(&smooth[a]));
    for i in order {
        let far = peaks.iter().all(|&(_, p)| {
            let d = (i as i64 - p as i64).rem_euclid(BINS as i64);
            d.min(BINS as i64 - d) >= 20
        });
        if far && smooth[i] > 0.0 {
            peaks.push((smooth[i], i));
        }
        if peaks.len() == 4 {
            break;
        }
    }
    peaks
        .into_iter()
        .map(|(_, i)| {
            // Refine: the weighted mean of the raw histogram around the peak.
            let (mut s, mut ws) = (0f32, 0f32);
            for k in -3i64..=3 {
                let b = (i as i64 + k).rem_euclid(BINS as i64) as usize;
                s += hist[b] * (i as f32 + k as f32 + 0.5);
                ws += hist[b];
            }
            let centre = if ws > 0.0 { s / ws } else { i as f32 + 0.5 };
            centre / BINS as f32 * PI
        })
        .collect()
}

/// A candidate in the rotated frame: `s` along the text, `t` across.
#[derive(Clone, Copy)]
struct Rot {
    s: f32,
    t: f32,
    size: f32,
}

/// A chain of blobs at a regular pitch.
#[derive(Clone, Debug)]
struct Chain {
    /// (s, t, size) of the members, in order of s.
    members: Vec<(f32, f32, f32)>,
    pitch: f32,
    /// Median member size.
    size: f32,
    /// The members' straight line, `t = line.0 + line.1 s` (least squares).
    line: (f32, f32),
}

impl Chain {
    fn new(members: Vec<(f32, f32, f32)>, pitch: f32) -> Chain {
        Chain {
            size: median(members.iter().map(|m| m.2).collect()),
            line: fit_line(members.iter().map(|m| (m.0, m.1))),
            members,
            pitch,
        }
    }
    fn first(&self) -> f32 {
        self.members.first().map_or(0.0, |m| m.0)
    }
    fn last(&self) -> f32 {
        self.members.last().map_or(0.0, |m| m.0)
    }
    /// t of the chain's straight line at `s`.
    fn t_at(&self, s: f32) -> f32 {
        self.line.0 + self.line.1 * s
    }
    fn cells(&self) -> usize {
        ((self.last() - self.first()) / self.pitch).round() as usize + 1
    }
}

/// Least-squares `y = a + b x`.
fn fit_line(points: impl Iterator<Item = (f32, f32)> + Clone) -> (f32, f32) {
    let n = points.clone().count() as f64;
    if n < 1.0 {
        return (0.0, 0.0);
    }
    let (mut sx, mut sy, mut sxx, mut sxy) = (0f64, 0f64, 0f64, 0f64);
    for (x, y) in points {
        let (x, y) = (f64::from(x), f64::from(y));
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    let den = n * sxx - sx * sx;
    if den.abs() < 1e-9 {
        return ((sy / n) as f32, 0.0);
    }
    let b = (n * sxy - sx * sy) / den;
    (((sy - b * sx) / n) as f32, b as f32)
}

fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// The pitch of a run of gaps and whether they are regular (each a whole number of pitches).
fn regular_pitch(members: &[(f32, f32, f32)]) -> Option<f32> {
    let gaps: Vec<f32> = members.windows(2).map(|w| w[1].0 - w[0].0).collect();
    // The pitch is the median of the single-step gaps (gaps near the smallest common one).
    let g0 = median(gaps.clone());
    let singles: Vec<f32> = gaps.iter().copied().filter(|&g| g < 1.5 * g0).collect();
    let g = median(singles);
    if g <= 0.0 {
        return None;
    }
    let irregular = gaps
        .iter()
        .filter(|&&d| {
            let k = (d / g).round();
            !(1.0..=3.0).contains(&k) || (d / g - k).abs() > 0.25
        })
        .count();
    (irregular * 7 <= gaps.len()).then_some(g)
}

fn find_at(
    cands: &[Cand],
    angle: f32,
    shape: Option<(usize, usize)>,
) -> Option<(Vec<LineGeom>, Vec<usize>)> {
    let (cos, sin) = (angle.cos(), angle.sin());
    let rot: Vec<Rot> = cands
        .iter()
        .map(|c| Rot {
            s: c.x * cos + c.y * sin,
            t: -c.x * sin + c.y * cos,
            size: c.size,
        })
        .collect();
    let chains = chains(&rot);
    let lines = merge(chains);
    let (group, n) = best_group(&lines, shape)?;
    let lengths: Vec<usize> = match shape {
        Some((_, len)) => vec![len],
        None => SHAPES
            .iter()
            .filter(|(l, _)| *l == group.len())
            .map(|(_, len)| *len)
            .collect(),
    };
    // Index every blob along its chain, gap by gap (a gap of about k pitches is k positions),
    // then place the lines against each other by their fitted starts.
    let indexed: Vec<Vec<(f32, f32, f32)>> = group.iter().map(sequential).collect();
    let starts: Vec<(f32, f32)> = indexed
        .iter()
        .map(|pts| fit_line(pts.iter().map(|p| (p.0, p.1))))
        .collect();
    let pitch = starts.iter().map(|p| p.1).sum::<f32>() / starts.len() as f32;
    if pitch <= 0.0 {
        return None;
    }
    let start = starts.iter().map(|p| p.0).fold(f32::MAX, f32::min);
    let mut points: Vec<Vec<(f32, f32, f32)>> = indexed
        .iter()
        .zip(&starts)
        .map(|(pts, (a, _))| {
            let off = ((a - start) / pitch).round();
            pts.iter().map(|&(i, s, t)| (i + off, s, t)).collect()
        })
        .collect();
    let last = points.iter().flatten().map(|p| p.0).fold(0f32, f32::max);
    // Positions beyond the blobs found on either side, so that the reader can choose the
    // window of the MRZ's length by how the characters read (a stray blob in line with the
    // MRZ, or a character lost to glare at its end, must not shift it).
    let found = last as usize + 1;
    let longest = lengths.iter().copied().max().unwrap_or(n);
    if found > longest + 8 {
        return None;
    }
    let pad = 2 + longest.saturating_sub(found);
    for pts in &mut points {
        pts.iter_mut().for_each(|p| p.0 += pad as f32);
    }
    let n = found + 2 * pad;
    let fits: Vec<Fit> = points
        .into_iter()
        .map(|pts| fit_positions(pts, pitch, n))
        .collect::<Option<_>>()?;
    // A line found over only part of its length (a glare spot, a shadow's edge, a background
    // touching its glyphs) follows the best-found line, shifted to its own blobs: MRZ lines
    // are parallel and share one pitch.
    let reference = fits.iter().max_by_key(|f| f.points.len())?.clone();
    let out = fits
        .iter()
        .zip(&group)
        .map(|(fit, chain)| {
            let fit = if fit.span < 0.75 * n as f32 {
                fit.follow(&reference)
            } else {
                fit.clone()
            };
            fit.geometry(n, (cos, sin), chain.size)
        })
        .collect();
    Some((out, lengths))
}

/// The chain's members as (index, s, t), the index counted gap by gap.
fn sequential(chain: &Chain) -> Vec<(f32, f32, f32)> {
    let mut out = Vec::with_capacity(chain.members.len());
    let mut i = 0f32;
    let mut prev: Option<f32> = None;
    for &(s, t, _) in &chain.members {
        if let Some(p) = prev {
            i += ((s - p) / chain.pitch).round().max(1.0);
        }
        out.push((i, s, t));
        prev = Some(s);
    }
    out
}

/// Links every blob to the nearest similar blob ahead of it on its line; returns the chains
/// that are long and regular enough to be MRZ lines or parts of one.
fn chains(rot: &[Rot]) -> Vec<Chain> {
    let grid = Grid::new(rot, |r| (r.s, r.t));
    let mut next: Vec<Option<(usize, f32)>> = vec![None; rot.len()];
    for (i, a) in rot.iter().enumerate() {
        let (reach, band) = (2.6 * a.size, 0.35 * a.size);
        let mut best: Option<(usize, f32)> = None;
        for j in grid.query(a.s, a.s + reach, a.t - band, a.t + band) {
            let Some(b) = rot.get(j) else { continue };
            let ds = b.s - a.s;
            if j == i || ds <= 0.3 * a.size || ds > reach || (b.t - a.t).abs() > band {
                continue;
            }
            if !similar(a.size, b.size) {
                continue;
            }
            if best.is_none_or(|(_, d)| ds < d) {
                best = Some((j, ds));
            }
        }
        next[i] = best;
    }
    // Each blob keeps only its closest predecessor.
    let mut prev: Vec<Option<(usize, f32)>> = vec![None; rot.len()];
    for (i, n) in next.iter().enumerate() {
        if let Some((j, d)) = *n
            && prev[j].is_none_or(|(_, pd)| d < pd)
        {
            prev[j] = Some((i, d));
        }
    }
    for (i, n) in next.iter_mut().enumerate() {
        if let Some((j, _)) = *n
            && prev[j].map(|p| p.0) != Some(i)
        {
            *n = None;
        }
    }
    let mut out = Vec::new();
    for (head, before) in prev.iter().enumerate() {
        if before.is_some_and(|(p, _)| next[p].map(|n| n.0) == Some(head)) {
            continue;
        }
        let mut members = Vec::new();
        let mut at = Some(head);
        while let Some(i) = at {
            let r = rot[i];
            members.push((r.s, r.t, r.size));
            at = next[i].map(|n| n.0);
            if members.len() > 400 {
                break;
            }
        }
        if members.len() < 6 {
            continue;
        }
        let Some(pitch) = regular_pitch(&members) else {
            continue;
        };
        let chain = Chain::new(members, pitch);
        if (0.6..=2.0).contains(&(chain.pitch / chain.size)) {
            out.push(chain);
        }
    }
    out
}

/// Joins chains that continue each other on one line at one pitch (a merged or missed
/// character breaks a chain).
fn merge(mut chains: Vec<Chain>) -> Vec<Chain> {
    chains.sort_by(|a, b| a.first().total_cmp(&b.first()));
    loop {
        let mut joined = false;
        'outer: for i in 0..chains.len() {
            for j in 0..chains.len() {
                if i == j {
                    continue;
                }
                let (a, b) = (&chains[i], &chains[j]);
                let gap = b.first() - a.last();
                let pitch = (a.pitch + b.pitch) / 2.0;
                if (a.pitch / b.pitch - 1.0).abs() > 0.15 || gap < 0.5 * pitch {
                    continue;
                }
                let k = gap / pitch;
                if k > 8.0 || (k - k.round()).abs() > 0.3 {
                    continue;
                }
                if (a.t_at(b.first()) - b.t_at(b.first())).abs() > 0.4 * a.size.min(b.size) {
                    continue;
                }
                let mut members = a.members.clone();
                members.extend_from_slice(&b.members);
                let n_a = a.members.len() as f32;
                let n_b = b.members.len() as f32;
                let merged = Chain::new(members, (a.pitch * n_a + b.pitch * n_b) / (n_a + n_b));
                let (lo, hi) = (i.min(j), i.max(j));
                chains.remove(hi);
                chains.remove(lo);
                chains.push(merged);
                joined = true;
                break 'outer;
            }
        }
        if !joined {
            break;
        }
    }
    chains.retain(|c| c.cells() >= 12);
    chains
}

/// The stack of two or three lines most like an MRZ, and its line length.
fn best_group(lines: &[Chain], shape: Option<(usize, usize)>) -> Option<(Vec<Chain>, usize)> {
    let mut sorted: Vec<&Chain> = lines.iter().collect();
    let mid = |c: &Chain| c.t_at((c.first() + c.last()) / 2.0);
    sorted.sort_by(|a, b| mid(a).total_cmp(&mid(b)));
    let shapes: Vec<(usize, usize)> = shape.map_or(SHAPES.to_vec(), |s| vec![s]);
    let mut best: Option<(f32, Vec<Chain>, usize)> = None;
    for (i, first) in sorted.iter().enumerate() {
        // Lines below `first`, each one line spacing further.
        let mut stack: Vec<&Chain> = vec![first];
        let mut spacing: Option<f32> = None;
        for other in sorted.iter().skip(i + 1) {
            let Some(&last) = stack.last() else { break };
            let pitch = (last.pitch + other.pitch) / 2.0;
            if (last.pitch / other.pitch - 1.0).abs() > 0.12 {
                continue;
            }
            let probe = (other.first() + other.last()) / 2.0;
            let dt = other.t_at(probe) - last.t_at(probe);
            if !(1.2 * pitch..=3.0 * pitch).contains(&dt) {
                continue;
            }
            if spacing.is_some_and(|s| (dt / s - 1.0).abs() > 0.15) {
                continue;
            }
            let overlap = other.last().min(last.last()) - other.first().max(last.first());
            if overlap < 10.0 * pitch {
                continue;
            }
            spacing = Some(dt);
            stack.push(other);
            if stack.len() == 3 {
                break;
            }
        }
        for &(nl, nc) in &shapes {
            if stack.len() < nl {
                continue;
            }
            let group: Vec<Chain> = stack.iter().take(nl).map(|&c| c.clone()).collect();
            let pitch = group.iter().map(|c| c.pitch).sum::<f32>() / nl as f32;
            let start = group.iter().map(Chain::first).fold(f32::MAX, f32::min);
            let end = group.iter().map(Chain::last).fold(f32::MIN, f32::max);
            let cells = ((end - start) / pitch).round() as i64 + 1;
            let off = (cells - nc as i64).abs();
            // Stray blobs in line with the MRZ lengthen a chain; the reader trims them.
            if off > 6 {
                continue;
            }
            let members: usize = group.iter().map(|c| c.members.len()).sum();
            // Three stacked lines of one length are a TD1; two of them must not be taken
            // for a two-line MRZ.
            let third = if nl == 3 { 0.3 } else { 0.0 };
            let score = members as f32 / (nl * nc) as f32 - 0.05 * off as f32 + third;
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, group, nc));
            }
        }
    }
    best.filter(|(score, _, _)| *score >= 0.5)
        .map(|(_, g, n)| (g, n))
}

/// A line's positions: `s` as a quadratic in the index (perspective shortens the pitch along
/// a line), `t` as a straight line, fitted to the blobs that gave them.
#[derive(Clone, Debug)]
struct Fit {
    q: [f64; 3],
    t: (f32, f32),
    /// (index, s, t) of the blobs kept.
    points: Vec<(f32, f32, f32)>,
    /// How many positions lie between the first and last blob kept.
    span: f32,
}

impl Fit {
    fn s(&self, i: f32) -> f32 {
        let i = f64::from(i);
        (self.q[0] + self.q[1] * i + self.q[2] * i * i) as f32
    }

    fn t(&self, i: f32) -> f32 {
        self.t.0 + self.t.1 * i
    }

    /// This line as `reference` shifted to this line's own blobs.
    fn follow(&self, reference: &Fit) -> Fit {
        let ds = median(
            self.points
                .iter()
                .map(|&(i, s, _)| s - reference.s(i))
                .collect(),
        );
        let dt = median(
            self.points
                .iter()
                .map(|&(i, _, t)| t - reference.t(i))
                .collect(),
        );
        let mut q = reference.q;
        q[0] += f64::from(ds);
        Fit {
            q,
            t: (reference.t.0 + dt, reference.t.1),
            points: self.points.clone(),
            span: self.span,
        }
    }

    fn geometry(&self, n: usize, (cos, sin): (f32, f32), size: f32) -> LineGeom {
        let centres = (0..n)
            .map(|i| {
                let (s, t) = (self.s(i as f32), self.t(i as f32));
                (s * cos - t * sin, s * sin + t * cos)
            })
            .collect();
        LineGeom {
            centres,
            height: size,
        }
    }
}

/// Fits a line's positions to its indexed blobs (index, s, t); blobs far off the fit are
/// dropped and the fit repeated.
fn fit_positions(mut pts: Vec<(f32, f32, f32)>, pitch: f32, n: usize) -> Option<Fit> {
    let mut fit = None;
    for _ in 0..3 {
        if pts.len() < 6 {
            return None;
        }
        let lo = pts.iter().map(|p| p.0).fold(f32::MAX, f32::min);
        let hi = pts.iter().map(|p| p.0).fold(f32::MIN, f32::max);
        // A quadratic only when the blobs cover most of the line: extrapolated, it bends.
        let mut q = fit_quadratic(pts.iter().map(|p| (p.0, p.1)))?;
        if hi - lo < 0.75 * n as f32 {
            let (a, b) = fit_line(pts.iter().map(|p| (p.0, p.1)));
            q = [f64::from(a), f64::from(b), 0.0];
        }
        let f = Fit {
            q,
            t: fit_line(pts.iter().map(|p| (p.0, p.2))),
            points: pts.clone(),
            span: hi - lo + 1.0,
        };
        let before = pts.len();
        pts.retain(|&(i, s, t)| {
            (s - f.s(i)).abs() < 0.3 * pitch && (t - f.t(i)).abs() < 0.3 * pitch
        });
        fit = Some(f);
        if pts.len() == before {
            break;
        }
    }
    fit
}

/// Least-squares `s = a + b i + c i²` over (i, s) points.
pub(super) fn fit_quadratic(pts: impl Iterator<Item = (f32, f32)>) -> Option<[f64; 3]> {
    let mut m = [[0f64; 4]; 3];
    for (i, s) in pts {
        let (i, s) = (f64::from(i), f64::from(s));
        let row = [1.0, i, i * i];
        for r in 0..3 {
            for c in 0..3 {
                m[r][c] += row[r] * row[c];
            }
            m[r][3] += row[r] * s;
        }
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..3 {
        let piv = (col..3).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        m.swap(col, piv);
        let p = m[col][col];
        if p.abs() < 1e-9 {
            return None;
        }
        let pivot_row = m[col];
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / p;
                for (v, pv) in row.iter_mut().zip(pivot_row).skip(col) {
                    *v -= f * pv;
                }
            }
        }
    }
    Some([m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]])
}
