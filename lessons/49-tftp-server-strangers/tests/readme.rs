//! The README's story, run for real in a scratch folder: 49 serving
//! `shared` and taking uploads into `uploads` in terminal 1; in terminal
//! 2, from `downloads`, 25 uploading `homework.txt`. 62 tells the same
//! story: it runs this file as its own.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

/// The lesson whose README this is: its folder's name
fn lesson() -> String {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    folder.file_name().unwrap().to_string_lossy().into_owned()
}
/// What `echo "my homework" > homework.txt` writes: 12 bytes.
const HOMEWORK: &str = "my homework\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    for folder in ["shared", "uploads", "downloads"] {
        fs::create_dir(top.join(folder)).unwrap();
    }
    fs::write(top.join("downloads").join("homework.txt"), HOMEWORK).unwrap();
    let story = Story::default();

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd =
        cmd(&testkit::this_lesson(env!("CARGO_MANIFEST_DIR")), &args);
    server_cmd.current_dir(top);
    let typed = format!(
        "cargo run --bin {} -- 6969 shared --write uploads",
        lesson()
    );
    let mut t1 = story.terminal(&typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let args = ["homework.txt", &addr, "--put"];
    let mut client = cmd(&lesson_bin("25-tftp-client-put"), &args);
    client.current_dir(top.join("downloads"));
    let typed = "cargo run --bin 25-tftp-client-put -- homework.txt --put";
    let mut t2 = story.terminal(typed, client);
    t2.wait_for("sent homework.txt: 12 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put homework.txt: 12 bytes");
    t1.wait_for("\n");
    let stored = fs::read_to_string(top.join("uploads").join("homework.txt"));
    assert_eq!(stored.unwrap(), HOMEWORK);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
