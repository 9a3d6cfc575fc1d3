//! 02-udp-recv: datagrams from the test are shown raw and decoded.

use std::net::UdpSocket;
use testkit::{cmd, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_02-udp-recv");

fn sender() -> (UdpSocket, String) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    (socket, addr)
}

#[test]
fn shows_sender_raw_bytes_and_text() {
    let mut receiver = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let (socket, from) = sender();
    socket.send_to("你好".as_bytes(), receiver.addr).unwrap();
    let raw = receiver.line();
    assert_eq!(raw, format!(r"from {from}: b'\xe4\xbd\xa0\xe5\xa5\xbd'"));
    assert_eq!(receiver.line(), "你好");
    socket.send_to(b"second", receiver.addr).unwrap();
    assert_eq!(receiver.line(), format!("from {from}: b'second'"));
    assert_eq!(receiver.line(), "second");
}

#[test]
fn gbk_decodes_like_the_tutorial_windows_peer() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut receiver = Proc::server(cmd(BIN, &args));
    let (socket, from) = sender();
    socket.send_to(b"\xc4\xe3\xba\xc3", receiver.addr).unwrap();
    assert_eq!(
        receiver.line(),
        format!(r"from {from}: b'\xc4\xe3\xba\xc3'")
    );
    assert_eq!(receiver.line(), "你好");
}

#[test]
fn undecodable_bytes_become_replacement_characters() {
    let mut receiver = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let (socket, _) = sender();
    socket.send_to(b"ok\xff\xfe", receiver.addr).unwrap();
    receiver.expect(r"b'ok\xff\xfe'");
    assert_eq!(receiver.line(), "ok\u{fffd}\u{fffd}");
    // an empty datagram is a datagram too
    socket.send_to(b"", receiver.addr).unwrap();
    receiver.expect("b''");
}

#[test]
fn a_large_datagram_is_not_cut() {
    let mut receiver = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let (socket, _) = sender();
    let big = vec![b'x'; 60_000];
    socket.send_to(&big, receiver.addr).unwrap();
    // the bytes, all of them; the text, its start and how much more
    let raw = receiver.line();
    assert!(raw.ends_with(&format!("b'{}'", "x".repeat(60_000))), "cut");
    let text = receiver.line();
    let start = "x".repeat(netcommon::SHOWN);
    assert_eq!(text, format!("{start} ... (58000 more characters)"));
}

#[test]
fn port_in_use_is_one_line_naming_the_address() {
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (status, _, stderr) = run(cmd(BIN, &[&addr]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&addr), "{stderr}");
    // Windows: WSAEADDRINUSE, in words of its own (Wine has none)
    let in_use = match testkit::testing_windows() {
        true => "(os error 10048)",
        false => "in use",
    };
    assert!(stderr.contains(in_use), "{stderr}");
}
