//! The README's story, run for real in a scratch folder: 41 serving
//! `shared/notes.txt` in terminal 1; in terminal 2 tftp-hpa downloads it
//! in its default mode, netascii, and `cat` shows it (SKIPPED without
//! tftp-hpa).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_41-tftp-server-netascii");
/// What `printf 'line 1\nline 2\n'` writes: 14 bytes.
const NOTES: &str = "line 1\nline 2\n";

#[test]
fn what_you_should_see() {
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::write(top.join("shared/notes.txt"), NOTES).unwrap();
    let downloads = top.join("downloads");
    fs::create_dir(&downloads).unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 41-tftp-server-netascii -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let mut tftp = cmd("tftp", &["127.0.0.1", &port, "-c", "get", "notes.txt"]);
    tftp.current_dir(&downloads);
    let typed = "tftp 127.0.0.1 6969 -c get notes.txt";
    let mut t2 = story.terminal(typed, tftp);
    t2.exit_code();
    t1.wait_for(" get notes.txt: 14 bytes\n");
    assert_eq!(
        fs::read_to_string(downloads.join("notes.txt")).unwrap(),
        NOTES
    );

    let mut cat = cmd("cat", &["notes.txt"]);
    cat.current_dir(&downloads);
    let mut t3 = story.terminal("cat notes.txt", cat);
    t3.wait_for("line 2\n");
    assert_eq!(t3.exit_code(), Some(0));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
