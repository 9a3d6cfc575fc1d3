//! The attack of 20's README: a client that connects and says nothing,
//! or asks for a big file and never reads it, holds 19 (one client at a
//! time) for ever; 20 drops it after the idle timeout and serves the next.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, make_file, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_20-file-download-server-timeout");

fn server(bin: &str, dir: &Path) -> Proc {
    let mut command = cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]);
    command.env("IDLE_TIMEOUT_SECS", "0.5");
    let mut server = Proc::server(command);
    server.expect("serving files in");
    server
}

/// Asks for `name`; the reply, or None when none came within `wait`.
fn download(server: &Proc, name: &[u8], wait: Duration) -> Option<Vec<u8>> {
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(wait)).unwrap();
    client.write_all(name).unwrap();
    let mut data = vec![];
    match client.read_to_end(&mut data) {
        Ok(_) => Some(data),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock) => None,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_silent_client_holds_19_for_ever_and_20_for_its_timeout() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("ok.txt"), "ok").unwrap();
    // 19: the next client waits behind the silent one, six timeouts of 20
    // and more; 20: it is served once the silent one is dropped
    let naive = server(&lesson_bin("19-file-download-server-race"), dir.path());
    let _silent = TcpStream::connect(naive.addr).unwrap();
    let answer = download(&naive, b"ok.txt", Duration::from_secs(3));
    assert_eq!(answer, None, "19 answered past a silent client");
    let mut server = server(BIN, dir.path());
    let silent = TcpStream::connect(server.addr).unwrap();
    let me = silent.local_addr().unwrap();
    let answer = download(&server, b"ok.txt", testkit::DEADLINE);
    assert_eq!(answer.as_deref(), Some(&b"ok"[..]));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.5 s, closed")
    );
}

#[test]
fn a_client_that_never_reads_is_told_idle() {
    let dir = temp_dir();
    make_file(&dir.path().join("big.bin"), 32 << 20);
    std::fs::write(dir.path().join("ok.txt"), "ok").unwrap();
    let mut server = server(BIN, dir.path());
    // asks for 32 MB and reads none of it: the write side times out
    let mut sleeper = TcpStream::connect(server.addr).unwrap();
    sleeper.write_all(b"big.bin").unwrap();
    let me = sleeper.local_addr().unwrap();
    server.expect(&format!("{me} wants \"big.bin\""));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.5 s, closed")
    );
    let answer = download(&server, b"ok.txt", testkit::DEADLINE);
    assert_eq!(answer.as_deref(), Some(&b"ok"[..]));
}

/// A failed `accept` (no file descriptor left for the client's socket)
/// is said and tried again; once descriptors are free, the waiting
/// client gets its file.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_is_said_and_tried_again() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("hello.txt"), "hello").unwrap();
    let command = cmd(BIN, &["127.0.0.1:0", dir.path().to_str().unwrap()]);
    let ready = Some("serving files in");
    let Some((_server, mut client)) =
        testkit::accept_fails_at_first(&command, ready)
    else {
        return;
    };
    client.write_all(b"hello.txt").unwrap();
    let mut data = vec![];
    client.read_to_end(&mut data).unwrap();
    assert_eq!(data, b"hello");
}
