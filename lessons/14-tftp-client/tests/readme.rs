//! The README's story, run for real in a scratch folder that stands for
//! the student's: `hello.txt` made as `echo` makes it, 15 serving the
//! folder in terminal 1, and in terminal 2, from its subfolder
//! `downloads`, 14 downloading `hello.txt`, then asking for a file that
//! is not there (ERROR 1), then for `hello.txt` again, which is now there
//! and is not replaced.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_14-tftp-client");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";

/// The names in a folder, sorted.
fn names(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = scratch.path();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    let downloads = folder.join("downloads");
    fs::create_dir(&downloads).unwrap();
    let story = Story::default();

    // 15 serves the folder it runs in
    let mut server_cmd = cmd(&lesson_bin("15-tftp-server"), &["0.0.0.0:0"]);
    server_cmd.current_dir(folder);
    let mut t1 = story.terminal("cargo run --bin 15-tftp-server", server_cmd);
    let addr = t1.listening(6969).to_string();
    let client = |file: &str| {
        let mut command = cmd(BIN, &[file, &addr]);
        command.current_dir(&downloads);
        command
    };

    // 14 downloads hello.txt into downloads/
    let typed = "cargo run --bin 14-tftp-client -- hello.txt";
    let mut t2 = story.terminal(typed, client("hello.txt"));
    t2.wait_for("received hello.txt: 22 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    let saved = fs::read_to_string(downloads.join("hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);
    t1.wait_for(" get hello.txt: 22 bytes\n");

    // a file the server does not have: its ERROR 1, and no file left
    let typed = "cargo run --bin 14-tftp-client -- nosuch.txt";
    let mut t3 = story.terminal(typed, client("nosuch.txt"));
    t3.wait_for("Error: server error 1: file not found\n");
    assert_eq!(t3.exit_code(), Some(1));
    t1.wait_for(" get nosuch.txt: refused: file not found\n");
    assert_eq!(names(&downloads), ["hello.txt"]);

    // hello.txt again: it is here now, and 14 never replaces a file (it
    // stops before it sends anything: terminal 1 shows nothing new)
    let typed = "cargo run --bin 14-tftp-client -- hello.txt";
    let mut t4 = story.terminal(typed, client("hello.txt"));
    if testkit::testing_windows() {
        // ERROR_FILE_EXISTS (the README shows Linux's words and number)
        t4.wait_for("Error: hello.txt: ");
        t4.wait_for(" (os error 80)\n");
    } else {
        t4.wait_for("Error: hello.txt: File exists (os error 17)\n");
    }
    assert_eq!(t4.exit_code(), Some(1));
    let kept = fs::read_to_string(downloads.join("hello.txt"));
    assert_eq!(kept.unwrap(), HELLO);
    assert_eq!(names(&downloads), ["hello.txt"]);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
