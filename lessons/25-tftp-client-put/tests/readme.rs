//! The README's story, run for real in a scratch folder that stands for
//! the student's: `homework.txt` made as `echo` makes it, an `uploads`
//! folder that 15 serves and writes into (terminal 1), and 25 sending
//! `homework.txt` there twice (terminal 2): the second time 15 refuses.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_25-tftp-client-put");
/// What `echo "my homework" > homework.txt` writes: 12 bytes.
const HOMEWORK: &str = "my homework\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = scratch.path();
    fs::write(folder.join("homework.txt"), HOMEWORK).unwrap();
    fs::create_dir(folder.join("uploads")).unwrap();
    let story = Story::default();

    let args = ["0.0.0.0:0", "uploads", "--write", "uploads"];
    let mut server_cmd = cmd(&lesson_bin("63-tftp-server-safe"), &args);
    server_cmd.current_dir(folder);
    let typed =
        "cargo run --bin 63-tftp-server-safe -- 6969 uploads --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();
    let client = || {
        let mut command = cmd(BIN, &["homework.txt", &addr, "--put"]);
        command.current_dir(folder);
        command
    };

    let typed = "cargo run --bin 25-tftp-client-put -- homework.txt --put";
    let mut t2 = story.terminal(typed, client());
    t2.wait_for("sent homework.txt: 12 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    let saved = fs::read_to_string(folder.join("uploads/homework.txt"));
    assert_eq!(saved.unwrap(), HOMEWORK);
    t1.wait_for(" put homework.txt: 12 bytes in ");
    t1.wait_for("\n");

    // again: 15 never replaces a file either (ERROR 6)
    let mut t3 = story.terminal(typed, client());
    t3.wait_for("Error: server error 6: file already exists\n");
    assert_eq!(t3.exit_code(), Some(1));
    t1.wait_for(" put homework.txt: refused: file already exists\n");
    assert_eq!(
        fs::read_to_string(folder.join("homework.txt")).unwrap(),
        HOMEWORK
    );

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
