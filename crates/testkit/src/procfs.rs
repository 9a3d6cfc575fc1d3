//! Linux's /proc readers (processes, children, descriptors, memory) and
//! resource limits (prlimit, setpriv) for the tests of servers under load.

use std::collections::HashMap;
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::process::Command;

use crate::*;

/// Peak resident memory (VmHWM) of a running process, in KiB.
pub fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"));
    let status = status.expect("read /proc/PID/status");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Every process: its parent's pid and the fields of `/proc/PID/stat`
/// after the command name (state first, then the parent's pid ...).
pub fn processes() -> HashMap<u32, (u32, Vec<String>)> {
    let entries = std::fs::read_dir("/proc").into_iter().flatten().flatten();
    let process = |entry: std::fs::DirEntry| {
        let pid = entry.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        // pid (comm) state ppid ...: comm may hold spaces, so split after ')'
        let fields = stat.rsplit_once(')')?.1.split_whitespace();
        let fields: Vec<String> = fields.map(String::from).collect();
        Some((pid, (fields.get(1)?.parse().ok()?, fields)))
    };
    entries.filter_map(process).collect()
}

/// The process ids of `pid`'s children that are zombies (ended, not
/// reaped), and of all its children.
pub fn children(pid: u32) -> (Vec<u32>, Vec<u32>) {
    let processes = processes();
    let mine = processes.iter().filter(|(_, (parent, _))| *parent == pid);
    let all: Vec<u32> = mine.map(|(child, _)| *child).collect();
    let zombie = |child: &u32| processes[child].1[0] == "Z";
    (all.iter().copied().filter(zombie).collect(), all)
}

/// How many file descriptors and threads a process has now (Linux
/// /proc), to check that a server returns to its idle counts.
pub fn fds_and_threads(pid: u32) -> (usize, usize) {
    let count = |dir: &str| {
        std::fs::read_dir(format!("/proc/{pid}/{dir}")).map_or(0, |d| d.count())
    };
    (count("fd"), count("task"))
}

/// Waits until a server is back to its `idle` counts of file descriptors
/// and threads, with no child left (fails after the deadline): what a
/// burst of clients took is given back.
pub fn until_idle(pid: u32, idle: (usize, usize)) {
    let back = || fds_and_threads(pid) == idle && children(pid).1.is_empty();
    assert!(
        eventually(back),
        "(fds, threads) {:?}, idle {idle:?}, children {:?}",
        fds_and_threads(pid),
        children(pid)
    );
}

/// `command`, run with at most `max` processes and threads for its user
/// (RLIMIT_NPROC), as a user id of its own: the limit never applies to
/// root, and it counts every process of the user, so an id that no other
/// process has. `None` after a SKIPPED line when that cannot be done (no
/// prlimit, not root).
pub fn with_process_limit(command: &Command, max: u32) -> Option<Command> {
    let why = "a limit on processes (RLIMIT_NPROC) is Unix's";
    #[cfg_attr(not(unix), allow(unused_mut))] // for Unix's ids
    let mut limited = prlimit(command, format!("--nproc={max}:{max}"), why)?;
    if missing_root("run a server as another user under a process limit") {
        return None;
    }
    // a test binary asks once (66's and 69's tests): its own pid makes
    // the id its own
    #[cfg_attr(not(unix), allow(unused_variables))] // Unix's ids
    let uid = 60_000 + std::process::id() % 5000;
    // prlimit runs as that user (std drops root's groups), and then
    // runs the command under the limit
    #[cfg(unix)]
    limited.uid(uid).gid(uid);
    Some(limited)
}

/// `command`, run with at most `soft` file descriptors open (the soft
/// RLIMIT_NOFILE; the hard limit is left as it is, so that
/// `set_fd_limit` can raise it again), through util-linux's `prlimit`.
/// `None` after a SKIPPED line when prlimit is missing.
pub fn with_fd_limit(command: &Command, soft: u32) -> Option<Command> {
    let why = "a limit on file descriptors (RLIMIT_NOFILE) is Unix's";
    prlimit(command, format!("--nofile={soft}:"), why)
}

/// `command` run by util-linux's `prlimit` under `limit`
/// (`--nofile=4:`): its program, arguments and the variables it sets
/// (the one it removes, RUST_BACKTRACE, `cmd` removes too). `None` after
/// a SKIPPED line on Windows (`why`) or without prlimit.
fn prlimit(command: &Command, limit: String, why: &str) -> Option<Command> {
    if not_on_windows(why) || missing("prlimit") {
        return None;
    }
    let mut limited = cmd("prlimit", &[&limit]);
    limited.arg(command.get_program()).args(command.get_args());
    let set = command.get_envs().filter_map(|(k, v)| Some((k, v?)));
    limited.envs(set);
    Some(limited)
}

/// Sets how many file descriptors the running process `pid` may have
/// open (its soft limit), as `prlimit --pid` does.
pub fn set_fd_limit(pid: u32, soft: u32) {
    let (pid, limit) = (pid.to_string(), format!("--nofile={soft}:"));
    let (status, _, stderr) =
        run(cmd("prlimit", &["--pid", &pid, &limit]), b"");
    assert!(status.success(), "prlimit --pid {pid} failed: {stderr}");
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
