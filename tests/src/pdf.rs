//! Minimal PDFs for tests: scanned pages (DCT or Flate images), and malformed files.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// One page's image.
pub enum PageImage {
    /// JPEG bytes of an RGB image of this size.
    Jpeg {
        data: Vec<u8>,
        width: u32,
        height: u32,
    },
    /// Raw RGB samples, Flate-compressed (with the PNG Up predictor when `predictor`).
    FlateRgb {
        rgb: Vec<u8>,
        width: u32,
        height: u32,
        predictor: bool,
    },
    /// No image on the page.
    None,
}

/// Writes a PDF from numbered objects (1-based, in order) and a trailer dictionary body.
pub fn assemble(objects: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::fast());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// A PDF with one page per image, each image filling an A4 page.
pub fn scanned(pages: &[PageImage]) -> Vec<u8> {
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, then per page: page, image, content.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
    ];
    for (i, image) in pages.iter().enumerate() {
        let (image_id, content_id) = (4 + 3 * i, 5 + 3 * i);
        let resources = match image {
            PageImage::None => String::new(),
            _ => format!("/Resources << /XObject << /Im0 {image_id} 0 R >> >>"),
        };
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {resources} /Contents {content_id} 0 R >>")
                .into_bytes(),
        );
        objects.push(match image {
            PageImage::Jpeg { data, width, height } => stream(
                &format!("/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"),
                data,
            ),
            PageImage::FlateRgb { rgb, width, height, predictor } => {
                let (data, parms) = if *predictor {
                    let row = *width as usize * 3;
                    let mut up = Vec::with_capacity(rgb.len() + *height as usize);
                    let mut prev = vec![0u8; row];
                    for line in rgb.chunks(row) {
                        up.push(2);
                        up.extend(line.iter().zip(&prev).map(|(x, p)| x.wrapping_sub(*p)));
                        prev = line.to_vec();
                    }
                    (zlib(&up), format!(" /DecodeParms << /Predictor 12 /Colors 3 /Columns {width} >>"))
                } else {
                    (zlib(rgb), String::new())
                };
                stream(
                    &format!("/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode{parms}"),
                    &data,
                )
            }
            PageImage::None => b"<< >>".to_vec(),
        });
        objects.push(stream("", b"q 595 0 0 842 0 0 cm /Im0 Do Q"));
    }
    assemble(&objects, "/Root 1 0 R")
}

/// A PDF whose page tree refers to itself: page 1's /Parent and the tree's /Kids loop.
pub fn reference_loop() -> Vec<u8> {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>".to_vec(),
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 10 10] /Resources 4 0 R >>".to_vec(),
        b"4 0 R".to_vec(),
    ];
    assemble(&objects, "/Root 1 0 R")
}

/// A PDF whose catalog is a reference to itself (`1 0 obj 1 0 R endobj`): a reader that follows
/// references without a limit never returns.
pub fn self_reference() -> Vec<u8> {
    assemble(&[b"1 0 R".to_vec()], "/Root 1 0 R")
}

/// A PDF encrypted with a user password docexam does not have.
pub fn encrypted() -> Vec<u8> {
    encrypted_with_permissions("-4")
}

/// [`encrypted`] with its permissions `/P` written as `p` (`4294967292` is how many PDF
/// libraries write -4).
pub fn encrypted_with_permissions(p: &str) -> Vec<u8> {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>".to_vec(),
        format!(
            "<< /Filter /Standard /V 2 /R 3 /Length 128 /P {p} /O <{}> /U <{}> >>",
            "11".repeat(32),
            "22".repeat(32)
        )
        .into_bytes(),
    ];
    assemble(
        &objects,
        &format!(
            "/Root 1 0 R /Encrypt 4 0 R /ID [<{0}> <{0}>]",
            "ab".repeat(16)
        ),
    )
}

/// A PDF whose trailer's `/Prev` points back at its own cross-reference table: a reader that
/// follows the chain without remembering where it has been never ends.
pub fn prev_loop() -> Vec<u8> {
    prev_to(None)
}

/// A PDF whose trailer's `/Prev` points at `offset` (its own cross-reference table if `None`).
pub fn prev_to(offset: Option<usize>) -> Vec<u8> {
    let objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
    ];
    let mut pdf = assemble(&objects, "/Root 1 0 R /Prev 0000000000");
    let xref = offset.unwrap_or_else(|| find(&pdf, b"\nxref\n").map_or(0, |at| at + 1));
    if let Some(at) = find(&pdf, b"/Prev 0000000000") {
        let start = at + b"/Prev ".len();
        pdf.splice(start..start + 10, format!("{xref:010}").into_bytes());
    }
    pdf
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A PDF whose cross-reference table holds a letter where an offset's digits belong.
pub fn bad_xref_digit() -> Vec<u8> {
    let mut pdf = scanned(&[PageImage::None]);
    if let Some(at) = find(&pdf, b" 00000 n ")
        && let Some(byte) = pdf.get_mut(at.saturating_sub(3))
    {
        *byte = b'x';
    }
    pdf
}

/// A PDF of `pages` pages that all show the same image object (one JPEG of `width`×`height`).
pub fn shared_image(pages: usize, jpeg: &[u8], width: u32, height: u32) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        stream(
            &format!(
                "/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
            ),
            jpeg,
        ),
        stream("", b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 3 0 R >> >> /Contents 4 0 R >>"
                .to_vec(),
        );
    }
    assemble(&objects, "/Root 1 0 R")
}
