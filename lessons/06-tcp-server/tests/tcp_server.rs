//! 06-tcp-server: one client, one answer, then the server exits.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use testkit::{cmd, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_06-tcp-server");

fn reply(stream: &mut TcpStream) -> Vec<u8> {
    let mut data = vec![];
    stream.read_to_end(&mut data).unwrap();
    data
}

#[test]
fn answers_one_client_once_and_exits() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let me = client.local_addr().unwrap();
    server.expect(&format!("new client {me}"));
    client.write_all("你好".as_bytes()).unwrap();
    assert_eq!(reply(&mut client), "received: 你好".as_bytes());
    server.expect("received: 你好");
    let (status, _, _) = server.finish();
    assert!(status.success());
}

#[test]
fn gbk_on_the_wire() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut server = Proc::server(cmd(BIN, &args));
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.write_all(b"\xc4\xe3\xba\xc3").unwrap();
    assert_eq!(reply(&mut client), b"received: \xc4\xe3\xba\xc3");
    server.expect("received: 你好");
}

#[test]
fn port_in_use_is_one_line_naming_the_address() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (status, _, stderr) = run(cmd(BIN, &[&addr]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    if testkit::testing_windows() {
        // WSAEADDRINUSE, in Windows' words (Wine has none for it)
        let said = stderr.strip_prefix(&format!("Error: {addr}: "));
        let in_use = said.is_some_and(|s| s.ends_with(" (os error 10048)\n"));
        assert!(in_use, "{stderr}");
        return;
    }
    assert!(
        stderr.contains(&format!("Error: {addr}: Address already in use")),
        "{stderr}"
    );
}
