//! The README's story, run for real in a scratch folder: 43 taking
//! uploads into `uploads` in terminal 1; in terminal 2 tftp-hpa uploads
//! `homework.txt` (SKIPPED without tftp-hpa). The server's line comes
//! once its dally is over.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_43-tftp-server-dally");

#[test]
fn what_you_should_see() {
    if missing("tftp") {
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
        "cargo run --bin 43-tftp-server-dally -- 6969 shared --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let args = [
        "127.0.0.1",
        &port,
        "-m",
        "binary",
        "-c",
        "put",
        "homework.txt",
    ];
    let mut tftp = cmd("tftp", &args);
    tftp.current_dir(top);
    let typed = "tftp 127.0.0.1 6969 -m binary -c put homework.txt";
    let mut t2 = story.terminal(typed, tftp);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put homework.txt: 12 bytes\n");
    let stored = fs::read_to_string(top.join("uploads/homework.txt"));
    assert_eq!(stored.unwrap(), "my homework\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
