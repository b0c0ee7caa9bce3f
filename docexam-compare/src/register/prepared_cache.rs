//! A disk cache of prepared reference images: what [`super::reference::compute`] makes of a
//! specimen's pixels (the pyramid, the whole-document planes registration works on, the
//! anchors, where the reference's MRZ lies), kept so that the next process examining a
//! document of the same specimen reads it back instead of decoding and preparing the
//! specimen's images again (about 0.2 s of a single examination at 600 dpi).
//!
//! An entry is keyed by the specimen's blake3 (which covers every file of it), the side, the
//! light, the resolution and a hash of what preparing depends on in this build (the library's
//! source, its fonts and the workspace's lock file, so the decoders' versions): a changed
//! specimen or another build of docexam never reads an entry it did not write. Each entry ends with the blake3 of
//! everything before it, checked on every read; an entry that is short, long, damaged or of
//! another key is ignored (and rewritten), never trusted. Entries are written to a temporary
//! file and renamed into place, so a reader never sees half of one.
//!
//! The cache lives where the host says (`docexam_core::Settings::cache_dir`: the examiner's
//! own cache directory for the front ends; `DOCEXAM_NO_CACHE=1` makes every examination
//! prepare the specimen from its files).
//!
//! Layout (little-endian): the magic `DOCEXAM PREP 01\n`, the 32-byte key, the number of
//! pyramid levels and each level's width and height (u32), the number of whole-document
//! planes and each one's width and height, the contrast plane's width and height, the number
//! of anchors, a byte saying whether the MRZ centre is known; then the levels' RGB bytes, each
//! plane's values (f32) and validity (one byte, 0 or 1, per pixel), the anchors and the MRZ
//! centre (f64 pairs); last the 32-byte blake3 of all of it.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use image::RgbImage;

use super::reference::{ComputedReference, WHOLE_PX_MM};
use docexam_base::raster::{Plane, Pyramid};
use docexam_ingest::{LightSource, Side};
use docexam_specimen::Specimen;

/// The first bytes of every entry.
const MAGIC: &[u8; 16] = b"DOCEXAM PREP 01\n";

/// Most pyramid levels an entry may hold (a 65 536-pixel image has 11).
const MAX_LEVELS: usize = 24;

/// Largest width or height of a level or plane an entry may hold.
const MAX_SIDE: usize = 1 << 16;

/// Hash of what preparing depends on in this build (the sources of this crate and those it
/// builds on, the MRZ font, the lock file), set by the
/// build script: entries of another build are never read.
const SOURCE_HASH: &str = env!("DOCEXAM_PREPARE_SOURCE_HASH");

/// A directory of prepared reference images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedCache {
    dir: PathBuf,
}

impl PreparedCache {
    /// A cache in `dir` (created when the first entry is written).
    pub fn new(dir: impl Into<PathBuf>) -> PreparedCache {
        PreparedCache { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file holding the entry for `side` under `light` of `specimen`.
    pub fn path(&self, specimen: &Specimen, side: Side, light: LightSource) -> PathBuf {
        let id: String = specimen
            .id()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir
            .join(format!("{id}-{}-{}.prep", side.name(), light.name()))
    }

    /// The prepared image of `side` under `light` of `specimen` drawn at `dpi`, if this
    /// cache holds a sound entry for exactly that.
    pub fn load(
        &self,
        specimen: &Specimen,
        side: Side,
        light: LightSource,
        dpi: u32,
    ) -> Option<ComputedReference> {
        let file = File::open(self.path(specimen, side, light)).ok()?;
        let len = file.metadata().ok()?.len();
        let c = decode(
            &mut BufReader::with_capacity(1 << 16, file),
            len,
            &key(specimen, side, light, dpi),
        )?;
        // The planes must be those the manifest's size gives.
        let (w_mm, h_mm) = specimen.size_mm();
        let fits = |p: &Plane, px: f64| {
            (p.width, p.height)
                == (
                    (w_mm * px).round().max(1.0) as usize,
                    (h_mm * px).round().max(1.0) as usize,
                )
        };
        let planes_fit = c.whole.iter().zip(WHOLE_PX_MM).all(|(p, px)| fits(p, px))
            && fits(&c.whole_contrast, WHOLE_PX_MM[0]);
        planes_fit.then_some(c)
    }

    /// Keeps `computed` as the entry for `side` under `light` of `specimen` drawn at `dpi`.
    pub fn store(
        &self,
        specimen: &Specimen,
        side: Side,
        light: LightSource,
        dpi: u32,
        computed: &ComputedReference,
    ) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(specimen, side, light);
        let tmp = tempfile::Builder::new()
            .prefix(".prep-")
            .tempfile_in(&self.dir)?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
            encode(&mut w, &key(specimen, side, light, dpi), computed)?;
            w.flush()?;
        }
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// The key of an entry: what must be the same for its content to be what preparing would
/// give now.
fn key(specimen: &Specimen, side: Side, light: LightSource, dpi: u32) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"docexam prepared reference image\0");
    h.update(specimen.hash.as_bytes());
    h.update(side.name().as_bytes());
    h.update(b"\0");
    h.update(light.name().as_bytes());
    h.update(b"\0");
    h.update(&dpi.to_le_bytes());
    h.update(SOURCE_HASH.as_bytes());
    *h.finalize().as_bytes()
}

/// Writes `c` under `key` to `w`.
pub fn encode(w: &mut impl Write, key: &[u8; 32], c: &ComputedReference) -> std::io::Result<()> {
    let mut out = Hashing {
        w,
        h: blake3::Hasher::new(),
    };
    let dims = |out: &mut Hashing<'_, _>, w: usize, h: usize| -> std::io::Result<()> {
        out.put(&(w as u32).to_le_bytes())?;
        out.put(&(h as u32).to_le_bytes())
    };
    out.put(MAGIC)?;
    out.put(key)?;
    out.put(&(c.pyramid.levels().len() as u32).to_le_bytes())?;
    for l in c.pyramid.levels() {
        dims(&mut out, l.width() as usize, l.height() as usize)?;
    }
    out.put(&(c.whole.len() as u32).to_le_bytes())?;
    for p in &c.whole {
        dims(&mut out, p.width, p.height)?;
    }
    dims(&mut out, c.whole_contrast.width, c.whole_contrast.height)?;
    out.put(&(c.anchors.len() as u32).to_le_bytes())?;
    out.put(&[u8::from(c.mrz_centre_mm.is_some())])?;
    for l in c.pyramid.levels() {
        out.put(l.as_raw())?;
    }
    for p in c.whole.iter().chain([&c.whole_contrast]) {
        let v: Vec<u8> = p.v.iter().flat_map(|x| x.to_le_bytes()).collect();
        out.put(&v)?;
        let ok: Vec<u8> = p.valid.iter().map(|b| u8::from(*b)).collect();
        out.put(&ok)?;
    }
    let (mx, my) = c.mrz_centre_mm.unwrap_or_default();
    let pairs: Vec<u8> = c
        .anchors
        .iter()
        .chain([&(mx, my)])
        .flat_map(|(x, y)| x.to_le_bytes().into_iter().chain(y.to_le_bytes()))
        .collect();
    out.put(&pairs)?;
    let sum = *out.h.finalize().as_bytes();
    out.w.write_all(&sum)
}

/// A writer that hashes what it writes.
struct Hashing<'a, W: Write> {
    w: &'a mut W,
    h: blake3::Hasher,
}

impl<W: Write> Hashing<'_, W> {
    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.h.update(b);
        self.w.write_all(b)
    }
}

/// A reader that hashes what it reads and never reads past the entry's declared length.
struct Reading<'a, R: Read> {
    r: &'a mut R,
    h: blake3::Hasher,
    left: u64,
}

impl<R: Read> Reading<'_, R> {
    fn take(&mut self, n: usize) -> Option<Vec<u8>> {
        if n as u64 > self.left {
            return None;
        }
        let mut b = vec![0u8; n];
        self.r.read_exact(&mut b).ok()?;
        if n >= 1 << 20 {
            self.h.update_rayon(&b);
        } else {
            self.h.update(&b);
        }
        self.left -= n as u64;
        Some(b)
    }

    fn u32(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
    }

    fn dims(&mut self) -> Option<(usize, usize)> {
        let (w, h) = (self.u32()?, self.u32()?);
        (w >= 1 && h >= 1 && w <= MAX_SIDE && h <= MAX_SIDE).then_some((w, h))
    }
}

/// Reads an entry under `key` from `r`, which holds `len` bytes (its true length: nothing
/// larger is allocated): `None` unless it is whole, sound and of that key.
pub fn decode(r: &mut impl Read, len: u64, key: &[u8; 32]) -> Option<ComputedReference> {
    let body_len = len.checked_sub(32)?;
    let mut rd = Reading {
        r,
        h: blake3::Hasher::new(),
        left: body_len,
    };
    if rd.take(MAGIC.len())? != MAGIC || rd.take(32)? != key {
        return None;
    }
    let n_levels = rd.u32()?;
    if n_levels == 0 || n_levels > MAX_LEVELS {
        return None;
    }
    let level_dims: Vec<(usize, usize)> =
        (0..n_levels).map(|_| rd.dims()).collect::<Option<_>>()?;
    if rd.u32()? != WHOLE_PX_MM.len() {
        return None;
    }
    let plane_dims: Vec<(usize, usize)> = (0..=WHOLE_PX_MM.len())
        .map(|_| rd.dims())
        .collect::<Option<_>>()?;
    let n_anchors = rd.u32()?;
    let has_mrz = match rd.take(1)?.first()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    // Everything the header promises must be exactly what the file holds.
    // In u64: 65 536² pixels overflow a 32-bit usize.
    let area = |(w, h): &(usize, usize)| *w as u64 * *h as u64;
    let levels_bytes: u64 = level_dims.iter().map(|d| area(d) * 3).sum();
    let planes_bytes: u64 = plane_dims.iter().map(|d| area(d) * 5).sum();
    let pairs_bytes = (n_anchors as u64 + 1) * 16;
    if levels_bytes + planes_bytes + pairs_bytes != rd.left || usize::try_from(rd.left).is_err() {
        return None;
    }
    let levels = level_dims
        .iter()
        .map(|&(w, h)| RgbImage::from_raw(w as u32, h as u32, rd.take(w * h * 3)?))
        .collect::<Option<Vec<_>>>()?;
    let mut planes = plane_dims
        .iter()
        .map(|&(w, h)| {
            let v = rd
                .take(w * h * 4)?
                .chunks_exact(4)
                .map(|b| <[u8; 4]>::try_from(b).ok().map(f32::from_le_bytes))
                .collect::<Option<Vec<f32>>>()?;
            let valid = rd
                .take(w * h)?
                .iter()
                .map(|b| match b {
                    0 => Some(false),
                    1 => Some(true),
                    _ => None,
                })
                .collect::<Option<Vec<bool>>>()?;
            Some(Plane {
                width: w,
                height: h,
                v,
                valid,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let mut pairs: Vec<(f64, f64)> = rd
        .take((n_anchors + 1) * 16)?
        .chunks_exact(16)
        .map(|b| {
            let f = |r: std::ops::Range<usize>| {
                b.get(r)
                    .and_then(|s| <[u8; 8]>::try_from(s).ok())
                    .map(f64::from_le_bytes)
            };
            Some((f(0..8)?, f(8..16)?))
        })
        .collect::<Option<Vec<_>>>()?;
    let mut sum = [0u8; 32];
    rd.r.read_exact(&mut sum).ok()?;
    if rd.h.finalize() != blake3::Hash::from_bytes(sum) {
        return None;
    }
    let mrz = pairs.pop()?;
    // An unknown centre is written as zeros: anything else is not an entry this code wrote.
    if !has_mrz && (mrz.0.to_bits(), mrz.1.to_bits()) != (0, 0) {
        return None;
    }
    let whole_contrast = planes.pop()?;
    Some(ComputedReference {
        pyramid: Pyramid::from_levels(levels)?,
        whole: planes,
        whole_contrast,
        anchors: pairs,
        mrz_centre_mm: has_mrz.then_some(mrz),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests: a panic is a failure
mod tests {
    use super::*;

    /// A prepared image as `compute` makes one, small: a 300 × 200 page.
    fn sample() -> ComputedReference {
        let img = RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
        });
        let plane = |w: usize, h: usize, seed: f32| Plane {
            width: w,
            height: h,
            v: (0..w * h).map(|i| i as f32 * 0.25 + seed).collect(),
            valid: (0..w * h).map(|i| i % 7 != 0).collect(),
        };
        ComputedReference {
            pyramid: Pyramid::new(img),
            whole: WHOLE_PX_MM
                .iter()
                .enumerate()
                .map(|(k, _)| plane(10 + k, 7 + k, k as f32))
                .collect(),
            whole_contrast: plane(10, 7, -3.5),
            anchors: vec![(4.5, 4.5), (8.5, 12.25)],
            mrz_centre_mm: Some((62.5, 80.125)),
        }
    }

    fn bytes(key: &[u8; 32], c: &ComputedReference) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&mut out, key, c).unwrap();
        out
    }

    fn read(b: &[u8], key: &[u8; 32]) -> Option<ComputedReference> {
        decode(&mut &b[..], b.len() as u64, key)
    }

    #[test]
    fn an_entry_reads_back_as_it_was_written() {
        let c = sample();
        let b = bytes(&[7; 32], &c);
        assert_eq!(read(&b, &[7; 32]), Some(c.clone()));
        let none = ComputedReference {
            mrz_centre_mm: None,
            anchors: Vec::new(),
            ..c
        };
        assert_eq!(read(&bytes(&[7; 32], &none), &[7; 32]), Some(none));
    }

    #[test]
    fn an_entry_of_another_key_is_not_read() {
        let b = bytes(&[7; 32], &sample());
        assert_eq!(read(&b, &[8; 32]), None);
    }

    #[test]
    fn a_damaged_short_or_long_entry_is_not_read() {
        let b = bytes(&[7; 32], &sample());
        // A flipped bit anywhere: the magic, the key, the header, the pixels, the planes,
        // the anchors, the trailer.
        for at in [
            0,
            20,
            50,
            60,
            70,
            300,
            b.len() / 2,
            b.len() - 40,
            b.len() - 1,
        ] {
            let mut d = b.clone();
            d[at] ^= 0x10;
            assert_eq!(read(&d, &[7; 32]), None, "flipped at {at}");
        }
        for n in [0, 16, 100, b.len() - 33, b.len() - 1] {
            assert_eq!(read(&b[..n], &[7; 32]), None, "cut to {n}");
        }
        let mut long = b.clone();
        long.push(0);
        assert_eq!(read(&long, &[7; 32]), None);
        // A length that claims more than the reader holds.
        assert_eq!(decode(&mut &b[..], b.len() as u64 + 64, &[7; 32]), None);
    }

    #[test]
    fn a_pyramid_whose_levels_new_would_not_make_is_refused() {
        let p = sample().pyramid;
        let levels: Vec<RgbImage> = p.levels().cloned().collect();
        assert_eq!(Pyramid::from_levels(levels.clone()), Some(p));
        assert_eq!(Pyramid::from_levels(levels[..1].to_vec()), None);
        let mut wrong = levels;
        wrong[1] = RgbImage::new(10, 10);
        assert_eq!(Pyramid::from_levels(wrong), None);
        assert_eq!(Pyramid::from_levels(Vec::new()), None);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_after_the_magic_and_key_are_refused_without_panic(
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        ) {
            let mut b = MAGIC.to_vec();
            b.extend([0u8; 32]);
            b.extend(tail);
            proptest::prop_assert_eq!(read(&b, &[0; 32]), None);
        }

        #[test]
        fn a_changed_header_value_is_refused_without_panic(at in 48usize..120, v: u8) {
            let mut b = bytes(&[7; 32], &sample());
            proptest::prop_assume!(b[at] != v);
            b[at] = v;
            proptest::prop_assert_eq!(read(&b, &[7; 32]), None);
        }
    }
}
