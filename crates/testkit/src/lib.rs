//! What the lessons' integration tests share: start a lesson's real binary,
//! read what it prints line by line (with a deadline, never a sleep), type
//! into it, and kill it when the test ends, whatever happens.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for any one thing before it fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A command for a binary, with arguments.
pub fn cmd(bin: &str, args: &[&str]) -> Command {
    let mut command = Command::new(bin);
    command.args(args).env_remove("RUST_BACKTRACE");
    command
}

/// A running program: its stdout arrives line by line, its stderr is kept.
pub struct Proc {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
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
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                kept.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let stdin = child.stdin.take();
        let addr = SocketAddr::from(([0, 0, 0, 0], 0));
        Proc {
            child,
            stdin,
            lines,
            stderr,
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
        let mut addr: SocketAddr = addr.parse().expect("listening address");
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => [127, 0, 0, 1].into(),
                SocketAddr::V6(_) => "::1".parse().unwrap(),
            });
        }
        server.addr = addr;
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
                "no line within {DEADLINE:?}; stdout so far: {:?}; stderr: {}",
                self.seen,
                self.stderr_text()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "stdout ended; seen: {:?}; stderr: {}",
                self.seen,
                self.stderr_text()
            ),
        }
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

    /// Waits for the program to end (fails the test after the deadline).
    pub fn wait(&mut self) -> ExitStatus {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < end, "the program did not end in time");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Everything the program wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        let bytes = self.stderr.lock().unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
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

/// A fresh directory under the system's temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let name = format!("netlesson-{}-{n}", std::process::id());
        let dir = std::env::temp_dir().join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Default for TempDir {
    fn default() -> Self {
        TempDir::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// True when `program` is on the PATH (for tests against real peers).
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
