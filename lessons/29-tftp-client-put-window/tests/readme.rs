//! The README's story: 63 serving a folder and taking uploads into it
//! (terminal 1), 29 uploading `photo.jpg` (256 KiB) in windows of 16
//! blocks of 1428 bytes (terminal 2, from a `mine` folder beside it).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_29-tftp-client-put-window");

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = scratch.path();
    let mine = folder.join("mine");
    fs::create_dir(&mine).unwrap();
    fs::create_dir(folder.join("uploads")).unwrap();
    make_file(&mine.join("photo.jpg"), 256 << 10);
    let story = Story::default();

    let args = ["0.0.0.0:0", "uploads", "--write", "uploads"];
    let mut server_cmd = cmd(&lesson_bin("63-tftp-server-safe"), &args);
    server_cmd.current_dir(folder);
    let typed =
        "cargo run --bin 63-tftp-server-safe -- 6969 uploads --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();

    let args = [
        "photo.jpg",
        &addr,
        "--put",
        "--blksize",
        "1428",
        "--windowsize",
        "16",
    ];
    let mut command = cmd(BIN, &args);
    command.current_dir(&mine);
    let typed = "cargo run --bin 29-tftp-client-put-window -- photo.jpg \
                 --put --blksize 1428 --windowsize 16";
    let mut t2 = story.terminal(typed, command);
    t2.wait_for("sent photo.jpg: 262144 bytes, ");
    t2.wait_for(" sent again\n"); // none, or one on a loaded machine
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put photo.jpg: 262144 bytes in ");
    t1.wait_for("\n");
    let got = folder.join("uploads/photo.jpg");
    assert!(same_file(&got, &mine.join("photo.jpg")));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
