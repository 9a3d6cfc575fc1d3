//! The README's story, run for real in a scratch folder that stands for
//! the student's, as lesson 09's README does: `hello.txt` made as `echo`
//! makes it, 10 serving the folder in terminal 1, then three 09s asking
//! for `hello.txt` (sent), `/etc/passwd` (outside the folder: refused)
//! and `nosuch.txt` (not found). Unix only: `/etc/passwd` is the file
//! outside the folder, as on every Unix.
#![cfg(unix)]

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_10-file-download-server");
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
    let mut server_cmd = cmd(BIN, &["0.0.0.0:0"]);
    server_cmd.current_dir(&folder);
    let typed = "cargo run --bin 10-file-download-server";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(7788).to_string();
    t1.wait_for("serving files in ");

    // three downloads, each by a new 09 in terminal 2
    let client = lesson_bin("09-file-download-client");
    let typed = "cargo run --bin 09-file-download-client";
    let mut clients = vec![];
    let downloads = [
        ("hello.txt", "sent 22 bytes"),
        ("/etc/passwd", "refused"),
        ("nosuch.txt", "not found"),
    ];
    for (name, log) in downloads {
        let mut client_cmd = cmd(&client, &[&addr]);
        client_cmd.current_dir(&folder);
        let mut t = story.terminal(typed, client_cmd);
        t.wait_for("file to download: ");
        t.type_line(name);
        if name == "hello.txt" {
            t.wait_for("saved 22 bytes as received-hello.txt\n");
            assert_eq!(t.exit_code(), Some(0));
        } else {
            t.wait_for(&format!("file not found on the server: {name}\n"));
            assert_eq!(t.exit_code(), Some(1), "{name}");
        }
        t1.wait_for(log);
        t1.wait_for("\n");
        clients.push(t);
    }
    let saved = fs::read_to_string(folder.join("received-hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["hello.txt", "received-hello.txt"]);

    let mut terminals = vec![t1];
    terminals.extend(clients);
    story.check(env!("CARGO_MANIFEST_DIR"), terminals);
}
