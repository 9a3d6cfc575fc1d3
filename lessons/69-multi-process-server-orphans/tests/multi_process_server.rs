//! 69-multi-process-server-orphans, the end of 17's chain: everything
//! 17 did before the course split (a child per client, all reaped, the
//! cap, the idle timeout, a failed accept tried again), and children that
//! end with their parent.
#![cfg(unix)] // the lesson is Unix-only (fork)

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};
use testkit::{children, cmd, load, round_trip, until_idle, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_69-multi-process-server-orphans");

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
fn a_finished_child_is_reaped_without_waiting_for_the_next_client() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
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
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
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

/// Reads what a client gets without sending: a line, or nothing.
fn read_all(client: &mut TcpStream) -> String {
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = vec![];
    let _ = client.read_to_end(&mut got);
    String::from_utf8_lossy(&got).into_owned()
}

#[cfg(unix)]
/// The child's pid from `client ADDR: child pid N`.
fn child_pid(server: &mut Proc, client: &TcpStream) -> u32 {
    let me = client.local_addr().unwrap();
    let line = server.expect(&format!("client {me}: child pid "));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_childs_failure_is_said_plainly_and_names_its_client() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    let me = idle.local_addr().unwrap();
    assert_eq!(read_all(&mut idle), "", "closed without a word");
    server.expect(&format!("client {me}: child pid "));
    // the child says why, in one line naming its client, and ends
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.3 s, closed")
    );
    until_no_children(&server);
}

/// A child killed from outside: its client sees the end at once (the
/// parent closed its copy of the socket), the system reaps the child, and
/// the other clients go on.
#[cfg(unix)]
#[test]
fn a_killed_childs_client_sees_the_end_and_the_others_go_on() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let mut other = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    let pid = child_pid(&mut server, &client);
    kill(libc::SIGKILL, pid);
    assert_eq!(read_all(&mut client), "", "closed");
    assert_eq!(round_trip(&mut other, "still"), "received: still");
    drop(other);
    until_no_children(&server);
    assert!(children(server.pid()).0.is_empty(), "no zombie");
}

/// `kill -SIGNAL PID` (no `kill` program needed), which must succeed.
fn kill(signal: i32, pid: u32) {
    // SAFETY: a plain system call on a process id
    assert_eq!(unsafe { libc::kill(pid as i32, signal) }, 0);
}

#[test]
fn a_client_over_the_cap_is_told_busy_at_once() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server =
        Proc::server(cmd(BIN, &["127.0.0.1:0", "--max-clients", "2"]));
    let mut first = TcpStream::connect(server.addr).unwrap();
    let mut second = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut first, "one"), "received: one");
    assert_eq!(round_trip(&mut second, "two"), "received: two");
    let mut third = TcpStream::connect(server.addr).unwrap();
    let third_addr = third.local_addr().unwrap();
    assert_eq!(read_all(&mut third), "busy: 2 clients, try later\n");
    server.expect(&format!("client {third_addr}: busy, closed"));
}

/// Whether process `pid` runs (is there and not a zombie).
fn running(pid: u32) -> bool {
    let state = testkit::processes().get(&pid).map(|p| p.1[0].clone());
    state.is_some_and(|state| state != "Z")
}

/// Waits until process `pid` has ended (fails after the deadline).
fn until_ended(pid: u32) {
    let end = Instant::now() + DEADLINE;
    while running(pid) {
        assert!(Instant::now() < end, "{pid} still runs");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kills a server's parent with `signal` while it has two clients, and
/// returns the server (whose output the children still write to), their
/// children's pids and the clients.
fn kill_the_parent(bin: &str, signal: i32) -> (Proc, Vec<u32>, Vec<TcpStream>) {
    let mut server = Proc::server(cmd(bin, &["127.0.0.1:0"]));
    let mut clients = vec![];
    let mut pids = vec![];
    for text in ["one", "two"] {
        let mut client = TcpStream::connect(server.addr).unwrap();
        assert_eq!(round_trip(&mut client, text), format!("received: {text}"));
        pids.push(child_pid(&mut server, &client));
        clients.push(client);
    }
    kill(signal, server.pid());
    until_ended(server.pid());
    (server, pids, clients)
}

/// Issue 21 row 13, against 68: its parent killed with a plain `kill`,
/// the children go on serving (orphans that no cap counts, and that hold
/// the listening socket).
#[cfg(unix)]
#[test]
fn the_children_of_68_outlive_their_killed_parent() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let bin = testkit::lesson_bin("68-multi-process-server-timeout");
    let (_server, pids, mut clients) = kill_the_parent(&bin, libc::SIGTERM);
    for client in &mut clients {
        assert_eq!(round_trip(client, "after"), "received: after");
    }
    assert!(pids.iter().all(|pid| running(*pid)), "{pids:?}");
}

/// The same against 69: the children end with their parent, killed with
/// a plain `kill` or with `kill -9`, and their clients see the end.
#[cfg(target_os = "linux")]
#[test]
fn a_child_of_a_killed_parent_ends_with_its_parent() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    for signal in [libc::SIGTERM, libc::SIGKILL] {
        let (_server, pids, mut clients) = kill_the_parent(BIN, signal);
        for client in &mut clients {
            assert_eq!(read_all(client), "", "closed with the parent");
        }
        pids.into_iter().for_each(until_ended);
    }
}

/// The parent killed, the port is free at once: a new server binds it,
/// and its cap has all its places (row 13: 401 processes served with
/// `--max-clients 200` when the old children lived on).
#[cfg(target_os = "linux")]
#[test]
fn a_restarted_server_has_the_port_and_its_whole_cap() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let args = ["127.0.0.1:0", "--max-clients", "2"];
    let mut first = Proc::server(cmd(BIN, &args));
    let addr = first.addr.to_string();
    let mut old: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(first.addr).unwrap())
        .collect();
    for client in &old {
        child_pid(&mut first, client);
    }
    kill(libc::SIGKILL, first.pid());
    until_ended(first.pid());
    for client in &mut old {
        assert_eq!(read_all(client), "", "closed with the parent");
    }
    let second = Proc::server(cmd(BIN, &[&addr, "--max-clients", "2"]));
    let mut new: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(second.addr).unwrap())
        .collect();
    for client in &mut new {
        assert_eq!(round_trip(client, "new"), "received: new");
    }
}

/// 1,000 clients at once, under a limit of 40 processes for the server's
/// user: the parent is one, so 39 children serve 39 clients (all stay
/// connected until the burst ends, so no child ends meanwhile), and for
/// each of the 961 others `fork` fails, which is said, and that client is
/// closed. The numbers are the server's own: they do not depend on how
/// fast the machine is (the test used to count on children ending during
/// the burst, and under load saw `0 0 1000`).
#[cfg(unix)]
#[test]
fn a_burst_of_1000_clients_under_a_process_limit() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let Some(limited) =
        testkit::with_process_limit(&cmd(BIN, &["127.0.0.1:0"]), 40)
    else {
        return;
    };
    let mut server = Proc::server(limited);
    let idle = testkit::fds_and_threads(server.pid());
    let (served, busy, closed) = testkit::burst(server.addr, 1000);
    assert_eq!((served, busy, closed), (39, 0, 961));
    let mut said = 0;
    while said < 961 {
        let line = server.line();
        if line.contains(": no child process: ") {
            assert!(line.ends_with(" (os error 11)"), "{line}");
            said += 1;
        }
    }
    // every child and socket of the burst is gone (first: a client
    // arriving while the burst's children still end would find no process
    // left under the limit), and the server goes on: a normal client is
    // served
    until_idle(server.pid(), idle);
    let mut after = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut after, "after"), "received: after");
    drop(after);
    until_idle(server.pid(), idle);
}

/// A failed `accept` (no file descriptor left for the client's socket)
/// is said and tried again; once descriptors are free, the waiting
/// client gets its child (the old server ended with `Error: Too many open
/// files`, under `ulimit -n 64` after a burst of a few hundred clients).
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
    until_no_children(&server);
}

/// The largest `--max-clients` there is means no cap; it used to
/// overflow (`max_clients + 1`): a panic at the first client.
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
