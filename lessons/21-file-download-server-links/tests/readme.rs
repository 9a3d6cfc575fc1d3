//! The README's story, run for real in a scratch folder that stands for
//! the student's home: `course/` holds `hello.txt` and `notes.txt`, a
//! hard link to `secret.txt` outside it. 20 serves the secret to 09; 21
//! refuses `notes.txt` and still serves `hello.txt`. Unix only: hard
//! links as `ln` makes them, and `nlink`.
#![cfg(unix)]

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_21-file-download-server-links");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";
/// What `echo "my password" > ../secret.txt` writes: 12 bytes.
const SECRET: &str = "my password\n";

#[test]
fn what_you_should_see() {
    if testkit::not_on_windows(
        "21 counts a file's hard links with Unix's nlink; stable Rust gives \
         no link count on Windows",
    ) {
        return;
    }
    let scratch = temp_dir();
    let home = fs::canonicalize(scratch.path()).unwrap();
    let folder = home.join("course");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    fs::write(home.join("secret.txt"), SECRET).unwrap();
    fs::hard_link(home.join("secret.txt"), folder.join("notes.txt")).unwrap();
    let story = Story::default();
    story.text(home.to_str().unwrap(), "/home/student");
    let client = lesson_bin("09-file-download-client");
    let download = |addr: &str, name: &str| {
        let mut command = cmd(&client, &[addr, name]);
        command.current_dir(&folder);
        let typed =
            format!("cargo run --bin 09-file-download-client -- 7788 {name}");
        story.terminal(&typed, command)
    };

    // 20 opens `notes.txt`: a regular file inside the folder, the secret
    let naive = lesson_bin("20-file-download-server-timeout");
    let mut naive = cmd(&naive, &["0.0.0.0:0"]);
    naive.current_dir(&folder);
    let typed = "cargo run --bin 20-file-download-server-timeout";
    let mut t1 = story.terminal(typed, naive);
    let addr = t1.listening(7788).to_string();
    t1.wait_for("serving files in ");
    let mut t2 = download(&addr, "notes.txt");
    t2.wait_for("saved 12 bytes as received-notes.txt\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for("sent 12 bytes\n");
    t1.interrupt();
    let saved = fs::read_to_string(folder.join("received-notes.txt"));
    assert_eq!(saved.unwrap(), SECRET);
    fs::remove_file(folder.join("received-notes.txt")).unwrap();

    // 21 sees a second name on the file: refused
    let mut server = cmd(BIN, &["0.0.0.0:0"]);
    server.current_dir(&folder);
    let typed = "cargo run --bin 21-file-download-server-links";
    let mut t3 = story.terminal(typed, server);
    let addr = t3.listening(7788).to_string();
    t3.wait_for("serving files in ");
    let mut t4 = download(&addr, "notes.txt");
    t4.wait_for("file not found on the server: notes.txt\n");
    assert_eq!(t4.exit_code(), Some(1));
    t3.wait_for("refused \"notes.txt\": it has other hard links\n");
    let mut t5 = download(&addr, "hello.txt");
    t5.wait_for("saved 22 bytes as received-hello.txt\n");
    assert_eq!(t5.exit_code(), Some(0));
    t3.wait_for("sent 22 bytes\n");
    let saved = fs::read_to_string(folder.join("received-hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4, t5]);
}
