//! 57's idea, a floor on a transfer's rate, against 56, which has none:
//! a client that asks for blocks of 8 bytes and acknowledges each one
//! after 125 ms (64 bytes a second) is still served by 56 after 5 s; with
//! TFTP_TIMEOUT_MS=50 (a grace of 60 x 50 ms = 3 s), 57 ends it with
//! ERROR 0 after 3 s, and says so in its log. (The servers give up on a
//! client silent for 5 x 50 ms: 125 ms leaves a loaded machine half of
//! that; an ACK after 250 ms raced the server's last try.)

use std::net::UdpSocket;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, make_file, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_57-tftp-server-floor");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "56-tftp-server-slots-ipv6";

/// Downloads `f` in blocks of 8 bytes, an ACK 125 ms after each new
/// block, until `until` has passed or the server sends an ERROR, which
/// it returns with the time it came.
fn slow_client(server: &Proc, until: Duration) -> Option<(Vec<u8>, Duration)> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let rrq = b"\x00\x01f\x00octet\x00blksize\x008\x00";
    socket.send_to(rrq, server.addr).unwrap();
    let (began, mut buf, mut block) = (Instant::now(), [0; 1024], None);
    while began.elapsed() < until {
        let (len, tid) = socket.recv_from(&mut buf).expect("a packet");
        let number = match buf[..2] {
            [0, 6] => 0, // the OACK (blksize 8) stands for block 0
            [0, 3] => u16::from_be_bytes([buf[2], buf[3]]),
            _ => return Some((buf[..len].to_vec(), began.elapsed())),
        };
        if Some(number) != block {
            block = Some(number);
            std::thread::sleep(Duration::from_millis(125));
            let ack = [[0, 4], number.to_be_bytes()].concat();
            socket.send_to(&ack, tid).unwrap();
        }
    }
    None
}

#[test]
fn a_client_slower_than_512_bytes_a_second_is_ended_by_57_not_56() {
    let dir = temp_dir();
    make_file(&dir.path().join("f"), 100_000);
    let start = |bin: &str| {
        let mut command =
            cmd(bin, &["127.0.0.1:0", dir.path().to_str().unwrap()]);
        command.env("TFTP_TIMEOUT_MS", "50");
        Proc::server(command)
    };
    let prev = start(&lesson_bin(PREV));
    let ended = slow_client(&prev, Duration::from_secs(5));
    assert_eq!(ended, None, "56 ended the transfer");
    let mut server = start(BIN);
    let ended = slow_client(&server, Duration::from_secs(20));
    let (error, after) = ended.expect("70 never ended the transfer");
    assert_eq!(error, b"\x00\x05\x00\x00slower than 512 bytes a second\x00");
    assert!(after >= Duration::from_secs(3), "ended after {after:?}");
    server.expect("get f: refused: slower than 512 bytes a second");
}
