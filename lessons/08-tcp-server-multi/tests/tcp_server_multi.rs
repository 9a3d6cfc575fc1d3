//! 08-tcp-server-multi: each client is served until it closes.

use std::io::{Read, Write};
use std::net::TcpStream;
use testkit::{cmd, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_08-tcp-server-multi");

fn round_trip(client: &mut TcpStream, text: &[u8]) -> Vec<u8> {
    client.write_all(text).unwrap();
    let mut buf = [0; 1024];
    let len = client.read(&mut buf).unwrap();
    buf[..len].to_vec()
}

#[test]
fn answers_every_message_until_the_client_leaves() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    for round in 0..3 {
        let mut client = TcpStream::connect(server.addr).unwrap();
        let me = client.local_addr().unwrap();
        server.expect(&format!("new client {me}"));
        for i in 0..4 {
            let text = format!("round {round} message {i}");
            let answer = round_trip(&mut client, text.as_bytes());
            assert_eq!(answer, format!("received: {text}").as_bytes());
        }
        drop(client);
        server.expect(&format!("client {me} left"));
    }
}

#[test]
fn gbk_on_the_wire() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut server = Proc::server(cmd(BIN, &args));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let answer = round_trip(&mut client, b"\xc4\xe3\xba\xc3");
    assert_eq!(answer, b"received: \xc4\xe3\xba\xc3");
    server.expect("received: 你好");
}

#[test]
fn an_idle_client_does_not_hold_the_server_forever() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let idle = TcpStream::connect(server.addr).unwrap();
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut next, b"hi"), b"received: hi");
    server.expect("idle for 0.3 s, closed");
    drop(idle);
}

#[test]
fn a_client_that_never_reads_is_dropped() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.5");
    let mut server = Proc::server(command);
    // sends 8 MB and never reads the answers: the server's writes block
    let flooder = TcpStream::connect(server.addr).unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..8 {
            if (&flooder).write_all(&chunk).is_err() {
                break;
            }
        }
        flooder
    });
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut next, b"my turn"), b"received: my turn");
    let flooder = writer.join().unwrap();
    let flooder_addr = flooder.local_addr().unwrap();
    server.expect(&format!("client {flooder_addr}: "));
}

#[test]
fn an_idle_client_is_told_why_it_was_closed() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    let me = idle.local_addr().unwrap();
    assert_eq!(idle.read(&mut [0; 16]).unwrap(), 0, "closed without a word");
    assert_eq!(server.line(), format!("new client {me}"));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.3 s, closed")
    );
}

#[test]
fn control_characters_are_logged_escaped_on_one_line() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let forged = "\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged";
    let answer = round_trip(&mut client, forged.as_bytes());
    assert_eq!(answer, format!("received: {forged}").as_bytes());
    server.expect("new client");
    assert_eq!(
        server.line(),
        r"received: \x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged"
    );
    drop(client);
    server.expect("left");
}

/// A failed `accept` (here: no file descriptor left for the client's
/// socket, the soft limit set to what the server uses already) is said
/// and tried again; once descriptors are free, the waiting client is
/// served (the old server ended with `Error: Too many open files`).
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_is_said_and_tried_again() {
    let command = cmd(BIN, &["127.0.0.1:0"]);
    let Some((mut server, mut client)) =
        testkit::accept_fails_at_first(&command, None)
    else {
        return;
    };
    assert_eq!(round_trip(&mut client, b"hi"), b"received: hi");
    let me = client.local_addr().unwrap();
    server.expect(&format!("new client {me}"));
}
