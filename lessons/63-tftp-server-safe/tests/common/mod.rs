//! What the tests of 15 share: start the server, run 14 against it,
//! and raw packets for the rules of TFTP.
#![allow(dead_code)] // each test file uses its part

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, run, Proc};

pub const BIN: &str = env!("CARGO_BIN_EXE_63-tftp-server-safe");

/// The client lesson the tests run against this server (the one place to
/// name it).
pub const CLIENT: &str = "37-tftp-client-safe";

pub fn server(dir: &Path, args: &[&str]) -> Proc {
    let mut all = vec!["127.0.0.1:0", dir.to_str().unwrap()];
    all.extend(args);
    Proc::server(cmd(BIN, &all))
}

/// The options that take uploads into `dir`.
pub fn uploads_into(dir: &Path) -> [&str; 2] {
    ["--write", dir.to_str().unwrap()]
}

/// The CLIENT lesson run in `cwd`; returns (success, stdout + stderr).
pub fn client(cwd: &Path, args: &[&str]) -> (bool, String) {
    let mut command = cmd(&lesson_bin(CLIENT), args);
    command.current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.success(), out + &err)
}

pub fn raw() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket
}

pub fn request(
    opcode: u8,
    file: &str,
    mode: &str,
    options: &[&str],
) -> Vec<u8> {
    let mut packet = vec![0, opcode];
    for word in [file, mode].iter().chain(options) {
        packet.extend(word.as_bytes());
        packet.push(0);
    }
    packet
}

pub fn recv(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = vec![0; 70000];
    let (len, from) = loop {
        match socket.recv_from(&mut buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            received => break received.expect("an answer"),
        }
    };
    (buf[..len].to_vec(), from)
}

pub fn error_code(packet: &[u8]) -> u16 {
    assert_eq!(&packet[..2], [0, 5], "not an ERROR: {packet:?}");
    u16::from_be_bytes([packet[2], packet[3]])
}

pub fn ack(block: u16) -> Vec<u8> {
    [[0, 4], block.to_be_bytes()].concat()
}
