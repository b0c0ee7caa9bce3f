//! Ingest: reading the files examiners receive — scans and photos (PNG, JPEG, TIFF with several
//! pages, BMP, WebP) and scanned PDFs — under explicit [`Limits`].
//!
//! [`probe_file`] checks a file's structure and reads its pages' size, resolution and
//! orientation without decoding pixels; [`decode_file`] decodes pixels, upright, with the
//! resolution carried. Formats are recognised from content, never from file names; file names
//! only say which document, side and light source an image shows ([`naming`]).

mod decode;
mod error;
mod exif;
pub mod folder;
mod limits;
mod media;
pub mod naming;
pub mod pdf;
mod probe;
mod source;

pub use decode::{
    DecodedImage, decode_bytes, decode_file, decode_page_bytes, decode_page_file,
    for_each_page_file,
};
pub use error::IngestError;
pub use limits::Limits;
pub use media::MediaType;
pub use naming::{LightSource, NameInfo, Side};
pub use probe::{ImageInfo, Probe, probe, probe_file, read_head};
