//! The README's story, run for real: two 04s chat through the menu. In
//! terminal 2 the student types a line while 04 waits in "2: receive":
//! it is not sent, it becomes the next menu choice.

use std::net::UdpSocket;
use testkit::cmd;
use testkit::readme::Story;

const BIN: &str = env!("CARGO_BIN_EXE_04-udp-chat");

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
        "cargo run --bin 04-udp-chat",
        cmd(BIN, &["0.0.0.0:0", &peer2]),
    );
    let addr1 = t1.listening(7788).to_string();
    let local2 = format!("0.0.0.0:{port2}");
    let mut t2 = story.terminal(
        "cargo run --bin 04-udp-chat -- 8877 127.0.0.1:7788",
        cmd(BIN, &[&local2, &addr1]),
    );
    t2.listening(8877);

    // terminal 2 waits for a message, and meanwhile the student types
    t2.wait_for("choose: ");
    t2.type_line("2");
    t2.type_line("hi there");
    // terminal 1 sends one
    t1.wait_for("choose: ");
    t1.type_line("1");
    t1.wait_for("message: ");
    t1.type_line("hello");
    t2.wait_for(": hello\n");
    // the line typed while waiting was the next menu choice
    t2.wait_for("unknown choice \"hi there\"\n");

    // terminal 2 sends two messages; terminal 1 receives one per `2`
    for message in ["one", "two"] {
        t2.wait_for("choose: ");
        t2.type_line("1");
        t2.wait_for("message: ");
        t2.type_line(message);
    }
    t2.wait_for("choose: "); // both are sent
    for message in ["one", "two"] {
        t1.wait_for("choose: ");
        t1.type_line("2");
        t1.wait_for(&format!(": {message}\n"));
    }
    t1.wait_for("choose: ");
    t1.type_line("3");
    assert_eq!(t1.exit_code(), Some(0));
    t2.type_line("3"); // at its menu since both were sent
    assert_eq!(t2.exit_code(), Some(0));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
