//! What the CLI's integration tests share: the `docexam` binary run in a hermetic
//! environment, and small readers of its output. Each test file takes what it uses.

#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `docexam` binary cargo built for these tests.
pub const DOCEXAM: &str = env!("CARGO_BIN_EXE_docexam");

/// Prepared specimens, shared by every test that examines (prepared once per build).
pub const SHARED_CACHE: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/prepared");

/// The examiner every test's runs are recorded under.
pub const EXAMINER: &str = "Test Examiner";

/// `docexam` with an environment of its own: no specimen folders or cache switches from the
/// machine, the shared prepared-specimen cache, a fixed examiner.
pub fn command() -> Command {
    let mut c = Command::new(DOCEXAM);
    hermetic(&mut c);
    c
}

/// Gives `c` (docexam itself, or a wrapper that starts it) the environment of [`command`].
pub fn hermetic(c: &mut Command) -> &mut Command {
    c.env_remove("DOCEXAM_SPECIMENS")
        .env_remove("DOCEXAM_NO_CACHE")
        .env("DOCEXAM_CACHE_DIR", SHARED_CACHE)
        .env("DOCEXAM_EXAMINER", EXAMINER)
}

/// Runs `docexam ARGS` and collects its output.
pub fn docexam(args: &[&str]) -> Output {
    command().args(args).output().expect("docexam runs")
}

/// Runs `docexam ARGS` with `stdin` written to it.
pub fn docexam_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut c = command();
    c.args(args);
    docexam_tests::process::command_with_stdin(c, stdin)
}

/// Standard output and standard error, one after the other.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The exit code (-1 when ended by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A path as an argument (test paths are UTF-8).
pub fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

/// A path under `reference-specimens/`.
pub fn bundled(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../reference-specimens")
        .join(rel)
}
