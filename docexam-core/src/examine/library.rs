//! The specimens an examination can use, loaded and prepared once and shared by every
//! document of a batch.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::ingest::LightSource;
use crate::register::{PreparedCache, ReferenceImage};
use crate::specimen::{Manifest, Specimen, SpecimenError, SpecimenSource, parse_manifest};

/// A specimen with its reference images prepared for registration and comparison.
#[derive(Debug)]
pub struct PreparedSpecimen {
    /// The specimen.
    pub specimen: Specimen,
    /// Its reference images, one per side and light.
    pub references: Vec<ReferenceImage>,
}

type Slot = Arc<Mutex<Option<Arc<PreparedSpecimen>>>>;

/// A specimen library with a cache of prepared specimens (safe to share between threads).
pub struct Library {
    source: Box<dyn SpecimenSource>,
    /// One slot per specimen: callers asking for the same specimen at once wait for the one
    /// preparing it instead of preparing it again.
    prepared: Mutex<BTreeMap<String, Slot>>,
    manifests: Mutex<BTreeMap<String, Arc<Specimen>>>,
    parsed: Mutex<BTreeMap<String, Arc<Manifest>>>,
    /// Where prepared reference images are kept between processes, if anywhere.
    cache: Option<PreparedCache>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("ids", &self.source.ids())
            .finish_non_exhaustive()
    }
}

impl Library {
    /// A library over `source`.
    pub fn new(source: impl SpecimenSource + 'static) -> Self {
        Library {
            source: Box::new(source),
            prepared: Mutex::new(BTreeMap::new()),
            manifests: Mutex::new(BTreeMap::new()),
            parsed: Mutex::new(BTreeMap::new()),
            cache: None,
        }
    }

    /// This library, keeping prepared reference images in `cache` (and reading them from
    /// it) so that the next process does not prepare them again; `None` prepares every
    /// specimen from its files.
    pub fn with_cache(mut self, cache: Option<PreparedCache>) -> Self {
        self.cache = cache;
        self
    }

    /// The source specimens are read from.
    pub fn source(&self) -> &dyn SpecimenSource {
        self.source.as_ref()
    }

    /// Every specimen id, sorted.
    pub fn ids(&self) -> Vec<String> {
        self.source.ids()
    }

    /// The manifest of specimen `id`, parsed but its files not read (cached): enough to
    /// choose candidates by document code, issuing state and captured lights.
    pub fn manifest(&self, id: &str) -> Result<Arc<Manifest>, SpecimenError> {
        if let Some(m) = lock(&self.parsed).get(id) {
            return Ok(m.clone());
        }
        let (path, bytes) = self.source.manifest(id)?;
        let m = Arc::new(parse_manifest(&path, &bytes)?);
        lock(&self.parsed).insert(id.to_string(), m.clone());
        Ok(m)
    }

    /// Specimen `id`, loaded and validated (cached).
    pub fn specimen(&self, id: &str) -> Result<Arc<Specimen>, SpecimenError> {
        if let Some(s) = lock(&self.manifests).get(id) {
            return Ok(s.clone());
        }
        let s = Arc::new(self.source.load(id)?);
        lock(&self.manifests).insert(id.to_string(), s.clone());
        Ok(s)
    }

    /// Specimen `id` with its reference images prepared (cached; the images are decoded in
    /// parallel the first time, and a caller asking while another prepares it waits for that
    /// one). The first call holds the specimen's lock while it prepares on the rayon pool:
    /// make it from outside the pool, or a pool thread that takes up another caller's work
    /// while it waits can end up waiting for the lock it holds.
    pub fn prepared(&self, id: &str) -> Result<Arc<PreparedSpecimen>, SpecimenError> {
        let slot = lock(&self.prepared)
            .entry(id.to_string())
            .or_default()
            .clone();
        let mut slot = lock(&slot);
        if let Some(p) = slot.as_ref() {
            return Ok(p.clone());
        }
        let specimen = (*self.specimen(id)?).clone();
        let references = prepare_parallel(&specimen, self.source.as_ref(), self.cache.as_ref())?;
        let p = Arc::new(PreparedSpecimen {
            specimen,
            references,
        });
        *slot = Some(p.clone());
        Ok(p)
    }

    /// Prepares every specimen now (for a workstation that starts before its first document:
    /// the examination then finds them ready). Specimens that cannot be prepared are left for
    /// the examination to report.
    pub fn prepare_all(&self) {
        for id in self.ids() {
            let _ = self.prepared(&id);
        }
    }
}

/// Every reference image of `specimen`, prepared in parallel, in manifest order.
fn prepare_parallel(
    specimen: &Specimen,
    source: &dyn SpecimenSource,
    cache: Option<&PreparedCache>,
) -> Result<Vec<ReferenceImage>, SpecimenError> {
    let images: Vec<(crate::ingest::Side, LightSource)> = specimen
        .manifest
        .images
        .iter()
        .map(|i| (i.side, i.light))
        .collect();
    images
        .par_iter()
        .map(|&(side, light)| {
            crate::register::reference::prepare_one(specimen, source, side, light, cache)
        })
        .collect()
}

/// The map behind `m`, even if a thread panicked while holding it (the maps are only ever
/// inserted into whole).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
