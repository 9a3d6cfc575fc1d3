//! 03-udp-bind: datagrams leave from the fixed local address.

use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_03-udp-bind");

#[test]
fn sends_from_the_bound_port() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let dest = socket.local_addr().unwrap().to_string();
    // a fixed port the test knows is free: bind, note it, release it
    let free = UdpSocket::bind("127.0.0.1:0").unwrap();
    let local = free.local_addr().unwrap();
    drop(free);
    let local_arg = local.to_string();
    let mut sender = Proc::start(cmd(BIN, &[&dest, &local_arg]));
    assert_eq!(sender.line(), format!("sending from {local}"));
    for text in ["first", "second"] {
        sender.send_line(text);
        let mut buf = [0; 64];
        let (len, src_addr) = socket.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..len], text.as_bytes());
        assert_eq!(src_addr, local);
    }
    sender.send_line("exit");
    assert!(sender.finish().0.success());
}

#[test]
fn local_port_in_use_is_an_error_naming_it() {
    let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
    let local = taken.local_addr().unwrap().to_string();
    let (status, _, stderr) = run(cmd(BIN, &["9", &local]), b"");
    assert_eq!(status.code(), Some(1));
    // Windows: WSAEADDRINUSE, in words of its own (Wine has none)
    let in_use = match testkit::testing_windows() {
        true => "(os error 10048)",
        false => "Address already in use",
    };
    let said = stderr.strip_prefix(&format!("Error: {local}: "));
    assert!(said.is_some_and(|s| s.contains(in_use)), "{stderr}");
}
