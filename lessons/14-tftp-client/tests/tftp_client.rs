//! 14-tftp-client against real servers (tftpd-hpa, atftpd, lesson 15) and
//! against a scripted server of the test's own, for what real servers
//! rarely do on loopback: lose a packet, repeat a block, fail, fall
//! silent, or share the machine with a stranger.

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, recv_datagram, run, same_file, temp_dir,
    udp_socket, Proc, TempDir,
};
#[cfg(unix)] // the real servers
use {
    std::process::Command,
    testkit::{free_udp_port, missing},
};

const BIN: &str = env!("CARGO_BIN_EXE_14-tftp-client");

/// 14 run in `cwd`: (success, stdout + stderr).
fn client(cwd: &Path, args: &[&str]) -> (bool, String) {
    let mut command = cmd(BIN, args);
    command.current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.success(), out + &err)
}

/// Downloads each size from `server` (serving `dir`) and compares.
fn check_downloads(server: &str, dir: &Path, sizes: &[usize]) {
    let out = temp_dir();
    for size in sizes {
        let name = format!("f{size}");
        make_file(&dir.join(&name), *size);
        // the first try may come before the server listens: 14 resends
        let (ok, text) = client(out.path(), &[&name, server]);
        assert!(ok, "{name}: {text}");
        assert_eq!(text, format!("received {name}: {size} bytes"));
        assert!(same_file(&dir.join(&name), &out.path().join(&name)));
    }
}

#[test]
fn downloads_from_15() {
    let dir = temp_dir();
    let served = dir.path().to_str().unwrap();
    let command = cmd(&lesson_bin("15-tftp-server"), &["127.0.0.1:0", served]);
    let server = Proc::server(command);
    let sizes = [0, 1, 511, 512, 1024, 100_000];
    check_downloads(&server.addr.to_string(), dir.path(), &sizes);
}

/// 40 MiB at 512 bytes: 81920 blocks, so the block number goes past
/// 65535 and on at 0.
#[cfg(unix)] // the peers are Unix programs
#[test]
fn downloads_from_tftpd_hpa_past_block_65535() {
    if testkit::not_on_windows(
        "Wine: 81,921 round trips of 512 bytes take longer than the test's deadline under Wine",
    ) {
        return;
    }
    if missing("in.tftpd") || testkit::missing_root("run in.tftpd -s") {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let addr = format!("127.0.0.1:{}", free_udp_port());
    let mut command = Command::new("in.tftpd");
    // -L foreground, -s chroot into DIR
    command.args(["-L", "-s", "-a", &addr]).arg(dir.path());
    let _server = Proc::start(command);
    let sizes = [0, 511, 512, 70_000, (40 << 20) + 7];
    check_downloads(&addr, dir.path(), &sizes);
}

#[cfg(unix)] // the peers are Unix programs
#[test]
fn downloads_from_atftpd() {
    if missing("atftpd") || testkit::missing_root("run atftpd") {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let port = free_udp_port();
    let mut command = Command::new(testkit::ATFTPD);
    command.args(["--daemon", "--no-fork", "--no-multicast"]);
    command.args(["--port", &port.to_string(), "--bind-address", "127.0.0.1"]);
    command.args(["--user", "root.root"]).arg(dir.path());
    let _server = Proc::start(command);
    let addr = format!("127.0.0.1:{port}");
    check_downloads(&addr, dir.path(), &[0, 512, 70_000]);
}

/// `bin` downloading `file` into a new folder from the test's own socket,
/// which plays the server: its main port.
fn scripted(bin: &str, file: &str) -> (TempDir, UdpSocket, Proc) {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let mut command = cmd(bin, &[file, &port]);
    command.current_dir(out.path());
    (out, main, Proc::start(command))
}

fn data(block: u16, bytes: &[u8]) -> Vec<u8> {
    [&[0, 3], &block.to_be_bytes()[..], bytes].concat()
}

/// The request is the tutorial's bytes; a block sent again (its ACK was
/// lost) is acknowledged again and written once; a packet from another
/// port is not the server's and is never written; the last block is
/// acknowledged too.
#[test]
fn a_repeated_block_is_written_once_and_every_block_acknowledged() {
    let (out, main, mut client) = scripted(BIN, "test.jpg");
    let (request, client_addr) = recv_datagram(&main);
    assert_eq!(request, b"\x00\x01test.jpg\x00octet\x00");
    let tid = udp_socket(); // the server's new port
    let block1 = data(1, &[b'a'; 512]);
    tid.send_to(&block1, client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    tid.send_to(&block1, client_addr).unwrap(); // again: our ACK was lost
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    let stranger = udp_socket(); // the same machine, another port
    stranger.send_to(&data(2, b"evil"), client_addr).unwrap();
    tid.send_to(&data(2, b"end"), client_addr).unwrap();
    assert_eq!(
        recv_datagram(&tid).0,
        [0, 4, 0, 2],
        "the last block acknowledged"
    );
    let (status, stdout, err) = client.finish();
    assert!(status.success(), "{err}");
    assert_eq!(stdout, "received test.jpg: 515 bytes");
    let file = fs::read(out.path().join("test.jpg")).unwrap();
    assert_eq!(file, [&[b'a'; 512][..], b"end"].concat());
}

/// A lost packet: after a second of silence 14 sends its last packet
/// again (the request, then its ACK), 5 times in all; then it gives up
/// in one line and leaves no file.
#[test]
fn a_silent_server_gets_five_sends_then_one_line() {
    let (out, main, mut client) = scripted(BIN, "file");
    let started = Instant::now();
    let (request, client_addr) = recv_datagram(&main);
    assert_eq!(recv_datagram(&main).0, request, "the request, sent again");
    let tid = udp_socket();
    tid.send_to(&data(1, &[b'a'; 512]), client_addr).unwrap();
    for _ in 0..5 {
        assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    }
    let (status, _, _) = client.finish();
    assert_eq!(status.code(), Some(1));
    let said = client.stderr_text();
    let tid_addr = tid.local_addr().unwrap();
    let main_addr = main.local_addr().unwrap();
    assert_eq!(
        said,
        format!("Error: no answer from {main_addr} after 5 tries\n")
    );
    assert!(started.elapsed() >= Duration::from_secs(5), "{tid_addr}");
    tid.set_nonblocking(true).unwrap();
    assert!(tid.recv_from(&mut [0; 10]).is_err(), "a sixth ACK");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

/// The server's ERROR ends it: one line, escaped, status 1, no file.
#[test]
fn a_server_error_is_one_line_and_leaves_no_file() {
    let (out, main, mut client) = scripted(BIN, "nosuch.txt");
    let (_, client_addr) = recv_datagram(&main);
    let error = b"\x00\x05\x00\x01no such\nfile\x1b[2J\x00";
    udp_socket().send_to(error, client_addr).unwrap();
    let (status, _, _) = client.finish();
    assert_eq!(status.code(), Some(1));
    let said = client.stderr_text();
    assert_eq!(said, "Error: server error 1: no such\\nfile\\x1b[2J\n");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

/// 14 never replaces a file: it stops before it sends anything. A name
/// with folders in it is saved under its last part, here.
#[test]
fn an_existing_file_is_never_replaced() {
    let (out, main) = (temp_dir(), udp_socket());
    fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let port = main.local_addr().unwrap().to_string();
    let (ok, text) = client(out.path(), &["../x/notes.txt", &port]);
    assert!(!ok, "{text}");
    assert!(text.starts_with("Error: notes.txt: "), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_eq!(fs::read(out.path().join("notes.txt")).unwrap(), b"mine");
    main.set_nonblocking(true).unwrap();
    assert!(main.recv_from(&mut [0; 100]).is_err(), "a request was sent");
}
