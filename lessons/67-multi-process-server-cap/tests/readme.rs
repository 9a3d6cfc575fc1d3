//! The README's story, run for real: 67 with `--max-clients 1` in
//! terminal 1, a 05 served in terminal 2, and a second 05 in terminal 3,
//! told `busy` while the first is served.
#![cfg(unix)]

use testkit::readme::{Story, Terminal};
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_67-multi-process-server-cap");

/// Types `line` in a 05 and waits for its reply.
fn say(client: &mut Terminal, line: &str, reply: &str) {
    client.wait_for("data to send: ");
    client.type_line(line);
    client.wait_for(&format!("reply: {reply}\n"));
}

#[test]
fn what_you_should_see() {
    if testkit::not_on_windows("fork is Unix's: a Unix-only lesson") {
        return;
    }
    let story = Story::default();
    let server_cmd = cmd(BIN, &["0.0.0.0:0", "--max-clients", "1"]);
    let typed =
        "cargo run --bin 67-multi-process-server-cap -- --max-clients 1";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(7788).to_string();
    let client = || cmd(&lesson_bin("05-tcp-client"), &[&addr]);
    let typed = "cargo run --bin 05-tcp-client";

    // the first client has the one child there may be
    let mut t2 = story.terminal(typed, client());
    t1.wait_for("child pid ");
    say(
        &mut t2,
        "hello from the first",
        "received: hello from the first",
    );
    t1.wait_for(": hello from the first\n");
    // the second is told at once, and closed
    let mut t3 = story.terminal(typed, client());
    t1.wait_for(": busy, closed\n");
    say(
        &mut t3,
        "hello from the second",
        "busy: 1 clients, try later\\n",
    );
    t3.wait_for("data to send: ");
    t3.type_line("exit");
    assert_eq!(t3.exit_code(), Some(0));
    // the first leaves: its child ends, and the place is free again
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" left\n");
    let mut t4 = story.terminal(typed, client());
    t1.wait_for("child pid ");
    say(&mut t4, "my turn", "received: my turn");
    t4.wait_for("data to send: ");
    t4.type_line("exit");
    assert_eq!(t4.exit_code(), Some(0));
    t1.wait_for(" left\n");
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
