//! What the lessons' integration tests share: start a lesson's real binary,
//! read what it prints line by line (with a deadline, never a sleep), type
//! into it, and kill it when the test ends, whatever happens.

pub mod readme;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for any one thing before it fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

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

/// True (after a `SKIPPED: ... on Windows` line) when the lessons under
/// test are Windows builds and this test cannot hold there by nature
/// (`why`: a Unix permission, forged sources, /proc ...). Not a missing
/// peer: `REQUIRE_PEERS=1` does not make it fail.
pub fn not_on_windows(why: &str) -> bool {
    if !testing_windows() {
        return false;
    }
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let line = format!("SKIPPED: not on Windows: {why} [{test}]\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    true
}

/// `text` (a lesson's output) as a test compares it: itself, or, with
/// Windows builds under test, with each `: MESSAGE (os error N)` made
/// `: (an OS error)`. Windows says each error in words and a number of
/// its own (`File exists (os error 17)` is `The file exists. (os error
/// 80)`), and Wine in words of its own again.
pub fn os_errors_unsaid(text: &str) -> String {
    if !testing_windows() {
        return text.to_string();
    }
    os_errors_said_in_no_words(text)
}

/// Each `: MESSAGE (os error N)` of `text` made `: (an OS error)`.
fn os_errors_said_in_no_words(text: &str) -> String {
    let mut lines = vec![];
    for line in text.split('\n') {
        let mut line = line.to_string();
        while let Some(at) = line.find(" (os error ") {
            let start = line[..at].rfind(": ").map_or(0, |colon| colon + 2);
            let end = line[at..].find(')').map_or(line.len(), |e| at + e + 1);
            line.replace_range(start..end, "(an OS error)");
        }
        lines.push(line);
    }
    lines.join("\n")
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
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                let _ = self.stderr_done.recv_timeout(DEADLINE);
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

/// Writes `size` bytes of a repeating, non-trivial pattern to `path`.
pub fn make_file(path: &Path, size: usize) {
    let block: Vec<u8> =
        (0..1 << 20).map(|i| (i * 7 + i / 251) as u8).collect();
    let mut file = std::fs::File::create(path).expect("create test file");
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len());
        file.write_all(&block[..n]).expect("write test file");
        left -= n;
    }
}

/// True when two files have the same bytes.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (mut a, mut b) = match (std::fs::File::open(a), std::fs::File::open(b))
    {
        (Ok(a), Ok(b)) => (BufReader::new(a), BufReader::new(b)),
        _ => return false,
    };
    loop {
        let (x, y) = (a.fill_buf().unwrap().to_vec(), b.fill_buf().unwrap());
        let n = x.len().min(y.len());
        if x[..n] != y[..n] {
            return false;
        }
        if n == 0 {
            return x.len() == y.len();
        }
        a.consume(n);
        b.consume(n);
    }
}

/// Peak resident memory (VmHWM) of a running process, in KiB.
pub fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"));
    let status = status.expect("read /proc/PID/status");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
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

/// True when a peer program this test talks to is missing: the test then
/// returns early and passes, after one visible line (`SKIPPED: socat not
/// installed (apt-get install socat)`), so that a student with only Rust
/// gets a green run. With `REQUIRE_PEERS=1` (CI sets it) a missing peer
/// fails the test instead. Use: `if missing("socat") { return; }`.
pub fn missing(program: &str) -> bool {
    let found = match program {
        "atftpd" => Path::new(ATFTPD).exists(),
        _ => have(program),
    };
    !found && skip(&format!("{program} not installed ({})", install(program)))
}

/// How to get `program` (Debian's package names; `.ci/run` installs all).
fn install(program: &str) -> String {
    let package = match program {
        "nc" => "netcat-openbsd",
        "tftp" => "tftp-hpa",
        "in.tftpd" => "tftpd-hpa",
        "atftpd" => return "`apt-get download atftpd`, see .ci/run".into(),
        "ip" => "iproute2",
        "fc-list" => "fontconfig",
        "prlimit" | "setpriv" | "script" => "util-linux",
        "ps" => "procps",
        "mdbook" => return "scripts/book installs it".into(),
        other => other,
    };
    format!("apt-get install {package}")
}

/// True when the test cannot run as this user (it needs root to `why`):
/// prints SKIPPED and passes, or fails under `REQUIRE_PEERS=1`.
pub fn missing_root(why: &str) -> bool {
    !is_root() && skip(&format!("needs root to {why}"))
}

/// True when running as root.
pub fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output();
    id.is_ok_and(|out| out.stdout.starts_with(b"0\n"))
}

/// Says why a test is skipped, where `cargo test` shows it even for a
/// passing test (stderr itself, not the captured `eprintln!`), and returns
/// true; under `REQUIRE_PEERS=1` fails the test instead.
pub fn skip(why: &str) -> bool {
    let test = std::thread::current().name().unwrap_or("test").to_string();
    if std::env::var_os("REQUIRE_PEERS").is_some_and(|v| v == "1") {
        panic!("{test}: {why}, and REQUIRE_PEERS=1 is set");
    }
    let line = format!("SKIPPED: {why} [{test}]\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    true
}

/// Where atftpd lives: not installed (it conflicts with tftpd-hpa) but
/// unpacked by .ci/run.
pub const ATFTPD: &str = "/opt/atftpd/usr/sbin/atftpd";

/// `clients` TCP clients at once, each doing `rounds` request/reply round
/// trips with a `received: ` server; returns how many clients failed and
/// the first failure. Every reply is checked byte for byte.
pub fn load(
    addr: SocketAddr,
    clients: usize,
    rounds: usize,
) -> (usize, String) {
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            std::thread::spawn(move || -> Result<(), String> {
                let mut stream =
                    std::net::TcpStream::connect_timeout(&addr, DEADLINE)
                        .map_err(|e| format!("client {c}: connect: {e}"))?;
                stream.set_read_timeout(Some(DEADLINE)).ok();
                for r in 0..rounds {
                    let text = format!("client {c} round {r}");
                    let expected = format!("received: {text}");
                    let mut reply = vec![0; expected.len()];
                    stream
                        .write_all(text.as_bytes())
                        .and_then(|_| stream.read_exact(&mut reply))
                        .map_err(|e| format!("client {c} round {r}: {e}"))?;
                    if reply != expected.as_bytes() {
                        return Err(format!(
                            "client {c}: wrong reply {reply:?}"
                        ));
                    }
                }
                Ok(())
            })
        })
        .collect();
    let errors: Vec<String> = workers
        .into_iter()
        .filter_map(|w| w.join().unwrap_or(Err("panicked".into())).err())
        .collect();
    (errors.len(), errors.first().cloned().unwrap_or_default())
}

/// A burst of `count` clients of a `received: ` server (16, 17), from
/// 10 threads. Each sends one line and reads its answer; all stay
/// connected until the last has its answer (a thread connects its next
/// client once its last one was answered, so the listen queue never
/// overflows). Returns how many were served, told busy, and closed
/// without an answer.
pub fn burst(addr: SocketAddr, count: usize) -> (usize, usize, usize) {
    let one_thread =
        move |n| -> Vec<_> { (0..n).map(|_| burst_client(addr)).collect() };
    let answers: Vec<(Vec<u8>, TcpStream)> = std::thread::scope(|scope| {
        let share = |i| count / 10 + usize::from(i < count % 10);
        let threads: Vec<_> = (0..10)
            .map(|i| scope.spawn(move || one_thread(share(i))))
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    let (mut served, mut busy, mut closed) = (0, 0, 0);
    for (reply, _client) in &answers {
        match reply {
            r if r.starts_with(b"received: burst") => served += 1,
            r if r.starts_with(b"busy: ") => busy += 1,
            r if r.is_empty() => closed += 1,
            r => panic!("unexpected answer {:?}", String::from_utf8_lossy(r)),
        }
    }
    (served, busy, closed)
}

/// Connects, sends `burst`, and reads the answer (empty when the server
/// closed the connection).
fn burst_client(addr: SocketAddr) -> (Vec<u8>, TcpStream) {
    use std::io::ErrorKind::{BrokenPipe, ConnectionReset};
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut reply = vec![0; 64];
    let sent = client.write_all(b"burst");
    let len = match sent.and_then(|()| client.read(&mut reply)) {
        Ok(len) => len,
        // closed by the server before or after the line arrived
        Err(e) if matches!(e.kind(), ConnectionReset | BrokenPipe) => 0,
        Err(e) => panic!("client: {e}"),
    };
    reply.truncate(len);
    (reply, client)
}

/// Every process: its parent's pid and the fields of `/proc/PID/stat`
/// after the command name (state first, then the parent's pid ...).
pub fn processes() -> std::collections::HashMap<u32, (u32, Vec<String>)> {
    let mut all = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat"));
        // pid (comm) state ppid ...: comm may hold spaces, so split after ')'
        let Some((_, tail)) = stat.as_deref().unwrap_or("").rsplit_once(')')
        else {
            continue;
        };
        let fields: Vec<String> =
            tail.split_whitespace().map(String::from).collect();
        let parent = fields.get(1).and_then(|p| p.parse().ok());
        all.insert(pid, (parent.unwrap_or(0), fields));
    }
    all
}

/// The process ids of `pid`'s children that are zombies (ended, not
/// reaped), and of all its children.
pub fn children(pid: u32) -> (Vec<u32>, Vec<u32>) {
    let (mut zombies, mut all) = (vec![], vec![]);
    for (child, (parent, fields)) in processes() {
        if parent == pid {
            all.push(child);
            if fields.first().is_some_and(|state| state == "Z") {
                zombies.push(child);
            }
        }
    }
    (zombies, all)
}

/// How many file descriptors and threads a process has now (Linux
/// /proc), to check that a server returns to its idle counts.
pub fn fds_and_threads(pid: u32) -> (usize, usize) {
    let count = |dir: &str| {
        let entries = std::fs::read_dir(format!("/proc/{pid}/{dir}"));
        entries.map_or(0, |entries| entries.count())
    };
    (count("fd"), count("task"))
}

/// Waits until a server is back to its `idle` counts of file descriptors
/// and threads, with no child left (fails after the deadline): what a
/// burst of clients took is given back.
pub fn until_idle(pid: u32, idle: (usize, usize)) {
    let end = Instant::now() + DEADLINE;
    while fds_and_threads(pid) != idle || !children(pid).1.is_empty() {
        assert!(
            Instant::now() < end,
            "(fds, threads) {:?}, idle {idle:?}, children {:?}",
            fds_and_threads(pid),
            children(pid)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `text` to an echo-style server of lessons 16 and 17 and reads
/// its answer, `received: TEXT`.
pub fn round_trip(client: &mut TcpStream, text: &str) -> String {
    client.write_all(text.as_bytes()).unwrap();
    let mut reply = vec![0; 10 + text.len()];
    client.read_exact(&mut reply).unwrap();
    String::from_utf8(reply).unwrap()
}

/// `command`, run with at most `max` processes and threads for its user
/// (RLIMIT_NPROC), as a user id of its own: the limit never applies to
/// root, and it counts every process of the user, so an id that no other
/// process has. `None` after a SKIPPED line when that cannot be done (not
/// root, no setpriv or prlimit).
pub fn with_process_limit(command: &Command, max: u32) -> Option<Command> {
    if not_on_windows("a limit on processes (RLIMIT_NPROC) is Unix's")
        || missing_root("run a server as another user under a process limit")
        || missing("setpriv")
        || missing("prlimit")
    {
        return None;
    }
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, Ordering::SeqCst) % 10;
    let uid = 60_000 + std::process::id() % 500 * 10 + n as u32;
    let mut limited = Command::new("prlimit");
    limited.arg(format!("--nproc={max}:{max}")).arg("setpriv");
    limited.args([format!("--reuid={uid}"), format!("--regid={uid}")]);
    limited.args(["--clear-groups", "--"]);
    limited.arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => limited.env(key, value),
            None => limited.env_remove(key),
        };
    }
    Some(limited)
}

/// `command`, run with at most `soft` file descriptors open (the soft
/// RLIMIT_NOFILE; the hard limit is left as it is, so that
/// `set_fd_limit` can raise it again), through util-linux's `prlimit`.
/// `None` after a SKIPPED line when prlimit is missing.
pub fn with_fd_limit(command: &Command, soft: u32) -> Option<Command> {
    let why = "a limit on file descriptors (RLIMIT_NOFILE) is Unix's";
    if not_on_windows(why) || missing("prlimit") {
        return None;
    }
    let mut limited = Command::new("prlimit");
    limited.arg(format!("--nofile={soft}:"));
    limited.arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => limited.env(key, value),
            None => limited.env_remove(key),
        };
    }
    Some(limited)
}

/// Sets how many file descriptors the running process `pid` may have
/// open (its soft limit), as `prlimit --pid` does.
pub fn set_fd_limit(pid: u32, soft: u32) {
    let status = Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--nofile={soft}:")])
        .status()
        .expect("run prlimit");
    assert!(status.success(), "prlimit --pid {pid} failed");
}

/// A UDP relay that loses and delays datagrams, for one TFTP transfer at
/// a time (netem is missing on these machines). A client sends to
/// `addr`; the relay passes its packets on to `server`, and once the
/// server has answered, to the port that answered (its transfer ID),
/// until the client's next request. Answers reach the client from
/// `addr`. Each direction drops `percent` of datagrams, in a fixed
/// pseudo-random order so that runs repeat (or, `Loss::Named`, the
/// packets it is told to lose), and delays each datagram by
/// `delay`: a delay line, where every datagram leaves `delay` after it
/// arrived without holding up the next one (so a window of blocks
/// crosses in one delay, as on a real link). Stops on drop.
pub struct LossyRelay {
    pub addr: SocketAddr,
    back: SocketAddr,
    stop: Arc<std::sync::atomic::AtomicBool>,
    from_server: Arc<(Mutex<usize>, std::sync::Condvar)>,
    dropped: Arc<Mutex<Vec<String>>>,
}

impl LossyRelay {
    pub fn start(server: SocketAddr, percent: u64) -> LossyRelay {
        let front = SocketAddr::new(server.ip(), 0);
        LossyRelay::start_on(front, server, percent, Duration::ZERO)
    }

    /// A relay listening on `front`, that also delays every datagram.
    pub fn start_on(
        front: SocketAddr,
        server: SocketAddr,
        percent: u64,
        delay: Duration,
    ) -> LossyRelay {
        LossyRelay::start_logged(front, server, percent, delay, false)
    }

    /// The same, and with `log` it prints each datagram it drops, for a
    /// class to match with the resends: `dropped DATA 37 (server ->
    /// client)`.
    pub fn start_logged(
        front: SocketAddr,
        server: SocketAddr,
        percent: u64,
        delay: Duration,
        log: bool,
    ) -> LossyRelay {
        let loss = Loss::Percent(percent);
        LossyRelay::start_losing(front, server, loss, delay, log)
    }

    /// The same, losing what `loss` says.
    pub fn start_losing(
        front: SocketAddr,
        server: SocketAddr,
        loss: Loss,
        delay: Duration,
        log: bool,
    ) -> LossyRelay {
        let front = UdpSocket::bind(front).unwrap();
        let back =
            UdpSocket::bind((front.local_addr().unwrap().ip(), 0)).unwrap();
        let relay = LossyRelay {
            addr: front.local_addr().unwrap(),
            back: back.local_addr().unwrap(),
            stop: Default::default(),
            from_server: Default::default(),
            dropped: Default::default(),
        };
        let client = Arc::new(Mutex::new(None::<SocketAddr>));
        let tid = Arc::new(Mutex::new(None::<SocketAddr>));
        let to_server = delay_line(back.try_clone().unwrap(), delay);
        let to_client = delay_line(front.try_clone().unwrap(), delay);
        let (client2, tid2) = (client.clone(), tid.clone());
        let stop = relay.stop.clone();
        let dropped = relay.dropped.clone();
        let say = move |what: String| match log {
            true => println!("dropped {what}"),
            false => dropped.lock().unwrap().push(what),
        };
        let say2 = say.clone();
        let mut loss2 = loss.clone();
        let mut loss = loss;
        std::thread::spawn(move || {
            let (mut buf, mut seed) = (vec![0; 65536], 0x2545_f491_4f6c_dd1d);
            while let Ok((len, from)) = front.recv_from(&mut buf) {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                *client2.lock().unwrap() = Some(from);
                let mut tid = tid2.lock().unwrap();
                let is_request = matches!(buf[..len.min(2)], [0, 1 | 2]);
                if is_request {
                    *tid = None; // a new request (RRQ, WRQ): a new transfer
                }
                let to = match *tid {
                    Some(tid) => tid,
                    None if is_request => server,
                    None => continue, // the server's port takes requests only
                };
                drop(tid);
                if loss.lose(&mut seed, &buf[..len]) {
                    let what = tftp_packet(&buf[..len]);
                    say(format!("{what} (client -> server)"));
                } else if to_server
                    .send((Instant::now(), buf[..len].to_vec(), to))
                    .is_err()
                {
                    break;
                }
            }
        });
        let (stop, counter) = (relay.stop.clone(), relay.from_server.clone());
        std::thread::spawn(move || {
            let (mut buf, mut seed) = (vec![0; 65536], 0x9e37_79b9_7f4a_7c15);
            while let Ok((len, from)) = back.recv_from(&mut buf) {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if from.ip() == server.ip() && from != server {
                    *tid.lock().unwrap() = Some(from);
                }
                let (count, wake) = &*counter;
                *count.lock().unwrap() += 1;
                wake.notify_all();
                let Some(to) = *client.lock().unwrap() else {
                    continue;
                };
                if loss2.lose(&mut seed, &buf[..len]) {
                    let what = tftp_packet(&buf[..len]);
                    say2(format!("{what} (server -> client)"));
                } else if to_client
                    .send((Instant::now(), buf[..len].to_vec(), to))
                    .is_err()
                {
                    break;
                }
            }
        });
        relay
    }

    /// What the relay dropped so far (unless it prints it): `DATA 37
    /// (server -> client)` ...
    pub fn dropped(&self) -> Vec<String> {
        self.dropped.lock().unwrap().clone()
    }

    /// Waits until the server has sent `count` datagrams through the relay.
    pub fn wait_for_server_packets(&self, count: usize) {
        let (seen, wake) = &*self.from_server;
        let seen = seen.lock().unwrap();
        let (_seen, timeout) = wake
            .wait_timeout_while(seen, DEADLINE, |seen| *seen < count)
            .unwrap();
        assert!(!timeout.timed_out(), "the server sent fewer than {count}");
    }
}

type Delayed = (Instant, Vec<u8>, SocketAddr); // arrived, datagram, to

/// A thread that sends each datagram from `socket` `delay` after it
/// arrived, in order; it ends when the sending side is dropped.
fn delay_line(
    socket: UdpSocket,
    delay: Duration,
) -> std::sync::mpsc::SyncSender<Delayed> {
    let (line, datagrams) = std::sync::mpsc::sync_channel::<Delayed>(4096);
    std::thread::spawn(move || {
        for (arrived, datagram, to) in datagrams {
            let due = arrived + delay;
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            let _ = socket.send_to(&datagram, to);
        }
    });
    line
}

/// What a datagram is, in TFTP's terms: `DATA 37`, `ACK 36`, `RRQ`.
pub fn tftp_packet(datagram: &[u8]) -> String {
    let number = match datagram {
        [_, _, high, low, ..] => u16::from_be_bytes([*high, *low]),
        _ => 0,
    };
    match datagram {
        [0, 1, ..] => "RRQ".into(),
        [0, 2, ..] => "WRQ".into(),
        [0, 3, _, _, ..] => format!("DATA {number}"),
        [0, 4, _, _, ..] => format!("ACK {number}"),
        [0, 5, _, _, ..] => format!("ERROR {number}"),
        [0, 6, ..] => "OACK".into(),
        _ => format!("a datagram of {} bytes", datagram.len()),
    }
}

/// What a relay loses, each way.
#[derive(Clone, Debug)]
pub enum Loss {
    /// About this many datagrams in 100, always the same ones.
    Percent(u64),
    /// The first datagram each way of each of these packets, as
    /// `tftp_packet` names them (`DATA 4`, `ACK 2`), and nothing else.
    Named(Vec<String>),
}

impl Loss {
    fn lose(&mut self, seed: &mut u64, datagram: &[u8]) -> bool {
        match self {
            Loss::Percent(percent) => lose(seed, *percent),
            Loss::Named(names) => {
                let what = tftp_packet(datagram);
                let at = names.iter().position(|name| *name == what);
                at.map(|at| names.remove(at)).is_some()
            }
        }
    }
}

/// Xorshift: true for about `percent` in 100 calls.
fn lose(seed: &mut u64, percent: u64) -> bool {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed % 100 < percent
}

impl Drop for LossyRelay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Ok(waker) = UdpSocket::bind((self.addr.ip(), 0)) {
            let _ = waker.send_to(b"stop", self.addr);
            let _ = waker.send_to(b"stop", self.back);
        }
    }
}

/// A free UDP port on 127.0.0.1, for peers that cannot bind port 0 and
/// say which port they got (tftpd-hpa, atftpd). The port is free when this
/// returns; another program could take it before the peer does, which on
/// a test machine does not happen in practice.
pub fn free_udp_port() -> u16 {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

/// Sends one UDP datagram that claims to come from `from` (a spoofed
/// source, as an attacker on the same network can send), through a raw
/// socket: needs root, so call it after `missing_root`. IPv4 only.
pub fn spoof_udp(from: SocketAddr, to: SocketAddr, payload: &[u8]) {
    let (SocketAddr::V4(from), SocketAddr::V4(to)) = (from, to) else {
        panic!("spoof_udp is IPv4 only");
    };
    let udp_len = 8 + payload.len();
    let mut packet = vec![0x45, 0]; // IPv4, header of 5 words; no TOS
    packet.extend(((20 + udp_len) as u16).to_be_bytes()); // total length
    packet.extend([0, 0, 0x40, 0, 64, 17, 0, 0]); // id, DF, TTL, UDP, sum
    packet.extend(from.ip().octets());
    packet.extend(to.ip().octets());
    let sum = checksum(&packet);
    packet[10..12].copy_from_slice(&sum.to_be_bytes());
    let mut udp = vec![];
    udp.extend(from.port().to_be_bytes());
    udp.extend(to.port().to_be_bytes());
    udp.extend((udp_len as u16).to_be_bytes());
    udp.extend([0, 0]); // checksum 0: none (allowed for UDP over IPv4)
    udp.extend(payload);
    packet.extend(udp);
    // IPPROTO_RAW (255): we write the IP header ourselves
    let raw = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::RAW,
        Some(socket2::Protocol::from(255)),
    )
    .expect("raw socket (root needed)");
    let dest = SocketAddr::V4(to).into();
    raw.send_to(&packet, &dest)
        .expect("send a spoofed datagram");
}

/// The Internet checksum (RFC 1071) of an IPv4 header.
fn checksum(header: &[u8]) -> u16 {
    let mut sum: u32 = header
        .chunks(2)
        .map(|pair| u32::from(u16::from_be_bytes([pair[0], pair[1]])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A TCP server `command` started with no file descriptor to spare, and a
/// client that connects: the server's `accept` fails. Checks that it says
/// so (`accept failed: Too many open files (os error 24), trying again`)
/// and goes on, then gives it descriptors; returns the server and the
/// waiting client, which the lesson's test then sees served. `None` after
/// a SKIPPED line where the limit cannot be set. `ready` is the server's
/// last line before it accepts (after `listening on`), if any.
#[cfg(target_os = "linux")]
pub fn accept_fails_at_first(
    command: &Command,
    ready: Option<&str>,
) -> Option<(Proc, std::net::TcpStream)> {
    let mut server = Proc::server(with_fd_limit(command, 4)?);
    if let Some(ready) = ready {
        server.expect(ready);
    }
    let client = std::net::TcpStream::connect(server.addr).unwrap();
    assert_eq!(
        server.line(),
        "accept failed: Too many open files (os error 24), trying again"
    );
    set_fd_limit(server.pid(), 64);
    Some((server, client))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A datagram from a spoofed source arrives with that source.
    #[test]
    fn a_spoofed_datagram_arrives_from_the_claimed_address() {
        if missing_root("send from a raw socket") {
            return;
        }
        let target = UdpSocket::bind("127.0.0.1:0").unwrap();
        target.set_read_timeout(Some(DEADLINE)).unwrap();
        let fake: SocketAddr = "127.0.0.9:4242".parse().unwrap();
        spoof_udp(fake, target.local_addr().unwrap(), b"who am I");
        let mut buf = [0; 64];
        let (len, from) = target.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..len], from), (&b"who am I"[..], fake));
    }
}
