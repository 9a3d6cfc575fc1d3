//! 16-multi-thread-server: many clients at once, bad ones included.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use testkit::{cmd, load, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_16-multi-thread-server");

fn round_trip(client: &mut TcpStream, text: &str) -> String {
    client.write_all(text.as_bytes()).unwrap();
    let mut reply = vec![0; 10 + text.len()];
    client.read_exact(&mut reply).unwrap();
    String::from_utf8(reply).unwrap()
}

#[test]
fn two_clients_are_served_at_the_same_time() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut first = TcpStream::connect(server.addr).unwrap();
    let mut second = TcpStream::connect(server.addr).unwrap();
    // 08 would make the second wait until the first leaves
    assert_eq!(round_trip(&mut second, "second"), "received: second");
    assert_eq!(round_trip(&mut first, "first"), "received: first");
    drop(first);
    server.expect("left");
}

#[test]
fn two_hundred_clients_fifty_round_trips_despite_bad_clients() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "5");
    let server = Proc::server(command);
    // an idle client, one that sends 1 MB at once, one that resets
    let idle = TcpStream::connect(server.addr).unwrap();
    let mut big = TcpStream::connect(server.addr).unwrap();
    let chunk = vec![b'x'; 1 << 20];
    let sender = std::thread::spawn(move || {
        let _ = big.write_all(&chunk);
        big
    });
    let reset = TcpStream::connect(server.addr).unwrap();
    (&reset).write_all(b"bye").unwrap();
    reset.shutdown(Shutdown::Both).unwrap();
    drop(reset);
    let (failed, first) = load(server.addr, 200, 50);
    assert_eq!(failed, 0, "{failed} clients failed, first: {first}");
    drop((idle, sender.join().unwrap()));
    // and the server still answers
    let mut last = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut last, "still here"), "received: still here");
}

#[test]
fn restarting_binds_the_same_port_at_once() {
    let server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let addr = server.addr.to_string();
    // a served and closed connection leaves the port in TIME_WAIT
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    drop(server);
    drop(client);
    let again = Proc::server(cmd(BIN, &[&addr]));
    assert_eq!(again.addr.to_string(), addr);
}
