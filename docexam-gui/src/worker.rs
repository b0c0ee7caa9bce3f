//! Long work off the UI thread: a worker examines a document and reports over a channel; the
//! UI polls it each frame and never waits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use docexam_core::date::CivilDate;
use docexam_core::examine::Library;

use crate::document::{Examined, OpenError, Progress, Questioned, Reading, open_document};

/// What the worker calls after each report, so that the UI draws it instead of polling for
/// it: with `true` when the work is done (draw now), `false` for progress (draw soon: reports
/// close together make one frame).
pub type Waker = Arc<dyn Fn(bool) + Send + Sync>;

/// Wakes the UI with `true` when dropped: at the end of the worker, however it ends.
pub(crate) struct WakeWhenDone(pub(crate) Option<Waker>);

impl Drop for WakeWhenDone {
    fn drop(&mut self) {
        if let Some(w) = &self.0 {
            w(true);
        }
    }
}

/// The examiner's request that a worker stop, shared by the UI and the worker.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the worker to stop at its next stage boundary.
    pub fn request(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the examiner asked it to stop.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The flag the examination reads.
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

enum Message {
    Progress(Progress),
    Done(Box<Result<Examined, OpenError>>),
}

/// An examination under way on a worker thread.
pub struct Job {
    rx: Receiver<Message>,
    /// Asks the worker to stop.
    pub cancel: Cancel,
    /// The document being examined.
    pub questioned: Questioned,
    /// The last progress reported.
    pub progress: Progress,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("questioned", &self.questioned)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl Job {
    /// Starts examining `questioned` against `library` on a new thread (received into the
    /// case in `case` first, when one is open); `waker` is called after each report.
    pub fn start(
        questioned: Questioned,
        library: Arc<Library>,
        as_of: CivilDate,
        case: Option<PathBuf>,
        reading: Reading,
        waker: Option<Waker>,
    ) -> Job {
        let (tx, rx) = channel();
        let cancel = Cancel::default();
        let flag = cancel.clone();
        let doc = questioned.clone();
        std::thread::spawn(move || {
            // Dropped last (locals drop in reverse order), even when the examination panics:
            // the UI then wakes to find the result, or the channel closed, and says so,
            // instead of waiting for the next input event.
            let _wake_when_done = WakeWhenDone(waker.clone());
            let sender = tx;
            let progress_tx = sender.clone();
            let report = |p: Progress| {
                // The UI may have gone: nobody to tell.
                let _ = progress_tx.send(Message::Progress(p));
                if let Some(w) = &waker {
                    w(false);
                }
            };
            let result = open_document(
                &doc,
                &library,
                as_of,
                case.as_deref(),
                &reading,
                flag.flag(),
                &report,
            );
            let _ = sender.send(Message::Done(Box::new(result)));
        });
        Job {
            rx,
            cancel,
            questioned,
            progress: Progress::starting(),
        }
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests: a panic is a failure
mod tests {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use docexam_core::specimen::MemorySource;

    use super::*;

    #[test]
    fn the_worker_wakes_the_ui_for_each_report_and_at_once_when_done() {
        let calls: Arc<Mutex<Vec<bool>>> = Arc::default();
        let seen = calls.clone();
        let waker: Waker = Arc::new(move |done| seen.lock().unwrap().push(done));
        let job = Job::start(
            Questioned::files(vec![PathBuf::from("/nonexistent/front.png")]),
            Arc::new(Library::new(MemorySource::new())),
            CivilDate::new(2026, 12, 3).unwrap(),
            None,
            Reading::default(),
            Some(waker),
        );
        assert!(job.wait().is_err());
        // The last wake follows the result over the channel: give it a moment.
        let t = Instant::now();
        while calls.lock().unwrap().last() != Some(&true) {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "{:?}",
                calls.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let calls = calls.lock().unwrap().clone();
        let (done, progress) = calls.split_last().unwrap();
        assert!(*done);
        assert!(
            !progress.is_empty() && progress.iter().all(|d| !d),
            "{calls:?}"
        );
    }
}
