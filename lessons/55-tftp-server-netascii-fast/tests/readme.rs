//! The README's story, run for real in a scratch folder: 55 serving
//! `shared`; tftp-hpa downloads `notes.txt` in netascii (its default):
//! 10 bytes on the wire for 9 in the file (SKIPPED without tftp-hpa).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_55-tftp-server-netascii-fast");

#[test]
fn what_you_should_see() {
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    fs::write(top.join("shared/notes.txt"), "line one\n").unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 55-tftp-server-netascii-fast -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let mut tftp = cmd("tftp", &["127.0.0.1", &port, "-c", "get"]);
    tftp.arg("notes.txt").current_dir(top.join("downloads"));
    let typed = "tftp 127.0.0.1 6969 -c get notes.txt";
    let mut t2 = story.terminal(typed, tftp);
    t2.exit_code();
    t1.wait_for(" get notes.txt: 10 bytes\n");
    let got = fs::read_to_string(top.join("downloads/notes.txt")).unwrap();
    assert_eq!(got, "line one\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
