//! 54's idea, netascii for uploads, against 53, which refuses it: a WRQ
//! in mode netascii gets ERROR 4 from 53; 54 takes it, and writes the
//! wire's CR LF as LF and CR NUL as CR, a CR at the very end too.

use std::fs;
use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_54-tftp-server-netascii-put");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "53-tftp-server-put-race";

#[test]
fn a_netascii_upload_is_refused_by_53_and_converted_by_54() {
    for bin in [lesson_bin(PREV), BIN.into()] {
        let scratch = temp_dir();
        let top = scratch.path();
        fs::create_dir(top.join("uploads")).unwrap();
        let args = ["127.0.0.1:0", ".", "--write", "uploads"];
        let mut command = cmd(&bin, &args);
        command.current_dir(top);
        let server = Proc::server(command);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let wrq = b"\x00\x02notes.txt\x00netascii\x00";
        socket.send_to(wrq, server.addr).unwrap();
        let mut buf = [0; 1024];
        let (len, tid) = socket.recv_from(&mut buf).expect("an answer");
        if bin != BIN {
            let refused = b"\x00\x05\x00\x04mode not served\x00";
            assert_eq!(&buf[..len], refused);
            continue;
        }
        assert_eq!(&buf[..len], b"\x00\x04\x00\x00");
        let data = b"\x00\x03\x00\x01one\r\ntwo\r\0three\r";
        socket.send_to(data, tid).unwrap();
        let (len, _) = socket.recv_from(&mut buf).expect("ACK 1");
        assert_eq!(&buf[..len], b"\x00\x04\x00\x01");
        let stored = fs::read(top.join("uploads/notes.txt")).unwrap();
        assert_eq!(stored, b"one\ntwo\rthree\r");
    }
}
