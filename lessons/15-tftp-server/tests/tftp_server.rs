//! 15-tftp-server: downloads by raw packets (the rules of RFC 1350, and
//! options ignored as RFC 2347 allows), names outside the folder refused,
//! a lost ACK, a silent client, many clients at once; and curl, tftp-hpa,
//! atftp and the tutorial's own Python client downloading from it.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use testkit::Proc;
use testkit::{cmd, make_file, missing, python, run, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_15-tftp-server");

fn server(dir: &Path) -> Proc {
    Proc::server(cmd(BIN, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

/// A client socket that waits at most `secs` for an answer.
fn client(secs: f64) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let wait = Duration::from_secs_f64(secs);
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

fn rrq(file: &str, mode: &str, options: &[&str]) -> Vec<u8> {
    let mut packet = vec![0, 1];
    for word in [file, mode].iter().chain(options) {
        packet.extend(word.as_bytes());
        packet.push(0);
    }
    packet
}

fn recv(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    let mut buf = [0; 2048];
    let (len, from) = socket.recv_from(&mut buf).ok()?;
    Some((buf[..len].to_vec(), from))
}

fn ack(block: u16) -> Vec<u8> {
    [[0, 4], block.to_be_bytes()].concat()
}

/// Downloads `file` packet by packet; every DATA comes from one port that
/// is not the server's, in order, and is acknowledged.
fn download(server: SocketAddr, file: &str, options: &[&str]) -> Vec<u8> {
    let socket = client(5.0);
    socket
        .send_to(&rrq(file, "octet", options), server)
        .unwrap();
    let (mut got, mut block, mut tid) = (vec![], 1u16, None);
    loop {
        let (data, from) = recv(&socket).expect("a DATA block");
        assert_ne!(from, server, "DATA must come from a new port");
        assert_eq!(*tid.get_or_insert(from), from, "one port per transfer");
        assert_eq!(data[..4], [[0, 3], block.to_be_bytes()].concat());
        got.extend(&data[4..]);
        socket.send_to(&ack(block), from).unwrap();
        if data.len() < 516 {
            return got;
        }
        block = block.wrapping_add(1);
    }
}

#[test]
fn downloads_every_size_from_a_new_port_and_logs_it() {
    let dir = temp_dir();
    let mut server = server(dir.path());
    for size in [0, 1, 511, 512, 513, 1024, 100_000] {
        let name = format!("f{size}");
        make_file(&dir.path().join(&name), size);
        let got = download(server.addr, &name, &[]);
        assert_eq!(got, fs::read(dir.path().join(&name)).unwrap());
        server.expect(&format!(" get {name}: {size} bytes"));
    }
}

#[test]
fn options_are_ignored_the_answer_is_plain_data() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 3000);
    let server = server(dir.path());
    let asks = ["blksize", "1428", "tsize", "0", "windowsize", "8"];
    let got = download(server.addr, "f", &asks);
    assert_eq!(got, fs::read(dir.path().join("f")).unwrap());
}

fn error_for(server: SocketAddr, request: &[u8]) -> (u16, String) {
    let socket = client(5.0);
    socket.send_to(request, server).unwrap();
    let (packet, from) = recv(&socket).expect("an answer");
    assert_ne!(from, server, "the ERROR comes from the transfer's port");
    assert_eq!(packet[..2], [0, 5], "not an ERROR: {packet:?}");
    assert_eq!(packet.last(), Some(&0));
    let code = u16::from_be_bytes([packet[2], packet[3]]);
    let text = String::from_utf8_lossy(&packet[4..packet.len() - 1]);
    (code, text.into_owned())
}

#[test]
fn names_outside_the_folder_missing_files_and_other_modes_are_refused() {
    let top = temp_dir();
    let dir = top.path().join("shared");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(top.path().join("secret"), "secret").unwrap();
    fs::write(dir.join("sub/ok.txt"), "ok").unwrap();
    let mut server = server(&dir);
    let secret = top.path().join("secret");
    for name in ["../secret", "sub/../../secret", secret.to_str().unwrap()] {
        let answer = error_for(server.addr, &rrq(name, "octet", &[]));
        assert_eq!(answer, (2, "not allowed".into()), "{name}");
        server.expect(&format!(" get {name}: refused: not allowed"));
    }
    assert_eq!(error_for(server.addr, &rrq("", "octet", &[])).0, 2);
    let answer = error_for(server.addr, &rrq("nope", "octet", &[]));
    assert_eq!(answer, (1, "file not found".into()));
    assert_eq!(error_for(server.addr, &rrq("sub", "octet", &[])).0, 1);
    let answer = error_for(server.addr, &rrq("sub/ok.txt", "netascii", &[]));
    assert_eq!(answer, (4, "only octet mode".into()));
    // a plain name below the folder is served, in any case of "octet"
    let socket = client(5.0);
    socket
        .send_to(&rrq("sub/ok.txt", "OcTeT", &[]), server.addr)
        .unwrap();
    assert_eq!(recv(&socket).unwrap().0, b"\x00\x03\x00\x01ok");
}

#[test]
fn what_is_not_a_download_request_gets_no_answer() {
    let dir = temp_dir();
    fs::write(dir.path().join("f"), "data").unwrap();
    let server = server(dir.path());
    let socket = client(0.5);
    let write = [&[0, 2][..], b"f\0octet\0"].concat();
    for junk in [
        &b""[..],
        b"\x00",
        b"\x00\x04\x00\x01",
        b"\x00\x05\x00\x00x\0",
    ] {
        socket.send_to(junk, server.addr).unwrap();
    }
    socket.send_to(&write, server.addr).unwrap();
    assert!(recv(&socket).is_none(), "answered what is not an RRQ");
    // and the server still serves
    assert_eq!(download(server.addr, "f", &[]), b"data");
}

#[test]
fn a_lost_ack_costs_one_resend_and_old_acks_are_never_answered() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 2000);
    let server = server(dir.path());
    let socket = client(3.0);
    socket
        .send_to(&rrq("f", "octet", &[]), server.addr)
        .unwrap();
    let (data1, tid) = recv(&socket).unwrap();
    assert_eq!(data1[..4], [0, 3, 0, 1]);
    socket.send_to(&ack(1), tid).unwrap();
    let (data2, _) = recv(&socket).unwrap();
    assert_eq!(data2[..4], [0, 3, 0, 2]);
    // ACK 1 again (late, or repeated): block 2 is NOT sent at once; only
    // the timeout (1 s) sends it again, once (RFC 1123 §4.2.3.1)
    let sent = Instant::now();
    socket.send_to(&ack(1), tid).unwrap();
    socket.send_to(&ack(1), tid).unwrap();
    let (again, _) = recv(&socket).unwrap();
    assert_eq!(again, data2);
    let waited = sent.elapsed();
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    socket.send_to(&ack(2), tid).unwrap();
    let (data3, _) = recv(&socket).unwrap();
    assert_eq!(data3[..4], [0, 3, 0, 3]);
}

#[test]
fn a_silent_client_gets_five_copies_then_is_given_up() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 600);
    let mut server = server(dir.path());
    let socket = client(3.0);
    socket
        .send_to(&rrq("f", "octet", &[]), server.addr)
        .unwrap();
    for _ in 0..5 {
        let (data, _) = recv(&socket).expect("a copy of block 1");
        assert_eq!(data[..4], [0, 3, 0, 1]);
    }
    server.expect(" get f: no answer after 5 tries");
    assert!(recv(&socket).is_none(), "a sixth copy");
}

#[test]
fn a_strangers_packets_never_reach_a_transfer() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 2000);
    let server = server(dir.path());
    let socket = client(3.0);
    socket
        .send_to(&rrq("f", "octet", &[]), server.addr)
        .unwrap();
    let (_, tid) = recv(&socket).unwrap();
    // another port of the same machine: an ERROR, then a forged ACK 1
    let stranger = client(1.0);
    stranger.send_to(b"\x00\x05\x00\x00stop\0", tid).unwrap();
    stranger.send_to(&ack(1), tid).unwrap();
    // the transfer goes on with its client: block 1 again, then block 2
    let (again, _) = recv(&socket).unwrap();
    assert_eq!(again[..4], [0, 3, 0, 1], "the stranger's ACK was taken");
    socket.send_to(&ack(1), tid).unwrap();
    assert_eq!(recv(&socket).unwrap().0[..4], [0, 3, 0, 2]);
}

#[test]
fn an_error_from_the_client_ends_its_transfer() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 2000);
    let mut server = server(dir.path());
    let socket = client(3.0);
    socket
        .send_to(&rrq("f", "octet", &[]), server.addr)
        .unwrap();
    let (_, tid) = recv(&socket).unwrap();
    socket.send_to(b"\x00\x05\x00\x00disk full\0", tid).unwrap();
    server.expect(" get f: the client sent an ERROR");
}

#[test]
fn twenty_downloads_at_once() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 50_000);
    let server = server(dir.path());
    let expected = fs::read(dir.path().join("f")).unwrap();
    let addr = server.addr;
    let downloads: Vec<_> = (0..20)
        .map(|_| std::thread::spawn(move || download(addr, "f", &[])))
        .collect();
    for download in downloads {
        assert!(download.join().unwrap() == expected);
    }
}

fn tool(program: &str, args: &[&str], cwd: &Path) -> (bool, String) {
    let mut command = Command::new(program);
    command.args(args).current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.success(), out + &err)
}

#[test]
fn curl_downloads_every_size_and_past_block_65535() {
    if missing("curl") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    let server = server(dir.path());
    // 33 MiB: 67,585 blocks of 512 bytes, so the numbers wrap to 0
    for size in [0, 511, 512, 1 << 20, 33 << 20] {
        let name = format!("f{size}");
        make_file(&dir.path().join(&name), size);
        let url = format!("tftp://{}/{name}", server.addr);
        let (ok, text) = tool("curl", &["-sSo", &name, &url], out.path());
        assert!(ok, "{text}");
        assert!(same_file(&dir.path().join(&name), &out.path().join(&name)));
    }
}

#[test]
fn tftp_hpa_downloads_in_octet_mode() {
    if missing("tftp") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("f"), 100_000);
    let server = server(dir.path());
    let (host, port) = (server.addr.ip().to_string(), server.addr.port());
    let port = port.to_string();
    let args = [&host, &port, "-m", "binary", "-c", "get", "f"];
    let (ok, text) = tool("tftp", &args, out.path());
    assert!(ok && text.is_empty(), "{text}");
    assert!(same_file(&dir.path().join("f"), &out.path().join("f")));
    // its default mode, netascii, is refused with a message
    let args = [&host, &port, "-c", "get", "f", "g"];
    let (_, text) = tool("tftp", &args, out.path());
    assert!(text.contains("Error code 4: only octet mode"), "{text}");
}

#[test]
fn atftp_downloads_with_options_it_does_not_get() {
    if missing("atftp") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("f"), 100_000);
    let server = server(dir.path());
    let (host, port) = (server.addr.ip().to_string(), server.addr.port());
    let args = [
        "--option",
        "blksize 1428",
        "--option",
        "tsize 0",
        "-g",
        "-r",
        "f",
        "-l",
        "f",
        &host,
        &port.to_string(),
    ];
    let (ok, text) = tool("atftp", &args, out.path());
    assert!(ok, "{text}");
    assert!(same_file(&dir.path().join("f"), &out.path().join("f")));
}

#[test]
fn the_tutorials_python_client_downloads_then_never_acks_the_last_block() {
    if missing("python3") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    fs::write(dir.path().join("hello.txt"), "hello from the server\n").unwrap();
    let mut server = server(dir.path());
    let (host, port) = (server.addr.ip().to_string(), server.addr.port());
    let port = port.to_string();
    let mut command = python("tftp_client.py", &[&host, &port, "hello.txt"]);
    command.current_dir(out.path());
    let (status, text, _) = run(command, b"");
    assert!(status.success());
    assert!(text.starts_with("操作码：3,ACK:1,服务器端口："), "{text}");
    assert!(text.trim_end().ends_with("数据长度：26"), "{text:?}");
    let got = fs::read_to_string(out.path().join("hello.txt")).unwrap();
    assert_eq!(got, "hello from the server\n");
    server.expect(" get hello.txt: no answer after 5 tries");
}
