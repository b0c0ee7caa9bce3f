//! Page images of a scanned PDF, read with the `pdf` crate.
//!
//! The largest image on each page (including images in form XObjects) is its scan. DCT (JPEG)
//! images are kept byte for byte, as the scanner wrote them; Flate-compressed and uncompressed
//! samples are inflated under a cap and written as PNG. JPEG 2000, JBIG2 and CCITT fax images
//! are reported as not supported. Everything here runs on untrusted bytes; the `pdf` crate
//! itself can recurse without bound on crafted files, which is why [`super::PdfReader`] runs
//! this in a separate, resource-limited process by default.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::sync::{Arc, Mutex};

use pdf::any::AnySync;
use pdf::enc::StreamFilter;
use pdf::error::PdfError;
use pdf::file::{Cache, FileOptions, NoLog};
use pdf::object::{ColorSpace, ParseOptions, PlainRef, RcRef, Resolve, Resources, XObject};

use super::samples::{self, Colors};
use crate::error::IngestError;
use crate::limits::Limits;
use crate::media::MediaType::{self, Pdf};
use crate::probe;

/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 8;

/// The scan of one page, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct PageImage {
    /// Page number, from 1.
    pub page: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution from the page size, if the image fills the page's media box.
    pub dpi: Option<[f32; 2]>,
    /// JPEG (as in the PDF) or PNG.
    pub media_type: MediaType,
    /// The encoded image.
    pub data: Vec<u8>,
}

/// What a PDF yielded.
#[derive(Clone, Debug, PartialEq)]
pub struct PdfPages {
    /// Number of pages in the PDF.
    pub pages_total: u32,
    /// The scan of every page that has one.
    pub images: Vec<PageImage>,
    /// Pages without an image, with the reason.
    pub skipped: Vec<(u32, String)>,
}

/// A cache that does not hold its lock while computing (computing may re-enter it), keeping
/// only the values `keep` accepts.
struct MapCache<T> {
    map: Mutex<HashMap<PlainRef, T>>,
    keep: fn(&T) -> bool,
}

impl<T> MapCache<T> {
    fn new(keep: fn(&T) -> bool) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            keep,
        }
    }
}

/// Largest decoded stream kept in the cache: object streams are, page images are not (they
/// are read once, and keeping them would hold every page in memory).
const MAX_CACHED_STREAM: usize = 1 << 20;

fn small_stream(v: &Result<Arc<[u8]>, Arc<PdfError>>) -> bool {
    v.as_ref().map_or(true, |d| d.len() <= MAX_CACHED_STREAM)
}

impl<T: Clone> Cache<T> for MapCache<T> {
    fn get_or_compute(&self, key: PlainRef, compute: impl FnOnce() -> T) -> T {
        if let Some(v) = self.map.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let v = compute();
        if (self.keep)(&v)
            && let Ok(mut m) = self.map.lock()
        {
            m.insert(key, v.clone());
        }
        v
    }

    fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            m.clear();
        }
    }

    fn remove(&self, key: PlainRef) {
        if let Ok(mut m) = self.map.lock() {
            m.remove(&key);
        }
    }
}

/// The innermost cause of a `pdf` crate error, as text.
fn root_cause(e: &PdfError) -> String {
    let mut cur: &dyn std::error::Error = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

fn is_password_error(e: &PdfError) -> bool {
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = cur {
        if let Some(p) = err.downcast_ref::<PdfError>()
            && matches!(p, PdfError::InvalidPassword | PdfError::DecryptionFailure)
        {
            return true;
        }
        cur = err.source();
    }
    // Errors shared through the cache arrive wrapped in types that do not downcast.
    let root = root_cause(e).to_ascii_lowercase();
    root.contains("invalid password") || root.contains("decryption fail")
}

/// A `pdf` crate error as a reader can follow it: what was being read (`stage`), then each
/// cause in plain words, outermost first, the parser's own words of the innermost in
/// parentheses. The crate's wrappers (`Try at src/…`, `Shared`) name its source lines, not
/// the file's fault, and are left out.
fn pdf_error(stage: &str) -> impl Fn(PdfError) -> IngestError + '_ {
    move |e| {
        if is_password_error(&e) {
            IngestError::Encrypted
        } else {
            IngestError::corrupt(Pdf, format!("{stage}: {}", plain_causes(&e)))
        }
    }
}

/// The causes of `e` in plain words, joined outermost first.
fn plain_causes(e: &PdfError) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    let mut innermost = String::new();
    while let Some(err) = cur {
        let text = err.to_string();
        let own = text.split(", caused by").next().unwrap_or("").trim();
        innermost = own.to_owned();
        if !(own.starts_with("Try at") || own.starts_with("Shared") || own.is_empty()) {
            let plain = plain_words(own);
            if parts.last() != Some(&plain) {
                parts.push(plain);
            }
        }
        cur = err.source();
    }
    if parts.is_empty() {
        return "the parser gave no reason".to_owned();
    }
    // The parser's innermost words, when they are not already a part, follow in parentheses.
    if parts.len() > 1 && parts.last() == Some(&innermost) {
        parts.pop();
    }
    let mut text = parts.join(": ");
    if !text.ends_with(&innermost) {
        text.push_str(&format!(" ({innermost})"));
    }
    text
}

/// The `pdf` crate's words for what it met, in the terms of the file.
fn plain_words(own: &str) -> String {
    let said = |prefix: &str| own.starts_with(prefix);
    if said("Error parsing from string") {
        "a number or keyword in the file is malformed".into()
    } else if said("Unexpected end of file") {
        "the file ends where more was expected".into()
    } else if said("Invalid encoding") {
        "a string is not in the encoding it declares".into()
    } else if said("IO Error") {
        "a read inside the file failed".into()
    } else if said("Unexpected token") {
        format!(
            "unexpected content: {}",
            own.trim_start_matches("Unexpected token ")
        )
    } else if said("Tried to dereference non-existing object")
        || said("Tried to dereference free object")
    {
        format!("a reference to an object that is not there ({own})")
    } else if said("Entry") && own.contains("xref table unspecified") {
        format!("the cross-reference table does not list an object it should ({own})")
    } else {
        own.to_owned()
    }
}

/// Reads the scan of every page of a PDF held in memory.
pub fn extract_pages(bytes: Vec<u8>, limits: &Limits) -> Result<PdfPages, IngestError> {
    let mut images = Vec::new();
    let summary = for_each_page(bytes, limits, |image| {
        images.push(image);
        Ok(())
    })?;
    Ok(PdfPages {
        pages_total: summary.pages_total,
        images,
        skipped: summary.skipped,
    })
}

/// What a PDF yielded, without the images (given to the sink one by one).
#[derive(Clone, Debug, PartialEq)]
pub struct PdfSummary {
    /// Number of pages in the PDF.
    pub pages_total: u32,
    /// Page scans given to the sink.
    pub images: u32,
    /// Pages without an image, with the reason.
    pub skipped: Vec<(u32, String)>,
}

/// Reads the scan of every page of a PDF held in memory, giving each to `sink` as soon as it
/// is read (so only one page's image is held at a time).
pub fn for_each_page(
    bytes: Vec<u8>,
    limits: &Limits,
    mut sink: impl FnMut(PageImage) -> Result<(), IngestError>,
) -> Result<PdfSummary, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let mut bytes = bytes;
    super::permissions::sign_permissions(&mut bytes);
    let file = FileOptions::uncached()
        .parse_options(ParseOptions::tolerant())
        .cache(
            MapCache::<Result<AnySync, Arc<PdfError>>>::new(|_| true),
            MapCache::<Result<Arc<[u8]>, Arc<PdfError>>>::new(small_stream),
        )
        .load(bytes)
        .map_err(pdf_error(
            "the cross-reference table, trailer or document catalog cannot be read",
        ))?;
    let _: &pdf::file::File<Vec<u8>, _, _, NoLog> = &file;
    let objects = u64::try_from(file.trailer.size).unwrap_or(0);
    if objects > limits.max_pdf_objects {
        return Err(IngestError::OverLimit {
            format: Pdf,
            what: "objects",
            found: objects,
            limit: limits.max_pdf_objects,
        });
    }
    let pages_total = file.num_pages();
    if pages_total > limits.max_pages {
        return Err(IngestError::OverLimit {
            format: Pdf,
            what: "pages",
            found: pages_total.into(),
            limit: limits.max_pages.into(),
        });
    }
    let resolver = file.resolver();
    let mut images = 0u32;
    let mut skipped = Vec::new();
    // The image object read last, with what it gave: pages that share one image (a PDF of
    // thousands of pages over one picture) read and encode it once.
    let mut last: Option<(PlainRef, PageImage)> = None;
    for index in 0..pages_total {
        let number = index + 1;
        let page = file.get_page(index).map_err(|e| {
            pdf_error(&format!("page {number} cannot be found in the page tree"))(e)
        })?;
        let mut found = Vec::new();
        if let Ok(resources) = page.resources() {
            let mut seen = HashSet::new();
            collect_images(&resolver, resources, 0, &mut seen, &mut found)?;
        }
        let largest = found.into_iter().max_by_key(|x| match &**x {
            XObject::Image(img) => u64::from(img.width) * u64::from(img.height),
            _ => 0,
        });
        let Some(xobject) = largest else {
            skipped.push((number, "no image on the page".to_owned()));
            continue;
        };
        let XObject::Image(img) = &*xobject else {
            continue;
        };
        let key = xobject.get_ref().get_inner();
        let read = match &last {
            Some((k, image)) if *k == key => Ok(image.clone()),
            _ => page_image(&resolver, img, limits).inspect(|image| {
                last = Some((key, image.clone()));
            }),
        };
        let mut image = match read {
            Ok(i) => i,
            Err(IngestError::Unsupported { what, .. }) => {
                skipped.push((number, format!("{what} is not supported")));
                continue;
            }
            Err(IngestError::Corrupt { format, detail }) => {
                return Err(IngestError::Corrupt {
                    format,
                    detail: format!("page {number}: {detail}"),
                });
            }
            Err(e) => return Err(e),
        };
        image.page = number;
        if let Ok(b) = page.media_box() {
            let (w_pt, h_pt) = ((b.right - b.left).abs(), (b.top - b.bottom).abs());
            if w_pt > 1.0 && h_pt > 1.0 {
                image.dpi = Some([
                    image.width as f32 / (w_pt / 72.0),
                    image.height as f32 / (h_pt / 72.0),
                ]);
            }
        }
        sink(image)?;
        images += 1;
    }
    Ok(PdfSummary {
        pages_total,
        images,
        skipped,
    })
}

fn collect_images(
    resolver: &impl Resolve,
    resources: &Resources,
    depth: usize,
    seen: &mut HashSet<PlainRef>,
    out: &mut Vec<RcRef<XObject>>,
) -> Result<(), IngestError> {
    for xref in resources.xobjects.values() {
        if !seen.insert(xref.get_inner()) {
            continue;
        }
        let Ok(xobject) = resolver.get(*xref) else {
            continue;
        };
        match &*xobject {
            XObject::Image(_) => out.push(xobject.clone()),
            XObject::Form(form) if depth < MAX_FORM_DEPTH => {
                if let Some(res) = &form.dict().resources {
                    collect_images(resolver, res, depth + 1, seen, out)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn colors(
    space: Option<&ColorSpace>,
    decode: Option<&[f32]>,
    image_mask: bool,
) -> Result<Colors, IngestError> {
    let inverted = matches!(decode, Some([a, b]) if a > b);
    if image_mask {
        // A stencil: with the default Decode [0 1], 0 paints (black) and 1 leaves the page.
        return Ok(Colors::Gray { inverted });
    }
    let unsupported = |what: String| IngestError::Unsupported { format: Pdf, what };
    Ok(match space {
        None | Some(ColorSpace::DeviceGray | ColorSpace::CalGray(_)) => Colors::Gray { inverted },
        Some(ColorSpace::DeviceRGB | ColorSpace::CalRGB(_)) => Colors::Rgb,
        Some(ColorSpace::DeviceCMYK | ColorSpace::CalCMYK(_)) => Colors::Cmyk,
        Some(ColorSpace::Icc(icc)) => match icc.info.info.components {
            1 => Colors::Gray { inverted },
            3 => Colors::Rgb,
            4 => Colors::Cmyk,
            n => {
                return Err(unsupported(format!(
                    "an ICC colour space of {n} components"
                )));
            }
        },
        Some(ColorSpace::Indexed(base, _, lookup)) => {
            let base = colors(Some(base), None, false)?;
            if matches!(base, Colors::Indexed { .. }) {
                return Err(unsupported(
                    "an indexed colour space over an indexed one".into(),
                ));
            }
            Colors::Indexed {
                base: Box::new(base),
                palette: lookup.to_vec(),
            }
        }
        Some(other) => {
            return Err(unsupported(format!(
                "the colour space {}",
                space_name(other)
            )));
        }
    })
}

fn space_name(space: &ColorSpace) -> &'static str {
    match space {
        ColorSpace::DeviceN { .. } => "DeviceN",
        ColorSpace::Separation(..) => "Separation",
        ColorSpace::Pattern => "Pattern",
        _ => "of this image",
    }
}

/// An image stored as samples: Flate-compressed (with the predictor given) or uncompressed.
fn samples_image(
    img: &pdf::object::ImageXObject,
    data: &[u8],
    flate_predictor: Option<i32>,
    limits: &Limits,
) -> Result<PageImage, IngestError> {
    let (width, height) = (img.width, img.height);
    let bpc = u8::try_from(img.bits_per_component.unwrap_or(8)).unwrap_or(0);
    let colors = colors(
        img.color_space.as_ref(),
        img.decode.as_deref(),
        img.image_mask,
    )?;
    let comps = colors.components();
    let row_bytes = (width as usize * comps * usize::from(bpc)).div_ceil(8);
    let raw = match flate_predictor {
        Some(predictor) => {
            let cap = (row_bytes as u64 + u64::from(predictor >= 10)) * u64::from(height);
            if cap > limits.max_stream_bytes {
                return Err(IngestError::OverLimit {
                    format: Pdf,
                    what: "bytes in an image stream",
                    found: cap,
                    limit: limits.max_stream_bytes,
                });
            }
            let inflated = samples::inflate(data, cap)?;
            let bpp = (comps * usize::from(bpc)).div_ceil(8).max(1);
            samples::unpredict(inflated, predictor, row_bytes, bpp)?
        }
        None => data.to_vec(),
    };
    let pixels = u64::from(width) * u64::from(height) * 3;
    if pixels > limits.max_alloc_bytes {
        return Err(IngestError::OverLimit {
            format: Pdf,
            what: "bytes of decoded pixels",
            found: pixels,
            limit: limits.max_alloc_bytes,
        });
    }
    let image = samples::to_image(&raw, width, height, bpc, &colors)?;
    Ok(PageImage {
        page: 0,
        width,
        height,
        dpi: None,
        media_type: MediaType::Png,
        data: samples::to_png(&image)?,
    })
}

fn page_image(
    resolver: &impl Resolve,
    img: &pdf::object::ImageXObject,
    limits: &Limits,
) -> Result<PageImage, IngestError> {
    let (width, height) = (img.width, img.height);
    probe::check_pixels(Pdf, width.into(), height.into(), limits)?;
    let (data, filter) = img
        .raw_image_data(resolver)
        .map_err(pdf_error("the page's image stream cannot be read"))?;
    let unsupported = |what: &str| IngestError::Unsupported {
        format: Pdf,
        what: what.into(),
    };
    match filter {
        Some(StreamFilter::DCTDecode(_)) => {
            // Kept as the scanner wrote it; checked like any JPEG received directly.
            let info = probe::probe(Cursor::new(&data[..]), limits)?;
            let first = info
                .pages
                .first()
                .copied()
                .ok_or_else(|| IngestError::corrupt(Pdf, "empty JPEG"))?;
            Ok(PageImage {
                page: 0,
                width: first.width,
                height: first.height,
                dpi: None,
                media_type: MediaType::Jpeg,
                data: data.to_vec(),
            })
        }
        Some(StreamFilter::FlateDecode(params)) => {
            samples_image(img, &data, Some(params.predictor), limits)
        }
        None => samples_image(img, &data, None, limits),
        Some(StreamFilter::JPXDecode) => Err(unsupported("a JPEG 2000 (JPXDecode) page image")),
        Some(StreamFilter::JBIG2Decode(_)) => Err(unsupported("a JBIG2 page image")),
        Some(StreamFilter::CCITTFaxDecode(_)) => Err(unsupported("a CCITT fax page image")),
        Some(_) => Err(unsupported("this image encoding")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_mask_paints_black_where_its_samples_are_zero() {
        // ISO 32000-1 §8.9.6.2: with the default Decode [0 1], a 0 sample paints the current
        // colour (black on a scan) and a 1 leaves the page (white) as it is.
        let plain = colors(None, None, true).unwrap();
        let img = samples::to_image(&[0b0101_0000], 4, 1, 1, &plain).unwrap();
        assert_eq!(img.to_luma8().into_raw(), vec![0, 255, 0, 255]);
        // Decode [1 0] swaps the roles.
        let swapped = colors(None, Some(&[1.0, 0.0]), true).unwrap();
        let img = samples::to_image(&[0b0101_0000], 4, 1, 1, &swapped).unwrap();
        assert_eq!(img.to_luma8().into_raw(), vec![255, 0, 255, 0]);
    }
}
