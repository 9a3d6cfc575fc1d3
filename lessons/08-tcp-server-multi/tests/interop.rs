//! 08-tcp-server-multi with the tutorial's looping client, nc and socat.

use std::process::Command;
use testkit::{cmd, missing, python, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_08-tcp-server-multi");

#[test]
fn with_the_tutorial_client() {
    if missing("python3") {
        return;
    }
    let server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let port = server.addr.port().to_string();
    let client = python("tcp_client.py", &["127.0.0.1", &port]);
    let (status, stdout, err) = run(client, b"test\nexit\n");
    assert!(status.success(), "{err}");
    assert!(stdout.contains("b'received: test'"), "{stdout}");
    assert!(stdout.contains("b'received: exit'"), "{stdout}");
}

#[test]
fn with_nc_and_socat() {
    if missing("nc") {
        return;
    }
    if missing("socat") {
        return;
    }
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let port = server.addr.port().to_string();
    let mut nc = Command::new("nc");
    nc.args(["-N", "127.0.0.1", &port]);
    let (status, stdout, _) = run(nc, b"hello from nc");
    assert!(status.success());
    assert_eq!(stdout, "received: hello from nc");
    server.expect("left");
    let mut socat = Command::new("socat");
    socat.args(["-", &format!("TCP:127.0.0.1:{port}")]);
    let (status, stdout, _) = run(socat, b"hello from socat");
    assert!(status.success());
    assert_eq!(stdout, "received: hello from socat");
}
