//! The README's story, run for real in a scratch folder that stands for
//! the student's: `hello.txt` made as `echo` makes it, 10 serving the
//! folder in terminal 1, 09 downloading `hello.txt` in terminal 2, then
//! 09 asking for a file that is not there.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_09-file-download-client");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = fs::canonicalize(scratch.path()).unwrap();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    let story = Story::default();
    story.text(folder.to_str().unwrap(), "/home/student/course");

    // 10 serves the folder it runs in
    let mut server_cmd =
        cmd(&lesson_bin("10-file-download-server"), &["0.0.0.0:0"]);
    server_cmd.current_dir(&folder);
    let typed = "cargo run --bin 10-file-download-server";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(7788).to_string();
    t1.wait_for("serving files in ");

    // 09 downloads hello.txt, saved beside it as received-hello.txt
    let typed = "cargo run --bin 09-file-download-client";
    let mut client_cmd = cmd(BIN, &[&addr]);
    client_cmd.current_dir(&folder);
    let mut t2 = story.terminal(typed, client_cmd);
    t2.wait_for("file to download: ");
    t2.type_line("hello.txt");
    t2.wait_for("saved 22 bytes as received-hello.txt\n");
    assert_eq!(t2.exit_code(), Some(0));
    let saved = fs::read_to_string(folder.join("received-hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);
    t1.wait_for("sent 22 bytes\n");

    // a file the server does not have: an error, and no file left behind
    let mut client_cmd = cmd(BIN, &[&addr]);
    client_cmd.current_dir(&folder);
    let mut t3 = story.terminal(typed, client_cmd);
    t3.wait_for("file to download: ");
    t3.type_line("nosuch.txt");
    t3.wait_for("file not found on the server: nosuch.txt\n");
    assert_eq!(t3.exit_code(), Some(1));
    t1.wait_for("not found");
    t1.wait_for("\n");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["hello.txt", "received-hello.txt"]);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
