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
