//! The README's story, run for real in a scratch folder that stands for
//! the student's: `shared/hello.txt` made as `echo` makes it, 15 serving
//! `shared` and taking uploads into it (`--write shared`) in terminal 1,
//! and in terminal 2, from `downloads`, 14 downloading `hello.txt`, uploading
//! `homework.txt`, then uploading it again, which 15 refuses (ERROR 6:
//! an upload never replaces a file).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

mod common;
use common::{BIN, CLIENT};
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";
/// What `echo "my homework" > homework.txt` writes: 12 bytes.
const HOMEWORK: &str = "my homework\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let (top, folder) = (scratch.path(), scratch.path().join("shared"));
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    let downloads = top.join("downloads");
    fs::create_dir(&downloads).unwrap();
    fs::write(downloads.join("homework.txt"), HOMEWORK).unwrap();
    let story = Story::default();

    // 15 serves the folder `shared`, and takes uploads into it
    let args = ["0.0.0.0:0", "shared", "--write", "shared"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let typed =
        "cargo run --bin 63-tftp-server-safe -- 6969 shared --write shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();
    let client = |args: &[&str]| {
        let mut all = args.to_vec();
        all.insert(1, addr.as_str());
        let mut command = cmd(&lesson_bin(CLIENT), &all);
        command.current_dir(&downloads);
        command
    };

    // a download
    let typed = format!("cargo run --bin {CLIENT} -- hello.txt");
    let mut t2 = story.terminal(&typed, client(&["hello.txt"]));
    t2.wait_for("received hello.txt: 22 bytes in ");
    t2.wait_for("\n");
    assert_eq!(t2.exit_code(), Some(0));
    let got = fs::read_to_string(downloads.join("hello.txt"));
    assert_eq!(got.unwrap(), HELLO);
    t1.wait_for(" get hello.txt: 22 bytes in ");
    t1.wait_for("\n");

    // an upload: a new file in the served folder
    let typed = format!("cargo run --bin {CLIENT} -- homework.txt --put");
    let mut t3 = story.terminal(&typed, client(&["homework.txt", "--put"]));
    t3.wait_for("sent homework.txt: 12 bytes in ");
    t3.wait_for("\n");
    assert_eq!(t3.exit_code(), Some(0));
    t1.wait_for(" put homework.txt: 12 bytes in ");
    t1.wait_for("\n");
    let stored = fs::read_to_string(folder.join("homework.txt"));
    assert_eq!(stored.unwrap(), HOMEWORK);

    // the same upload again: the name is taken, nothing is replaced
    let mut t4 = story.terminal(&typed, client(&["homework.txt", "--put"]));
    t4.wait_for("Error: server error 6: file already exists\n");
    assert_eq!(t4.exit_code(), Some(1));
    t1.wait_for(" put homework.txt: refused: file already exists\n");
    let stored = fs::read_to_string(folder.join("homework.txt"));
    assert_eq!(stored.unwrap(), HOMEWORK);
    // and no temporary upload left behind
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["hello.txt", "homework.txt"]);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
