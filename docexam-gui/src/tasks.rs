//! Short background work (writing a PDF report, opening, verifying or writing to a case, a
//! file dialog): each runs on its own thread and reports one [`TaskDone`] over a channel, which
//! the workstation takes in on a later frame. The UI never waits on them.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::case::{CaseSnapshot, VerifyOutcome};
use crate::command::Command;

/// What a background task ends with.
#[derive(Debug)]
pub enum TaskDone {
    /// A line for the status bar.
    Status(String),
    /// The case after it was opened, created or written to, with a line for the status bar;
    /// or why that failed.
    Case(Result<CaseSnapshot, String>, String),
    /// The verification of the case in this directory.
    Verified(PathBuf, VerifyOutcome),
    /// What the examiner chose in a dialog, to carry out.
    Chosen(Command),
    /// A dialog was closed without a choice.
    Nothing,
}

/// The background tasks under way.
#[derive(Debug, Default)]
pub struct Tasks {
    running: Vec<Receiver<TaskDone>>,
}

impl Tasks {
    /// Runs `work` on a new thread.
    pub fn spawn(&mut self, work: impl FnOnce() -> TaskDone + Send + 'static) {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            // The workstation may have gone: nobody to tell.
            let _ = tx.send(work());
        });
        self.running.push(rx);
    }

    /// Whether any task is under way.
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// The outcomes of the tasks that have ended.
    pub fn poll(&mut self) -> Vec<TaskDone> {
        let mut done = Vec::new();
        self.running.retain(|rx| match rx.try_recv() {
            Ok(o) => {
                done.push(o);
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                done.push(TaskDone::Status(
                    "a background task stopped unexpectedly".into(),
                ));
                false
            }
        });
        done
    }

    /// Waits for every task under way (for scripts and tests) and returns their outcomes.
    pub fn wait(&mut self) -> Vec<TaskDone> {
        std::mem::take(&mut self.running)
            .into_iter()
            .map(|rx| {
                rx.recv().unwrap_or_else(|_| {
                    TaskDone::Status("a background task stopped unexpectedly".into())
                })
            })
            .collect()
    }
}
