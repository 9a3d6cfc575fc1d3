//! 17-multi-process-server: one child process per client, all reaped.
//! 69, the end of 17's chain, runs these tests too (tests/from_17.rs).
#![cfg(unix)] // the lesson is Unix-only (fork)

use std::io::Read;
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};
use testkit::{children, cmd, load, round_trip, Proc, DEADLINE};

/// 17, or the lesson of its chain that includes this file
static BIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    testkit::this_lesson(env!("CARGO_MANIFEST_DIR"))
});

/// Waits until the server has no child left (fails after the deadline).
fn until_no_children(server: &Proc) {
    let end = Instant::now() + DEADLINE;
    while !children(server.pid()).1.is_empty() {
        let left = children(server.pid());
        assert!(Instant::now() < end, "children left: {left:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The child's pid from `client ADDR: child pid N`.
fn child_pid(server: &mut Proc, client: &TcpStream) -> u32 {
    let me = client.local_addr().unwrap();
    let line = server.expect(&format!("client {me}: child pid "));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn each_client_has_its_own_child_process() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let mut first = TcpStream::connect(server.addr).unwrap();
    let first_pid = child_pid(&mut server, &first);
    let mut second = TcpStream::connect(server.addr).unwrap();
    let second_pid = child_pid(&mut server, &second);
    assert_eq!(round_trip(&mut second, "second"), "received: second");
    assert_eq!(round_trip(&mut first, "你好"), "received: 你好");
    assert_ne!(first_pid, second_pid);
    let (_, all) = children(server.pid());
    assert!(all.contains(&first_pid) && all.contains(&second_pid));
    // the child, not the parent, serves: the `left` line comes from it
    drop(first);
    let me = second.local_addr().unwrap();
    drop(second);
    server.expect(&format!("client {me} left"));
    until_no_children(&server);
}

/// A finished child is gone at once: no zombie waits for the next client.
#[test]
fn a_finished_child_leaves_no_zombie() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    for text in ["one", "two", "three"] {
        let mut client = TcpStream::connect(server.addr).unwrap();
        assert_eq!(round_trip(&mut client, text), format!("received: {text}"));
        drop(client);
        server.expect("left");
        until_no_children(&server);
        assert!(children(server.pid()).0.is_empty());
    }
}

/// The parent closes its copy of each client's socket: when a child is
/// killed, its client sees the connection end at once (had the parent
/// kept its copy, the connection would stay open, the client waiting for
/// ever), and the other clients go on.
#[test]
fn a_killed_childs_client_sees_the_end_and_the_others_go_on() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let mut victim = TcpStream::connect(server.addr).unwrap();
    let pid = child_pid(&mut server, &victim);
    let mut other = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut victim, "hi"), "received: hi");
    // SAFETY: a plain system call on a process id
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGKILL) }, 0);
    victim.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut rest = vec![];
    let read = victim.read_to_end(&mut rest);
    assert!(matches!(read, Ok(0)), "{read:?} {rest:?}");
    assert_eq!(round_trip(&mut other, "still"), "received: still");
}

#[test]
fn two_hundred_clients_fifty_round_trips_then_no_children() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let reset = TcpStream::connect(server.addr).unwrap();
    reset.shutdown(Shutdown::Both).unwrap();
    drop(reset);
    let (failed, first) = load(server.addr, 200, 50);
    assert_eq!(failed, 0, "{failed} clients failed, first: {first}");
    until_no_children(&server);
    assert!(children(server.pid()).0.is_empty());
    let mut last = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut last, "still here"), "received: still here");
}

#[test]
fn control_characters_are_logged_escaped_on_one_line() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let me = client.local_addr().unwrap();
    let forged = "\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged";
    let reply = round_trip(&mut client, forged);
    assert_eq!(reply, format!("received: {forged}"));
    let line = server.expect(&format!("{me}: \\x1b"));
    assert_eq!(
        line,
        format!(r"{me}: \x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged")
    );
}

/// `new client ADDR`, `client ADDR: child pid N` or `client ADDR left`,
/// whole.
fn is_parents_line(line: &str) -> bool {
    let addr = |addr: &str| addr.parse::<std::net::SocketAddr>().is_ok();
    if let Some(client) = line.strip_prefix("new client ") {
        return addr(client);
    }
    let Some(rest) = line.strip_prefix("client ") else {
        return false;
    };
    if let Some((client, pid)) = rest.split_once(": child pid ") {
        return addr(client) && pid.parse::<u32>().is_ok();
    }
    rest.strip_suffix(" left").is_some_and(addr)
}

/// Children are separate processes writing to one output: a long log
/// line (a message of 1,000 bytes and more) must still go out in one
/// piece. Eight clients send long lines at once; every line the server
/// prints is whole (`println!` writes such a line in pieces, and another
/// child's line could land in between; threads share one lock on the
/// output, processes do not).
#[test]
fn long_lines_of_many_children_never_mix() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let addr = server.addr;
    let clients: Vec<_> = (0..8u8)
        .map(|i| {
            std::thread::spawn(move || {
                let mut client = TcpStream::connect(addr).unwrap();
                let text = String::from_utf8(vec![b'A' + i; 1020]).unwrap();
                for _ in 0..50 {
                    assert_eq!(round_trip(&mut client, &text).len(), 1030);
                }
            })
        })
        .collect();
    let mut left = 0;
    while left < 8 {
        let line = server.line();
        if is_parents_line(&line) {
            left += usize::from(line.ends_with(" left"));
            continue;
        }
        let text = line.strip_prefix("127.0.0.1:").and_then(|rest| {
            let (port, text) = rest.split_once(": ")?;
            port.parse::<u16>().ok().map(|_| text)
        });
        let whole = text.is_some_and(|text| {
            let first = text.bytes().next().unwrap_or(b' ');
            first.is_ascii_uppercase() && text.bytes().all(|b| b == first)
        });
        assert!(whole, "a mixed line: {}", &line[..line.len().min(120)]);
    }
    for client in clients {
        client.join().unwrap();
    }
}
