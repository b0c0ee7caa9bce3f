//! Long work off the UI thread. [`Worker`] is the one skeleton every long job runs on (the
//! examination of a document here, an import in `import.rs`): a thread that reports messages
//! over a channel, wakes the UI after each and once more when it ends however it ends, and
//! stops when the examiner asks. The UI polls it each frame and never waits.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use docexam_core::date::CivilDate;
use docexam_core::examine::Library;

use crate::document::{DocumentRef, ExaminedDocument, OpenError, Progress, Reading, open_document};

/// What the worker calls after each report, so that the UI draws it instead of polling for
/// it: with `true` when the work is done (draw now), `false` for progress (draw soon: reports
/// close together make one frame).
pub type Waker = Arc<dyn Fn(bool) + Send + Sync>;

/// Wakes the UI with `true` when dropped: at the end of the worker, however it ends.
struct WakeWhenDone(Option<Waker>);

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

/// What a worker's thread reports through: each message sent wakes the UI.
pub struct Reporter<M> {
    tx: Sender<M>,
    waker: Option<Waker>,
}

impl<M> Reporter<M> {
    /// Sends `m` to the UI and wakes it (the UI may have gone: then nobody is told).
    pub fn send(&self, m: M) {
        let _ = self.tx.send(m);
        if let Some(w) = &self.waker {
            w(false);
        }
    }
}

/// A worker's thread ended without its last message (it panicked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gone;

/// A thread doing long work for the UI.
pub struct Worker<M> {
    rx: Receiver<M>,
    /// Asks the work to stop at its next stage boundary.
    pub cancel: Cancel,
}

impl<M: Send + 'static> Worker<M> {
    /// Runs `work` on a new thread with a [`Reporter`] and the [`Cancel`] the UI holds;
    /// `waker` is called after each message and with `true` when the thread ends, even by a
    /// panic (the UI then finds the result, or [`Gone`], instead of waiting for an input
    /// event).
    pub fn spawn(
        waker: Option<Waker>,
        work: impl FnOnce(&Reporter<M>, &Cancel) + Send + 'static,
    ) -> Worker<M> {
        let (tx, rx) = channel();
        let cancel = Cancel::default();
        let flag = cancel.clone();
        std::thread::spawn(move || {
            // Dropped last (locals drop in reverse order), whatever the work does.
            let _wake_when_done = WakeWhenDone(waker.clone());
            let reporter = Reporter { tx, waker };
            work(&reporter, &flag);
        });
        Worker { rx, cancel }
    }

    /// The next message if one is waiting (`None` if not yet); [`Gone`] once the thread has
    /// ended and every message it sent has been taken.
    pub fn try_next(&self) -> Result<Option<M>, Gone> {
        match self.rx.try_recv() {
            Ok(m) => Ok(Some(m)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(Gone),
        }
    }

    /// Waits for the next message (for scripts and tests; the UI polls instead).
    pub fn next(&self) -> Result<M, Gone> {
        self.rx.recv().map_err(|_| Gone)
    }
}

enum Message {
    Progress(Progress),
    Done(Box<Result<ExaminedDocument, OpenError>>),
}

/// An examination under way on a worker thread.
pub struct Job {
    worker: Worker<Message>,
    /// The document being examined.
    pub questioned: DocumentRef,
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
        questioned: DocumentRef,
        library: Arc<Library>,
        as_of: CivilDate,
        case: Option<PathBuf>,
        reading: Reading,
        waker: Option<Waker>,
    ) -> Job {
        let doc = questioned.clone();
        let worker = Worker::spawn(waker, move |out, cancel| {
            let report = |p: Progress| out.send(Message::Progress(p));
            let result = open_document(
                &doc,
                &library,
                as_of,
                case.as_deref(),
                &reading,
                cancel.flag(),
                &report,
            );
            out.send(Message::Done(Box::new(result)));
        });
        Job {
            worker,
            questioned,
            progress: Progress::starting(),
        }
    }

    /// Asks the worker to stop.
    pub fn cancel(&self) -> &Cancel {
        &self.worker.cancel
    }

    /// Takes what the worker has reported; its result once it has finished.
    pub fn poll(&mut self) -> Option<Result<ExaminedDocument, OpenError>> {
        loop {
            match self.worker.try_next() {
                Ok(Some(Message::Progress(p))) => self.progress = p,
                Ok(Some(Message::Done(r))) => return Some(*r),
                Ok(None) => return None,
                Err(Gone) => {
                    return Some(Err(OpenError::Failed(
                        "the examination stopped unexpectedly".into(),
                    )));
                }
            }
        }
    }

    /// Waits for the result (for scripts and tests; the UI polls instead).
    pub fn wait(mut self) -> Result<ExaminedDocument, OpenError> {
        loop {
            match self.worker.next() {
                Ok(Message::Progress(p)) => self.progress = p,
                Ok(Message::Done(r)) => return *r,
                Err(Gone) => {
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
            DocumentRef::files(vec![PathBuf::from("/nonexistent/front.png")]),
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
