//! The README's story, run for real: 68 with `--max-clients 1` and an
//! idle time of 1 s in terminal 1, a 05 that says nothing in terminal 2
//! (let go after 1 s), and a 05 in terminal 3 that then has the place.
#![cfg(unix)]

use std::time::{Duration, Instant};
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_68-multi-process-server-timeout");

#[test]
fn what_you_should_see() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let story = Story::default();
    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "--max-clients", "1"]);
    server_cmd.env("IDLE_TIMEOUT_SECS", "1");
    let typed = "IDLE_TIMEOUT_SECS=1 cargo run \
                 --bin 68-multi-process-server-timeout -- --max-clients 1";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(7788).to_string();
    let client = || cmd(&lesson_bin("05-tcp-client"), &[&addr]);
    let typed = "cargo run --bin 05-tcp-client";

    // the first client says nothing: after 1 s its child lets it go
    let mut t2 = story.terminal(typed, client());
    t1.wait_for("child pid ");
    let pid: u32 = t1.wait_for("\n").trim().parse().unwrap();
    t2.wait_for("data to send: ");
    t1.wait_for(": idle for 1 s, closed\n");
    // the place is free once that child has ended
    let end = Instant::now() + DEADLINE;
    while testkit::processes().contains_key(&pid) {
        assert!(Instant::now() < end, "child {pid} still there");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut t3 = story.terminal(typed, client());
    t1.wait_for("child pid ");
    t3.wait_for("data to send: ");
    t3.type_line("my turn");
    t3.wait_for("reply: received: my turn\n");
    t3.wait_for("data to send: ");
    t3.type_line("exit");
    assert_eq!(t3.exit_code(), Some(0));
    t1.wait_for(" left\n");
    // the first client, back at the keyboard, finds the connection gone
    t2.type_line("hello?");
    assert_eq!(t2.exit_code(), Some(1));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
