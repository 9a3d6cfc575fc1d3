//! 12-udp-broadcast: a datagram to the loopback broadcast address reaches
//! 02-udp-recv bound to 0.0.0.0. Never 255.255.255.255 here: on a machine
//! with a network, that leaves the machine.

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;
use testkit::{cmd, lesson_bin, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_12-udp-broadcast");

#[test]
fn a_receiver_on_the_port_gets_it() {
    // (two hosts each getting the same datagram: the lab test of
    // scripts/lab, in crates/testkit/tests/scripts.rs)
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

/// Runs 12 with its default destination (255.255.255.255:8080) inside a
/// fresh network namespace, where even loopback is down and nothing has a
/// route: every send fails, and nothing can leave the machine. Returns its
/// exit code and stderr.
fn in_an_empty_namespace() -> Option<(Option<i32>, String)> {
    if testkit::missing("ip") || testkit::missing_root("add a namespace") {
        return None;
    }
    let name = format!("nl12-{}", std::process::id());
    let added = Command::new("ip").args(["netns", "add", &name]).status();
    assert!(added.is_ok_and(|s| s.success()), "ip netns add failed");
    let mut inside = Command::new("ip");
    inside.args(["netns", "exec", &name, BIN]);
    let (status, _, stderr) = run(inside, b"hello\n");
    let _ = Command::new("ip").args(["netns", "delete", &name]).status();
    Some((status.code(), stderr))
}

/// No route to 255.255.255.255 (the default): one line, naming it.
#[test]
fn no_route_is_one_line() {
    let Some((code, stderr)) = in_an_empty_namespace() else {
        return;
    };
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "Error: 255.255.255.255:8080: Network is unreachable (os error 101)\n"
    );
}
