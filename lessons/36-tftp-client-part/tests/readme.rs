//! The README's story, run for real in a scratch folder that stands for
//! the student's: `hello.txt` made as `echo` makes it, 63 serving the
//! folder in terminal 1, and in terminal 2, from its subfolder
//! `downloads`, 36 downloading `hello.txt`, then asking for a file that
//! is not there (ERROR 1), then for `hello.txt` again, which is now there
//! and is not replaced. 37's README tells the same story: 37 runs this
//! file as its own (`testkit::this_lesson` and the folder's name say
//! which lesson it is).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

/// The lesson whose README this is: its folder's name
fn lesson() -> String {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    folder.file_name().unwrap().to_string_lossy().into_owned()
}
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

    // 63 serves the folder it runs in
    let mut server_cmd =
        cmd(&lesson_bin("63-tftp-server-safe"), &["0.0.0.0:0"]);
    server_cmd.current_dir(folder);
    let mut t1 =
        story.terminal("cargo run --bin 63-tftp-server-safe", server_cmd);
    let addr = t1.listening(6969).to_string();
    let client = |file: &str| {
        let mut command = cmd(
            &testkit::this_lesson(env!("CARGO_MANIFEST_DIR")),
            &[file, &addr],
        );
        command.current_dir(&downloads);
        command
    };

    // the lesson downloads hello.txt into downloads/
    let typed = format!("cargo run --bin {} -- hello.txt", lesson());
    let mut t2 = story.terminal(&typed, client("hello.txt"));
    t2.wait_for("received hello.txt: 22 bytes in ");
    t2.wait_for("\n");
    assert_eq!(t2.exit_code(), Some(0));
    let saved = fs::read_to_string(downloads.join("hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);
    t1.wait_for(" get hello.txt: 22 bytes in ");
    t1.wait_for("\n");

    // a file the server does not have: its ERROR 1, and no file left
    let typed = format!("cargo run --bin {} -- nosuch.txt", lesson());
    let mut t3 = story.terminal(&typed, client("nosuch.txt"));
    t3.wait_for("Error: server error 1: file not found\n");
    assert_eq!(t3.exit_code(), Some(1));
    t1.wait_for(" get nosuch.txt: refused: file not found\n");
    assert_eq!(names(&downloads), ["hello.txt"]);

    // hello.txt again: it is here now, and it never replaces a file (it
    // stops before it sends anything: terminal 1 shows nothing new)
    let typed = format!("cargo run --bin {} -- hello.txt", lesson());
    let mut t4 = story.terminal(&typed, client("hello.txt"));
    t4.wait_for("Error: hello.txt exists here: not replaced\n");
    assert_eq!(t4.exit_code(), Some(1));
    let kept = fs::read_to_string(downloads.join("hello.txt"));
    assert_eq!(kept.unwrap(), HELLO);
    assert_eq!(names(&downloads), ["hello.txt"]);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
