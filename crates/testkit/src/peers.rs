//! Peers and skips: whether a peer program is installed or the test runs
//! as root, and the `SKIPPED:` line when not (a failure under
//! `REQUIRE_PEERS=1`).

use regex::Regex;
use std::io::Write;
use std::net::UdpSocket;
use std::path::Path;
use std::time::Duration;

use crate::*;

/// True (after a `SKIPPED: ... on Windows` line) when the lessons under
/// test are Windows builds and this test cannot hold there by nature
/// (`why`: a Unix permission, forged sources, /proc ...). Not a missing
/// peer: `REQUIRE_PEERS=1` does not make it fail.
pub fn not_on_windows(why: &str) -> bool {
    testing_windows() && said(&format!("not on Windows: {why}"))
}

/// `text` (a lesson's output) as a test compares it: itself, or, with
/// Windows builds under test, with each `: MESSAGE (os error N)` made
/// `: (an OS error)`. Windows says each error in words and a number of
/// its own (`File exists (os error 17)` is `The file exists. (os error
/// 80)`), and Wine in words of its own again.
pub fn os_errors_unsaid(text: &str) -> String {
    match testing_windows() {
        true => os_errors_said_in_no_words(text),
        false => text.to_string(),
    }
}

/// Each `: MESSAGE (os error N)` of `text` made `: (an OS error)`.
pub(crate) fn os_errors_said_in_no_words(text: &str) -> String {
    // MESSAGE: what follows the last `: ` before `(os error N)`
    let error = Regex::new(r"(?m)(^|: )([^:\n]|:[^ \n])*? \(os error \d+\)");
    let error = error.unwrap();
    error.replace_all(text, "$1(an OS error)").into_owned()
}

/// True when a peer program this test talks to is missing: the test then
/// returns early and passes, after one visible line (`SKIPPED: socat not
/// installed (apt-get install socat)`), so that a student with only Rust
/// gets a green run. With `REQUIRE_PEERS=1` (CI sets it) a missing peer
/// fails the test instead. Use: `if missing("socat") { return; }`.
pub fn missing(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = match program {
        // not installed (it conflicts with tftpd-hpa) but unpacked off the
        // PATH, where the tests run it (its folder's in.tftpd is atftpd's)
        "atftpd" => Path::new(ATFTPD).is_file(),
        _ => std::env::split_paths(&path).any(|d| d.join(program).is_file()),
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
        "ip" | "ss" => "iproute2",
        "fc-list" => "fontconfig",
        "prlimit" | "script" => "util-linux",
        "ps" => "procps",
        "mdbook" => return "scripts/book installs it".into(),
        other => other,
    };
    format!("apt-get install {package}")
}

/// True when the test cannot run as this user (it needs root to `why`):
/// prints SKIPPED and passes, or fails under `REQUIRE_PEERS=1`.
pub fn missing_root(why: &str) -> bool {
    // root owns our own process
    #[cfg(unix)]
    let root = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|me| me.uid() == 0)
    };
    #[cfg(not(unix))]
    let root = false;
    !root && skip(&format!("needs root to {why}"))
}

/// Says why a test is skipped and returns true; under `REQUIRE_PEERS=1`
/// fails the test instead.
pub fn skip(why: &str) -> bool {
    if std::env::var_os("REQUIRE_PEERS").is_some_and(|v| v == "1") {
        // (the test's name: in the panic's own line)
        panic!("{why}, and REQUIRE_PEERS=1 is set");
    }
    said(why)
}

/// Says `SKIPPED: why [test]` on stderr itself (not the captured
/// `eprintln!`, so that `cargo test` shows it for a passing test), and
/// in `skipped.log` in the build's profile folder, where `scripts/test`
/// counts them at the end of the run, however the tests were run.
/// Returns true.
fn said(why: &str) -> bool {
    let test = std::thread::current();
    let line = format!("SKIPPED: {why} [{}]\n", test.name().unwrap_or("test"));
    let _ = std::io::stderr().write_all(line.as_bytes());
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(profile_dir().join("skipped.log"));
    let _ = log.and_then(|mut log| log.write_all(line.as_bytes()));
    true
}

/// Where atftpd lives: not installed (it conflicts with tftpd-hpa) but
/// unpacked by .ci/run.
pub const ATFTPD: &str = "/opt/atftpd/usr/sbin/atftpd";

/// A UDP socket on 127.0.0.1, for a test that plays a peer itself: a
/// port of its own, and at most 5 s of waiting for each datagram.
pub fn udp_socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let wait = Duration::from_secs(5);
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

/// The next datagram on `socket` and its sender; the test fails when
/// none comes in time. (No test installs a signal handler, so the wait
/// is never interrupted: a timeout is the only error.)
pub fn recv_datagram(socket: &UdpSocket) -> (Vec<u8>, std::net::SocketAddr) {
    let mut buf = vec![0; 65536];
    let (len, from) = socket.recv_from(&mut buf).expect("no datagram");
    (buf[..len].to_vec(), from)
}

/// A free UDP port on 127.0.0.1, for peers that cannot bind port 0 and
/// say which port they got (tftpd-hpa, atftpd). The port is free when this
/// returns; another program could take it before the peer does, which on
/// a test machine does not happen in practice.
pub fn free_udp_port() -> u16 {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}
