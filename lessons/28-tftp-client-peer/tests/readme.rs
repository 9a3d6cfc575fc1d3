//! The README's story: 63 serving a folder with `photo.jpg` (16 KiB)
//! (terminal 1), 28 downloading it (terminal 2, from a `downloads` folder
//! beside it): its last line counts the packets it sent again. The later
//! lessons of the chain whose README tells the same story (30 to 35) run
//! this file as theirs: `testkit::this_lesson` and the folder's name say
//! which lesson it is.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

/// The lesson whose README this is: its folder's name
fn lesson() -> String {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    folder.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = scratch.path();
    make_file(&folder.join("photo.jpg"), 16 << 10);
    fs::create_dir(folder.join("downloads")).unwrap();
    let story = Story::default();

    let mut server_cmd =
        cmd(&lesson_bin("63-tftp-server-safe"), &["0.0.0.0:0"]);
    server_cmd.current_dir(folder);
    let mut t1 =
        story.terminal("cargo run --bin 63-tftp-server-safe", server_cmd);
    let addr = t1.listening(6969).to_string();

    let mut command = cmd(
        &testkit::this_lesson(env!("CARGO_MANIFEST_DIR")),
        &["photo.jpg", &addr],
    );
    command.current_dir(folder.join("downloads"));
    let typed = format!("cargo run --bin {} -- photo.jpg", lesson());
    let mut t2 = story.terminal(&typed, command);
    t2.wait_for("received photo.jpg: 16384 bytes");
    t2.wait_for("\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get photo.jpg: 16384 bytes in ");
    t1.wait_for("\n");
    let got = folder.join("downloads/photo.jpg");
    assert!(same_file(&folder.join("photo.jpg"), &got));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
