//! 12-udp-broadcast: a datagram to the loopback broadcast address reaches
//! 02-udp-recv bound to 0.0.0.0. Never 255.255.255.255 here: on a machine
//! with a network, that leaves the machine.

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;
use testkit::{cmd, lesson_bin, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_12-udp-broadcast");

#[test]
fn every_receiver_on_the_port_gets_it() {
    // two plain receivers on one port (SO_REUSEADDR lets them share it)
    let mut receiver =
        Proc::server(cmd(&lesson_bin("02-udp-recv"), &["0.0.0.0:0"]));
    let port = receiver.addr.port();
    let dest = format!("127.255.255.255:{port}");
    let mut sender = Proc::start(cmd(BIN, &[&dest]));
    sender.send_line("hello everyone");
    receiver.expect("b'hello everyone'");
    sender.send_line("exit");
    assert!(sender.finish().0.success());
}

#[test]
fn without_broadcast_permission_the_same_send_fails() {
    // the lesson's point: SO_BROADCAST is what makes the send allowed
    let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    socket
        .set_write_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let denied = socket.send_to(b"x", "127.255.255.255:9");
    assert!(denied.is_err(), "a broadcast without SO_BROADCAST was sent");
}

/// Inside a fresh network namespace there is only loopback and no route to
/// 255.255.255.255: the lesson must fail with its hint, and nothing can
/// leave the machine. Needs root (CI runs as root); skips visibly if not.
#[test]
fn no_route_gives_a_one_line_hint() {
    if testkit::missing("ip") || testkit::missing_root("add a namespace") {
        return;
    }
    let name = format!("nl12-{}", std::process::id());
    let added = Command::new("ip").args(["netns", "add", &name]).status();
    assert!(added.is_ok_and(|s| s.success()), "ip netns add failed");
    let mut inside = Command::new("ip");
    inside.args(["netns", "exec", &name, BIN]);
    let (status, _, stderr) = run(inside, b"hello\n");
    let _ = Command::new("ip").args(["netns", "delete", &name]).status();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("try 127.255.255.255:8080"), "{stderr}");
}
