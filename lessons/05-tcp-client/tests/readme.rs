//! The README's story, run for real: 08 in terminal 1 and 05 in terminal
//! 2 (two lines, then `exit`); then 06 in terminal 1, which answers once
//! and exits, so 05's second line finds it gone; then 05 with no server.

use std::net::TcpListener;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_05-tcp-client");

#[test]
fn what_you_should_see() {
    let story = Story::default();

    // 08 in terminal 1, 05 in terminal 2: two lines, then exit
    let server_cmd = cmd(&lesson_bin("08-tcp-server-multi"), &["0.0.0.0:0"]);
    let mut t1 =
        story.terminal("cargo run --bin 08-tcp-server-multi", server_cmd);
    let addr = t1.listening(7788).to_string();
    let mut t2 =
        story.terminal("cargo run --bin 05-tcp-client", cmd(BIN, &[&addr]));
    for line in ["hello", "你好"] {
        t2.wait_for("data to send: ");
        t2.type_line(line);
        t2.wait_for(&format!("reply: received: {line}\n"));
        t1.wait_for(&format!("received: {line}\n"));
    }
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" left\n");

    // 06 answers one message and exits: the second one finds it gone
    let server_cmd = cmd(&lesson_bin("06-tcp-server"), &["0.0.0.0:0"]);
    let mut t3 = story.terminal("cargo run --bin 06-tcp-server", server_cmd);
    let addr = t3.listening(7788).to_string();
    let mut t4 =
        story.terminal("cargo run --bin 05-tcp-client", cmd(BIN, &[&addr]));
    t4.wait_for("data to send: ");
    t4.type_line("hello");
    t4.wait_for("reply: received: hello\n");
    t3.wait_for(" served\n");
    assert_eq!(t3.exit_code(), Some(0));
    t4.wait_for("data to send: ");
    t4.type_line("again");
    t4.wait_for("Error: the server closed the connection\n");
    assert_eq!(t4.exit_code(), Some(1));

    // no server at all: a port nobody listens on
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    story.port(addr.port(), 7788);
    let client_cmd = cmd(BIN, &[&addr.to_string()]);
    let mut t5 = story.terminal("cargo run --bin 05-tcp-client", client_cmd);
    t5.wait_for("Connection refused");
    assert_eq!(t5.exit_code(), Some(1));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4, t5]);
}
