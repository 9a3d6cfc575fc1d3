//! The README's story, run for real: 45 serving an empty `shared` in
//! terminal 1; in terminal 2 bash sends 20 requests for a missing file,
//! each from a new port of 127.0.0.1: 5 lines, then one that says the
//! rest are hidden (SKIPPED without bash).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_45-tftp-server-quiet");
const LOOP: &str = "for i in $(seq 20); do printf '\\0\\1nope\\0octet\\0' \
                    > /dev/udp/127.0.0.1/PORT; done";

#[test]
fn what_you_should_see() {
    if missing("bash") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 45-tftp-server-quiet -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let script = LOOP.replace("PORT", &port);
    let mut t2 = story
        .terminal(&LOOP.replace("PORT", "6969"), cmd("bash", &["-c", &script]));
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for("(more from 127.0.0.1 this second, not shown)\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
