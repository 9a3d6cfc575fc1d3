//! The README's story, run for real in a scratch folder: 53 taking
//! uploads into `uploads`; the attacker renames that folder and leaves a
//! link to `victim` in its place; 25 uploads `authorized_keys`, which
//! lands in the folder 53 opened, now `uploads.old`. Unix only: the link.
#![cfg(unix)]

use std::fs;
use std::process::Command;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_53-tftp-server-put-race");
const KEY: &str = "ssh-ed25519 AAAAC3Nz attacker\n";

#[test]
fn what_you_should_see() {
    if testkit::not_on_windows(
        "on Windows crates/tftp holds the upload folder by its path, not \
         an open handle: after the swap 53 refuses the upload (ERROR 2), \
         safe, instead of storing it in the folder it opened",
    ) {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    for folder in ["shared", "uploads", "victim", "downloads"] {
        fs::create_dir(top.join(folder)).unwrap();
    }
    let downloads = top.join("downloads");
    fs::write(downloads.join("authorized_keys"), KEY).unwrap();
    let story = Story::default();

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 53-tftp-server-put-race -- 6969 shared \
                 --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969).to_string();
    // the attacker: mv uploads uploads.old && ln -s "$PWD/victim" uploads
    fs::rename(top.join("uploads"), top.join("uploads.old")).unwrap();
    std::os::unix::fs::symlink(top.join("victim"), top.join("uploads"))
        .unwrap();

    let args = ["authorized_keys", &addr, "--put"];
    let mut client = cmd(&lesson_bin("25-tftp-client-put"), &args);
    client.current_dir(&downloads);
    let typed = "cargo run --bin 25-tftp-client-put -- authorized_keys --put";
    let mut t2 = story.terminal(typed, client);
    t2.wait_for("sent authorized_keys: 30 bytes\n");
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put authorized_keys: 30 bytes\n");

    let mut ls = Command::new("ls");
    ls.args(["../victim", "../uploads.old"])
        .current_dir(&downloads);
    let mut t3 = story.terminal("ls ../victim ../uploads.old", ls);
    assert_eq!(t3.exit_code(), Some(0));
    let kept = top.join("uploads.old").join("authorized_keys");
    assert_eq!(fs::read_to_string(kept).unwrap(), KEY);
    assert!(!top.join("victim").join("authorized_keys").exists());

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
