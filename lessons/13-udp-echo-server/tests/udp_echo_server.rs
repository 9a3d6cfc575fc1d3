//! 13-udp-echo-server: every datagram comes back unchanged, to whoever
//! sent it, and is shown on one line. 24, the end of 13's chain, runs
//! these tests too.

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;
use testkit::{cmd, missing, run, Proc, DEADLINE};

/// 13, or the lesson of its chain that includes this file
static BIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    testkit::this_lesson(env!("CARGO_MANIFEST_DIR"))
});

fn client() -> UdpSocket {
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client
}

#[test]
fn echoes_bytes_unchanged_and_logs_them_decoded() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut server = Proc::server(cmd(&BIN, &args));
    let client = client();
    let me = client.local_addr().unwrap();
    for data in [
        &b"\xc4\xe3\xba\xc3"[..],
        b"",
        b"\xff\x00binary",
        &[b'x'; 60_000],
    ] {
        client.send_to(data, server.addr).unwrap();
        let mut buf = vec![0; 65536];
        let (len, from) = client.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..len], data, "echoed whole and unchanged");
        assert_eq!(from, server.addr);
    }
    assert_eq!(server.line(), format!("from {me}: 你好"));
    assert_eq!(server.line(), format!("from {me}:")); // an empty one
    assert_eq!(server.line(), format!("from {me}: \u{fffd}\\x00binary"));
    let start = "x".repeat(netcommon::SHOWN);
    let big = format!("from {me}: {start} ... (58000 more characters)");
    assert_eq!(server.line(), big);
}

#[test]
fn a_client_that_never_bound_gets_its_echo_at_the_port_it_was_given() {
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    // two clients that did not bind: the system gives each a port at its
    // first send_to, and each echo goes to its own sender
    let clients = [0, 1].map(|_| client());
    for (n, client) in clients.iter().enumerate() {
        client
            .send_to(format!("client {n}").as_bytes(), server.addr)
            .unwrap();
    }
    for (n, client) in clients.iter().enumerate() {
        let mut buf = [0; 64];
        let (len, _) = client.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..len], format!("client {n}").as_bytes());
        let me = client.local_addr().unwrap();
        assert_eq!(server.line(), format!("from {me}: client {n}"));
    }
}

#[test]
fn echoes_to_nc() {
    if missing("nc") {
        return;
    }
    let server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let mut nc = Command::new("nc");
    nc.args(["-u", "-w1", "127.0.0.1", &server.addr.port().to_string()]);
    let (status, stdout, _) = run(nc, b"echo me\n");
    assert!(status.success());
    assert_eq!(stdout, "echo me");
}

#[test]
fn control_characters_are_logged_escaped_on_one_line() {
    let forged = "\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged";
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let client = client();
    client.send_to(forged.as_bytes(), server.addr).unwrap();
    let mut buf = [0; 100];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], forged.as_bytes(), "echoed unchanged");
    let me = client.local_addr().unwrap();
    assert_eq!(
        server.line(),
        format!(r"from {me}: \x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged")
    );
    // the next datagram's line comes next: nothing else was printed
    client.send_to(b"next", server.addr).unwrap();
    assert_eq!(server.line(), format!("from {me}: next"));
}

#[test]
fn an_echo_to_a_closed_port_does_not_stop_the_server() {
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    // a client that sends and leaves before its echo arrives
    let gone = UdpSocket::bind("127.0.0.1:0").unwrap();
    gone.send_to(b"bye", server.addr).unwrap();
    let gone_addr = gone.local_addr().unwrap();
    drop(gone);
    server.expect(&format!("from {gone_addr}: bye"));
    let client = client();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    client.send_to(b"still there?", server.addr).unwrap();
    let mut buf = [0; 64];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"still there?");
}

#[test]
fn port_in_use_is_one_line_naming_the_address() {
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (status, _, stderr) = run(cmd(&BIN, &[&addr]), b"");
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
