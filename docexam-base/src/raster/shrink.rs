//! Box shrinking of grey images by an integer factor: each output pixel the exact mean of a
//! block, read straight from the source (the fast way down for searches that need no
//! resampling filter).

use image::GrayImage;

/// `img` shrunk by the integer factor `f` (each pixel the mean of an `f` × `f` block).
pub fn downscale(img: &GrayImage, f: u32) -> GrayImage {
    shrink(img, [0, 0, img.width(), img.height()], f)
}

/// The part `[x, y, width, height]` of `img` (clipped to it), shrunk by the integer factor
/// `f`: each pixel the mean of an `f` × `f` block, read straight from `img`.
pub fn shrink(img: &GrayImage, [x, y, w, h]: [u32; 4], f: u32) -> GrayImage {
    let x = x.min(img.width());
    let y = y.min(img.height());
    let rect = Rect {
        x: x as usize,
        y: y as usize,
        w: w.min(img.width() - x) as usize,
        h: h.min(img.height() - y) as usize,
    };
    let (out, ow, oh) = match f {
        0 | 1 => shrink_by::<1>(img, &rect),
        2 => shrink_by::<2>(img, &rect),
        3 => shrink_by::<3>(img, &rect),
        4 => shrink_by::<4>(img, &rect),
        _ => shrink_any(img, &rect, f as usize),
    };
    GrayImage::from_raw(ow as u32, oh as u32, out).unwrap_or_else(|| GrayImage::new(0, 0))
}

/// A rectangle of pixels inside an image.
struct Rect {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
}

/// The rows of `rect` in `img`, each cut to the rectangle's columns.
fn rows<'a>(img: &'a GrayImage, rect: &'a Rect) -> impl Iterator<Item = &'a [u8]> + 'a {
    let stride = img.width() as usize;
    img.as_raw()
        .chunks_exact(stride.max(1))
        .skip(rect.y)
        .take(rect.h)
        .map(move |row| row.get(rect.x..rect.x + rect.w).unwrap_or_default())
}

/// [`shrink`] for a factor known at compile time: the block sums unroll, in 32 bits (a
/// block of at most 4 × 4 pixels).
fn shrink_by<const F: usize>(img: &GrayImage, rect: &Rect) -> (Vec<u8>, usize, usize) {
    shrink_with(img, rect, F, |block| {
        <&[u8; F]>::try_from(block).map_or(0u32, |b| b.iter().map(|&p| u32::from(p)).sum())
    })
}

/// [`shrink`] for any factor, in 64 bits (a block may hold billions of pixels).
fn shrink_any(img: &GrayImage, rect: &Rect, f: usize) -> (Vec<u8>, usize, usize) {
    shrink_with(img, rect, f, |block| {
        block.iter().map(|&p| u64::from(p)).sum::<u64>()
    })
}

/// Each `f` × `f` block of `rect` averaged, the sum of each block row given by `block_sum`.
/// Inlined into each caller, so a factor known at compile time stays known.
#[inline(always)]
fn shrink_with<S>(
    img: &GrayImage,
    rect: &Rect,
    f: usize,
    block_sum: impl Fn(&[u8]) -> S,
) -> (Vec<u8>, usize, usize)
where
    S: Copy + Default + std::ops::AddAssign + Into<u64>,
{
    let (w, h) = (rect.w / f, rect.h / f);
    let area = (f * f) as u64;
    let mut sums = vec![S::default(); w];
    let mut out = Vec::with_capacity(w * h);
    let mut rows = rows(img, rect);
    for _ in 0..h {
        sums.fill(S::default());
        for row in rows.by_ref().take(f) {
            for (s, block) in sums.iter_mut().zip(row.chunks_exact(f)) {
                *s += block_sum(block);
            }
        }
        out.extend(sums.iter().map(|&s| ((s.into() + area / 2) / area) as u8));
    }
    (out, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downscale_averages_blocks() {
        let img = GrayImage::from_fn(6, 4, |x, _| image::Luma([if x < 3 { 0 } else { 200 }]));
        let d = downscale(&img, 3);
        assert_eq!(d.dimensions(), (2, 1));
        assert_eq!(d.as_raw(), &vec![0, 200]);
    }

    #[test]
    fn every_factor_averages_the_same_way() {
        let img = GrayImage::from_fn(23, 17, |x, y| {
            image::Luma([((x * 37 + y * 11) % 256) as u8])
        });
        let all = Rect {
            x: 0,
            y: 0,
            w: 23,
            h: 17,
        };
        for f in 1..=6 {
            let fast = downscale(&img, f);
            let (slow, w, h) = shrink_any(&img, &all, f as usize);
            assert_eq!(fast.dimensions(), (23 / f, 17 / f));
            assert_eq!((w, h), (23 / f as usize, 17 / f as usize));
            assert_eq!(fast.as_raw(), &slow, "factor {f}");
        }
    }

    #[test]
    fn a_part_shrinks_as_its_crop_would() {
        let img = GrayImage::from_fn(40, 30, |x, y| {
            image::Luma([((x * 13 + y * 7 + x * y) % 256) as u8])
        });
        for (rect, f) in [
            ([5, 3, 20, 17], 3),
            ([0, 0, 40, 30], 2),
            ([33, 25, 100, 100], 2),
            ([7, 9, 11, 13], 1),
        ] {
            let [x, y, w, h] = rect;
            let (w, h) = (w.min(40 - x), h.min(30 - y));
            let crop = image::imageops::crop_imm(&img, x, y, w, h).to_image();
            assert_eq!(
                shrink(&img, rect, f).as_raw(),
                downscale(&crop, f).as_raw(),
                "{rect:?} by {f}"
            );
        }
    }
}
