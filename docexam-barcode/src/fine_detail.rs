//! Where a page has detail fine enough to hold a small barcode symbol: the enlarged search for
//! small symbols is spent only there. A symbol whose modules are 2 px or less can be decoded
//! only where neighbouring pixels still differ sharply; a blurred capture, paper and soft
//! backgrounds have no such detail, and enlarging them finds nothing.

use image::GrayImage;

/// Side of the square tiles the page is judged in, pixels.
const TILE: u32 = 32;

/// Grey-level step between neighbouring pixels that counts as a sharp edge.
const EDGE_STEP: u8 = 40;

/// Share of a tile's pixels on sharp edges for the tile to count as fine detail.
const FINE_SHARE: f32 = 0.08;

/// Margin around the fine tiles, pixels: a symbol's quiet zone and finder pattern.
const MARGIN: u32 = 48;

/// The box (x, y, width, height) around every tile with fine detail, with a margin, or `None`
/// when no tile has any.
pub(crate) fn fine_region(img: &GrayImage) -> Option<[u32; 4]> {
    let (w, h) = img.dimensions();
    if w < 2 || h < 2 {
        return None;
    }
    let (tw, th) = (w.div_ceil(TILE), h.div_ceil(TILE));
    let mut counts = vec![0u32; (tw * th) as usize];
    let raw = img.as_raw();
    let row = |y: u32| {
        let start = (y * w) as usize;
        raw.get(start..start + w as usize).unwrap_or_default()
    };
    for y in 0..h - 1 {
        let (here, below) = (row(y), row(y + 1));
        let tile_row = (y / TILE) * tw;
        let right = here.get(1..).unwrap_or_default();
        for (x, ((&a, &b), &c)) in here.iter().zip(right).zip(below).enumerate() {
            if (a.abs_diff(b) >= EDGE_STEP || a.abs_diff(c) >= EDGE_STEP)
                && let Some(n) = counts.get_mut((tile_row + x as u32 / TILE) as usize)
            {
                *n += 1;
            }
        }
    }
    let need = (FINE_SHARE * (TILE * TILE) as f32) as u32;
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (i, &n) in counts.iter().enumerate() {
        if n < need {
            continue;
        }
        let (tx, ty) = (i as u32 % tw, i as u32 / tw);
        x0 = x0.min(tx * TILE);
        y0 = y0.min(ty * TILE);
        x1 = x1.max((tx + 1) * TILE);
        y1 = y1.max((ty + 1) * TILE);
    }
    if x0 == u32::MAX {
        return None;
    }
    let (x0, y0) = (x0.saturating_sub(MARGIN), y0.saturating_sub(MARGIN));
    let (x1, y1) = ((x1 + MARGIN).min(w), (y1 + MARGIN).min(h));
    Some([x0, y0, x1 - x0, y1 - y0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn a_checkerboard_patch_is_found_and_flat_paper_is_not() {
        let mut img = GrayImage::from_pixel(400, 300, Luma([230]));
        assert_eq!(fine_region(&img), None);
        for y in 100..140 {
            for x in 200..260 {
                if (x / 2 + y / 2) % 2 == 0 {
                    img.put_pixel(x, y, Luma([20]));
                }
            }
        }
        let [x, y, w, h] = fine_region(&img).expect("the patch");
        assert!(x <= 200 && y <= 100 && x + w >= 260 && y + h >= 140);
        assert!(w < 400 || h < 300, "only around the patch: {x} {y} {w} {h}");
        // The same patch blurred away has no fine detail left.
        let soft = image::imageops::blur(&img, 3.0);
        assert_eq!(fine_region(&soft), None);
    }
}
