//! The README's story: 15 serving a folder with `photo.jpg` (256 KiB)
//! (terminal 1), 27 downloading it in windows of 16 blocks of 1428 bytes
//! (terminal 2, from a `downloads` folder beside it).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, make_file, same_file, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_27-tftp-client-window");

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = scratch.path();
    make_file(&folder.join("photo.jpg"), 256 << 10);
    fs::create_dir(folder.join("downloads")).unwrap();
    let story = Story::default();

    let mut server_cmd =
        cmd(&lesson_bin("63-tftp-server-safe"), &["0.0.0.0:0"]);
    server_cmd.current_dir(folder);
    let mut t1 =
        story.terminal("cargo run --bin 63-tftp-server-safe", server_cmd);
    let addr = t1.listening(6969).to_string();

    let args = [
        "photo.jpg",
        &addr,
        "--blksize",
        "1428",
        "--windowsize",
        "16",
    ];
    let mut command = cmd(BIN, &args);
    command.current_dir(folder.join("downloads"));
    let typed = "cargo run --bin 27-tftp-client-window -- photo.jpg \
                 --blksize 1428 --windowsize 16";
    let mut t2 = story.terminal(typed, command);
    t2.wait_for("received photo.jpg: 262144 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get photo.jpg: 262144 bytes in ");
    t1.wait_for("\n");
    let got = folder.join("downloads/photo.jpg");
    assert!(same_file(&folder.join("photo.jpg"), &got));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
