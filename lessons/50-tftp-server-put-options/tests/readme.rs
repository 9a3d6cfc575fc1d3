//! The README's story, run for real in a scratch folder: 50 serving
//! `shared` and taking uploads into `uploads` in terminal 1; in terminal
//! 2, from `downloads`, 37 uploading `big.bin` in windows of 16 blocks.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_50-tftp-server-put-options");

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    for folder in ["shared", "uploads", "downloads"] {
        fs::create_dir(top.join(folder)).unwrap();
    }
    make_file(&top.join("downloads").join("big.bin"), 100_000);
    let story = Story::default();

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 50-tftp-server-put-options -- 6969 shared \
                 --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let args = ["big.bin", &addr, "--put", "--windowsize", "16"];
    let mut client = cmd(&lesson_bin("37-tftp-client-safe"), &args);
    client.current_dir(top.join("downloads"));
    let typed =
        "cargo run --bin 37-tftp-client-safe -- big.bin --put --windowsize 16";
    let mut t2 = story.terminal(typed, client);
    t2.wait_for("sent big.bin: 100000 bytes in ");
    t2.wait_for(" sent again\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put big.bin: 100000 bytes\n");
    let (got, sent) = (top.join("uploads"), top.join("downloads"));
    assert!(same_file(&got.join("big.bin"), &sent.join("big.bin")));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
