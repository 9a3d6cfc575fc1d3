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
    let server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    // one that connects and leaves at once
    drop(TcpStream::connect(server.addr).unwrap());
    // one that sends bytes that are not UTF-8
    assert_eq!(
        ask(&server, b"\xff\xfe"),
        "received: \u{fffd}\u{fffd}".as_bytes()
    );
    // one that sends and closes before reading the answer
    let rude = TcpStream::connect(server.addr).unwrap();
    (&rude).write_all(b"bye").unwrap();
    rude.shutdown(Shutdown::Both).unwrap();
    assert_eq!(ask(&server, b"still here"), b"received: still here");
}
