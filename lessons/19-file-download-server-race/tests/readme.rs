//! The README's story, run for real in a scratch folder that stands for
//! the student's home: `course/` holds `hello.txt` and `notes.txt`, a
//! symbolic link to `secret.txt` outside it. 10 serves the secret to 09;
//! 19 refuses `notes.txt` and still serves `hello.txt`. Unix only:
//! symbolic links as `ln -s` makes them.
#![cfg(unix)]

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_19-file-download-server-race");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";
/// What `echo "my password" > ../secret.txt` writes: 12 bytes.
const SECRET: &str = "my password\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let home = fs::canonicalize(scratch.path()).unwrap();
    let folder = home.join("course");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    fs::write(home.join("secret.txt"), SECRET).unwrap();
    std::os::unix::fs::symlink("../secret.txt", folder.join("notes.txt"))
        .unwrap();
    let story = Story::default();
    story.text(home.to_str().unwrap(), "/home/student");
    story.text(folder.to_str().unwrap(), "/home/student/course");
    let client = lesson_bin("09-file-download-client");
    let download = |addr: &str, name: &str| {
        let mut command = cmd(&client, &[addr, name]);
        command.current_dir(&folder);
        let typed =
            format!("cargo run --bin 09-file-download-client -- 7788 {name}");
        story.terminal(&typed, command)
    };

    // 10 checks the name `notes.txt`, follows the link and sends the secret
    let mut naive = cmd(&lesson_bin("10-file-download-server"), &["0.0.0.0:0"]);
    naive.current_dir(&folder);
    let mut t1 =
        story.terminal("cargo run --bin 10-file-download-server", naive);
    let addr = t1.listening(7788).to_string();
    t1.wait_for("serving files in ");
    let mut t2 = download(&addr, "notes.txt");
    t2.wait_for("saved 12 bytes as received-notes.txt\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for("sent 12 bytes\n");
    t1.interrupt();
    let mut cat = cmd("cat", &["received-notes.txt"]);
    cat.current_dir(&folder);
    let mut t3 = story.terminal("cat received-notes.txt", cat);
    t3.wait_for(SECRET);
    assert_eq!(t3.exit_code(), Some(0));
    fs::remove_file(folder.join("received-notes.txt")).unwrap();

    // 19 opens `notes.txt` first and finds a link, not a file: refused
    let mut server = cmd(BIN, &["0.0.0.0:0"]);
    server.current_dir(&folder);
    let mut t4 =
        story.terminal("cargo run --bin 19-file-download-server-race", server);
    let addr = t4.listening(7788).to_string();
    t4.wait_for("serving files in ");
    let mut t5 = download(&addr, "notes.txt");
    t5.wait_for("file not found on the server: notes.txt\n");
    assert_eq!(t5.exit_code(), Some(1));
    t4.wait_for("refused \"notes.txt\": not a file inside the dir\n");
    let mut t6 = download(&addr, "hello.txt");
    t6.wait_for("saved 22 bytes as received-hello.txt\n");
    assert_eq!(t6.exit_code(), Some(0));
    t4.wait_for("sent 22 bytes\n");
    let saved = fs::read_to_string(folder.join("received-hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4, t5, t6]);
}
