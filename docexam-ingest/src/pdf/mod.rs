//! Scanned PDFs: every page's scan extracted at native resolution.
//!
//! The `pdf` crate parses the file. On crafted input it can recurse without bound or allocate
//! without limit, which no error handling can catch inside one process; so by default
//! [`PdfReader`] reads PDFs in a separate worker process — the current executable started with
//! [`WORKER_ARG`] — under a memory and CPU limit and a wall-clock timeout. A crash or timeout
//! there becomes a clear error here, and the case is untouched.
//!
//! A program embedding docexam that reads PDFs calls [`run_worker_if_requested`] first thing in
//! `main` (the `docexam` and `docexam-gui` binaries do), or points [`PdfReader::with_worker`] at
//! the `docexam` binary.

mod extract;
mod permissions;
mod samples;
mod worker;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use extract::{PageImage, PdfPages, PdfSummary, extract_pages, for_each_page};

/// Fuzzing entry: raw image samples through inflation, predictors and colour mapping.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn fuzz_samples(data: &[u8], width: u32, height: u32, bpc: u8, predictor: i32, colors: u8) {
    use samples::Colors;
    let colors = match colors % 5 {
        0 => Colors::Gray { inverted: false },
        1 => Colors::Gray { inverted: true },
        2 => Colors::Rgb,
        3 => Colors::Cmyk,
        _ => Colors::Indexed {
            base: Box::new(Colors::Rgb),
            palette: data.iter().take(48).copied().collect(),
        },
    };
    let (width, height) = (width % 64 + 1, height % 64 + 1);
    let row = (width as usize * colors.components() * usize::from(bpc)).div_ceil(8);
    if let Ok(raw) = samples::inflate(data, (row as u64 + 1) * u64::from(height))
        && let Ok(raw) = samples::unpredict(raw, predictor, row, 1)
    {
        let _ = samples::to_image(&raw, width, height, bpc, &colors);
    }
    let _ = samples::to_image(data, width, height, bpc, &colors);
}
pub use worker::{WORKER_ARG, run_worker_if_requested};

use super::error::IngestError;
use super::limits::Limits;
use super::media::MediaType;
use docexam_base::hash::EvidenceHash;

/// How PDFs are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdfReader {
    mode: Mode,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Mode {
    /// In this process: only for trusted files.
    InProcess,
    /// In a worker process.
    Isolated {
        worker: Option<PathBuf>,
        timeout: Duration,
        memory_bytes: u64,
    },
}

impl Default for PdfReader {
    /// Isolated in a worker (the current executable), 120 s and 4 GiB at most.
    fn default() -> Self {
        PdfReader {
            mode: Mode::Isolated {
                worker: None,
                timeout: Duration::from_secs(120),
                memory_bytes: 4 << 30,
            },
        }
    }
}

/// A page scan written to a temporary file in the output directory.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtractedPage {
    /// Page number, from 1.
    pub page: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution from the page size.
    pub dpi: Option<[f32; 2]>,
    /// JPEG or PNG.
    pub media_type: MediaType,
    /// blake3 of the file.
    pub hash: EvidenceHash,
    /// Its size in bytes.
    pub bytes: u64,
    /// The temporary file, to be renamed into place or removed by the caller. Pages whose
    /// images are the same bytes share one file.
    pub temp: PathBuf,
}

impl PdfReader {
    /// Reads PDFs in this process. Only for files known to be benign: a crafted PDF can crash
    /// the process.
    pub fn in_process() -> Self {
        PdfReader {
            mode: Mode::InProcess,
        }
    }

    /// Reads PDFs in worker processes started from `executable` (the `docexam` binary, or any
    /// program that calls [`run_worker_if_requested`]).
    pub fn with_worker(executable: impl Into<PathBuf>) -> Self {
        let mut r = PdfReader::default();
        if let Mode::Isolated { worker, .. } = &mut r.mode {
            *worker = Some(executable.into());
        }
        r
    }

    /// Changes the worker's time limit (isolated reading only).
    pub fn timeout(mut self, limit: Duration) -> Self {
        if let Mode::Isolated { timeout, .. } = &mut self.mode {
            *timeout = limit;
        }
        self
    }

    /// Changes the worker's memory limit in bytes (isolated reading only).
    pub fn memory_limit(mut self, bytes: u64) -> Self {
        if let Mode::Isolated { memory_bytes, .. } = &mut self.mode {
            *memory_bytes = bytes;
        }
        self
    }

    /// Extracts the scan of every page of the PDF at `pdf` into temporary files in `out_dir`.
    /// On error no temporary file is left behind.
    pub fn extract(
        &self,
        pdf: &Path,
        out_dir: &Path,
        limits: &Limits,
    ) -> Result<Vec<ExtractedPage>, IngestError> {
        match &self.mode {
            Mode::InProcess => {
                let bytes = docexam_base::untrusted_file::read_limited(pdf, limits.max_file_bytes)?;
                worker::extract_to_files(
                    bytes,
                    limits,
                    out_dir,
                    &docexam_base::temp_name::random_hex(8),
                )
                .map(|(_, pages)| pages)
            }
            Mode::Isolated {
                worker,
                timeout,
                memory_bytes,
            } => {
                // A FIFO, device or directory is refused here, before a worker waits on it.
                let (_, meta) = docexam_base::untrusted_file::open_regular(pdf)?;
                if meta.len() > limits.max_file_bytes {
                    return Err(IngestError::TooLarge {
                        bytes: meta.len(),
                        limit: limits.max_file_bytes,
                    });
                }
                let exe = match worker {
                    Some(w) => w.clone(),
                    None => std::env::current_exe()?,
                };
                worker::run(&exe, pdf, out_dir, limits, *timeout, *memory_bytes)
            }
        }
    }
}
