//! Pages crowded with codes (sheets of seals, a seizure's labels laid side by side): zxing-cpp
//! groups the finder patterns of neighbouring QR codes into symbols that are not there and
//! gives up on many real ones, although each decodes when cut out alone. Such a page is read
//! again in overlapping tiles a few codes wide, each code wholly inside at least one tile.

/// Codes located on a page from which it counts as crowded.
pub(super) const CROWDED: usize = 8;

/// The typical side (pixels) of the codes located on a page: the median of each outline's
/// longer side. `None` without outlines.
pub(super) fn typical_side(sides: &mut [u32]) -> Option<u32> {
    if sides.is_empty() {
        return None;
    }
    sides.sort_unstable();
    sides.get(sides.len() / 2).copied()
}

/// Overlapping tiles (`[x, y, w, h]`) over a `width`×`height` page for codes of about `side`
/// pixels (quiet zone included): each tile three codes wide, neighbours overlapping by more
/// than a code and its margin, so that every code of at most `side` lies wholly inside one.
pub(super) fn tiles(width: u32, height: u32, side: u32) -> Vec<[u32; 4]> {
    let side = side.max(16);
    let tile = (side * 3).min(width.max(height));
    let stride = tile.saturating_sub(side + side / 4).max(side / 2).max(1);
    let starts = |extent: u32| -> Vec<u32> {
        if extent <= tile {
            return vec![0];
        }
        let mut v: Vec<u32> = (0..)
            .map(|i| i * stride)
            .take_while(|s| s + tile < extent)
            .collect();
        v.push(extent - tile);
        v
    };
    let (xs, ys) = (starts(width), starts(height));
    ys.iter()
        .flat_map(|&y| {
            xs.iter()
                .map(move |&x| [x, y, tile.min(width - x), tile.min(height - y)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_lies_wholly_inside_some_tile() {
        for (w, h, side) in [
            (1430, 1430, 147),
            (1000, 600, 90),
            (200, 3000, 150),
            (50, 50, 80),
        ] {
            let t = tiles(w, h, side);
            assert!(t.iter().all(|[x, y, tw, th]| x + tw <= w && y + th <= h));
            for cy in (0..h.saturating_sub(side)).step_by(7) {
                for cx in (0..w.saturating_sub(side)).step_by(7) {
                    assert!(
                        t.iter().any(|[x, y, tw, th]| *x <= cx
                            && *y <= cy
                            && cx + side <= x + tw
                            && cy + side <= y + th),
                        "{w}×{h}, side {side}: a code at ({cx}, {cy}) is in no tile"
                    );
                }
            }
        }
    }

    #[test]
    fn the_typical_side_is_the_median() {
        assert_eq!(typical_side(&mut [300, 100, 120, 110, 900]), Some(120));
        assert_eq!(typical_side(&mut []), None);
    }
}
