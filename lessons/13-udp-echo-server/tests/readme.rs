//! The README's story, run for real: 13 in terminal 1, and in terminal 2
//! 11 on a port the system picks, sending to 13: each line comes back.
//! 23 and 24, whose READMEs tell the same story, run this file as theirs:
//! `testkit::this_lesson` and the folder's name say which lesson it is.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin, this_lesson};

#[test]
fn what_you_should_see() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let name = std::path::Path::new(dir).file_name().unwrap();
    let story = Story::default();
    // 8080 as typed on terminal 2's command line
    story.port(8080, 8080);
    let server_cmd = cmd(&this_lesson(dir), &["0.0.0.0:0"]);
    let typed = format!("cargo run --bin {}", name.to_string_lossy());
    let mut t1 = story.terminal(&typed, server_cmd);
    let addr = t1.listening(8080).to_string();
    let chat_cmd = cmd(&lesson_bin("11-udp-chat-threads"), &["0", &addr]);
    let typed = "cargo run --bin 11-udp-chat-threads -- 0 127.0.0.1:8080";
    let mut t2 = story.terminal(typed, chat_cmd);
    t2.wait_for("listening on ");
    t2.wait_for("\n");
    for line in ["hello", "你好"] {
        t2.type_line(line);
        t1.wait_for(&format!(": {line}\n"));
        t2.wait_for(&format!("{addr}: {line}\n"));
    }
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    story.check(dir, vec![t1, t2]);
}
