//! 68-multi-process-server-timeout: the attack (a client that connects
//! and says nothing, holding the only place) against 67, which keeps it
//! for ever, and against 68, whose child lets it go after the idle time.
#![cfg(unix)] // the lesson is Unix-only (fork)

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, round_trip, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_68-multi-process-server-timeout");

/// Waits until the server's children have ended (fails after the deadline).
fn until_no_children(server: &Proc) {
    let end = Instant::now() + DEADLINE;
    while !testkit::children(server.pid()).1.is_empty() {
        assert!(Instant::now() < end, "a child is left");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A server with room for one client, silent ones let go after 0.5 s
/// (68; 67 reads the variable not at all).
fn one_place(bin: &str) -> Proc {
    let mut command = cmd(bin, &["127.0.0.1:0", "--max-clients", "1"]);
    command.env("IDLE_TIMEOUT_SECS", "0.5");
    Proc::server(command)
}

/// What a client gets within `wait` without sending: Ok(text) when the
/// server closed, Err when it still holds the connection open.
fn read_for(client: &mut TcpStream, wait: Duration) -> Result<String, ()> {
    client.set_read_timeout(Some(wait)).unwrap();
    let mut got = vec![];
    match client.read_to_end(&mut got) {
        Ok(_) => Ok(String::from_utf8_lossy(&got).into_owned()),
        Err(e) if e.kind() == ErrorKind::WouldBlock => Err(()),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_silent_client_holds_67s_only_place_for_ever() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = one_place(&lesson_bin("67-multi-process-server-cap"));
    let mut silent = TcpStream::connect(server.addr).unwrap();
    server.expect("child pid");
    // three times 68's idle time: still open, and the next one is busy
    assert_eq!(read_for(&mut silent, Duration::from_millis(1500)), Err(()));
    let mut next = TcpStream::connect(server.addr).unwrap();
    let busy = read_for(&mut next, DEADLINE);
    assert_eq!(busy.unwrap(), "busy: 1 clients, try later\n");
}

#[test]
fn a_silent_client_is_let_go_and_the_next_one_served() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = one_place(BIN);
    let mut silent = TcpStream::connect(server.addr).unwrap();
    let me = silent.local_addr().unwrap();
    server.expect("child pid");
    assert_eq!(read_for(&mut silent, DEADLINE), Ok(String::new()));
    // the child says why, naming its client, and ends
    server.expect(&format!("client {me}: idle for 0.5 s, closed"));
    until_no_children(&server);
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut next, "my turn"), "received: my turn");
}

/// A client that talks is not idle, however long it stays.
#[test]
fn a_client_that_talks_stays() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let server = one_place(BIN);
    let mut client = TcpStream::connect(server.addr).unwrap();
    for i in 0..6 {
        std::thread::sleep(Duration::from_millis(200)); // a slow typist
        let text = format!("line {i}");
        assert_eq!(round_trip(&mut client, &text), format!("received: {text}"));
    }
}

/// A failed `accept` (no file descriptor left for the client's socket)
/// is said and tried again; once descriptors are free, the waiting
/// client gets its child.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_is_said_and_tried_again() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let command = cmd(BIN, &["127.0.0.1:0"]);
    let Some((mut server, mut client)) =
        testkit::accept_fails_at_first(&command, None)
    else {
        return;
    };
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    drop(client);
    server.expect("left");
}
