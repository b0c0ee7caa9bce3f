//! Long work off the UI thread: a worker examines a document and reports over a channel; the
//! UI polls it each frame and never waits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use docexam_core::date::CivilDate;
use docexam_core::examine::Library;

use crate::document::{Examined, OpenError, Progress, open_document};

enum Message {
    Progress(Progress),
    Done(Box<Result<Examined, OpenError>>),
}

/// An examination under way on a worker thread.
pub struct Job {
    rx: Receiver<Message>,
    cancel: Arc<AtomicBool>,
    /// The files being examined.
    pub files: Vec<PathBuf>,
    /// The last progress reported.
    pub progress: Progress,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("files", &self.files)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl Job {
    /// Starts examining `files` against `library` on a new thread (received into the case in
    /// `case` first, when one is open).
    pub fn start(
        files: Vec<PathBuf>,
        library: Arc<Library>,
        as_of: CivilDate,
        case: Option<PathBuf>,
    ) -> Job {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let job_files = files.clone();
        std::thread::spawn(move || {
            let progress_tx = tx.clone();
            let report = move |p: Progress| {
                // The UI may have gone: nobody to tell.
                let _ = progress_tx.send(Message::Progress(p));
            };
            let result =
                open_document(&job_files, &library, as_of, case.as_deref(), &flag, &report);
            let _ = tx.send(Message::Done(Box::new(result)));
        });
        Job {
            rx,
            cancel,
            files,
            progress: Progress {
                stage: "starting".into(),
                fraction: 0.0,
            },
        }
    }

    /// Asks the worker to stop at its next stage boundary.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether the examiner asked it to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Takes what the worker has reported; its result once it has finished.
    pub fn poll(&mut self) -> Option<Result<Examined, OpenError>> {
        loop {
            match self.rx.try_recv() {
                Ok(Message::Progress(p)) => self.progress = p,
                Ok(Message::Done(r)) => return Some(*r),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    return Some(Err(OpenError::Failed(
                        "the examination stopped unexpectedly".into(),
                    )));
                }
            }
        }
    }

    /// Waits for the result (for scripts and tests; the UI polls instead).
    pub fn wait(mut self) -> Result<Examined, OpenError> {
        loop {
            match self.rx.recv() {
                Ok(Message::Progress(p)) => self.progress = p,
                Ok(Message::Done(r)) => return *r,
                Err(_) => {
                    return Err(OpenError::Failed(
                        "the examination stopped unexpectedly".into(),
                    ));
                }
            }
        }
    }
}
