//! 45-tftp-server-quiet: one client's flood of requests with control
//! bytes in their names, against the lesson this one grows from (a line
//! each, escaped) and against this one (5 lines a second, then one that
//! says the rest are hidden; names cut to 100 characters).

use std::fs;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_45-tftp-server-quiet");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "44-tftp-server-links";

fn start(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

fn from_host(last: u8) -> UdpSocket {
    let socket = UdpSocket::bind((Ipv4Addr::new(127, 0, 0, last), 0));
    let socket = socket.unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket
}

fn rrq(name: &str) -> Vec<u8> {
    [&[0, 1], name.as_bytes(), b"\0octet\0"].concat()
}

/// 50 requests from 127.0.0.5 for a missing file with a long, noisy
/// name, then a download from 127.0.0.6 to mark the end; returns the
/// lines about 127.0.0.5 (threads print in any order: a few may come
/// after the mark) and the longest line.
fn flood(server: &mut Proc, addr: SocketAddr) -> (usize, usize) {
    let name = "\x1b[2J\x07".repeat(150);
    let socket = from_host(5);
    for _ in 0..50 {
        socket.send_to(&rrq(&name), addr).unwrap();
    }
    let other = from_host(6);
    other.send_to(&rrq("f"), addr).unwrap();
    let mut buf = [0; 1024];
    let (_, tid) = other.recv_from(&mut buf).expect("a block");
    other.send_to(&[0, 4, 0, 1], tid).unwrap();
    let (mut lines, mut longest) = (0, 0);
    loop {
        let line = server.line();
        if line.starts_with("127.0.0.6:") {
            return (lines, longest);
        }
        longest = longest.max(line.len());
        lines += usize::from(line.contains("127.0.0.5"));
    }
}

#[test]
fn one_client_gets_five_log_lines_a_second() {
    let dir = temp_dir();
    fs::write(dir.path().join("f"), "data").unwrap();
    let mut prev = start(&lesson_bin(PREV), dir.path());
    let addr = prev.addr;
    let (lines, longest) = flood(&mut prev, addr);
    assert!(lines > 20 && longest > 1000, "44: {lines} lines, {longest}");
    let mut server = start(BIN, dir.path());
    let addr = server.addr;
    let (lines, longest) = flood(&mut server, addr);
    assert!(lines <= 12, "{lines} lines for one client");
    assert!(longest < 700, "a line of {longest} bytes");
}
