//! The README's story: 15 serving a folder with `photo.jpg` (64 KiB) and
//! taking uploads into `uploads` (terminal 1), 26 downloading it with
//! blocks of 8192 bytes and sending it back with blocks of 1428
//! (terminal 2).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_26-tftp-client-options");

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = scratch.path();
    make_file(&folder.join("photo.jpg"), 64 << 10);
    fs::create_dir(folder.join("uploads")).unwrap();
    fs::create_dir(folder.join("downloads")).unwrap();
    let story = Story::default();

    let args = ["0.0.0.0:0", ".", "--write", "uploads"];
    let mut server_cmd = cmd(&lesson_bin("63-tftp-server-safe"), &args);
    server_cmd.current_dir(folder);
    let typed = "cargo run --bin 63-tftp-server-safe -- 6969 . --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();
    let client = |args: &[&str]| {
        let mut all = vec![args[0], &addr];
        all.extend(&args[1..]);
        let mut command = cmd(BIN, &all);
        command.current_dir(folder.join("downloads"));
        command
    };

    let typed = "cargo run --bin 26-tftp-client-options -- photo.jpg \
                 --blksize 8192";
    let mut t2 =
        story.terminal(typed, client(&["photo.jpg", "--blksize", "8192"]));
    t2.wait_for("received photo.jpg: 65536 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get photo.jpg: 65536 bytes in ");
    t1.wait_for("\n");

    let args = ["photo.jpg", "--put", "--blksize", "1428"];
    let typed = "cargo run --bin 26-tftp-client-options -- photo.jpg --put \
                 --blksize 1428";
    let mut t3 = story.terminal(typed, client(&args));
    t3.wait_for("sent photo.jpg: 65536 bytes\n");
    assert_eq!(t3.exit_code(), Some(0));
    t1.wait_for(" put photo.jpg: 65536 bytes in ");
    t1.wait_for("\n");
    let back = folder.join("uploads/photo.jpg");
    assert!(same_file(&folder.join("photo.jpg"), &back));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
