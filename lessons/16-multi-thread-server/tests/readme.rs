//! The README's story, run for real: 16 in terminal 1, and two 05s in
//! terminals 2 and 3 typing in turn. The second is answered while the
//! first is still connected, which 08 could not do.

use testkit::readme::{Story, Terminal};
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_16-multi-thread-server");

/// Types `line` in a 05 and waits for 16's reply and log line.
fn say(client: &mut Terminal, server: &mut Terminal, line: &str) {
    client.wait_for("data to send: ");
    client.type_line(line);
    client.wait_for(&format!("reply: received: {line}\n"));
    server.wait_for(&format!(": {line}\n"));
}

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let server_cmd = cmd(BIN, &["0.0.0.0:0"]);
    let mut t1 =
        story.terminal("cargo run --bin 16-multi-thread-server", server_cmd);
    let addr = t1.listening(7788).to_string();
    let client = || cmd(&lesson_bin("05-tcp-client"), &[&addr]);
    let typed = "cargo run --bin 05-tcp-client";

    // the first client connects and talks, and stays connected
    let mut t2 = story.terminal(typed, client());
    t1.wait_for("new client ");
    say(&mut t2, &mut t1, "hello from the first");
    // the second is served at once, while the first is still there
    let mut t3 = story.terminal(typed, client());
    t1.wait_for("new client ");
    say(&mut t3, &mut t1, "hello from the second");
    say(&mut t2, &mut t1, "still here");

    // they leave in turn
    for leaving in [&mut t2, &mut t3] {
        leaving.wait_for("data to send: ");
        leaving.type_line("exit");
        assert_eq!(leaving.exit_code(), Some(0));
        t1.wait_for(" left\n");
    }
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
