//! The README's story, run for real: 16 in terminal 1, 18 in terminal 2.
//! Only terminal 2 is a transcript: terminal 1 prints a few lines for
//! each of the 1001 connections, which the README describes instead.
//! Times are decimal numbers, so any run matches.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_18-tcp-short-vs-long");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let server_cmd = cmd(&lesson_bin("16-multi-thread-server"), &["0.0.0.0:0"]);
    let mut t1 =
        story.terminal("cargo run --bin 16-multi-thread-server", server_cmd);
    let addr = t1.listening(7788).to_string();
    let typed = "cargo run --bin 18-tcp-short-vs-long";
    let mut t2 = story.terminal(typed, cmd(BIN, &[&addr]));
    t2.wait_for("long connections were ");
    assert_eq!(t2.exit_code(), Some(0));
    // the server saw the requests
    t1.wait_for(": request 999\n");
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t2]);
}
