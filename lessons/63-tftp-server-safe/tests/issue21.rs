//! The rows of issue 21 that are the TFTP server's (4, 6, 7, 9, 10, 11;
//! row 12 is a test of crates/tftp's slots): each attack run against the
//! lesson this one grows from (PREV), where it works, then against this
//! one, where it does not. Rows 4 and 7 broke the server before the
//! chain was split, and rows 10, 9 and 11 are the steps
//! 44-tftp-server-links, 45-tftp-server-quiet and 46-tftp-server-case:
//! PREV does not have those flaws, so only this lesson is tried.

mod common;
use common::*;
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, make_file, temp_dir, Proc};

/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "46-tftp-server-case";

fn start(bin: &str, dir: &Path, timeout_ms: &str) -> Proc {
    let mut command = cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]);
    command.env("TFTP_TIMEOUT_MS", timeout_ms);
    Proc::server(command)
}

fn from_host(last: u8, secs: f64) -> UdpSocket {
    let socket = UdpSocket::bind((Ipv4Addr::new(127, 0, 0, last), 0));
    let socket = socket.unwrap();
    let wait = Duration::from_secs_f64(secs);
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

fn try_recv(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    let mut buf = vec![0; 70000];
    let (len, from) = socket.recv_from(&mut buf).ok()?;
    Some((buf[..len].to_vec(), from))
}

/// Downloads `name` by raw packets; the first answer, an ERROR or a
/// block, says whether it was served.
fn first_answer(server: SocketAddr, name: &str) -> Vec<u8> {
    let socket = raw();
    socket
        .send_to(&request(1, name, "octet", &[]), server)
        .unwrap();
    recv(&socket).0
}

/// Row 10: a hard link in the folder to a file outside it (where the
/// system lets a user link others' files) was served. 44-tftp-server-links
/// is the step that refuses it (its test runs 43); 45 keeps refusing it,
/// on the file it opened.
#[test]
fn a_hard_link_to_a_file_outside_is_not_served() {
    if testkit::not_on_windows(
        "44 and 63 count a file's hard links with Unix's nlink; stable Rust gives no link count on Windows",
    ) {
        return;
    }
    let top = temp_dir();
    let dir = top.path().join("shared");
    fs::create_dir(&dir).unwrap();
    fs::write(top.path().join("secret"), "secret").unwrap();
    fs::hard_link(top.path().join("secret"), dir.join("link")).unwrap();
    let mut server = start(BIN, &dir, "1000");
    let answer = first_answer(server.addr, "link");
    assert_eq!(error_code(&answer), 2, "{answer:?}");
    server.expect("get link: refused: a file with more than one link");
}

/// Row 11: on a case-insensitive folder `.TFTP-UPLOAD.PID.N` is an upload
/// in progress; here (case-sensitive) a file of that name stands for it.
#[test]
fn a_temporary_upload_is_refused_in_any_case() {
    let dir = temp_dir();
    for name in [".tftp-upload.1.0", ".TFTP-UPLOAD.1.0", ".Tftp-Upload.1.0"] {
        fs::write(dir.path().join(name), "half an upload").unwrap();
    }
    // (the attack against the lesson before 46-tftp-server-case is its
    // test)
    let server = start(BIN, dir.path(), "1000");
    for name in [".tftp-upload.1.0", ".TFTP-UPLOAD.1.0", ".Tftp-Upload.1.0"] {
        let answer = first_answer(server.addr, name);
        assert_eq!(error_code(&answer), 2, "{name}: {answer:?}");
    }
}

/// Row 6: a client that acknowledges each block just before the server
/// gives up, in blocks of 8 bytes where it can, holds its transfer (and
/// its thread, and a slot) for as long as it likes. With
/// TFTP_TIMEOUT_MS=100, 40 allows 60 timeouts (6 s), then 512 bytes a
/// second; PREV's fixed wait is 1 s whatever the variable says.
#[test]
fn a_client_too_slow_for_512_bytes_a_second_is_ended() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 100_000);
    // PREV: an ACK every 1.5 s (after each resend) keeps it going, 10 s on
    let prev = start(&lesson_bin(PREV), dir.path(), "100");
    let socket = raw();
    let ask = request(1, "f", "octet", &["blksize", "8"]);
    socket.send_to(&ask, prev.addr).unwrap();
    let began = Instant::now();
    let mut block = None;
    while began.elapsed() < Duration::from_secs(10) {
        let (data, tid) = recv(&socket);
        // its OACK (blksize 8) stands for block 0
        let number = match data[..2] {
            [0, 6] => 0,
            [0, 3] => u16::from_be_bytes([data[2], data[3]]),
            _ => panic!("{PREV} ended the transfer: {data:?}"),
        };
        if Some(number) != block {
            let block = block.insert(number);
            std::thread::sleep(Duration::from_millis(1500));
            socket.send_to(&ack(*block), tid).unwrap();
        }
    }
    assert!(block >= Some(3), "block {block:?}");
    // 63: the same client with blocks of 8 bytes, an ACK every 0.25 s
    let mut server = start(BIN, dir.path(), "100");
    let socket = raw();
    socket.send_to(&ask, server.addr).unwrap();
    let began = Instant::now();
    let (oack, tid) = recv(&socket);
    assert_eq!(oack, b"\x00\x06blksize\x008\x00");
    socket.send_to(&ack(0), tid).unwrap();
    let mut block = 0;
    let ended = loop {
        let (data, _) = recv(&socket);
        if data[..2] == [0, 5] {
            break data;
        }
        assert!(began.elapsed() < Duration::from_secs(15), "never ended");
        let number = u16::from_be_bytes([data[2], data[3]]);
        if number != block {
            block = number;
            std::thread::sleep(Duration::from_millis(250));
            socket.send_to(&ack(block), tid).unwrap();
        }
    };
    let took = began.elapsed();
    assert!(took >= Duration::from_secs(6), "ended after {took:?}");
    assert_eq!(ended, b"\x00\x05\x00\x00slower than 512 bytes a second\x00");
    server.expect("get f: refused: slower than 512 bytes a second");
}

/// Row 9: each request is a line of the log, its control bytes escaped
/// (4 times longer): one client's flood wrote 106 MiB/s. 40 shows 5
/// lines a second for one client address, then says it hides the rest.
#[test]
fn one_client_gets_five_log_lines_a_second() {
    let dir = temp_dir();
    fs::write(dir.path().join("f"), "data").unwrap();
    let name = "\x1b[2J\x07".repeat(30);
    let flood = |server: &mut Proc| -> usize {
        let socket = from_host(5, 5.0);
        for _ in 0..50 {
            let ask = request(1, &name, "octet", &[]);
            socket.send_to(&ask, server.addr).unwrap();
        }
        // then a download from another address marks the end
        let other = from_host(6, 5.0);
        other
            .send_to(&request(1, "f", "octet", &[]), server.addr)
            .unwrap();
        let (_, tid) = try_recv(&other).expect("a block");
        other.send_to(&ack(1), tid).unwrap();
        let mut lines = 0;
        loop {
            let line = server.line();
            if line.starts_with("127.0.0.6:") {
                return lines;
            }
            assert!(line.len() < 1000, "a line of {} bytes", line.len());
            lines += usize::from(line.starts_with("127.0.0.5:"));
        }
    };
    // (threads print in any order: a few may come after the marker; the
    // flood against the lesson before 45-tftp-server-quiet is its test)
    let mut server = start(BIN, dir.path(), "1000");
    let shown = flood(&mut server);
    assert!(shown <= 10, "{shown} lines for one client");
}

/// Row 4: the main port answered whatever was not a request with ERROR
/// 4, to any port: one forged datagram between it and any UDP service
/// that answers looped for ever. Now nothing but a request is answered.
#[test]
fn the_main_port_answers_nothing_but_a_request() {
    let dir = temp_dir();
    fs::write(dir.path().join("f"), "data").unwrap();
    let server = start(BIN, dir.path(), "1000");
    let socket = from_host(1, 0.5);
    for junk in [
        &b"hello\n"[..],
        b"",
        b"\x00\x03\x00\x01data",
        b"\x00\x04\x00\x01",
        b"\x00\x05\x00\x04not a TFTP request\x00",
        b"\x00\x01no mode",
    ] {
        socket.send_to(junk, server.addr).unwrap();
    }
    assert_eq!(
        try_recv(&socket),
        None,
        "an answer to what is not a request"
    );
    assert_eq!(first_answer(server.addr, "f"), b"\x00\x03\x00\x01data");
}

/// Row 7: each held transfer kept its whole request: 256 requests of
/// 64 KB with thousands of options grew the server by hundreds of MiB.
/// Now only the options the server knows are kept.
#[test]
#[cfg(target_os = "linux")]
fn options_it_does_not_know_are_not_kept() {
    if testkit::not_on_windows(
        "Wine's own memory (over 100 MiB) counts as the server's",
    ) {
        return;
    }
    let dir = temp_dir();
    fs::write(dir.path().join("f"), "data").unwrap();
    let server = start(BIN, dir.path(), "1000");
    let junk: Vec<String> =
        (0..16_000).map(|i| format!("{}", i % 10)).collect();
    let junk: Vec<&str> = junk.iter().map(String::as_str).collect();
    let ask = request(1, "f", "octet", &junk);
    assert!(ask.len() > 30_000 && ask.len() < 65_000, "{}", ask.len());
    // 64 held transfers (one address's share), none acknowledged
    let sockets: Vec<UdpSocket> = (0..64).map(|_| raw()).collect();
    for socket in &sockets {
        socket.send_to(&ask, server.addr).unwrap();
        assert_eq!(recv(socket).0, b"\x00\x03\x00\x01data");
    }
    let peak = testkit::peak_kib(server.pid());
    assert!(peak < 40 << 10, "the server grew to {peak} KiB");
}
