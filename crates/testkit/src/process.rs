//! The process harness: start a lesson's binary (or its Windows build
//! through a runner), read its lines with a deadline, type into it, and
//! kill it when the test ends.

use regex::Regex;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::*;

/// A command for a binary, with arguments. With `LESSON_TARGET` set to a
/// Windows target (`x86_64-pc-windows-gnu`, scripts/test-windows sets
/// it), a binary of the course is that target's build, started through
/// Cargo's runner for the target (`CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER`,
/// say wine64): the same tests then run against the Windows programs,
/// with Linux peers.
pub fn cmd(bin: &str, args: &[&str]) -> Command {
    let mut command = target_build(bin).unwrap_or_else(|| Command::new(bin));
    command.args(args).env_remove("RUST_BACKTRACE");
    command
}

/// True when the lessons under test are Windows builds.
pub fn testing_windows() -> bool {
    std::env::var("LESSON_TARGET").is_ok_and(|t| t.contains("windows"))
}

/// The runner running the Windows build of `bin`, a binary in this
/// build's profile folder (`target/debug/NN-name` becomes
/// `target/TRIPLE/debug/NN-name.exe`); None for any other program.
fn target_build(bin: &str) -> Option<Command> {
    let target = std::env::var("LESSON_TARGET").ok();
    let target = target.filter(|_| testing_windows())?;
    let profile = profile_dir();
    let name = Path::new(bin).strip_prefix(&profile).ok()?;
    let triple_dir = profile.parent()?.join(&target);
    let exe = triple_dir.join(profile.file_name()?).join(name);
    let exe = exe.with_extension("exe");
    let key = format!(
        "CARGO_TARGET_{}_RUNNER",
        target.to_uppercase().replace('-', "_")
    );
    let runner =
        std::env::var(&key).unwrap_or_else(|_| panic!("{key} is not set"));
    assert!(exe.exists(), "{} is not built for {target}", exe.display());
    let mut command = Command::new(runner);
    command.arg(exe);
    Some(command)
}

/// This build's profile folder (`target/debug`), where the lessons'
/// binaries are: a test's own binary is in its `deps` folder.
pub(crate) fn profile_dir() -> PathBuf {
    let test_exe = std::env::current_exe().expect("current exe");
    let profile = test_exe.parent().and_then(Path::parent);
    profile.expect("a profile folder").to_path_buf()
}

/// One pipe of a program (stdout, stderr, or both as a terminal shows
/// them), kept whole as it arrives (a thread reads it), so that a test can
/// wait for what it expects without a sleep.
#[derive(Clone, Default)]
pub(crate) struct Output(Arc<(Mutex<Pipe>, Condvar)>);

#[derive(Default)]
pub(crate) struct Pipe {
    text: Vec<u8>,
    /// How much of `text` a test has read.
    read: usize,
    closed: bool,
}

impl Output {
    /// Reads `pipe` to its end in a thread of its own, after `start`.
    fn read(mut pipe: impl Read + Send + 'static, start: &str) -> Output {
        let output = Output::default();
        output.show(start.as_bytes());
        let shared = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                shared.show(&buf[..n]);
            }
            let (pipe, wake) = &*shared.0;
            let mut pipe = pipe.lock().unwrap();
            // a last line without its newline is a line too
            if pipe.text.last().is_some_and(|&last| last != b'\n') {
                pipe.text.push(b'\n');
            }
            pipe.closed = true;
            wake.notify_all();
        });
        output
    }

    /// Adds `bytes` to the text (what a terminal echoes, too).
    pub(crate) fn show(&self, bytes: &[u8]) {
        let (pipe, wake) = &*self.0;
        // a Windows build ends its lines with \r\n
        let windows = testing_windows();
        let text = bytes.iter().filter(|&&b| !windows || b != b'\r');
        pipe.lock().unwrap().text.extend(text);
        wake.notify_all();
    }

    /// Waits at most `wait` until `done` holds or the pipe closed.
    fn wait(
        &self,
        wait: Duration,
        done: impl Fn(&Pipe) -> bool,
    ) -> MutexGuard<'_, Pipe> {
        let (pipe, wake) = &*self.0;
        let waiting = |pipe: &mut Pipe| !pipe.closed && !done(pipe);
        let pipe = pipe.lock().unwrap();
        wake.wait_timeout_while(pipe, wait, waiting).unwrap().0
    }

    /// Waits until the text not read yet holds `needle`; returns it up to
    /// the end of `needle`, now read. None when the pipe closed or
    /// [`DEADLINE`] passed first.
    pub(crate) fn until(&self, needle: &str) -> Option<String> {
        let needle = needle.as_bytes();
        let find = |pipe: &Pipe| {
            let mut unread = pipe.text[pipe.read..].windows(needle.len());
            unread.position(|bytes| bytes == needle)
        };
        let mut pipe = self.wait(DEADLINE, |pipe| find(pipe).is_some());
        let (from, upto) = (pipe.read, pipe.read + find(&pipe)? + needle.len());
        pipe.read = upto;
        Some(String::from_utf8_lossy(&pipe.text[from..upto]).into_owned())
    }

    /// Waits at most `wait` for the pipe to close; true if it did.
    pub(crate) fn ended(&self, wait: Duration) -> bool {
        self.wait(wait, |_| false).closed
    }

    /// The text that has arrived so far: all of it, or, with `unread`,
    /// what was not read yet (now read).
    pub(crate) fn text(&self, unread: bool) -> String {
        let mut pipe = self.wait(Duration::ZERO, |_| true);
        let from = if unread { pipe.read } else { 0 };
        if unread {
            pipe.read = pipe.text.len();
        }
        String::from_utf8_lossy(&pipe.text[from..]).into_owned()
    }
}

/// A running program: what it writes, kept as it arrives (stdout read
/// line by line), and its stdin to type into.
pub struct Proc {
    pub(crate) child: Child,
    pub(crate) out: Output,
    err: Output,
    /// The address from the `listening on ADDR` line, for servers.
    pub addr: SocketAddr,
}

impl Proc {
    /// Starts a program with its stdin, stdout and stderr piped.
    pub fn start(command: Command) -> Proc {
        Proc::with(command, None)
    }

    /// Starts `command` with its stdin piped, and its stdout, and its
    /// stderr into a pipe of its own, or, as a terminal runs it, onto
    /// stdout's: one `screen`, which shows its text (the command typed)
    /// first.
    pub(crate) fn with(mut command: Command, screen: Option<&str>) -> Proc {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        let (err, mut err_writer) = std::io::pipe().expect("a pipe");
        if screen.is_some() {
            // onto the screen: its own pipe, left empty, ends at once
            err_writer = writer.try_clone().expect("a pipe");
        }
        command.stdin(Stdio::piped());
        command.stdout(writer).stderr(err_writer);
        let child = command.spawn().expect("cannot start the program");
        drop(command); // and with it our copies of the pipes' writing ends
        Proc {
            child,
            out: Output::read(reader, screen.unwrap_or_default()),
            err: Output::read(err, ""),
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
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
        if let Some(line) = self.out.until("\n") {
            return line.trim_end().to_string();
        }
        let why = match self.out.ended(Duration::ZERO) {
            true => "stdout ended".to_string(),
            false => format!("no line within {DEADLINE:?}"),
        };
        let seen = self.out.text(false);
        let lines: Vec<&str> = seen.lines().collect();
        let last_lines = &lines[lines.len().saturating_sub(6)..];
        let stderr = self.stderr_text();
        panic!("{why}; last lines: {last_lines:?}; stderr: {stderr}")
    }

    /// Reads lines until one contains `needle`, and returns it.
    pub fn expect(&mut self, needle: &str) -> String {
        let mut lines = std::iter::repeat_with(|| self.line());
        lines.find(|line| line.contains(needle)).unwrap()
    }

    /// Types a line into the program.
    pub fn send_line(&mut self, text: &str) {
        self.send(format!("{text}\n").as_bytes());
    }

    /// Writes raw bytes to the program's stdin.
    pub fn send(&mut self, data: &[u8]) {
        let stdin = self.child.stdin.as_mut().expect("stdin already closed");
        stdin.write_all(data).expect("write to the program's stdin");
    }

    /// Closes stdin: the program sees the end of input (Ctrl-D).
    pub fn close_stdin(&mut self) {
        self.child.stdin = None;
    }

    /// Waits for the program to end (fails the test after the deadline),
    /// and for the last of its stderr.
    pub fn wait(&mut self) -> ExitStatus {
        let (child, mut status) = (&mut self.child, None);
        eventually(|| {
            status = child.try_wait().expect("wait");
            status.is_some()
        });
        self.err.ended(DEADLINE);
        status.expect("the program did not end in time")
    }

    /// Everything the program wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        without_wine_noise(self.err.text(false))
    }

    /// Waits until stderr contains `needle` and returns the rest of its
    /// line (for peers such as socat that report their port on stderr).
    pub fn stderr_until(&self, needle: &str) -> String {
        let line = self.err.until(needle).and_then(|_| self.err.until("\n"));
        let Some(rest) = line else {
            panic!("no {needle:?} on stderr: {}", self.stderr_text())
        };
        rest.trim_end().to_string()
    }

    /// Closes stdin and waits for the program's end (fails the test after
    /// the deadline); returns its exit status, the rest of its stdout and
    /// its stderr.
    pub fn finish(&mut self) -> (ExitStatus, String, String) {
        self.close_stdin();
        let status = self.wait();
        let ended = self.out.ended(DEADLINE);
        let text = self.out.text(true);
        let rest: Vec<&str> = text.lines().map(str::trim_end).collect();
        assert!(ended, "stdout did not end; got {rest:?}");
        (status, rest.join("\n"), self.stderr_text())
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
    proc.finish()
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
    let bin = profile_dir().join(name);
    assert!(
        bin.exists() || testing_windows(),
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
    if !testing_windows() {
        return text;
    }
    let wine = Regex::new(r"(?m)^0x[0-9a-fA-F]+:[0-9]+: .*\n?").unwrap();
    wine.replace_all(&text, "").into_owned()
}
