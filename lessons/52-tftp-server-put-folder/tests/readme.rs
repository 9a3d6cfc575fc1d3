//! The README's story, run for real in a scratch folder: 52 started
//! with a typo for its upload folder (one line, exit 1), then with the
//! folder `uploads`; in terminal 2, from `downloads`, 25 uploading
//! `homework.txt`.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_52-tftp-server-put-folder");
/// What `echo "my homework" > homework.txt` writes: 12 bytes.
const HOMEWORK: &str = "my homework\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let top = scratch.path();
    for folder in ["shared", "uploads", "downloads"] {
        fs::create_dir(top.join(folder)).unwrap();
    }
    fs::write(top.join("downloads").join("homework.txt"), HOMEWORK).unwrap();
    let story = Story::default();
    let typed = |folder: &str| {
        format!(
            "cargo run --bin 52-tftp-server-put-folder -- 6969 shared \
             --write {folder}"
        )
    };

    let mut typo = cmd(BIN, &["0.0.0.0:0", "shared", "--write", "uplods"]);
    typo.current_dir(top);
    let mut t1 = story.terminal(&typed("uplods"), typo);
    t1.wait_for("Error: uplods: ");
    assert_eq!(t1.exit_code(), Some(1));

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let mut t2 = story.terminal(&typed("uploads"), server_cmd);
    let addr = t2.listening(6969).to_string();

    let args = ["homework.txt", &addr, "--put"];
    let mut client = cmd(&lesson_bin("25-tftp-client-put"), &args);
    client.current_dir(top.join("downloads"));
    let typed = "cargo run --bin 25-tftp-client-put -- homework.txt --put";
    let mut t3 = story.terminal(typed, client);
    t3.wait_for("sent homework.txt: 12 bytes\n");
    assert_eq!(t3.exit_code(), Some(0));
    t2.wait_for(" put homework.txt: 12 bytes\n");
    let stored = fs::read_to_string(top.join("uploads").join("homework.txt"));
    assert_eq!(stored.unwrap(), HOMEWORK);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
