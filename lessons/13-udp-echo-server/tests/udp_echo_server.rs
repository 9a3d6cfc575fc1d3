//! 13-udp-echo-server: every datagram comes back unchanged.

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;
use testkit::{cmd, missing, run, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_13-udp-echo-server");

#[test]
fn echoes_bytes_unchanged_and_logs_them_decoded() {
    let args = ["127.0.0.1:0", "--encoding", "gbk"];
    let mut server = Proc::server(cmd(BIN, &args));
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let me = client.local_addr().unwrap();
    for data in [
        &b"\xc4\xe3\xba\xc3"[..],
        b"",
        b"\xff\x00binary",
        &[7; 60_000],
    ] {
        client.send_to(data, server.addr).unwrap();
        let mut buf = vec![0; 65536];
        let (len, from) = client.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..len], data);
        assert_eq!(from, server.addr);
    }
    assert_eq!(server.line(), format!("from {me}: 你好"));
}

#[test]
fn echoes_to_nc() {
    if missing("nc") {
        return;
    }
    let server = Proc::server(cmd(BIN, &["127.0.0.1:0"]));
    let mut nc = Command::new("nc");
    nc.args(["-u", "-w1", "127.0.0.1", &server.addr.port().to_string()]);
    let (status, stdout, _) = run(nc, b"echo me\n");
    assert!(status.success());
    assert_eq!(stdout, "echo me");
}
