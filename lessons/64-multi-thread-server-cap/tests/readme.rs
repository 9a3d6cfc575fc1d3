//! The README's story, run for real: 64 with `--max-clients 1` in
//! terminal 1; a 05 in terminal 2 takes the one place; a 05 in terminal
//! 3 is told `busy` and closed; once terminal 2 leaves, a 05 in terminal
//! 4 is served.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_64-multi-thread-server-cap");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let args = ["0.0.0.0:0", "--max-clients", "1"];
    let typed = "cargo run --bin 64-multi-thread-server-cap -- --max-clients 1";
    let mut t1 = story.terminal(typed, cmd(BIN, &args));
    let addr = t1.listening(7788).to_string();
    let client = || cmd(&lesson_bin("05-tcp-client"), &[&addr]);
    let typed = "cargo run --bin 05-tcp-client";

    // terminal 2 takes the one place
    let mut t2 = story.terminal(typed, client());
    t2.wait_for("data to send: ");
    t2.type_line("hello");
    t2.wait_for("reply: received: hello\n");
    t1.wait_for(": hello\n");

    // terminal 3 is one too many: told busy, closed
    let mut t3 = story.terminal(typed, client());
    t1.wait_for(": busy, closed\n");
    t3.wait_for("data to send: ");
    t3.type_line("me too");
    t3.wait_for("reply: busy: 1 clients, try later\\n\n");
    t3.wait_for("data to send: ");
    t3.type_line("exit");
    assert_eq!(t3.exit_code(), Some(0));

    // terminal 2 leaves; its place is free for terminal 4
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" left\n");
    let mut t4 = story.terminal(typed, client());
    t4.wait_for("data to send: ");
    t4.type_line("my turn");
    t4.wait_for("reply: received: my turn\n");
    t1.wait_for(": my turn\n");
    t4.wait_for("data to send: ");
    t4.type_line("exit");
    assert_eq!(t4.exit_code(), Some(0));
    t1.wait_for(" left\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
