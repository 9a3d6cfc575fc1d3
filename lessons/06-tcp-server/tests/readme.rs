//! The README's story, run for real: 06 in terminal 1 and 05 in terminal
//! 2, which sends `hello`, gets its answer, and finds 06 gone at its
//! second line; then a new 05 finds nobody listening.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_06-tcp-server");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let client = lesson_bin("05-tcp-client");

    // 06 serves one client once, then exits by itself
    let typed = "cargo run --bin 06-tcp-server";
    let mut t1 = story.terminal(typed, cmd(BIN, &["0.0.0.0:0"]));
    let addr = t1.listening(7788).to_string();
    let typed = "cargo run --bin 05-tcp-client";
    let mut t2 = story.terminal(typed, cmd(&client, &[&addr]));
    t2.wait_for("data to send: ");
    t1.wait_for("new client ");
    t2.type_line("hello");
    t2.wait_for("reply: received: hello\n");
    t1.wait_for(" served\n");
    assert_eq!(t1.exit_code(), Some(0));

    // the second line finds the connection closed
    t2.wait_for("data to send: ");
    t2.type_line("again");
    t2.wait_for("Error: the server closed the connection\n");
    assert_eq!(t2.exit_code(), Some(1));

    // the listening socket is gone too: a new client is refused
    let mut t3 = story.terminal(typed, cmd(&client, &[&addr]));
    t3.wait_for("Connection refused");
    assert_eq!(t3.exit_code(), Some(1));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
