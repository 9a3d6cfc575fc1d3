//! The README's story, run for real: two 11s chat; each prints what
//! arrives while it waits for what the student types.

use std::net::UdpSocket;
use testkit::cmd;
use testkit::readme::Story;

const BIN: &str = env!("CARGO_BIN_EXE_11-udp-chat-threads");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    // 7788 as typed on terminal 2's command line
    story.port(7788, 7788);
    // terminal 2's port, free now; terminal 1 sends to it
    let free = UdpSocket::bind("0.0.0.0:0").unwrap();
    let port2 = free.local_addr().unwrap().port();
    drop(free);
    let peer2 = format!("127.0.0.1:{port2}");
    let mut t1 = story.terminal(
        "cargo run --bin 11-udp-chat-threads",
        cmd(BIN, &["0.0.0.0:0", &peer2]),
    );
    let addr1 = t1.listening(7788).to_string();
    let local2 = format!("0.0.0.0:{port2}");
    let mut t2 = story.terminal(
        "cargo run --bin 11-udp-chat-threads -- 8877 127.0.0.1:7788",
        cmd(BIN, &[&local2, &addr1]),
    );
    t2.listening(8877);

    // each line appears on the other side at once, with no menu
    t1.type_line("hello");
    t2.wait_for(": hello\n");
    t2.type_line("hi");
    t1.wait_for(": hi\n");
    // terminal 1 sends twice; terminal 2 does nothing and shows both
    for line in ["are you there?", "你好"] {
        t1.type_line(line);
        t2.wait_for(&format!(": {line}\n"));
    }
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.type_line("exit");
    assert_eq!(t1.exit_code(), Some(0));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
