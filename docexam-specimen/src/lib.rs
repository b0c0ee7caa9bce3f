//! Reference specimens: what a genuine document of a type looks like, in an open format a lab
//! can extend without code (documented in `docs/specimen-format.md`).
//!
//! A specimen is a folder with a TOML manifest ([`MANIFEST_FILE`]) and reference images, one
//! per side and light source. The manifest names the document (issuing state, document code,
//! ICAO size class, validity, provenance, licence), its zones (MRZ, portrait, ghost image,
//! printed fields, barcode) and its security features, all in millimetres on the document, and
//! the blake3 of every file, which is checked on load.
//!
//! Specimens are found through a [`SpecimenSource`]: [`FolderSource`] for folders on disk,
//! [`MemorySource`] for tests and applications that keep them elsewhere.
//!
//! ```
//! use docexam_specimen::{FolderSource, SpecimenSource};
//! let (library, warnings) = FolderSource::open(&["../reference-specimens".into()]).into_parts();
//! assert!(warnings.is_empty());
//! assert_eq!(library.ids().len(), 5);
//! for id in library.ids() {
//!     let specimen = library.load(&id).expect("the bundled specimens validate");
//!     assert_eq!(specimen.manifest.document.issuing_state, "UTO");
//! }
//! ```

mod error;
mod manifest;
mod roots;
mod scaffold;
mod size;
mod source;
mod validate;

use std::path::PathBuf;

use image::DynamicImage;

pub use error::SpecimenError;
pub use manifest::{
    Calibration, Comparator, DocumentInfo, Exemplar, FORMAT, Feature, FeatureKind, FileRef,
    ImageRef, MANIFEST_FILE, Manifest, PrintSpec, RectMm, Zone, ZoneKind,
};
pub use roots::bundled_dir;
pub use scaffold::{ScaffoldError, ScaffoldOptions, SideImage, deskew_to_size, scaffold};
pub use size::{SizeClass, mm_to_px};
pub use source::{FolderSource, MemorySource, SpecimenSource};
pub use validate::DPI_RANGE;

use docexam_base::hash::EvidenceHash;
use docexam_ingest::{LightSource, Limits, Side};

/// A loaded, validated specimen.
#[derive(Clone, Debug)]
pub struct Specimen {
    /// The manifest.
    pub manifest: Manifest,
    /// The manifest's path (or name), for messages.
    pub origin: String,
    /// The specimen's folder, when it lives on disk.
    pub dir: Option<PathBuf>,
    /// The blake3 of the manifest, which holds the hash of every file: the specimen's version
    /// as reports name it.
    pub hash: EvidenceHash,
}

/// Parses manifest bytes; `path` names them in errors.
pub fn parse_manifest(path: &str, bytes: &[u8]) -> Result<Manifest, SpecimenError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SpecimenError::Syntax {
        path: path.to_string(),
        message: format!("not UTF-8 text: {e}"),
    })?;
    toml::from_str(text).map_err(|e| SpecimenError::Syntax {
        path: path.to_string(),
        message: e.to_string().trim_end().to_string(),
    })
}

impl Specimen {
    /// Validates `manifest` against its files and wraps it.
    fn checked(
        manifest: Manifest,
        origin: String,
        dir: Option<PathBuf>,
        manifest_bytes: &[u8],
        read: &validate::ReadFile<'_>,
    ) -> Result<Self, SpecimenError> {
        let problems = validate::check(&manifest, &origin, read);
        if let Some(e) = SpecimenError::from_problems(&origin, problems) {
            return Err(e);
        }
        Ok(Specimen {
            manifest,
            origin,
            dir,
            hash: EvidenceHash::of_bytes(manifest_bytes),
        })
    }

    /// Every problem of the specimen in folder `dir` (empty: it validates).
    pub fn validate_dir(dir: &std::path::Path) -> Vec<SpecimenError> {
        let (source, mut problems) = FolderSource::open(&[dir.to_path_buf()]).into_parts();
        if problems.is_empty() && source.ids().is_empty() {
            problems.push(SpecimenError::Io {
                path: dir.join(MANIFEST_FILE).display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no specimen here (nor in any folder directly inside)",
                ),
            });
        }
        for id in source.ids() {
            if let Err(e) = source.load(&id) {
                problems.extend(e.into_problems());
            }
        }
        problems
    }

    /// The document's id.
    pub fn id(&self) -> &str {
        &self.manifest.document.id
    }

    /// The document's size in millimetres.
    pub fn size_mm(&self) -> (f64, f64) {
        self.manifest.document.size_class.size_mm()
    }

    /// The reference image of `side` under `light`, if the specimen has one.
    pub fn image_ref(&self, side: Side, light: LightSource) -> Option<&ImageRef> {
        self.manifest
            .images
            .iter()
            .find(|i| i.side == side && i.light == light)
    }

    /// The light sources with a reference image, sorted by name, without repeats.
    pub fn lights(&self) -> Vec<LightSource> {
        self.manifest.lights()
    }

    /// Reads a file of the specimen (`what`: "font", "mask") from `source` and checks its
    /// hash again: a file changed since the manifest was validated is an error.
    fn read_verified(
        &self,
        source: &dyn SpecimenSource,
        what: &str,
        file: &str,
        blake3: &str,
    ) -> Result<Vec<u8>, SpecimenError> {
        let bytes = source.read(self.id(), file)?;
        match validate::other_hash(&bytes, blake3) {
            Some(actual) => Err(self.invalid_file(
                what,
                file,
                format!("changed since it was loaded: blake3 {actual}"),
            )),
            None => Ok(bytes),
        }
    }

    /// The error naming `file` (a `what`) of this specimen.
    fn invalid_file(&self, what: &str, file: &str, message: String) -> SpecimenError {
        SpecimenError::Invalid {
            path: self.origin.clone(),
            field: format!("{what} {file}"),
            message,
        }
    }

    /// The first image in `bytes`, the contents of `file` (a `what`), decoded under the
    /// default limits.
    fn decode_first(
        &self,
        what: &str,
        file: &str,
        bytes: &[u8],
    ) -> Result<DynamicImage, SpecimenError> {
        let invalid = |message: String| self.invalid_file(what, file, message);
        docexam_ingest::decode_page_bytes(bytes, 1, &Limits::DEFAULT)
            .map(|p| p.image)
            .map_err(|e| invalid(e.to_string()))
    }

    /// Reads a font a field is printed in from `source`, checking its hash again, and parses
    /// it.
    pub fn load_font(
        &self,
        source: &dyn SpecimenSource,
        font: &FileRef,
    ) -> Result<ab_glyph::FontVec, SpecimenError> {
        let bytes = self.read_verified(source, "font", &font.file, &font.blake3)?;
        ab_glyph::FontVec::try_from_vec(bytes).map_err(|e| {
            self.invalid_file(
                "font",
                &font.file,
                format!("not a TrueType or OpenType font: {e}"),
            )
        })
    }

    /// Reads and decodes a feature's mask image from `source`, checking its hash again.
    pub fn load_mask(
        &self,
        source: &dyn SpecimenSource,
        mask: &FileRef,
    ) -> Result<image::GrayImage, SpecimenError> {
        let bytes = self.read_verified(source, "mask", &mask.file, &mask.blake3)?;
        Ok(self.decode_first("mask", &mask.file, &bytes)?.to_luma8())
    }

    /// Reads the reference image of `side` under `light` from `source` and checks its hash
    /// again, without decoding it: for a caller that has its pixels already (a cache keyed
    /// by the specimen's hash) and must still notice a file changed since loading.
    pub fn verify_image(
        &self,
        source: &dyn SpecimenSource,
        side: Side,
        light: LightSource,
    ) -> Result<(), SpecimenError> {
        self.read_image(source, side, light).map(|_| ())
    }

    /// The bytes of the reference image of `side` under `light`, their hash checked again;
    /// with the manifest's entry for it.
    fn read_image(
        &self,
        source: &dyn SpecimenSource,
        side: Side,
        light: LightSource,
    ) -> Result<(&ImageRef, Vec<u8>), SpecimenError> {
        let im = self
            .image_ref(side, light)
            .ok_or_else(|| SpecimenError::Invalid {
                path: self.origin.clone(),
                field: "image".into(),
                message: format!("no {} image of the {}", light.name(), side.name()),
            })?;
        let bytes = self.read_verified(source, "image", &im.file, &im.blake3)?;
        Ok((im, bytes))
    }

    /// Reads and decodes the reference image of `side` under `light` from `source`, checking
    /// its hash again (a file changed since loading is an error, not a silent difference).
    pub fn load_image(
        &self,
        source: &dyn SpecimenSource,
        side: Side,
        light: LightSource,
    ) -> Result<DynamicImage, SpecimenError> {
        let (im, bytes) = self.read_image(source, side, light)?;
        self.decode_first("image", &im.file, &bytes)
    }
}
