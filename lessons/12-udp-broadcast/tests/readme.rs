//! The README's story, run for real: 02 in terminal 1; 12 in terminal 2
//! broadcasts to loopback's broadcast address; 01 in terminal 3 tries the
//! same address without SO_BROADCAST. Never 255.255.255.255 here: on a
//! machine with a network, that leaves the machine.

use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_12-udp-broadcast");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    story.port(8080, 8080); // as typed on the command lines
    let recv_cmd = cmd(&lesson_bin("02-udp-recv"), &["0.0.0.0:0"]);
    let mut t1 = story.terminal("cargo run --bin 02-udp-recv", recv_cmd);
    let port = t1.listening(8080).port();
    let dest = format!("127.255.255.255:{port}");
    let mut t2 = story.terminal(
        "cargo run --bin 12-udp-broadcast -- 127.255.255.255:8080",
        cmd(BIN, &[&dest]),
    );
    for line in ["hello everyone", "你好"] {
        t2.wait_for("data to send: ");
        t2.type_line(line);
        t1.wait_for(&format!("{line}\n"));
    }
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));

    // 01 has no SO_BROADCAST: the same address is refused
    let mut t3 = story.terminal(
        "cargo run --bin 01-udp-send -- 127.255.255.255:8080",
        cmd(&lesson_bin("01-udp-send"), &[&dest]),
    );
    t3.wait_for("data to send: ");
    t3.type_line("hello everyone");
    assert_eq!(t3.exit_code(), Some(1));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
