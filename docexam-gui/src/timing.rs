//! Timing figures for the benchmarks (`DOCEXAM_GUI_TIMING=1`): when the first frame was drawn
//! and when the first examination was shown, counted from the program's start, the CPU time
//! of each frame summarised every 60 frames, and each import's documents per minute.

use std::time::Instant;

/// Frames per summary line.
const FRAMES: usize = 60;

/// What is measured, and since when.
#[derive(Debug)]
pub struct Timing {
    start: Instant,
    first_frame: bool,
    shown: u64,
    frames: Vec<f32>,
    untimed: usize,
    window_start: Option<Instant>,
    imports: u64,
}

impl Drop for Timing {
    fn drop(&mut self) {
        eprintln!(
            "docexam-gui timing: {} frames not yet summarised, {} without a CPU time",
            self.frames.len(),
            self.untimed
        );
    }
}

impl Timing {
    /// Starts counting from `start` (the program's start).
    pub fn new(start: Instant) -> Timing {
        Timing {
            start,
            first_frame: false,
            shown: 0,
            frames: Vec::new(),
            untimed: 0,
            window_start: None,
            imports: 0,
        }
    }

    /// Called after each frame with [`crate::Workstation::imports_ended`]: says when an
    /// import has ended, with its documents per minute.
    pub fn imports(&mut self, (ended, documents, secs): (u64, usize, f64)) {
        if ended > self.imports {
            self.imports = ended;
            eprintln!(
                "docexam-gui timing: import {ended} ended: {documents} documents in {secs:.1} s ({:.1} documents/min)",
                documents as f64 * 60.0 / secs.max(1e-9)
            );
        }
    }

    /// Called after each frame: `cpu_s` is the time the last frame took to build and paint,
    /// `opened` how many examinations have been shown and when the last open began.
    pub fn frame(&mut self, cpu_s: Option<f32>, opened: (u64, Option<Instant>)) {
        let ms = self.start.elapsed().as_secs_f64() * 1e3;
        if !self.first_frame {
            self.first_frame = true;
            eprintln!("docexam-gui timing: first frame at {ms:.0} ms");
        }
        if opened.0 > self.shown {
            self.shown = opened.0;
            let since_open = opened
                .1
                .map_or(f64::NAN, |t| t.elapsed().as_secs_f64() * 1e3);
            eprintln!(
                "docexam-gui timing: examination {} shown at {ms:.0} ms, {since_open:.0} ms after it was opened",
                opened.0
            );
        }
        let now = Instant::now();
        let began = *self.window_start.get_or_insert(now);
        match cpu_s {
            Some(c) => self.frames.push(c * 1e3),
            None => self.untimed += 1,
        }
        if self.frames.len() >= FRAMES {
            let mut f = std::mem::take(&mut self.frames);
            f.sort_by(f32::total_cmp);
            let at = |q: f32| {
                f.get(((f.len() - 1) as f32 * q) as usize)
                    .copied()
                    .unwrap_or(0.0)
            };
            let wall = now.duration_since(began).as_secs_f64();
            self.window_start = None;
            eprintln!(
                "docexam-gui timing: {FRAMES} frames in {wall:.2} s ({:.0} frames/s), CPU per frame median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
                (FRAMES - 1) as f64 / wall.max(1e-9),
                at(0.5),
                at(0.95),
                at(1.0)
            );
        }
    }
}

/// A scripted pan for measuring the frame rate (`DOCEXAM_GUI_PAN=SECONDS`): once the document
/// is shown, the view goes to actual pixels and moves every frame, back and forth along a
/// diagonal (10 × 6 image pixels a frame, turning every 120 frames), with a new frame asked for
/// at once; after the given seconds the window closes. The [`Timing`] lines then give the
/// frames per second actually drawn.
#[derive(Debug)]
pub struct AutoPan {
    seconds: f64,
    started: Option<Instant>,
    frame: u64,
    /// Whether the pan has ended and the window been asked to close.
    done: bool,
}

impl AutoPan {
    /// Pans for `seconds` once a document is shown.
    pub fn new(seconds: f64) -> AutoPan {
        AutoPan {
            seconds,
            started: None,
            frame: 0,
            done: false,
        }
    }

    /// One frame's step.
    pub fn step(&mut self, ws: &mut crate::Workstation, ctx: &egui::Context) {
        if self.done || ws.document().is_none() || ws.busy() {
            return;
        }
        let started = *self.started.get_or_insert_with(|| {
            ws.apply(crate::Command::ActualPixels);
            eprintln!("docexam-gui timing: panning at 1:1 starts");
            Instant::now()
        });
        if started.elapsed().as_secs_f64() > self.seconds {
            eprintln!(
                "docexam-gui timing: panned {} frames in {:.2} s ({:.1} frames/s)",
                self.frame,
                started.elapsed().as_secs_f64(),
                self.frame as f64 / started.elapsed().as_secs_f64().max(1e-9)
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            self.done = true;
            return;
        }
        let sign = if (self.frame / 120).is_multiple_of(2) {
            1.0
        } else {
            -1.0
        };
        ws.apply(crate::Command::Pan([10.0 * sign, 6.0 * sign]));
        self.frame += 1;
        ctx.request_repaint();
    }
}
