//! 04-udp-chat: the menu sends and receives, one at a time.

use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_04-udp-chat");

#[test]
fn menu_send_receive_quit() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let peer_addr = peer.local_addr().unwrap().to_string();
    let mut chat = Proc::server(cmd(BIN, &["127.0.0.1:0", &peer_addr]));

    // 1: send
    chat.send_line("1");
    chat.send_line("hello peer");
    let mut buf = [0; 64];
    let (len, from) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"hello peer");
    assert_eq!(from, chat.addr);

    // 2: receive, from whoever sends
    peer.send_to("你好".as_bytes(), chat.addr).unwrap();
    chat.send_line("2");
    chat.expect(&format!("{peer_addr}: 你好"));

    // an unknown choice is said so, then 3: quit
    chat.send_line("9");
    chat.expect("unknown choice \"9\"");
    chat.send_line("3");
    assert!(chat.finish().0.success());
}

#[test]
fn gbk_both_ways_and_end_of_input_quits() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let peer_addr = peer.local_addr().unwrap().to_string();
    let args = ["127.0.0.1:0", &peer_addr, "--encoding", "gbk"];
    let mut chat = Proc::server(cmd(BIN, &args));
    chat.send_line("1");
    chat.send_line("你好");
    let mut buf = [0; 64];
    let (len, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"\xc4\xe3\xba\xc3");
    peer.send_to(b"\xc4\xe3\xba\xc3", chat.addr).unwrap();
    chat.send_line("2");
    chat.expect("你好");
    let (status, _, _) = chat.finish();
    assert!(status.success());
}
