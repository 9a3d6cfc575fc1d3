//! 11-udp-chat-threads: two chats talk both ways, no menu in the way.

use std::net::UdpSocket;
use testkit::{cmd, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_11-udp-chat-threads");

/// A port that was free a moment ago, for the second chat to bind.
fn free_udp_port() -> String {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().to_string()
}

#[test]
fn two_chats_send_and_receive_at_the_same_time() {
    let b_addr = free_udp_port();
    let mut a = Proc::server(cmd(BIN, &["127.0.0.1:0", &b_addr]));
    let a_addr = a.addr.to_string();
    let mut b = Proc::server(cmd(BIN, &[&b_addr, &a_addr]));
    // both type before either reads: neither is blocked in "receive"
    a.send_line("hello from a");
    b.send_line("你好 from b");
    assert_eq!(b.line(), format!("{a_addr}: hello from a"));
    assert_eq!(a.line(), format!("{b_addr}: 你好 from b"));
    for i in 0..5 {
        a.send_line(&format!("a{i}"));
        b.send_line(&format!("b{i}"));
    }
    for i in 0..5 {
        assert_eq!(b.line(), format!("{a_addr}: a{i}"));
        assert_eq!(a.line(), format!("{b_addr}: b{i}"));
    }
    // `exit` on one side, end of input on the other: both end cleanly
    a.send_line("exit");
    assert!(a.finish().0.success());
    assert!(b.finish().0.success());
}

#[test]
fn gbk_both_ways() {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let peer_addr = peer.local_addr().unwrap().to_string();
    let args = ["127.0.0.1:0", &peer_addr, "--encoding", "gbk"];
    let mut chat = Proc::server(cmd(BIN, &args));
    peer.send_to(b"\xc4\xe3\xba\xc3", chat.addr).unwrap();
    assert_eq!(chat.line(), format!("{peer_addr}: 你好"));
    chat.send_line("你好");
    let mut buf = [0; 16];
    let (len, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"\xc4\xe3\xba\xc3");
}
