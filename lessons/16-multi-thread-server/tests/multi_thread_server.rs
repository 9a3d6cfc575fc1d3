//! 16-multi-thread-server: many clients at once, each in its own thread.
//! 66, the end of 16's chain, runs these tests too.

use std::io::Write;
use std::net::{Shutdown, TcpStream};
use testkit::{cmd, load, round_trip, Proc};

/// 16, or the lesson of its chain that includes this file
static BIN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    testkit::this_lesson(env!("CARGO_MANIFEST_DIR"))
});

#[test]
fn two_clients_are_served_at_the_same_time() {
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let mut first = TcpStream::connect(server.addr).unwrap();
    let mut second = TcpStream::connect(server.addr).unwrap();
    // 08 would make the second wait until the first leaves
    assert_eq!(round_trip(&mut second, "second"), "received: second");
    assert_eq!(round_trip(&mut first, "first"), "received: first");
    let first_addr = first.local_addr().unwrap();
    drop(first);
    server.expect(&format!("client {first_addr} left"));
    assert_eq!(round_trip(&mut second, "still"), "received: still");
}

#[test]
fn fifty_clients_at_once_twenty_round_trips_each() {
    let server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    // a client that says nothing holds only its own thread
    let silent = TcpStream::connect(server.addr).unwrap();
    // one that sends and resets at once is only that client's end
    let reset = TcpStream::connect(server.addr).unwrap();
    (&reset).write_all(b"bye").unwrap();
    reset.shutdown(Shutdown::Both).unwrap();
    drop(reset);
    let (failed, first) = load(server.addr, 50, 20);
    assert_eq!(failed, 0, "{failed} clients failed, first: {first}");
    drop(silent);
}

#[test]
fn gbk_on_the_wire() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut server = Proc::server(cmd(&BIN, &args));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let me = client.local_addr().unwrap();
    client.write_all(b"\xc4\xe3\xba\xc3").unwrap();
    let mut reply = [0; 14];
    std::io::Read::read_exact(&mut client, &mut reply).unwrap();
    assert_eq!(&reply, b"received: \xc4\xe3\xba\xc3");
    server.expect(&format!("{me}: 你好"));
}

#[test]
fn control_characters_are_logged_escaped_on_one_line() {
    let mut server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let mut client = TcpStream::connect(server.addr).unwrap();
    let me = client.local_addr().unwrap();
    let forged = "\x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged";
    assert_eq!(
        round_trip(&mut client, forged),
        format!("received: {forged}")
    );
    server.expect(&format!("new client {me}"));
    assert_eq!(
        server.line(),
        format!(r"{me}: \x1b]0;pwned\x07fake\nfrom 1.2.3.4:1: forged")
    );
}

/// A failed `accept` (no file descriptor left for the client's socket)
/// does not end the server: it takes the next, and once descriptors are
/// free, the waiting client is served. (It tries again at once and says
/// nothing: 65-multi-thread-server-timeout waits between tries.)
#[cfg(target_os = "linux")]
#[test]
fn a_failed_accept_does_not_end_the_server() {
    let command = cmd(&BIN, &["127.0.0.1:0"]);
    let Some(limited) = testkit::with_fd_limit(&command, 4) else {
        return;
    };
    let mut server = Proc::server(limited);
    let mut client = TcpStream::connect(server.addr).unwrap();
    testkit::set_fd_limit(server.pid(), 64);
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    let me = client.local_addr().unwrap();
    server.expect(&format!("new client {me}"));
}

#[test]
fn restarting_binds_the_same_port_at_once() {
    let server = Proc::server(cmd(&BIN, &["127.0.0.1:0"]));
    let addr = server.addr.to_string();
    // a served and closed connection leaves the port in TIME_WAIT
    let mut client = TcpStream::connect(server.addr).unwrap();
    assert_eq!(round_trip(&mut client, "hi"), "received: hi");
    drop(server);
    drop(client);
    let again = Proc::server(cmd(&BIN, &[&addr]));
    assert_eq!(again.addr.to_string(), addr);
}
