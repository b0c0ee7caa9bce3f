//! `docexam-gui [FILES...|CASE_DIR|DIR]`: the examiner's workstation. With files, it opens
//! straight into the examination of that document (of each document in turn when they are
//! several); with a case folder, it opens the case;
//! with another folder, it offers the documents in it; without arguments, the recent
//! documents and cases and the bundled samples.

use std::path::PathBuf;

use docexam_core::examine::Library;
use docexam_core::specimen::FolderSource;
use docexam_gui::{AppState, Command, DocexamApp, Workstation, window_title};

fn main() -> eframe::Result {
    let start = std::time::Instant::now();
    // Reading a PDF happens in a worker process started from this binary.
    if let Some(code) = docexam_core::ingest::pdf::run_worker_if_requested() {
        std::process::exit(code);
    }
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "docexam-gui [FILES...|CASE_DIR|DIR]\n\n\
             FILES     the images of one document (front.png front_uv.png back.png …) or a PDF;\n\
                       several documents, folders or a multi-page PDF are examined in turn\n\
             CASE_DIR  a case folder (docexam case init): documents opened are received into it\n\
             DIR       a folder of documents to choose from\n\n\
             Specimens are looked for in DOCEXAM_SPECIMENS and the bundled library."
        );
        return Ok(());
    }
    let (library, warnings) =
        FolderSource::open(&docexam_gui::host::settings().specimen_roots(&[])).into_parts();
    for w in warnings {
        eprintln!("docexam-gui: warning: {w}");
    }
    let mut options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(window_title())
            .with_inner_size([1400.0, 900.0])
            .with_drag_and_drop(true),
        // The examiner sees the scan's own pixel values: no noise added to hide banding
        // (dithering also costs every pixel of every frame on a renderer without a GPU).
        dithering: false,
        // DOCEXAM_GUI_VSYNC=0: frames are not held for the display's refresh (for measuring
        // how fast frames can be made; a display without a refresh signal, such as Xvfb, can
        // otherwise hold each one).
        ..Default::default()
    };
    // OpenGL by default: every desktop has it, and where there is no GPU (a virtual desktop,
    // a remote session) Mesa's software OpenGL draws the workstation several times faster
    // than the software Vulkan wgpu would use (panning a 1200-dpi page: ~90 against ~16
    // frames/s on 2 cores). DOCEXAM_GUI_RENDERER=wgpu chooses wgpu; if OpenGL cannot start,
    // the workstation starts again with it.
    let chosen = std::env::var("DOCEXAM_GUI_RENDERER").ok();
    options.renderer = match chosen.as_deref() {
        Some("wgpu") => eframe::Renderer::Wgpu,
        _ => eframe::Renderer::Glow,
    };
    if std::env::var_os("DOCEXAM_GUI_VSYNC").is_some_and(|v| v == "0") {
        options.glow_options.vsync = false;
        options.wgpu_options.surface.present_mode = eframe::wgpu::PresentMode::AutoNoVsync;
    }
    let renderer = options.renderer;
    let created = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let app_created = created.clone();
    let run = eframe::run_native(
        "docexam",
        options,
        Box::new(move |cc| {
            app_created.store(true, std::sync::atomic::Ordering::Relaxed);
            let state: AppState = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            let library =
                Library::new(library).with_cache(docexam_gui::host::settings().prepared_cache());
            let mut ws = Workstation::new(state, library);
            let ctx = cc.egui_ctx.clone();
            ws.set_waker(std::sync::Arc::new(move |done| {
                if done {
                    ctx.request_repaint();
                } else {
                    ctx.request_repaint_after(std::time::Duration::from_millis(300));
                }
            }));
            // Files given: their examination runs at once, and the other specimens are not
            // prepared beside it (they would take its cores).
            match args.as_slice() {
                [] => ws.prepare_specimens(),
                [dir] if docexam_gui::case::is_case(dir) => {
                    ws.prepare_specimens();
                    ws.apply(Command::OpenCase(dir.clone()));
                }
                [dir] if dir.is_dir() => {
                    let docs = docexam_gui::document::documents_in(dir);
                    ws = ws.offering(&format!("Documents in {}", dir.display()), docs);
                    ws.prepare_specimens();
                }
                // One document opens; several (or a multi-page PDF) are examined in turn.
                files => ws.apply(Command::Import(files.to_vec())),
            }
            let timing = std::env::var_os("DOCEXAM_GUI_TIMING")
                .is_some_and(|v| v == "1")
                .then(|| docexam_gui::timing::Timing::new(start));
            let autopan = std::env::var("DOCEXAM_GUI_PAN")
                .ok()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|s| *s > 0.0)
                .map(docexam_gui::timing::AutoPan::new);
            Ok(Box::new(DocexamApp {
                workstation: ws,
                timing,
                autopan,
                reopen: std::env::var_os("DOCEXAM_GUI_REOPEN").is_some_and(|v| v == "1"),
            }))
        }),
    );
    match run {
        // Only when no window came up: a failure later is reported, not started over.
        Err(e)
            if renderer == eframe::Renderer::Glow
                && chosen.is_none()
                && !created.load(std::sync::atomic::Ordering::Relaxed) =>
        {
            eprintln!("docexam-gui: OpenGL could not start ({e}); starting again with wgpu");
            let status = std::process::Command::new(
                std::env::current_exe().map_err(|e| eframe::Error::AppCreation(Box::new(e)))?,
            )
            .args(std::env::args_os().skip(1))
            .env("DOCEXAM_GUI_RENDERER", "wgpu")
            .status()
            .map_err(|e| eframe::Error::AppCreation(Box::new(e)))?;
            std::process::exit(status.code().unwrap_or(1));
        }
        other => other,
    }
}
