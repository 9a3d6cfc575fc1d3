//! The README's story, run for real in a scratch folder: 39 serving
//! `shared` (a photo of 3,000 bytes) in terminal 1; in terminal 2 atftp
//! downloads it asking for blocks of 1428 bytes and the file's size,
//! tracing each packet (SKIPPED without atftp).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, make_file, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_39-tftp-server-options");

#[test]
fn what_you_should_see() {
    if missing("atftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    make_file(&top.join("shared/photo.jpg"), 3000);
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 39-tftp-server-options -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let args = [
        "--trace",
        "--option",
        "blksize 1428",
        "--option",
        "tsize 0",
        "-g",
        "-r",
        "photo.jpg",
        "127.0.0.1",
        &port,
    ];
    let mut atftp = cmd("atftp", &args);
    atftp.current_dir(top);
    let typed = "atftp --trace --option \"blksize 1428\" --option \"tsize 0\" \
                 -g -r photo.jpg 127.0.0.1 6969";
    let mut t2 = story.terminal(typed, atftp);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get photo.jpg: 3000 bytes\n");
    let got = fs::read(top.join("photo.jpg")).unwrap();
    assert_eq!(got, fs::read(top.join("shared/photo.jpg")).unwrap());

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
