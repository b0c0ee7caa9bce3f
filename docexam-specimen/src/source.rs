//! Where specimens come from: folders on disk (the bundled library and a lab's own), or memory
//! (tests, embedding applications that keep specimens in a database).

use docexam_base::Warned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::SpecimenError;
use super::manifest::MANIFEST_FILE;
use super::{Specimen, parse_manifest};

/// A library of specimens.
pub trait SpecimenSource: Send + Sync {
    /// Every specimen id, sorted.
    fn ids(&self) -> Vec<String>;

    /// The manifest of `id`: a name for messages (its path) and its bytes.
    fn manifest(&self, id: &str) -> Result<(String, Vec<u8>), SpecimenError>;

    /// A file of specimen `id`, by the name its manifest gives.
    fn read(&self, id: &str, file: &str) -> Result<Vec<u8>, SpecimenError>;

    /// The folder holding specimen `id`, if it lives on disk.
    fn dir(&self, _id: &str) -> Option<PathBuf> {
        None
    }

    /// Loads and fully validates specimen `id`: manifest, files and their hashes, image
    /// resolutions, regions.
    fn load(&self, id: &str) -> Result<Specimen, SpecimenError> {
        let (path, bytes) = self.manifest(id)?;
        let manifest = parse_manifest(&path, &bytes)?;
        Specimen::checked(manifest, path, self.dir(id), &bytes, &|file| {
            self.read(id, file)
        })
    }
}

fn not_found(id: &str, known: Vec<String>) -> SpecimenError {
    SpecimenError::NotFound {
        id: id.to_string(),
        known,
    }
}

fn io(path: &Path, source: std::io::Error) -> SpecimenError {
    SpecimenError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Largest manifest read (a manifest is text; this bounds a hostile file).
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// Largest specimen file read (a 1200 dpi TD3 image as PNG stays well under this).
const MAX_FILE_BYTES: u64 = 512 << 20;

/// Reads a regular file of at most `limit` bytes. Devices, pipes and directories are refused
/// (a symlink to `/dev/zero` or a FIFO must not hang or exhaust memory), and so is a file
/// whose real path leaves `inside`, when given (a symlink out of the specimen folder).
fn read_limited(path: &Path, limit: u64, inside: Option<&Path>) -> Result<Vec<u8>, SpecimenError> {
    if let Some(dir) = inside {
        let real = std::fs::canonicalize(path).map_err(|e| io(path, e))?;
        let root = std::fs::canonicalize(dir).map_err(|e| io(dir, e))?;
        if !real.starts_with(&root) {
            return Err(io(
                path,
                std::io::Error::other(format!(
                    "leads to {}, outside the specimen folder",
                    real.display()
                )),
            ));
        }
    }
    docexam_base::untrusted_file::read_limited(path, limit)
        .map_err(|e| io(path, std::io::Error::from(e)))
}

/// Specimens in folders: each root is a specimen folder (it holds `specimen.toml`) or a folder
/// of specimen folders. Earlier roots win when two define the same id.
#[derive(Debug, Default)]
pub struct FolderSource {
    dirs: BTreeMap<String, PathBuf>,
}

impl FolderSource {
    /// Scans `roots` (reading only the manifests). Unreadable roots, manifests that do not
    /// parse and duplicate ids are warnings, in the order met.
    pub fn open(roots: &[PathBuf]) -> Warned<Self, SpecimenError> {
        let mut me = FolderSource::default();
        let mut warnings = Vec::new();
        let mut seen = Vec::new();
        for root in roots {
            // The same folder named twice (relative and absolute, or also bundled) is one.
            let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
            if seen.contains(&real) {
                continue;
            }
            seen.push(real);
            if root.join(MANIFEST_FILE).is_file() {
                me.add(root, &mut warnings);
                continue;
            }
            let entries = match std::fs::read_dir(root) {
                Ok(e) => e,
                Err(e) => {
                    warnings.push(io(root, e));
                    continue;
                }
            };
            let mut dirs: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join(MANIFEST_FILE).is_file())
                .collect();
            dirs.sort();
            for d in dirs {
                me.add(&d, &mut warnings);
            }
        }
        Warned::new(me, warnings)
    }

    fn add(&mut self, dir: &Path, warnings: &mut Vec<SpecimenError>) {
        let path = dir.join(MANIFEST_FILE);
        let parsed = read_limited(&path, MAX_MANIFEST_BYTES, Some(dir))
            .and_then(|b| parse_manifest(&path.display().to_string(), &b));
        match parsed {
            Ok(m) => {
                let id = m.document.id;
                if let Some(first) = self.dirs.get(&id) {
                    warnings.push(SpecimenError::Duplicate {
                        id,
                        first: first.display().to_string(),
                        second: dir.display().to_string(),
                    });
                } else {
                    self.dirs.insert(id, dir.to_path_buf());
                }
            }
            Err(e) => warnings.push(e),
        }
    }
}

impl SpecimenSource for FolderSource {
    fn ids(&self) -> Vec<String> {
        self.dirs.keys().cloned().collect()
    }

    fn manifest(&self, id: &str) -> Result<(String, Vec<u8>), SpecimenError> {
        let dir = self.dirs.get(id).ok_or_else(|| not_found(id, self.ids()))?;
        let path = dir.join(MANIFEST_FILE);
        Ok((
            path.display().to_string(),
            read_limited(&path, MAX_MANIFEST_BYTES, Some(dir))?,
        ))
    }

    fn read(&self, id: &str, file: &str) -> Result<Vec<u8>, SpecimenError> {
        let dir = self.dirs.get(id).ok_or_else(|| not_found(id, self.ids()))?;
        super::validate::safe_relative(file).map_err(|why| SpecimenError::Invalid {
            path: dir.join(MANIFEST_FILE).display().to_string(),
            field: "file".into(),
            message: why,
        })?;
        read_limited(&dir.join(file), MAX_FILE_BYTES, Some(dir))
    }

    fn dir(&self, id: &str) -> Option<PathBuf> {
        self.dirs.get(id).cloned()
    }
}

/// Specimens held in memory: a manifest text and its files per id.
#[derive(Debug, Default, Clone)]
pub struct MemorySource {
    specimens: BTreeMap<String, (String, BTreeMap<String, Vec<u8>>)>,
}

impl MemorySource {
    /// An empty source.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a specimen from its manifest text and files (by manifest name); returns its id.
    /// Fails if the manifest does not parse; everything else is checked on load.
    pub fn insert(
        &mut self,
        manifest: &str,
        files: BTreeMap<String, Vec<u8>>,
    ) -> Result<String, SpecimenError> {
        let m = parse_manifest(&format!("memory:{MANIFEST_FILE}"), manifest.as_bytes())?;
        let id = m.document.id;
        if self.specimens.contains_key(&id) {
            return Err(SpecimenError::Duplicate {
                second: format!("memory:{id}"),
                first: format!("memory:{id}"),
                id,
            });
        }
        self.specimens
            .insert(id.clone(), (manifest.to_string(), files));
        Ok(id)
    }
}

impl SpecimenSource for MemorySource {
    fn ids(&self) -> Vec<String> {
        self.specimens.keys().cloned().collect()
    }

    fn manifest(&self, id: &str) -> Result<(String, Vec<u8>), SpecimenError> {
        let (text, _) = self
            .specimens
            .get(id)
            .ok_or_else(|| not_found(id, self.ids()))?;
        Ok((
            format!("memory:{id}/{MANIFEST_FILE}"),
            text.as_bytes().to_vec(),
        ))
    }

    fn read(&self, id: &str, file: &str) -> Result<Vec<u8>, SpecimenError> {
        let (_, files) = self
            .specimens
            .get(id)
            .ok_or_else(|| not_found(id, self.ids()))?;
        files.get(file).cloned().ok_or_else(|| SpecimenError::Io {
            path: format!("memory:{id}/{file}"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        })
    }
}
