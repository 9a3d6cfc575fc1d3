//! 64-multi-thread-server-cap: silent clients take a thread each from 16,
//! without limit; 64 serves at most `--max-clients` and tells the rest
//! `busy`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Instant;
use testkit::{cmd, round_trip, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_64-multi-thread-server-cap");

/// Opens `count` clients that say nothing, and waits until the server
/// has taken each (its `new client` line).
#[cfg(target_os = "linux")]
fn silent_clients(server: &mut Proc, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            let client = TcpStream::connect(server.addr).unwrap();
            let me = client.local_addr().unwrap();
            server.expect(&format!("new client {me}"));
            client
        })
        .collect()
}

/// Waits until the server runs `threads` threads, and fails after the
/// deadline.
#[cfg(target_os = "linux")]
fn until_threads(server: &Proc, threads: usize) {
    let end = Instant::now() + DEADLINE;
    while testkit::fds_and_threads(server.pid()).1 != threads {
        assert!(
            Instant::now() < end,
            "{} threads, not {threads}",
            testkit::fds_and_threads(server.pid()).1
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// What a client reads without sending: a line, or nothing.
fn read_all(client: &mut TcpStream) -> String {
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = vec![];
    let _ = client.read_to_end(&mut got);
    String::from_utf8_lossy(&got).into_owned()
}

/// The attack: 12 connections that say nothing. 16 gives each a thread
/// (1,000 would take 1,000); 64 with `--max-clients 4` gives 4 and tells
/// the other 8 `busy`, and a thread stays free for the next client.
#[cfg(target_os = "linux")]
#[test]
fn silent_clients_take_a_thread_each_from_16_not_from_64() {
    let sixteen = testkit::lesson_bin("16-multi-thread-server");
    let mut server = Proc::server(cmd(&sixteen, &["127.0.0.1:0"]));
    let _held = silent_clients(&mut server, 12);
    until_threads(&server, 1 + 12); // main thread + one per client

    let args = ["127.0.0.1:0", "--max-clients", "4"];
    let mut server = Proc::server(cmd(BIN, &args));
    let mut held = silent_clients(&mut server, 12);
    for client in &mut held[4..] {
        assert_eq!(read_all(client), "busy: 4 clients, try later\n");
    }
    until_threads(&server, 1 + 4);
    // the four served are still served
    assert_eq!(round_trip(&mut held[0], "hi"), "received: hi");
}

#[test]
fn a_client_over_the_cap_is_told_busy_and_room_comes_back() {
    let args = ["127.0.0.1:0", "--max-clients", "1"];
    let mut server = Proc::server(cmd(BIN, &args));
    let mut first = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut first, "one"), "received: one");
    let mut second = TcpStream::connect(server.addr).unwrap();
    let second_addr = second.local_addr().unwrap();
    assert_eq!(read_all(&mut second), "busy: 1 clients, try later\n");
    server.expect(&format!("new client {second_addr}"));
    assert_eq!(server.line(), format!("client {second_addr}: busy, closed"));
    // once the first leaves, there is room again (its thread says `left`
    // a moment before it lets go of its place: try until served)
    let first_addr = first.local_addr().unwrap();
    drop(first);
    server.expect(&format!("client {first_addr} left"));
    let end = Instant::now() + DEADLINE;
    loop {
        let mut third = TcpStream::connect(server.addr).unwrap();
        third.write_all(b"three").unwrap();
        third.shutdown(Shutdown::Write).unwrap();
        if read_all(&mut third) == "received: three" {
            break;
        }
        assert!(Instant::now() < end, "still busy");
    }
}

/// The largest `--max-clients` there is means no cap (no overflow).
#[test]
fn the_largest_max_clients_is_no_cap() {
    let max = usize::MAX.to_string();
    let args = ["127.0.0.1:0", "--max-clients", &max];
    let server = Proc::server(cmd(BIN, &args));
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
}
