//! The README's story, run for real: 65 with `--max-clients 1` and an
//! idle timeout of 3 s in terminal 1; a 05 in terminal 2 takes the one
//! place and says nothing; 65 closes it after 3 s, and a 05 in terminal
//! 3 is served.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_65-multi-thread-server-timeout");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let mut server = cmd(BIN, &["0.0.0.0:0", "--max-clients", "1"]);
    server.env("IDLE_TIMEOUT_SECS", "3");
    let typed = "IDLE_TIMEOUT_SECS=3 cargo run --bin \
                 65-multi-thread-server-timeout -- --max-clients 1";
    let mut t1 = story.terminal(typed, server);
    let addr = t1.listening(7788).to_string();
    let client = || cmd(&lesson_bin("05-tcp-client"), &[&addr]);
    let typed = "cargo run --bin 05-tcp-client";

    // terminal 2 takes the one place and says nothing
    let mut t2 = story.terminal(typed, client());
    t2.wait_for("data to send: ");
    t1.wait_for("new client ");
    t1.wait_for(": idle for 3 s, closed\n");

    // its place is free: terminal 3 is served
    let mut t3 = story.terminal(typed, client());
    t3.wait_for("data to send: ");
    t3.type_line("my turn");
    t3.wait_for("reply: received: my turn\n");
    t1.wait_for(": my turn\n");
    t3.wait_for("data to send: ");
    t3.type_line("exit");
    assert_eq!(t3.exit_code(), Some(0));
    t1.wait_for(" left\n");
    // terminal 2 finds out only when it sends (here it just leaves)
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
