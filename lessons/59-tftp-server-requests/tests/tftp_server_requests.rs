//! 59's idea, a request read whole, against 58, which reads 1,024 bytes:
//! a file five folders deep, its name 1,161 bytes long, gets ERROR 4
//! from 58 (the request was cut before its mode) and its first block
//! from 59.

use std::fs;
use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_59-tftp-server-requests");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "58-tftp-server-max-size";

#[test]
fn a_long_request_is_cut_by_58_and_read_whole_by_59() {
    if testkit::not_on_windows(
        "58's 1,024-byte receive fails on Windows (error 10040) instead of \
         cutting the request, so 58 says nothing; and under Wine 59 cannot \
         resolve a path of 1,161 characters (error 234 from \
         GetFinalPathNameByHandleW, which Windows does not give)",
    ) {
        return;
    }
    let dir = temp_dir();
    let folder = "f".repeat(230);
    let deep = [folder.as_str(); 5].join("/");
    fs::create_dir_all(dir.path().join(&deep)).unwrap();
    let name = format!("{deep}/notes.txt");
    fs::write(dir.path().join(&name), "deep notes").unwrap();
    let rrq = [&[0, 1], name.as_bytes(), b"\0octet\0"].concat();
    assert!(rrq.len() > 1024, "{}", rrq.len());
    for (bin, answer) in [
        (
            lesson_bin(PREV),
            &b"\x00\x05\x00\x04mode not served\x00"[..],
        ),
        (BIN.into(), b"\x00\x03\x00\x01deep notes"),
    ] {
        let folder = dir.path().to_str().unwrap();
        let server = Proc::server(cmd(&bin, &["127.0.0.1:0", folder]));
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        socket.send_to(&rrq, server.addr).unwrap();
        let mut buf = [0; 1024];
        let (len, tid) = socket.recv_from(&mut buf).expect("an answer");
        assert_eq!(&buf[..len], answer, "{bin}");
        socket.send_to(b"\x00\x04\x00\x01", tid).unwrap();
    }
}
