//! 17-multi-process-server: one child per client, all reaped.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};
use testkit::{children, cmd, load, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_17-multi-process-server");

fn round_trip(client: &mut TcpStream, text: &str) -> String {
    client.write_all(text.as_bytes()).unwrap();
    let mut reply = vec![0; 10 + text.len()];
    client.read_exact(&mut reply).unwrap();
    String::from_utf8(reply).unwrap()
}

/// Waits until the server has no child left (fails after the deadline).
fn until_no_children(server: &Proc) {
    let end = Instant::now() + DEADLINE;
    while !children(server.pid()).1.is_empty() {
        assert!(
            Instant::now() < end,
            "children left: {:?}",
            children(server.pid())
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn each_client_has_its_own_child_process() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut first = TcpStream::connect(server.addr).unwrap();
    let mut second = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut second, "second"), "received: second");
    assert_eq!(round_trip(&mut first, "你好"), "received: 你好");
    let line = server.expect("child pid");
    let pid: u32 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(children(server.pid()).1.contains(&pid));
    drop(first);
    drop(second);
    server.expect("left");
    until_no_children(&server);
}

#[test]
fn a_finished_child_is_reaped_without_waiting_for_the_next_client() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    drop(client);
    server.expect("left");
    until_no_children(&server);
    assert!(children(server.pid()).0.is_empty());
}

#[test]
fn two_hundred_clients_fifty_round_trips_then_no_children() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "5");
    let server = Proc::server(command);
    let idle = TcpStream::connect(server.addr).unwrap();
    let reset = TcpStream::connect(server.addr).unwrap();
    (&reset).write_all(b"bye").unwrap();
    reset.shutdown(Shutdown::Both).unwrap();
    drop(reset);
    let (failed, first) = load(server.addr, 200, 50);
    assert_eq!(failed, 0, "{failed} clients failed, first: {first}");
    drop(idle);
    until_no_children(&server);
    let mut last = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut last, "still here"), "received: still here");
}
