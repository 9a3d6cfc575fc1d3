//! 01-udp-send against a UDP socket of the test's own.

use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_01-udp-send");

fn receiver() -> (UdpSocket, String) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    (socket, addr)
}

fn recv(socket: &UdpSocket) -> Vec<u8> {
    let mut buf = [0; 2048];
    let (len, _) = socket.recv_from(&mut buf).expect("a datagram");
    buf[..len].to_vec()
}

#[test]
fn each_line_is_one_datagram_until_exit() {
    let (socket, addr) = receiver();
    let mut sender = Proc::start(cmd(BIN, &[&addr]));
    sender.send_line("hello udp");
    assert_eq!(recv(&socket), b"hello udp");
    sender.send_line("你好");
    assert_eq!(recv(&socket), "你好".as_bytes());
    sender.send_line("exit");
    let (status, _, _) = sender.finish();
    assert!(status.success());
}

#[test]
fn gbk_on_the_wire() {
    let (socket, addr) = receiver();
    let mut sender = Proc::start(cmd(BIN, &[&addr, "--encoding", "gbk"]));
    sender.send_line("你好");
    assert_eq!(recv(&socket), b"\xc4\xe3\xba\xc3");
}

#[test]
fn end_of_input_stops_after_sending_everything() {
    let (socket, addr) = receiver();
    let (status, _, _) = run(cmd(BIN, &[&addr]), b"one\ntwo\n");
    assert!(status.success());
    assert_eq!(recv(&socket), b"one");
    assert_eq!(recv(&socket), b"two");
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    for args in [&["nonsense"][..], &["1", "2"], &["--encoding", "nope"]] {
        let (status, _, stderr) = run(cmd(BIN, args), b"");
        assert_eq!(status.code(), Some(2), "{args:?}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("usage: 01-udp-send"), "{stderr}");
    }
    let (status, stdout, _) = run(cmd(BIN, &["--help"]), b"");
    assert!(status.success());
    assert!(stdout.contains("usage: 01-udp-send"));
}

#[test]
fn a_malformed_address_is_a_usage_error_naming_every_form() {
    for bad in ["127.0.0.1:99999", "1.2.3", ":80", "[::1]", "::1:80"] {
        let (status, _, stderr) = run(cmd(BIN, &[bad]), b"");
        assert_eq!(status.code(), Some(2), "{bad}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: bad DEST {bad:?}: use PORT, IP:PORT, HOST:PORT or \
                 [IPv6]:PORT\nusage: 01-udp-send [DEST=127.0.0.1:8080] \
                 [--encoding LABEL]\n"
            )
        );
    }
}

#[test]
fn a_name_that_does_not_resolve_exits_1() {
    // `a..b` is not a valid host name: the system's resolver refuses it
    // without asking a DNS server, so nothing leaves the machine
    let (status, _, stderr) = run(cmd(BIN, &["a..b:80"]), b"");
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("Error: cannot resolve a..b:80: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// Without SO_BROADCAST (lesson 12) the system refuses a broadcast
/// address: one line, naming it.
#[cfg(target_os = "linux")]
#[test]
fn a_broadcast_address_is_refused_in_one_line() {
    let (status, _, stderr) = run(cmd(BIN, &["127.255.255.255:9"]), b"hi\n");
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(
        testkit::os_errors_unsaid(&stderr),
        testkit::os_errors_unsaid(
            "Error: 127.255.255.255:9: Permission denied (os error 13)\n"
        )
    );
}

/// The socket is IPv4 (`0.0.0.0:0`, the tutorial's AF_INET): an IPv6
/// destination fails with one line that names it.
#[cfg(target_os = "linux")]
#[test]
fn an_ipv6_destination_is_named_in_the_error() {
    let (status, _, stderr) = run(cmd(BIN, &["[::1]:9"]), b"hi\n");
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(
        testkit::os_errors_unsaid(&stderr),
        testkit::os_errors_unsaid(
            "Error: [::1]:9: Address family not supported by protocol \
             (os error 97)\n"
        )
    );
}
