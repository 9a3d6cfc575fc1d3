//! The README's story, run for real in a scratch folder: a 100,000-byte
//! `shared/big.bin`; 48 serving `shared` in terminal 1; in terminal 2,
//! from `downloads`, 37 downloading it in windows of 16 blocks.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_48-tftp-server-window");

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    make_file(&top.join("shared").join("big.bin"), 100_000);
    let story = Story::default();

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 48-tftp-server-window -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let args = ["big.bin", &addr, "--windowsize", "16"];
    let mut client = cmd(&lesson_bin("37-tftp-client-safe"), &args);
    client.current_dir(top.join("downloads"));
    let typed =
        "cargo run --bin 37-tftp-client-safe -- big.bin --windowsize 16";
    let mut t2 = story.terminal(typed, client);
    t2.wait_for("received big.bin: 100000 bytes in ");
    t2.wait_for(" sent again\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get big.bin: 100000 bytes\n");
    let (got, sent) = (top.join("downloads"), top.join("shared"));
    assert!(same_file(&got.join("big.bin"), &sent.join("big.bin")));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
