//! 49's idea, an upload answers a stranger with ERROR 5 (RFC 1350) and
//! goes on, against 48, whose upload loop passes over it in silence.

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_49-tftp-server-strangers");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "48-tftp-server-window";

fn socket() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    socket
}

fn answer(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    let mut buf = [0; 1024];
    let (len, from) = socket.recv_from(&mut buf).ok()?;
    Some((buf[..len].to_vec(), from))
}

#[test]
fn a_stranger_on_an_upload_gets_error_5_from_49_not_48() {
    for (bin, to_stranger) in [
        (lesson_bin(PREV), None),
        (
            BIN.into(),
            Some(&b"\x00\x05\x00\x05unknown transfer ID\x00"[..]),
        ),
    ] {
        let dir = temp_dir();
        let up = dir.path().join("up");
        fs::create_dir(&up).unwrap();
        let args = ["127.0.0.1:0", ".", "--write", up.to_str().unwrap()];
        let mut command = cmd(&bin, &args);
        command.current_dir(dir.path());
        let server = Proc::server(command);
        let (client, stranger) = (socket(), socket());
        client
            .send_to(b"\x00\x02homework.txt\x00octet\x00", server.addr)
            .unwrap();
        let (ack_0, tid) = answer(&client).expect("ACK 0");
        assert_eq!(ack_0, b"\x00\x04\x00\x00", "{bin}");
        // a stranger sends a block to the transfer's port
        stranger.send_to(b"\x00\x03\x00\x01not mine", tid).unwrap();
        let said = answer(&stranger).map(|(packet, _)| packet);
        assert_eq!(said.as_deref(), to_stranger, "{bin}");
        // and the transfer goes on, unharmed
        client.send_to(b"\x00\x03\x00\x01my homework", tid).unwrap();
        // (61 sent ACK 0 again meanwhile: the stranger held up nothing)
        let ack_1 = loop {
            let (packet, _) = answer(&client).expect("ACK 1");
            if packet != ack_0 {
                break packet;
            }
        };
        assert_eq!(ack_1, b"\x00\x04\x00\x01", "{bin}");
        let stored = fs::read(up.join("homework.txt")).unwrap();
        assert_eq!(stored, b"my homework", "{bin}");
    }
}
