//! Running a binary as the user would: arguments, bytes on stdin, everything it printed.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `bin` with `args`, writes `stdin` to it (on a thread, so a process that refuses early
/// and closes its stdin cannot block the test) and collects its output.
pub fn run_with_stdin(bin: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child
        .wait_with_output()
        .expect("the binary runs to the end");
    writer.join().expect("the stdin writer does not panic");
    out
}
