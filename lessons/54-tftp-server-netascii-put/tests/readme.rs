//! The README's story, run for real in a scratch folder: 54 taking
//! uploads into `uploads`; tftp-hpa puts `homework.txt` in netascii (its
//! default), and the stored file has LF line ends (SKIPPED without
//! tftp-hpa). Unix only: `cat -A`.
#![cfg(unix)]

use std::fs;
use std::process::Command;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_54-tftp-server-netascii-put");

#[test]
fn what_you_should_see() {
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    for folder in ["shared", "uploads", "downloads"] {
        fs::create_dir(top.join(folder)).unwrap();
    }
    let downloads = top.join("downloads");
    fs::write(downloads.join("homework.txt"), "my homework\n").unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 54-tftp-server-netascii-put -- 6969 shared \
                 --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let mut tftp = cmd("tftp", &["127.0.0.1", &port, "-c", "put"]);
    tftp.arg("homework.txt").current_dir(&downloads);
    let typed = "tftp 127.0.0.1 6969 -c put homework.txt";
    let mut t2 = story.terminal(typed, tftp);
    t2.exit_code();
    t1.wait_for(" put homework.txt: 13 bytes\n");

    let mut cat = Command::new("cat");
    cat.args(["-A", "../uploads/homework.txt"])
        .current_dir(&downloads);
    let mut t3 = story.terminal("cat -A ../uploads/homework.txt", cat);
    assert_eq!(t3.exit_code(), Some(0));
    let stored = fs::read(top.join("uploads/homework.txt")).unwrap();
    assert_eq!(stored, b"my homework\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
