//! 24-udp-echo-server-quiet: every datagram comes back unchanged (13's
//! tests run against 24 too: tests/from_13.rs).

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::Duration;
use testkit::{cmd, missing_root, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_24-udp-echo-server-quiet");

/// Sends `text` from a fresh client and waits for its echo and its log
/// line: every line the server printed before it is returned.
fn lines_until_echo(server: &mut Proc, text: &str) -> Vec<String> {
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.send_to(text.as_bytes(), server.addr).unwrap();
    let mut buf = [0; 100];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], text.as_bytes());
    let last = format!("from {}: {text}", client.local_addr().unwrap());
    let mut before = vec![];
    loop {
        let line = server.line();
        if line == last {
            return before;
        }
        before.push(line);
    }
}

/// CPU seconds (user + system) a process has used so far.
#[cfg(unix)]
fn cpu_seconds(pid: u32) -> f64 {
    let all = testkit::processes();
    let fields = &all[&pid].1; // after ')': utime is 11, stime 12
    let ticks: u64 = fields[11..=12]
        .iter()
        .map(|f| f.parse::<u64>().unwrap())
        .sum();
    ticks as f64 / 100.0
}

#[test]
fn a_datagram_from_its_own_address_or_a_service_port_is_not_answered() {
    if missing_root("spoof a source address") {
        return;
    }
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    // its own address: answering would echo to itself forever
    testkit::spoof_udp(server.addr, server.addr, b"loop?");
    let own = server.addr;
    assert_eq!(
        server.line(),
        format!("from {own} (not answered: a server's port): loop?")
    );
    // chargen (19) answers anything: it must not be fed an echo
    let chargen: SocketAddr = "127.0.0.1:19".parse().unwrap();
    testkit::spoof_udp(chargen, server.addr, b"chargen?");
    assert_eq!(
        server.line(),
        "from 127.0.0.1:19 (not answered: a server's port): chargen?"
    );
    // nothing else was printed in between: no loop
    assert_eq!(
        lines_until_echo(&mut server, "still here"),
        Vec::<String>::new()
    );
}

#[test]
fn two_echo_servers_stop_a_forged_loop_between_them() {
    if missing_root("spoof a source address") {
        return;
    }
    let mut first = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut second = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let addrs = [first.addr, second.addr];
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let marker = format!("from {}: still here", client.local_addr().unwrap());
    let (refused, refusal) = channel();
    let counts = std::thread::scope(|scope| {
        // each server's lines, up to the marker sent once the loop stopped
        let readers = [&mut first, &mut second].map(|server| {
            let (refused, marker) = (refused.clone(), &marker);
            scope.spawn(move || {
                let mut count = 0;
                loop {
                    let line = server.line();
                    if line.contains("(not answered: over 100 a second)") {
                        let _ = refused.send(());
                    }
                    if line == *marker {
                        return count;
                    }
                    count += 1;
                    assert!(count < 5000, "an endless loop: {line}");
                }
            })
        });
        // one datagram "from" the first to the second: each would echo
        // the other's echo forever
        testkit::spoof_udp(addrs[0], addrs[1], b"ping-pong");
        refusal
            .recv_timeout(DEADLINE)
            .expect("no server stopped the loop");
        for addr in addrs {
            client.send_to(b"still here", addr).unwrap();
        }
        readers.map(|reader| reader.join().unwrap())
    });
    // the loop is over: a bounded number of datagrams, little CPU
    assert!(counts.iter().all(|&c| c <= 202), "lines: {counts:?}");
    #[cfg(unix)]
    for pid in [first.pid(), second.pid()] {
        assert!(cpu_seconds(pid) < 1.0, "CPU {}", cpu_seconds(pid));
    }
}

#[test]
fn a_forged_loop_with_a_naive_echo_responder_stops() {
    if missing_root("spoof a source address") {
        return;
    }
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    // a responder that echoes everything, forever, from an ordinary port
    let reflector = UdpSocket::bind("127.0.0.1:0").unwrap();
    let reflector_addr = reflector.local_addr().unwrap();
    reflector
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let echoed = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut buf, mut echoed) = ([0; 100], 0);
            while !stop.load(Ordering::SeqCst) {
                if let Ok((len, from)) = reflector.recv_from(&mut buf) {
                    reflector.send_to(&buf[..len], from).unwrap();
                    echoed += 1;
                }
            }
            echoed
        })
    };
    testkit::spoof_udp(reflector_addr, server.addr, b"ping-pong");
    let refused = format!(
        "from {reflector_addr} (not answered: over 100 a second): ping-pong"
    );
    for count in 0.. {
        if server.line() == refused {
            break;
        }
        assert!(count < 5000, "an endless loop");
    }
    let after = lines_until_echo(&mut server, "still here");
    stop.store(true, Ordering::SeqCst);
    let echoed = echoed.join().unwrap();
    assert!(echoed <= 200, "the responder echoed {echoed} datagrams");
    // nothing but, if a second ended in between, the count of the loop's
    // lines that were not shown (101 datagrams: 10 shown and the refusal)
    let count =
        format!("from {reflector_addr} (90 more that second, not shown)");
    assert!(
        after.is_empty() || after == [count],
        "lines after the refusal: {after:?}"
    );
    #[cfg(unix)]
    assert!(cpu_seconds(server.pid()) < 1.0);
}
