//! 66-multi-thread-server-quiet: many clients at once, bad ones included
//! (16's tests run against 66 too: tests/from_16.rs).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Instant;
use testkit::{cmd, load, round_trip, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_66-multi-thread-server-quiet");

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

/// Reads what a client gets without sending: a line, or nothing.
fn read_all(client: &mut TcpStream) -> String {
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = vec![];
    let _ = client.read_to_end(&mut got);
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_client_over_the_cap_is_told_busy_at_once() {
    let mut server =
        Proc::server(cmd(BIN, &["127.0.0.1:0", "--max-clients", "2"]));
    let mut first = TcpStream::connect(server.addr).unwrap();
    let mut second = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut first, "one"), "received: one");
    assert_eq!(round_trip(&mut second, "two"), "received: two");
    // the third is answered and closed at once, not left in the queue
    let mut third = TcpStream::connect(server.addr).unwrap();
    let third_addr = third.local_addr().unwrap();
    assert_eq!(read_all(&mut third), "busy: 2 clients, try later\n");
    server.expect(&format!("new client {third_addr}"));
    assert_eq!(server.line(), format!("client {third_addr}: busy, closed"));
    // once one leaves, there is room again
    let first_addr = first.local_addr().unwrap();
    drop(first);
    server.expect(&format!("client {first_addr} left"));
    // (the thread prints `left` a moment before it ends)
    let end = Instant::now() + DEADLINE;
    loop {
        let mut fourth = TcpStream::connect(server.addr).unwrap();
        fourth.write_all(b"four").unwrap();
        if read_all_after_shutdown(&mut fourth) == "received: four" {
            break;
        }
        assert!(Instant::now() < end, "still busy");
    }
}

/// Closes the sending side, then reads everything the server sends.
fn read_all_after_shutdown(client: &mut TcpStream) -> String {
    client.shutdown(Shutdown::Write).unwrap();
    read_all(client)
}

#[test]
fn an_idle_client_is_told_why_it_was_closed() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    let me = idle.local_addr().unwrap();
    assert_eq!(read_all(&mut idle), "", "closed without a word");
    server.expect(&format!("new client {me}"));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.3 s, closed")
    );
}

#[cfg(unix)]
#[test]
fn a_burst_of_1000_clients_under_a_thread_limit() {
    let Some(limited) =
        testkit::with_process_limit(&cmd(BIN, &["127.0.0.1:0"]), 40)
    else {
        return;
    };
    let mut server = Proc::server(limited);
    let idle = testkit::fds_and_threads(server.pid());
    let (served, busy, closed) = testkit::burst(server.addr, 1000);
    // some had a thread; for the others the system had none left
    assert!(served > 0 && closed > 0, "{served} {busy} {closed}");
    assert_eq!(served + busy + closed, 1000);
    let line = server.expect(": no thread: ");
    assert!(line.ends_with("Resource temporarily unavailable (os error 11)"));
    // every thread and socket of the burst is given back (first: a client
    // arriving while the burst's threads still end would find no thread
    // left under the limit), and the server goes on: a normal client is
    // served
    testkit::until_idle(server.pid(), idle);
    let mut after = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut after, "after"), "received: after");
    drop(after);
    testkit::until_idle(server.pid(), idle);
}

/// More clients than file descriptors (a cap above `ulimit -n`): the
/// clients past the limit wait in the listen queue, the server says
/// `accept failed: Too many open files` once and goes on; when the
/// clients leave, a new one is served and the server is back to its idle
/// counts (the old server ended with every client at the first failed
/// `accept`).
#[cfg(target_os = "linux")]
#[test]
fn more_clients_than_file_descriptors() {
    let command = cmd(BIN, &["127.0.0.1:0", "--max-clients", "100"]);
    let Some(limited) = testkit::with_fd_limit(&command, 32) else {
        return;
    };
    let mut server = Proc::server(limited);
    let idle = testkit::fds_and_threads(server.pid());
    let clients: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    server.expect("accept failed: Too many open files (os error 24)");
    drop(clients);
    let mut after = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut after, "after"), "received: after");
    drop(after);
    testkit::until_idle(server.pid(), idle);
}

/// A failed `accept` is said and tried again; once descriptors are free,
/// the waiting client is served.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_is_said_and_tried_again() {
    let command = cmd(BIN, &["127.0.0.1:0"]);
    let Some((_server, mut client)) =
        testkit::accept_fails_at_first(&command, None)
    else {
        return;
    };
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
}

/// The largest `--max-clients` there is means no cap; it used to
/// overflow (`max_clients + 1`): a panic at the first client.
#[test]
fn the_largest_max_clients_is_no_cap() {
    let max = usize::MAX.to_string();
    let args = ["127.0.0.1:0", "--max-clients", &max];
    let server = Proc::server(cmd(BIN, &args));
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
}
