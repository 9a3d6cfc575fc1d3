//! The README's story, run for real in a scratch folder: a 9-byte
//! `shared/notes.txt`; 57 serving `shared` in terminal 1; in terminal 2,
//! from `downloads`, 14 downloading it (nothing lost on loopback). 60
//! and 61 tell the same story: they run this file as theirs.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, same_file, temp_dir};

/// The lesson whose README this is: its folder's name
fn lesson() -> String {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    folder.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    fs::write(top.join("shared").join("notes.txt"), "my notes\n").unwrap();
    let story = Story::default();

    let mut server_cmd = cmd(
        &testkit::this_lesson(env!("CARGO_MANIFEST_DIR")),
        &["0.0.0.0:0", "shared"],
    );
    server_cmd.current_dir(top);
    let typed = format!("cargo run --bin {} -- 6969 shared", lesson());
    let mut t1 = story.terminal(&typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let mut client = cmd(&lesson_bin("14-tftp-client"), &["notes.txt", &addr]);
    client.current_dir(top.join("downloads"));
    let typed = "cargo run --bin 14-tftp-client -- notes.txt";
    let mut t2 = story.terminal(typed, client);
    t2.wait_for("received notes.txt: 9 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get notes.txt: 9 bytes");
    t1.wait_for("\n");
    let (got, sent) = (top.join("downloads"), top.join("shared"));
    assert!(same_file(&got.join("notes.txt"), &sent.join("notes.txt")));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
