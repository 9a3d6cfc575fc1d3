//! The README's story, run for real in a scratch folder: 42 taking
//! uploads into `uploads` in terminal 1; in terminal 2 curl uploads
//! `homework.txt` (SKIPPED without curl), and `ls -A` shows it alone.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_42-tftp-server-whole");

#[test]
fn what_you_should_see() {
    if missing("curl") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("uploads")).unwrap();
    fs::write(top.join("homework.txt"), "my homework\n").unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let typed =
        "cargo run --bin 42-tftp-server-whole -- 6969 shared --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port();

    let url = format!("tftp://127.0.0.1:{port}/");
    let mut curl = cmd("curl", &["-sS", "-T", "homework.txt", &url]);
    curl.current_dir(top);
    let typed = "curl -sS -T homework.txt tftp://127.0.0.1:6969/";
    let mut t2 = story.terminal(typed, curl);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put homework.txt: 12 bytes\n");

    let mut ls = cmd("ls", &["-A", "uploads"]);
    ls.current_dir(top);
    let mut t3 = story.terminal("ls -A uploads", ls);
    t3.wait_for("homework.txt\n");
    assert_eq!(t3.exit_code(), Some(0));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
