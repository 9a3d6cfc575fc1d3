//! The README's story, run for real: 02 in terminal 1, 01 in terminal 2.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_01-udp-send");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let recv_cmd = cmd(&lesson_bin("02-udp-recv"), &["0.0.0.0:0"]);
    let mut t1 = story.terminal("cargo run --bin 02-udp-recv", recv_cmd);
    let addr = t1.listening(8080);
    let send_cmd = cmd(BIN, &[&addr.to_string()]);
    let mut t2 = story.terminal("cargo run --bin 01-udp-send", send_cmd);
    for line in ["hello", "你好"] {
        t2.wait_for("data to send: ");
        t2.type_line(line);
        t1.wait_for(&format!("{line}\n"));
    }
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
