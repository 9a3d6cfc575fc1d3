//! The README's story, run for real in a scratch folder: 40 serving
//! `shared` in terminal 1, curl downloading `hello.txt` in terminal 2
//! (SKIPPED without curl): one client sees 39's behaviour.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_40-tftp-server-slots");

#[test]
fn what_you_should_see() {
    if missing("curl") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::write(top.join("shared/hello.txt"), "hello from the server\n").unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 40-tftp-server-slots -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port();

    let url = format!("tftp://127.0.0.1:{port}/hello.txt");
    let mut curl = cmd("curl", &["-sS", "-o", "hello.txt", &url]);
    curl.current_dir(top.join("downloads"));
    let typed = "curl -sS -o hello.txt tftp://127.0.0.1:6969/hello.txt";
    let mut t2 = story.terminal(typed, curl);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get hello.txt: 22 bytes\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
