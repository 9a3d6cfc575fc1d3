//! 18-tcp-short-vs-long against 16-multi-thread-server and 08: the table
//! counts what really happened (the server logs every connection).

use testkit::{cmd, lesson_bin, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_18-tcp-short-vs-long");

fn table(server: &str, n: &str) -> (Proc, String) {
    let server = Proc::server(cmd(&lesson_bin(server), &["127.0.0.1:0"]));
    let (status, out, err) = run(cmd(BIN, &[&server.addr.to_string(), n]), b"");
    assert!(status.success(), "{out} {err}");
    (server, out)
}

#[test]
fn short_connections_open_one_per_request() {
    for lesson in ["16-multi-thread-server", "08-tcp-server-multi"] {
        let (mut server, out) = table(lesson, "40");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("40 requests to 127.0.0.1:"), "{out}");
        let short: Vec<&str> = lines[2].split_whitespace().collect();
        let long: Vec<&str> = lines[3].split_whitespace().collect();
        assert_eq!((short[0], short[1]), ("short", "40"), "{out}");
        assert_eq!((long[0], long[1]), ("long", "1"), "{out}");
        assert!(lines[4].starts_with("long connections were"), "{out}");
        // total seconds and microseconds per request: two different
        // numbers, whatever N is
        assert_eq!(
            lines[1], "       connections   total s per request µs",
            "{out}"
        );
        let total: f64 = short[2].parse().unwrap();
        let per_request: f64 = short[3].parse().unwrap();
        // the total is shown to the millisecond: 0.0005 s of rounding
        let again = per_request * 40.0 / 1e6;
        assert!((again - total).abs() <= 0.0006, "{out}");
        for _ in 0..41 {
            server.expect("new client");
        }
    }
}

#[test]
fn a_bad_count_or_a_missing_server_is_one_line() {
    let (status, _, err) = run(cmd(BIN, &["127.0.0.1:9", "zero"]), b"");
    assert_eq!(status.code(), Some(2));
    assert!(err.starts_with("error: N must be"), "{err}");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = port.local_addr().unwrap().to_string();
    drop(port);
    let (status, _, err) = run(cmd(BIN, &[&addr, "5"]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&addr), "{err}");
}
