//! The README's story, run for real: 07 in terminal 1; a 05 in terminal
//! 2 connects and says nothing yet; a second 05 in terminal 3 connects
//! and sends `你好`, and waits in the listen queue until terminal 2 has
//! sent `hello` and been answered.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_07-tcp-server-loop");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let client = lesson_bin("05-tcp-client");
    let typed = "cargo run --bin 07-tcp-server-loop";
    let mut t1 = story.terminal(typed, cmd(BIN, &["0.0.0.0:0"]));
    let addr = t1.listening(7788).to_string();

    // terminal 2 connects first: 07 accepts it and waits for its line
    let typed = "cargo run --bin 05-tcp-client";
    let mut t2 = story.terminal(typed, cmd(&client, &[&addr]));
    t2.wait_for("data to send: ");
    t1.wait_for("new client ");

    // terminal 3 connects too, and sends at once: nobody reads it yet
    let mut t3 = story.terminal(typed, cmd(&client, &[&addr]));
    t3.wait_for("data to send: ");
    t3.type_line("你好");

    // terminal 2's turn, then terminal 3's
    t2.type_line("hello");
    t2.wait_for("reply: received: hello\n");
    t1.wait_for(" served\n");
    t3.wait_for("reply: received: 你好\n");
    t1.wait_for(" served\n");
    for t in [&mut t2, &mut t3] {
        t.wait_for("data to send: ");
        t.type_line("exit");
        assert_eq!(t.exit_code(), Some(0));
    }

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
