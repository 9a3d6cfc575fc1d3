//! 43-tftp-server-dally: an upload whose last ACK is lost. The client
//! sends its last block again: the lesson this one grows from has closed
//! the transfer's socket (no answer), this one answers with the same ACK.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_43-tftp-server-dally");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "42-tftp-server-whole";

fn start(bin: &str, uploads: &Path) -> Proc {
    let uploads = uploads.to_str().unwrap();
    Proc::server(cmd(bin, &["127.0.0.1:0", uploads, "--write", uploads]))
}

fn recv(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    let mut buf = [0; 2048];
    let (len, from) = socket.recv_from(&mut buf).ok()?;
    Some((buf[..len].to_vec(), from))
}

/// Uploads "f" in one block, then acts as if ACK 1 were lost: block 1
/// again 2 s later. Returns the answer to that repeat, if any came.
fn lose_the_last_ack(server: &mut Proc) -> Option<Vec<u8>> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    socket
        .send_to(b"\x00\x02f\x00octet\x00", server.addr)
        .unwrap();
    let (ack0, tid) = recv(&socket).expect("ACK 0");
    assert_eq!(ack0, [0, 4, 0, 0]);
    socket.send_to(b"\x00\x03\x00\x01hi", tid).unwrap();
    assert_eq!(recv(&socket).expect("ACK 1").0, [0, 4, 0, 1]); // "lost"
    std::thread::sleep(Duration::from_secs(2)); // the client's timeout
    socket.send_to(b"\x00\x03\x00\x01hi", tid).unwrap();
    let again = recv(&socket).map(|(packet, _)| packet);
    server.expect(" put f: 2 bytes");
    again
}

#[test]
fn a_repeated_last_block_is_acknowledged_again() {
    let dir = temp_dir();
    let mut prev = start(&lesson_bin(PREV), dir.path());
    assert_eq!(lose_the_last_ack(&mut prev), None, "42 answered");
    fs::remove_file(dir.path().join("f")).unwrap();
    let mut server = start(BIN, dir.path());
    let again = lose_the_last_ack(&mut server);
    assert_eq!(again.as_deref(), Some(&[0, 4, 0, 1][..]));
    assert_eq!(fs::read(dir.path().join("f")).unwrap(), b"hi");
}
