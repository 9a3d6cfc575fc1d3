//! Issue 21 row 9: every datagram was one log line, and escaping makes a
//! line of control bytes four times the datagram, so a flood of
//! datagrams wrote a flood of log. The same bounded flood against 23,
//! then against 24: 23's log grows with the flood; 24's stays small,
//! and every datagram is still answered.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_24-udp-echo-server-quiet");
const CLIENTS: usize = 10;
const EACH: usize = 100; // no more than 23 answers one address a second
const MAX_LINES: usize = 10; // 24's lines for one address in one second

fn client() -> UdpSocket {
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client
}

/// Sends `data` and waits for its echo.
fn round_trip(client: &UdpSocket, server: SocketAddr, data: &[u8]) {
    client.send_to(data, server).unwrap();
    let mut buf = vec![0; 65536];
    let (len, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..len], from), (data, server), "no echo");
}

struct Flooded {
    log_bytes: usize,
    lines: Vec<String>,
    clients: Vec<SocketAddr>,
    took: Duration,
}

/// CLIENTS clients each send EACH datagrams of 4000 control bytes, each
/// as soon as the echo of the last came back (so none is lost on the
/// way, and all are answered); then a last client says `end of flood`.
/// Returns what the server printed up to that line.
fn flood(bin: &str) -> Flooded {
    let mut server = Proc::server(cmd(bin, &["127.0.0.1:0"]));
    let addr = server.addr;
    let clients: Vec<UdpSocket> = (0..CLIENTS).map(|_| client()).collect();
    let start = Instant::now();
    std::thread::scope(|scope| {
        for client in &clients {
            scope.spawn(move || {
                for _ in 0..EACH {
                    round_trip(client, addr, &[1; 4000]);
                }
            });
        }
    });
    let took = start.elapsed();
    let last = client();
    round_trip(&last, addr, b"end of flood");
    let end = format!("from {}: end of flood", last.local_addr().unwrap());
    let (mut log_bytes, mut lines) = (0, vec![]);
    loop {
        let line = server.line();
        log_bytes += line.len() + 1;
        if line == end {
            break;
        }
        lines.push(line);
    }
    let clients = clients.iter().map(|c| c.local_addr().unwrap()).collect();
    Flooded {
        log_bytes,
        lines,
        clients,
        took,
    }
}

#[test]
fn a_flood_fills_23s_log_and_not_24s() {
    let datagrams = CLIENTS * EACH;
    let before = flood(&lesson_bin("23-udp-echo-server-guard"));
    // 23: one line a datagram, each 4 times the size of what it shows
    assert_eq!(before.lines.len(), datagrams, "one line a datagram");
    assert!(before.log_bytes > datagrams * 8000, "{}", before.log_bytes);
    let after = flood(BIN);
    // 24: every datagram answered (flood() saw each echo), and each
    // client's lines at most MAX_LINES a second: in a flood of T seconds,
    // over at most T + 1 seconds of the server's
    let seconds = after.took.as_secs() as usize + 2;
    for client in &after.clients {
        let shown = after
            .lines
            .iter()
            .filter(|l| l.starts_with(&format!("from {client}: \\x01")))
            .count();
        assert!(shown <= MAX_LINES * seconds, "{client}: {shown} lines");
    }
    assert!(
        after.log_bytes * 4 < before.log_bytes,
        "23: {} bytes of log, 24: {}",
        before.log_bytes,
        after.log_bytes
    );
    println!(
        "{datagrams} datagrams of 4000 control bytes, all answered; log: \
         23 {:.1} MB in {:.2} s, 24 {:.1} MB in {:.2} s",
        before.log_bytes as f64 / 1e6,
        before.took.as_secs_f64(),
        after.log_bytes as f64 / 1e6,
        after.took.as_secs_f64()
    );
}

#[test]
fn the_lines_not_shown_are_counted_once_the_second_is_over() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let flooder = client();
    let me = flooder.local_addr().unwrap();
    for n in 0..30 {
        round_trip(&flooder, server.addr, format!("n{n}").as_bytes());
    }
    let flood_ended = Instant::now();
    // other clients go on talking; the first datagram after the second
    // of the flood is over brings its count
    let (mut shown, mut counted) = (0, 0);
    loop {
        let tick = client();
        round_trip(&tick, server.addr, b"tick");
        let tick_line = format!("from {}: tick", tick.local_addr().unwrap());
        loop {
            let line = server.line();
            if line == tick_line {
                break;
            } else if line.starts_with(&format!("from {me}: n")) {
                shown += 1;
            } else if let Some(count) =
                line.strip_prefix(&format!("from {me} (")).and_then(|rest| {
                    rest.strip_suffix(" more that second, not shown)")
                })
            {
                counted += count.parse::<usize>().unwrap();
            } else {
                panic!("unexpected line {line:?}");
            }
        }
        if flood_ended.elapsed() > Duration::from_millis(1100) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50)); // a client's pace
    }
    // all 30 answered; the first 10 of a second shown, the rest counted
    assert!((MAX_LINES..=2 * MAX_LINES).contains(&shown), "{shown}");
    assert_eq!(shown + counted, 30);
}
