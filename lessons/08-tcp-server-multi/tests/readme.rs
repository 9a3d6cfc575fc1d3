//! The README's story, run for real: 08 in terminal 1; a 05 in terminal
//! 2 sends two lines and leaves; a second 05 in terminal 3, which sent
//! its line meanwhile, is served only once terminal 2 has left.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_08-tcp-server-multi");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let client = lesson_bin("05-tcp-client");
    let typed = "cargo run --bin 08-tcp-server-multi";
    let mut t1 = story.terminal(typed, cmd(BIN, &["0.0.0.0:0"]));
    let addr = t1.listening(7788).to_string();

    // terminal 2: served, and still connected
    let typed = "cargo run --bin 05-tcp-client";
    let mut t2 = story.terminal(typed, cmd(&client, &[&addr]));
    t2.wait_for("data to send: ");
    t2.type_line("hello");
    t2.wait_for("reply: received: hello\n");
    t1.wait_for("received: hello\n");

    // terminal 3 connects and sends: it waits, 08 is busy with terminal 2
    let mut t3 = story.terminal(typed, cmd(&client, &[&addr]));
    t3.wait_for("data to send: ");
    t3.type_line("me too");

    // terminal 2 goes on, then leaves: read returns 0, terminal 3's turn
    t2.wait_for("data to send: ");
    t2.type_line("你好");
    t2.wait_for("reply: received: 你好\n");
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" left\n");
    t3.wait_for("reply: received: me too\n");
    t3.wait_for("data to send: ");
    t3.type_line("exit");
    assert_eq!(t3.exit_code(), Some(0));
    t1.wait_for(" left\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
