//! The process harness: start a lesson's binary (or its Windows build
//! through a runner), read its lines with a deadline, type into it, and
//! kill it when the test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::*;

/// A command for a binary, with arguments. With `LESSON_TARGET` set (say
/// `x86_64-pc-windows-gnu`), a binary of the course is that target's
/// build, started through Cargo's runner for the target
/// (`CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER`, say wine64): the same
/// tests then run against the Windows programs, with Linux peers.
pub fn cmd(bin: &str, args: &[&str]) -> Command {
    let mut command = match target_build(bin) {
        Some((runner, exe)) => {
            let mut command = Command::new(runner);
            command.arg(exe);
            command
        }
        None => Command::new(bin),
    };
    command.args(args).env_remove("RUST_BACKTRACE");
    command
}

/// The target the lessons under test were built for, when it is not this
/// machine's (`LESSON_TARGET`).
pub fn lesson_target() -> Option<String> {
    std::env::var("LESSON_TARGET")
        .ok()
        .filter(|t| !t.is_empty())
}

/// True when the lessons under test are Windows builds.
pub fn testing_windows() -> bool {
    lesson_target().is_some_and(|target| target.contains("windows"))
}

/// The runner and the target's build of `bin`, a binary in this build's
/// profile folder (`target/debug/NN-name` becomes
/// `target/TRIPLE/debug/NN-name.exe`); None for any other program.
fn target_build(bin: &str) -> Option<(String, PathBuf)> {
    let target = lesson_target()?;
    let bin = Path::new(bin);
    let profile = bin.parent()?;
    let ours = std::env::current_exe().ok()?;
    let ours = ours.parent().and_then(Path::parent)?;
    if profile != ours {
        return None;
    }
    let name = bin.file_name()?.to_str()?;
    let triple_dir = profile.parent()?.join(&target);
    let suffix = if target.contains("windows") {
        ".exe"
    } else {
        ""
    };
    let exe = triple_dir
        .join(profile.file_name()?)
        .join(name.to_string() + suffix);
    let key = format!(
        "CARGO_TARGET_{}_RUNNER",
        target.to_uppercase().replace('-', "_")
    );
    let runner =
        std::env::var(&key).unwrap_or_else(|_| panic!("{key} is not set"));
    assert!(exe.exists(), "{} is not built for {target}", exe.display());
    Some((runner, exe))
}

/// A running program: its stdout arrives line by line, its stderr is kept.
pub struct Proc {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Receiver<()>,
    seen: Vec<String>,
    /// The address from the `listening on ADDR` line, for servers.
    pub addr: SocketAddr,
}

impl Proc {
    /// Starts a program with its stdin, stdout and stderr piped.
    pub fn start(mut command: Command) -> Proc {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("cannot start the program");
        let (sender, lines) = channel();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            let mut line = Vec::new();
            while stdout.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                let text = String::from_utf8_lossy(&line);
                if sender.send(text.trim_end().to_string()).is_err() {
                    break;
                }
                line.clear();
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (mut err, kept) = (child.stderr.take().unwrap(), stderr.clone());
        let (done, stderr_done) = channel();
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                kept.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            let _ = done.send(());
        });
        let stdin = child.stdin.take();
        let addr = SocketAddr::from(([0, 0, 0, 0], 0));
        Proc {
            child,
            stdin,
            lines,
            stderr,
            stderr_done,
            seen: vec![],
            addr,
        }
    }

    /// Starts a server and waits for its first line, `listening on ADDR`.
    /// A wildcard address (0.0.0.0, ::) becomes loopback in `addr`.
    pub fn server(command: Command) -> Proc {
        let mut server = Proc::start(command);
        let first = server.line();
        let addr = first.strip_prefix("listening on ").unwrap_or_else(|| {
            panic!("first line is not `listening on ADDR`: {first:?}")
        });
        server.addr = reachable(addr.parse().expect("listening address"));
        server
    }

    /// The next line of stdout; fails the test after [`DEADLINE`].
    pub fn line(&mut self) -> String {
        match self.lines.recv_timeout(DEADLINE) {
            Ok(line) => {
                self.seen.push(line.clone());
                line
            }
            Err(RecvTimeoutError::Timeout) => panic!(
                "no line within {DEADLINE:?}; last lines: {:?}; stderr: {}",
                self.last_lines(),
                self.stderr_text()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "stdout ended; last lines: {:?}; stderr: {}",
                self.last_lines(),
                self.stderr_text()
            ),
        }
    }

    /// The last few lines seen, cut short, for failure messages.
    fn last_lines(&self) -> Vec<String> {
        let from = self.seen.len().saturating_sub(6);
        let cut = |l: &String| l.chars().take(160).collect();
        self.seen[from..].iter().map(cut).collect()
    }

    /// Reads lines until one contains `needle`, and returns it.
    pub fn expect(&mut self, needle: &str) -> String {
        loop {
            let line = self.line();
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// The rest of stdout up to the program's end (with the deadline).
    pub fn rest(&mut self) -> Vec<String> {
        let mut rest = vec![];
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => rest.push(line),
                Err(RecvTimeoutError::Disconnected) => return rest,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("stdout did not end; got {rest:?}")
                }
            }
        }
    }

    /// Types a line into the program.
    pub fn send_line(&mut self, text: &str) {
        self.send(format!("{text}\n").as_bytes());
    }

    /// Writes raw bytes to the program's stdin.
    pub fn send(&mut self, data: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin already closed");
        stdin.write_all(data).expect("write to the program's stdin");
    }

    /// Closes stdin: the program sees the end of input (Ctrl-D).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the program to end (fails the test after the deadline),
    /// and for the last of its stderr.
    pub fn wait(&mut self) -> ExitStatus {
        let status = wait_for_end(&mut self.child);
        let _ = self.stderr_done.recv_timeout(DEADLINE);
        status
    }

    /// Everything the program wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        let bytes = self.stderr.lock().unwrap();
        without_wine_noise(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Waits until stderr contains `needle` and returns the text after it
    /// (for peers such as socat that report their port on stderr).
    pub fn stderr_until(&self, needle: &str) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let text = self.stderr_text();
            if let Some(at) = text.find(needle) {
                let rest = &text[at + needle.len()..];
                if rest.contains('\n') {
                    return rest.lines().next().unwrap_or("").to_string();
                }
            }
            assert!(Instant::now() < end, "no {needle:?} on stderr: {text}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits for the end of the program and of its stderr.
    pub fn finish(&mut self) -> (ExitStatus, String) {
        self.close_stdin();
        let status = self.wait();
        let _ = self.rest();
        (status, self.stderr_text())
    }

    /// The process id, e.g. to look for its children.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGKILL, e.g. to interrupt a transfer.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits for `child` to end by itself (fails the test after the deadline).
pub(crate) fn wait_for_end(child: &mut Child) -> ExitStatus {
    let end = Instant::now() + DEADLINE;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < end, "the program did not end in time");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A server's address as a client reaches it: a wildcard address
/// (0.0.0.0, ::) becomes loopback.
pub(crate) fn reachable(mut addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => [127, 0, 0, 1].into(),
            SocketAddr::V6(_) => "::1".parse().unwrap(),
        });
    }
    addr
}

/// Runs a program to its end with `input` on stdin; returns its exit
/// status, stdout and stderr.
pub fn run(command: Command, input: &[u8]) -> (ExitStatus, String, String) {
    let mut proc = Proc::start(command);
    proc.send(input);
    proc.close_stdin();
    let status = proc.wait();
    let stdout = proc.rest().join("\n");
    (status, stdout, proc.stderr_text())
}

/// The binary of the lesson whose tests these are: its folder's name
/// (`this_lesson(env!("CARGO_MANIFEST_DIR"))`). A later lesson of a chain
/// runs the first lesson's tests against itself by including that file
/// (`#[path = "../../09-.../tests/x.rs"] mod x;`): there the same call
/// names the later lesson.
pub fn this_lesson(manifest_dir: &str) -> String {
    let folder = Path::new(manifest_dir).file_name().unwrap_or_default();
    lesson_bin(&folder.to_string_lossy())
}

/// The path of another lesson's binary, for tests that pair two lessons
/// (09 with 10, 02 with 12 ...). `cargo test --workspace` builds every
/// lesson before it runs any test.
pub fn lesson_bin(name: &str) -> String {
    let test_exe = std::env::current_exe().expect("current exe");
    let profile_dir = test_exe.parent().and_then(Path::parent).unwrap();
    let bin = profile_dir.join(name);
    assert!(
        bin.exists() || lesson_target().is_some(),
        "{} is not built: run `cargo test --workspace`",
        bin.display()
    );
    bin.display().to_string()
}

/// A command that runs one of the tutorial's Python programs kept in
/// `crates/testkit/python/` (unbuffered, so its output arrives at once).
pub fn python(script: &str, args: &[&str]) -> Command {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("python");
    let mut command = Command::new("python3");
    command.arg("-u").arg(dir.join(script)).args(args);
    command.env("PYTHONIOENCODING", "utf-8");
    command
}

/// `text` without the lines Wine's server sometimes adds to a Windows
/// program's stderr when it ends (`0x563e7b0be8a0:1: Async thread=...`, a
/// dump of the objects it still held): Wine's, never the lesson's. Only
/// with Windows builds under test; otherwise `text` as it is.
fn without_wine_noise(text: String) -> String {
    if !crate::testing_windows() {
        return text;
    }
    let wine = |line: &str| {
        let Some((address, rest)) = line.split_once(':') else {
            return false;
        };
        let hex = address.strip_prefix("0x").unwrap_or("");
        let count = rest.split_once(": ").map(|(n, _)| n).unwrap_or("");
        !hex.is_empty()
            && hex.chars().all(|c| c.is_ascii_hexdigit())
            && !count.is_empty()
            && count.chars().all(|c| c.is_ascii_digit())
    };
    let kept: Vec<&str> =
        text.split_inclusive('\n').filter(|l| !wine(l)).collect();
    kept.concat()
}
