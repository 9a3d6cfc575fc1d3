//! 07-tcp-server-loop: clients one after another, each answered once.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use testkit::{cmd, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_07-tcp-server-loop");

fn ask(server: &Proc, text: &[u8]) -> Vec<u8> {
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.write_all(text).unwrap();
    let mut data = vec![];
    client.read_to_end(&mut data).unwrap();
    data
}

#[test]
fn many_clients_one_after_another() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    for i in 0..5 {
        let text = format!("client {i}");
        assert_eq!(
            ask(&server, text.as_bytes()),
            format!("received: {text}").as_bytes()
        );
        server.expect("served");
    }
}

#[test]
fn bad_clients_do_not_stop_the_server() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    // one that connects and leaves at once
    drop(TcpStream::connect(server.addr).unwrap());
    // one that sends bytes that are not UTF-8
    assert_eq!(
        ask(&server, b"\xff\xfe"),
        "received: \u{fffd}\u{fffd}".as_bytes()
    );
    // one that says nothing: it times out, the next client is served
    let idle = TcpStream::connect(server.addr).unwrap();
    assert_eq!(ask(&server, b"after idle"), b"received: after idle");
    server.expect("idle for 0.3 s, closed");
    // one that sends and closes before reading the answer
    let rude = TcpStream::connect(server.addr).unwrap();
    (&rude).write_all(b"bye").unwrap();
    rude.shutdown(Shutdown::Both).unwrap();
    assert_eq!(ask(&server, b"still here"), b"received: still here");
    drop(idle);
}

#[test]
fn an_idle_client_is_told_why_it_was_closed() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    let me = idle.local_addr().unwrap();
    let mut got = vec![];
    idle.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"", "closed without a word");
    assert_eq!(server.line(), format!("new client {me}"));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.3 s, closed")
    );
}

/// A failed `accept` (no file descriptor left for the client's socket) is
/// said and tried again; once descriptors are free, the waiting client is
/// served.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_is_said_and_tried_again() {
    let command = cmd(BIN, &["127.0.0.1:0"]);
    let Some((mut server, mut client)) =
        testkit::accept_fails_at_first(&command, None)
    else {
        return;
    };
    client.write_all(b"hi").unwrap();
    let mut reply = vec![];
    client.read_to_end(&mut reply).unwrap();
    assert_eq!(reply, b"received: hi");
    let me = client.local_addr().unwrap();
    server.expect(&format!("new client {me}"));
}
