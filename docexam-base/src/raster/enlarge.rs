//! Doubling an image's size, fast: bilinear interpolation at fixed quarter-pixel weights.
//! Barcode reading enlarges pages and code zones whose modules are too small for the
//! detectors; a general resampling filter costs several times what the reading does.

use image::GrayImage;

/// The image at twice its width and height. Each new pixel lies a quarter of a source pixel
/// from its nearest source pixel and takes 9/16 of it, 3/16 of each of its two neighbours
/// towards the new pixel and 1/16 of the diagonal one (edges repeat the border pixel).
pub fn double(img: &GrayImage) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    let mut out = vec![0u8; 4 * w * h];
    if w == 0 || h == 0 {
        return GrayImage::new(0, 0);
    }
    let row = |y: usize| src.get(y * w..(y + 1) * w).unwrap_or_default();
    for (row_index, out_row) in out.chunks_mut(2 * w).enumerate() {
        let y = row_index / 2;
        // The source row a new row leans towards: above for the upper half, below for the
        // lower.
        let other = if row_index % 2 == 0 {
            y.saturating_sub(1)
        } else {
            (y + 1).min(h - 1)
        };
        let (near, far) = (row(y), row(other));
        // Each source row blended once: 3/4 of the near row and 1/4 of the other, in 1/4ths.
        let blend: Vec<u16> = near
            .iter()
            .zip(far)
            .map(|(&a, &b)| 3 * u16::from(a) + u16::from(b))
            .collect();
        let last = blend.len().saturating_sub(1);
        for (x, pair) in out_row.chunks_exact_mut(2).enumerate() {
            let at = |i: usize| blend.get(i).copied().unwrap_or_default();
            let centre = at(x);
            let (left, right) = (at(x.saturating_sub(1)), at((x + 1).min(last)));
            if let [l, r] = pair {
                *l = ((3 * centre + left + 8) / 16) as u8;
                *r = ((3 * centre + right + 8) / 16) as u8;
            }
        }
    }
    GrayImage::from_raw(2 * w as u32, 2 * h as u32, out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn flat_stays_flat_and_size_doubles() {
        let img = GrayImage::from_pixel(5, 3, Luma([77]));
        let d = double(&img);
        assert_eq!(d.dimensions(), (10, 6));
        assert!(d.pixels().all(|p| p.0[0] == 77));
    }

    #[test]
    fn an_edge_is_interpolated_at_quarter_pixels() {
        // Columns 0 and 1 black, 2 and 3 white: new columns 3 and 4 straddle the edge.
        let img = GrayImage::from_fn(4, 2, |x, _| Luma([if x < 2 { 0 } else { 255 }]));
        let d = double(&img);
        let row: Vec<u8> = (0..8).map(|x| d.get_pixel(x, 1).0[0]).collect();
        assert_eq!(row, vec![0, 0, 0, 64, 191, 255, 255, 255]);
    }

    #[test]
    fn empty_images_stay_empty() {
        assert_eq!(double(&GrayImage::new(0, 4)).dimensions(), (0, 0));
    }
}
