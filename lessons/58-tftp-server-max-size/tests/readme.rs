//! The README's story, run for real in a scratch folder: 58 taking
//! uploads into `uploads`, at most 4096 bytes each; in terminal 2, from
//! `downloads`, 25 uploads 5,000 bytes: ERROR 3, nothing stored.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_58-tftp-server-max-size");
#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    for folder in ["shared", "uploads", "downloads"] {
        fs::create_dir(top.join(folder)).unwrap();
    }
    testkit::make_file(&top.join("downloads").join("big.bin"), 5_000);
    let story = Story::default();

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.args(["--max-size", "4096"]).current_dir(top);
    let typed = "cargo run --bin 58-tftp-server-max-size -- 6969 shared \
                 --write uploads --max-size 4096";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let args = ["big.bin", &addr, "--put"];
    let mut client = cmd(&lesson_bin("25-tftp-client-put"), &args);
    client.current_dir(top.join("downloads"));
    let typed = "cargo run --bin 25-tftp-client-put -- big.bin --put";
    let mut t2 = story.terminal(typed, client);
    let why = "the upload is larger than the server takes\n";
    t2.wait_for(&format!("Error: server error 3: {why}"));
    assert_eq!(t2.exit_code(), Some(1));
    t1.wait_for(&format!(" put big.bin: write the file: {why}"));
    assert!(!top.join("uploads").join("big.bin").exists());

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
