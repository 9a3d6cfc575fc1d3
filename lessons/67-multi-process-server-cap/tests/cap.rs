//! 67-multi-process-server-cap: the attack (a flood of silent clients)
//! against 17, which forks a child for each, and against 67, which keeps
//! at most `--max-clients` children alive and tells the others `busy`.
#![cfg(unix)] // the lesson is Unix-only (fork)

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};
use testkit::{children, cmd, lesson_bin, round_trip, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_67-multi-process-server-cap");

/// Opens `count` clients that say nothing; each waits until the server
/// has said what it does with it (a child, or busy).
fn silent_clients(server: &mut Proc, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            let client = TcpStream::connect(server.addr).unwrap();
            let me = client.local_addr().unwrap();
            server.expect(&format!("client {me}: "));
            client
        })
        .collect()
}

/// Waits until the server has `count` children (fails after the deadline).
fn until_children(server: &Proc, count: usize) {
    let end = Instant::now() + DEADLINE;
    while children(server.pid()).1.len() != count {
        let now = children(server.pid()).1.len();
        assert!(Instant::now() < end, "{now} children, not {count}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What a client gets without sending: a line, or nothing.
fn read_all(client: &mut TcpStream) -> String {
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = vec![];
    let _ = client.read_to_end(&mut got);
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn seventeen_forks_a_child_for_every_silent_client() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let bin = lesson_bin("17-multi-process-server");
    let mut server = Proc::server(cmd(&bin, &["127.0.0.1:0"]));
    let _flood = silent_clients(&mut server, 100);
    // a hundred clients that say nothing: a hundred processes, and no end
    until_children(&server, 100);
}

#[test]
fn the_cap_holds_the_children_to_max_clients_and_says_busy() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let args = ["127.0.0.1:0", "--max-clients", "10"];
    let mut server = Proc::server(cmd(BIN, &args));
    let mut flood = silent_clients(&mut server, 100);
    until_children(&server, 10);
    // the ten first have a child each; the 90 others were told at once
    for client in &mut flood[10..] {
        assert_eq!(read_all(client), "busy: 10 clients, try later\n");
    }
    let mut late = TcpStream::connect(server.addr).unwrap();
    assert_eq!(read_all(&mut late), "busy: 10 clients, try later\n");
}

/// The cap counts the children alive: as clients leave, their children
/// end, and new clients are served again.
#[test]
fn children_that_end_free_their_place() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let args = ["127.0.0.1:0", "--max-clients", "3"];
    let mut server = Proc::server(cmd(BIN, &args));
    for round in 0..5 {
        let mut clients = silent_clients(&mut server, 3);
        for client in &mut clients {
            let text = format!("round {round}");
            assert_eq!(round_trip(client, &text), format!("received: {text}"));
        }
        drop(clients);
        until_children(&server, 0);
    }
}

/// `--max-clients` as large as it goes means no cap (no overflow).
#[test]
fn the_largest_max_clients_is_no_cap() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let max = usize::MAX.to_string();
    let args = ["127.0.0.1:0", "--max-clients", &max];
    let server = Proc::server(cmd(BIN, &args));
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
}
