//! 41-tftp-server-netascii: netascii downloads, by raw packets and with
//! tftp-hpa in its default mode; what 40 answers to the same request
//! (ERROR 4); netascii uploads still refused.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use testkit::{cmd, lesson_bin, missing, run, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_41-tftp-server-netascii");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "40-tftp-server-slots";
/// Text with every kind of line end: LF, CR LF, a CR alone.
const TEXT: &str = "line 1\nline 2\r\nbare\rcr\n";

fn start(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

fn client() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket
}

fn request(opcode: u8, file: &str, mode: &str, options: &[&str]) -> Vec<u8> {
    let mut packet = vec![0, opcode];
    for word in [file, mode].iter().chain(options) {
        packet.extend(word.as_bytes());
        packet.push(0);
    }
    packet
}

fn recv(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = [0; 2048];
    let (len, from) = socket.recv_from(&mut buf).expect("an answer");
    (buf[..len].to_vec(), from)
}

/// Downloads `file` in netascii, packet by packet: what went on the wire.
fn wire(server: SocketAddr, file: &str) -> Vec<Vec<u8>> {
    let socket = client();
    let ask = request(1, file, "netascii", &["tsize", "0"]);
    socket.send_to(&ask, server).unwrap();
    let mut blocks = vec![];
    loop {
        let (data, tid) = recv(&socket);
        assert_eq!(data[..2], [0, 3], "{data:?}: no tsize for netascii");
        socket
            .send_to(&[&[0, 4], &data[2..4]].concat(), tid)
            .unwrap();
        blocks.push(data[4..].to_vec());
        if data.len() < 516 {
            return blocks;
        }
    }
}

#[test]
fn netascii_is_error_4_for_40_and_served_by_41() {
    let dir = temp_dir();
    fs::write(dir.path().join("notes.txt"), TEXT).unwrap();
    let prev = start(&lesson_bin(PREV), dir.path());
    let socket = client();
    let ask = request(1, "notes.txt", "netascii", &[]);
    socket.send_to(&ask, prev.addr).unwrap();
    assert_eq!(recv(&socket).0, b"\x00\x05\x00\x04only octet mode\x00");
    let mut server = start(BIN, dir.path());
    let sent = wire(server.addr, "notes.txt");
    assert_eq!(
        sent,
        [b"line 1\r\nline 2\r\x00\r\nbare\r\x00cr\r\n".to_vec()]
    );
    server.expect(" get notes.txt: 23 bytes");
}

#[test]
fn a_line_end_may_straddle_two_blocks() {
    let dir = temp_dir();
    let text = format!("{}\n", "x".repeat(511)); // 512 bytes, 513 sent
    fs::write(dir.path().join("f"), &text).unwrap();
    let server = start(BIN, dir.path());
    let sent = wire(server.addr, "f");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0], [&[b'x'; 511][..], b"\r"].concat());
    assert_eq!(sent[1], b"\n");
}

#[test]
fn netascii_uploads_are_still_refused() {
    let (dir, uploads) = (temp_dir(), temp_dir());
    let write = uploads.path().to_str().unwrap();
    let server = Proc::server(cmd(
        BIN,
        &[
            "127.0.0.1:0",
            dir.path().to_str().unwrap(),
            "--write",
            write,
        ],
    ));
    let socket = client();
    let ask = request(2, "notes.txt", "netascii", &[]);
    socket.send_to(&ask, server.addr).unwrap();
    assert_eq!(recv(&socket).0, b"\x00\x05\x00\x04mode not served\x00");
    assert_eq!(fs::read_dir(uploads.path()).unwrap().count(), 0);
}

#[test]
fn tftp_hpa_in_its_default_mode_gets_the_text_as_it_was() {
    if missing("tftp") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    fs::write(dir.path().join("notes.txt"), TEXT).unwrap();
    let get = |server: &Proc| {
        let port = server.addr.port().to_string();
        let mut tftp = Command::new("tftp");
        tftp.args(["127.0.0.1", &port, "-c", "get", "notes.txt"]);
        tftp.current_dir(out.path());
        let (_, text, errors) = run(tftp, b"");
        text + &errors
    };
    let prev = start(&lesson_bin(PREV), dir.path());
    assert_eq!(get(&prev).trim_end(), "Error code 4: only octet mode");
    let server = start(BIN, dir.path());
    assert_eq!(get(&server), "");
    let got = fs::read_to_string(out.path().join("notes.txt")).unwrap();
    assert_eq!(got, TEXT);
}
