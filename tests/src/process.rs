//! Running a binary as the user would: arguments, bytes on stdin, everything it printed.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Waits for `child` at most `limit` and collects its output; a process still running then is
/// killed and the test fails: `what` hangs.
pub fn finish_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    loop {
        if child
            .try_wait()
            .expect("the child can be waited for")
            .is_some()
        {
            return child
                .wait_with_output()
                .expect("the child's output is read");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `bin` with `args`, writes `stdin` to it (on a thread, so a process that refuses early
/// and closes its stdin cannot block the test) and collects its output.
pub fn run_with_stdin(bin: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut command = Command::new(bin);
    command.args(args);
    command_with_stdin(command, stdin)
}

/// Runs `command` as [`run_with_stdin`] does: `stdin` written on a thread, output collected.
pub fn command_with_stdin(mut command: Command, stdin: &[u8]) -> Output {
    let mut child = command
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
