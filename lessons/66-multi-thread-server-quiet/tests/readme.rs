//! The README's story, run for real: 66 in terminal 1; in terminal 2, a
//! 05 fed eight lines at once through a pipe (a fast client). 66 answers
//! all eight, logs the first five and then how many more there were.
//! (Unix: the pipe is a shell's.)
#![cfg(unix)]

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_66-multi-thread-server-quiet");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let server_cmd = cmd(BIN, &["0.0.0.0:0"]);
    let typed = "cargo run --bin 66-multi-thread-server-quiet";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(7788).to_string();

    // eight messages as fast as 05 can send them, then the end of input
    let lines = "printf 'message %s\\n' 1 2 3 4 5 6 7 8";
    let client = lesson_bin("05-tcp-client");
    let pipe = format!("{lines} | {client} {addr}");
    let typed = format!("{lines} | cargo run --bin 05-tcp-client");
    let mut t2 = story.terminal(&typed, cmd("sh", &["-c", &pipe]));
    t2.wait_for("reply: received: message 8\n");
    assert_eq!(t2.exit_code(), Some(0));

    // five shown, three counted when the client has gone
    for i in 1..=5 {
        t1.wait_for(&format!(": message {i}\n"));
    }
    t1.wait_for(": (3 more, not shown)\n");
    t1.wait_for(" left\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
