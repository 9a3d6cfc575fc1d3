//! 65-multi-thread-server-timeout: silent clients hold 64's places for
//! ever and 65 lets them go; a failed `accept` makes 64 spin and 65 wait.

use std::io::{Read, Write};
use std::net::TcpStream;
use testkit::{cmd, lesson_bin, round_trip, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_65-multi-thread-server-timeout");

/// A server with `--max-clients 2` and an idle timeout of 0.3 s (which
/// 64 does not know), holding two clients that say nothing.
fn full_of_silent_clients(bin: &str) -> (Proc, Vec<TcpStream>) {
    let mut command = cmd(bin, &["127.0.0.1:0", "--max-clients", "2"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let silent = (0..2)
        .map(|_| {
            let client = TcpStream::connect(server.addr).unwrap();
            let me = client.local_addr().unwrap();
            server.expect(&format!("new client {me}"));
            client
        })
        .collect();
    (server, silent)
}

/// What a client reads without sending: a line, or nothing.
fn read_all(client: &mut TcpStream) -> String {
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut got = vec![];
    let _ = client.read_to_end(&mut got);
    String::from_utf8_lossy(&got).into_owned()
}

/// The attack: two silent connections fill a cap of 2. 65 closes them
/// after 0.3 s and serves the next client; 64, at that moment and after,
/// still tells everybody `busy`.
#[test]
fn silent_clients_hold_64_for_ever_and_65_lets_them_go() {
    let (forty, _held_by_40) =
        full_of_silent_clients(&lesson_bin("64-multi-thread-server-cap"));
    let (mut server, held) = full_of_silent_clients(BIN);
    let mut closed = vec![server.line(), server.line()]; // in any order
    closed.sort();
    let mut expected: Vec<String> = held
        .iter()
        .map(|c| c.local_addr().unwrap())
        .map(|me| format!("client {me}: idle for 0.3 s, closed"))
        .collect();
    expected.sort();
    assert_eq!(closed, expected);
    let mut next = TcpStream::connect(forty.addr).unwrap();
    assert_eq!(read_all(&mut next), "busy: 2 clients, try later\n");
    let mut next = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut next, "my turn"), "received: my turn");
}

#[test]
fn an_idle_client_is_told_why_it_was_closed() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.3");
    let mut server = Proc::server(command);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    let me = idle.local_addr().unwrap();
    assert_eq!(read_all(&mut idle), "", "closed without a word");
    assert_eq!(server.line(), format!("new client {me}"));
    assert_eq!(
        server.line(),
        format!("client {me}: idle for 0.3 s, closed")
    );
}

/// A client that sends 8 MB and never reads the answers: the server's
/// writes block, and the write timeout lets it go.
#[test]
fn a_client_that_never_reads_is_dropped() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "0.5");
    let mut server = Proc::server(command);
    let flooder = TcpStream::connect(server.addr).unwrap();
    let flooder_addr = flooder.local_addr().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..8 {
            if (&flooder).write_all(&chunk).is_err() {
                break;
            }
        }
        flooder
    });
    server.expect(&format!("client {flooder_addr}: idle for 0.5 s, closed"));
    drop(writer.join().unwrap());
}

#[test]
fn a_bad_idle_timeout_is_said_and_the_default_used() {
    let mut command = cmd(BIN, &["127.0.0.1:0"]);
    command.env("IDLE_TIMEOUT_SECS", "abc");
    let mut server = Proc::server(command);
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    server.expect(": hi");
    // stderr arrives through a thread of its own: wait for the line
    assert_eq!(
        server.stderr_until("IDLE_TIMEOUT_SECS="),
        "\"abc\" is not a number of seconds above 0: 600 s it is"
    );
    assert_eq!(server.stderr_text().lines().count(), 1);
}

/// CPU time a process has used so far, in clock ticks (Linux /proc).
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let (_, after_name) = stat.rsplit_once(')').unwrap();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the name)
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// The CPU a server burns in one second while a client waits that its
/// `accept` cannot take (no file descriptor left: `ulimit -n` at 4).
#[cfg(target_os = "linux")]
fn ticks_while_accept_fails(bin: &str) -> Option<(u64, Proc, TcpStream)> {
    let limited = testkit::with_fd_limit(&cmd(bin, &["127.0.0.1:0"]), 4)?;
    let server = Proc::server(limited);
    let client = TcpStream::connect(server.addr).unwrap();
    let before = cpu_ticks(server.pid());
    std::thread::sleep(std::time::Duration::from_secs(1)); // the time measured
    let ticks = cpu_ticks(server.pid()) - before;
    testkit::set_fd_limit(server.pid(), 64);
    Some((ticks, server, client))
}

/// The attack: no descriptor left for the waiting client. 40 tries
/// `accept` again at once, in a loop that burns a CPU and says nothing;
/// 65 says so once and tries every 100 ms. Both serve the client once
/// descriptors are free.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_spins_64_and_65_waits() {
    let forty = lesson_bin("64-multi-thread-server-cap");
    let Some((ticks, _server, mut client)) = ticks_while_accept_fails(&forty)
    else {
        return;
    };
    // a tick is 10 ms: 64 used more than a tenth of a CPU second
    assert!(ticks > 10, "64 used only {ticks} ticks");
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");

    let Some((ticks, mut server, mut client)) = ticks_while_accept_fails(BIN)
    else {
        return;
    };
    assert!(ticks < 5, "65 used {ticks} ticks");
    assert_eq!(
        server.line(),
        "accept failed: Too many open files (os error 24), trying again"
    );
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
}
