//! The README's story, run for real in a scratch folder: a 20,000-byte
//! `shared/photo.jpg`; 47 serving `shared` in terminal 1; in terminal 2,
//! from `downloads`, 14 downloading it (nothing lost on loopback).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_47-tftp-server-rto");

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    make_file(&top.join("shared").join("photo.jpg"), 20_000);
    let story = Story::default();

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 47-tftp-server-rto -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let mut client = cmd(&lesson_bin("14-tftp-client"), &["photo.jpg", &addr]);
    client.current_dir(top.join("downloads"));
    let typed = "cargo run --bin 14-tftp-client -- photo.jpg";
    let mut t2 = story.terminal(typed, client);
    t2.wait_for("received photo.jpg: 20000 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get photo.jpg: 20000 bytes\n");
    let (got, sent) = (top.join("downloads"), top.join("shared"));
    assert!(same_file(&got.join("photo.jpg"), &sent.join("photo.jpg")));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
