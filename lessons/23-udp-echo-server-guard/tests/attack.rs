//! The attack 23 stops: one forged datagram, "from" one echo server to
//! another, and the two answer each other forever. Forging a source
//! address needs root (a raw socket): without it these tests print
//! SKIPPED and pass.

use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, missing_root, spoof_udp, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_23-udp-echo-server-guard");
const SECOND: Duration = Duration::from_secs(1);

/// Two servers of `bin` on loopback, each on a port the system chose.
fn two(bin: &str) -> [Proc; 2] {
    [0, 1].map(|_| Proc::server(cmd(bin, &["127.0.0.1:0"])))
}

#[test]
fn one_forged_datagram_makes_two_13s_echo_forever() {
    if missing_root("forge a source address") {
        return;
    }
    let [mut first, second] = two(&lesson_bin("13-udp-echo-server"));
    // "from" the second server to the first: the first echoes it to the
    // second, which echoes it back ...
    spoof_udp(second.addr, first.addr, b"ping-pong");
    let looped = format!("from {}: ping-pong", second.addr);
    let start = Instant::now();
    let mut count = 0;
    while start.elapsed() < SECOND {
        assert_eq!(first.line(), looped);
        count += 1;
    }
    // ... and goes on: the next one still comes
    assert_eq!(first.line(), looped);
    println!("two 13s, one forged datagram: {count} echoes in 1 s");
    assert!(count > 1000, "only {count} echoes in a second");
}

#[test]
fn two_23s_stop_the_same_loop_at_once() {
    if missing_root("forge a source address") {
        return;
    }
    let [mut first, mut second] = two(BIN);
    let addrs = [first.addr, second.addr];
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let marker = format!("from {}: still here", client.local_addr().unwrap());
    let (refused, refusal) = channel();
    let counts = std::thread::scope(|scope| {
        // each server's lines, up to the marker sent after a second
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
        spoof_udp(addrs[1], addrs[0], b"ping-pong");
        let start = Instant::now();
        refusal
            .recv_timeout(DEADLINE)
            .expect("no server stopped the loop");
        // the same second as the 13s had; then each server gets a marker
        std::thread::sleep(SECOND.saturating_sub(start.elapsed()));
        for addr in addrs {
            client.send_to(b"still here", addr).unwrap();
        }
        readers.map(|reader| reader.join().unwrap())
    });
    // at most 100 answers each, and one refusal: the loop is over
    println!("two 23s, one forged datagram: {counts:?} lines in 1 s");
    assert!(counts.iter().all(|&c| c <= 101), "lines: {counts:?}");
}

#[test]
fn a_datagram_from_its_own_address_or_a_service_port_is_not_answered() {
    if missing_root("forge a source address") {
        return;
    }
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let own = server.addr;
    // its own address: answering would echo to itself forever
    spoof_udp(own, own, b"loop?");
    assert_eq!(
        server.line(),
        format!("from {own} (not answered: a server's port): loop?")
    );
    // chargen (19) answers anything: it must not be fed an echo
    let chargen: SocketAddr = "127.0.0.1:19".parse().unwrap();
    spoof_udp(chargen, own, b"chargen?");
    assert_eq!(
        server.line(),
        "from 127.0.0.1:19 (not answered: a server's port): chargen?"
    );
    // and a client still gets its echo, the next line
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.send_to(b"hello", own).unwrap();
    let mut buf = [0; 16];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"hello");
    let me = client.local_addr().unwrap();
    assert_eq!(server.line(), format!("from {me}: hello"));
}

#[test]
fn a_forged_datagram_from_port_0_ends_13_and_not_23() {
    if missing_root("forge a source address") {
        return;
    }
    // nothing can be sent to port 0: 13's answer fails, and with it 13
    let port_0: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let mut naive =
        Proc::server(cmd(&lesson_bin("13-udp-echo-server"), &["127.0.0.1:0"]));
    spoof_udp(port_0, naive.addr, b"zero");
    let (status, _, stderr) = naive.finish();
    assert_eq!(status.code(), Some(1));
    assert!(stderr.starts_with("Error: 127.0.0.1:0: "), "{stderr}");
    // 23 does not answer it: port 0 is below 1024
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    spoof_udp(port_0, server.addr, b"zero");
    assert_eq!(
        server.line(),
        "from 127.0.0.1:0 (not answered: a server's port): zero"
    );
}
