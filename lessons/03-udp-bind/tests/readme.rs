//! The README's story, run for real: 02 in terminal 1, 03 in terminal 2;
//! a second 03 in terminal 3 finds the port taken; after `exit`, 03 runs
//! again and sends from the same port. The test binds a free port where
//! the README shows 7788. The error's wording and number are Linux's,
//! and so is the README's transcript.
#![cfg(target_os = "linux")]

use std::net::SocketAddr;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin};

const BIN: &str = env!("CARGO_BIN_EXE_03-udp-bind");

#[test]
fn what_you_should_see() {
    let story = Story::default();
    let recv_cmd = cmd(&lesson_bin("02-udp-recv"), &["0.0.0.0:0"]);
    let mut t1 = story.terminal("cargo run --bin 02-udp-recv", recv_cmd);
    let dest = t1.listening(8080).to_string();
    let typed = "cargo run --bin 03-udp-bind";
    let mut t2 = story.terminal(typed, cmd(BIN, &[&dest, "0.0.0.0:0"]));
    t2.wait_for("sending from ");
    let local: SocketAddr = t2.wait_for("\n").trim().parse().unwrap();
    story.port(local.port(), 7788);
    let local = local.to_string();
    t2.wait_for("data to send: ");
    t2.type_line("hello");
    t1.wait_for("hello\n");

    // a second 03 while the first still holds the port
    let mut t3 = story.terminal(typed, cmd(BIN, &[&dest, &local]));
    assert_eq!(t3.exit_code(), Some(1));
    t2.wait_for("data to send: ");
    t2.type_line("exit");
    assert_eq!(t2.exit_code(), Some(0));

    // run it again: the same port
    let mut t4 = story.terminal(typed, cmd(BIN, &[&dest, &local]));
    t4.wait_for("data to send: ");
    t4.type_line("hello again");
    t1.wait_for("hello again\n");
    t4.wait_for("data to send: ");
    t4.type_line("exit");
    assert_eq!(t4.exit_code(), Some(0));
    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
