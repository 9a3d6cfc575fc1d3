//! The README's story, run for real: 02 in terminal 1, 01 in terminal 2;
//! then both again with `--encoding gbk`, as the tutorial's Windows peers
//! speak.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_02-udp-recv");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let send_bin = lesson_bin("01-udp-send");
    let mut t1 =
        story.terminal("cargo run --bin 02-udp-recv", cmd(BIN, &["0.0.0.0:0"]));
    let addr = t1.listening(8080).to_string();
    let mut t2 =
        story.terminal("cargo run --bin 01-udp-send", cmd(&send_bin, &[&addr]));
    for line in ["hello", "你好"] {
        t2.wait_for("data to send: ");
        t2.type_line(line);
        t1.wait_for(&format!("{line}\n"));
    }
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));
    t1.interrupt(); // frees port 8080 for the next receiver

    // the same two programs, both speaking GBK
    let gbk = ["0.0.0.0:0", "--encoding", "gbk"];
    let mut t3 = story.terminal(
        "cargo run --bin 02-udp-recv -- --encoding gbk",
        cmd(BIN, &gbk),
    );
    let addr = t3.listening(8080).to_string();
    let mut t4 = story.terminal(
        "cargo run --bin 01-udp-send -- --encoding gbk",
        cmd(&send_bin, &[&addr, "--encoding", "gbk"]),
    );
    t4.wait_for("data to send: ");
    t4.type_line("你好");
    t3.wait_for("你好\n");
    t4.wait_for("data to send: ");
    t4.type_line("exit");
    assert_eq!(t4.exit_code(), Some(0));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
