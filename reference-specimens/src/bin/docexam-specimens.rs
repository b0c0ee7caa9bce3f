//! `docexam-specimens utopia [DIR]`: draws the Utopia specimen set into DIR (default: the
//! folder this crate lives in, i.e. `reference-specimens/`).

use std::path::PathBuf;
use std::process::ExitCode;

use docexam_specimens::{design, fonts::Fonts, specimen};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some("utopia"), rest) = (
        args.first().map(String::as_str),
        args.get(1..).unwrap_or_default(),
    ) else {
        eprintln!("usage: docexam-specimens utopia [DIR]");
        return ExitCode::from(2);
    };
    let root = rest
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let fonts = match Fonts::load() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("docexam-specimens: the vendored fonts do not parse: {e}");
            return ExitCode::from(2);
        }
    };
    for d in design::utopia() {
        let dir = root.join(&d.folder);
        let start = std::time::Instant::now();
        match specimen::write(&d, &dir, &fonts) {
            Ok(m) => println!(
                "{}: {} images, {} zones, {} features in {:.1} s",
                dir.display(),
                m.images.len(),
                m.zones.len(),
                m.features.len(),
                start.elapsed().as_secs_f64()
            ),
            Err(e) => {
                eprintln!("docexam-specimens: {}: {e}", dir.display());
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}
