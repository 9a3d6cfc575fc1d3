//! 66-multi-thread-server-quiet: one client's flood of control bytes
//! writes log in proportion on 65, and a few lines a second on 66.

use std::net::TcpStream;
use testkit::{cmd, lesson_bin, round_trip, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_66-multi-thread-server-quiet");

/// One client sends `messages` messages of 1,000 control bytes, each
/// answered before the next, and leaves. Returns the server's log lines
/// about it (those that start with its address), up to its `left`.
fn flood(server: &mut Proc, messages: usize) -> Vec<String> {
    let mut client = TcpStream::connect(server.addr).unwrap();
    let me = client.local_addr().unwrap();
    let message = "\x01".repeat(1000);
    for _ in 0..messages {
        let reply = round_trip(&mut client, &message);
        assert_eq!(reply, format!("received: {message}"));
    }
    drop(client);
    server.expect(&format!("new client {me}"));
    let mut lines = vec![];
    loop {
        let line = server.line();
        if line == format!("client {me} left") {
            return lines;
        }
        assert!(line.starts_with(&format!("{me}: ")), "{line}");
        lines.push(line);
    }
}

/// Bytes of log the lines make.
fn log_bytes(lines: &[String]) -> usize {
    lines.iter().map(|line| line.len() + 1).sum()
}

/// The attack: 2,000 messages of 1,000 control bytes (2 MB). 65 logs
/// each as one line, escaped to 4,000 characters: 8 MB of log. 66
/// answers every one as well, and logs at most 5 lines a second and the
/// count of the others.
#[test]
fn a_flood_of_control_bytes_fills_65s_log_not_66s() {
    let timeout = lesson_bin("65-multi-thread-server-timeout");
    let mut server = Proc::server(cmd(&timeout, &["127.0.0.1:0"]));
    let lines = flood(&mut server, 2000);
    assert_eq!(lines.len(), 2000);
    assert!(log_bytes(&lines) > 8_000_000, "{}", log_bytes(&lines));

    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let lines = flood(&mut server, 2000);
    let (counts, shown): (Vec<&String>, Vec<&String>) = lines
        .iter()
        .partition(|line| line.ends_with(" more, not shown)"));
    assert!(shown.len() >= 5, "{lines:?}");
    assert!(shown.len() <= 5 * (counts.len() + 1), "{lines:?}");
    let hidden: usize = counts
        .iter()
        .map(|line| {
            let (_, count) = line.rsplit_once(": (").unwrap();
            count.split(' ').next().unwrap().parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(shown.len() + hidden, 2000, "every message counted");
    assert!(log_bytes(&lines) < 200_000, "{}", log_bytes(&lines));
}

/// Five lines shown, the rest counted; a second later the count comes
/// first, then the new second's line; the last count when it leaves.
#[test]
fn five_lines_a_second_then_a_count() {
    let mut server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let me = client.local_addr().unwrap();
    server.expect(&format!("new client {me}"));
    for i in 1..=8 {
        let text = format!("message {i}");
        assert_eq!(round_trip(&mut client, &text), format!("received: {text}"));
    }
    for i in 1..=5 {
        assert_eq!(server.line(), format!("{me}: message {i}"));
    }
    std::thread::sleep(std::time::Duration::from_millis(1100)); // a second on
    for i in 9..=15 {
        let text = format!("message {i}");
        assert_eq!(round_trip(&mut client, &text), format!("received: {text}"));
    }
    drop(client);
    assert_eq!(server.line(), format!("{me}: (3 more, not shown)"));
    for i in 9..=13 {
        assert_eq!(server.line(), format!("{me}: message {i}"));
    }
    assert_eq!(server.line(), format!("{me}: (2 more, not shown)"));
    assert_eq!(server.line(), format!("client {me} left"));
}
