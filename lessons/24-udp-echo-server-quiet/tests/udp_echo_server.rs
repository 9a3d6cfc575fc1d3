//! 24-udp-echo-server-quiet: every datagram comes back unchanged.

use std::net::{SocketAddr, UdpSocket};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::Duration;
use testkit::{cmd, missing, missing_root, run, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_24-udp-echo-server-quiet");

#[test]
fn echoes_bytes_unchanged_and_logs_them_decoded() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut server = Proc::server(cmd(BIN, &args));
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let me = client.local_addr().unwrap();
    for data in [
        &b"\xc4\xe3\xba\xc3"[..],
        b"",
        b"\xff\x00binary",
        &[7; 60_000],
    ] {
        client.send_to(data, server.addr).unwrap();
        let mut buf = vec![0; 65536];
        let (len, from) = client.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..len], data);
        assert_eq!(from, server.addr);
    }
    assert_eq!(server.line(), format!("from {me}: 你好"));
}

#[test]
fn echoes_to_nc() {
    if missing("nc") {
        return;
    }
    let server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut nc = Command::new("nc");
    nc.args(["-u", "-w1", "127.0.0.1", &server.addr.port().to_string()]);
    let (status, stdout, _) = run(nc, b"echo me\n");
    assert!(status.success());
    assert_eq!(stdout, "echo me");
}

const FORGED: &str = "\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged";

#[test]
fn control_characters_are_logged_escaped_on_one_line() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    client.send_to(FORGED.as_bytes(), server.addr).unwrap();
    let mut buf = [0; 100];
    let (len, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], FORGED.as_bytes(), "echoed unchanged");
    let me = client.local_addr().unwrap();
    assert_eq!(
        server.line(),
        format!(r"from {me}: \x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged")
    );
    // the next datagram's line comes next: nothing else was printed
    client.send_to(b"next", server.addr).unwrap();
    assert_eq!(server.line(), format!("from {me}: next"));
}

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
