//! The README's story, run for real in a scratch folder: `shared` with
//! `notes.txt` and `passwd`, a symbolic link to /etc/passwd; 51 serving
//! it in terminal 1; in terminal 2 tftp-hpa asks for `passwd` (ERROR 2)
//! and for `notes.txt` (SKIPPED without tftp-hpa). Unix only: the link.
#![cfg(unix)]

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_51-tftp-server-race");

#[test]
fn what_you_should_see() {
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    let (shared, downloads) = (top.join("shared"), top.join("downloads"));
    fs::create_dir(&shared).unwrap();
    fs::create_dir(&downloads).unwrap();
    fs::write(shared.join("notes.txt"), "my notes\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", shared.join("passwd")).unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 51-tftp-server-race -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let tftp = |name: &str| {
        let args = ["127.0.0.1", &port, "-m", "binary", "-c", "get", name];
        let mut tftp = cmd("tftp", &args);
        tftp.current_dir(&downloads);
        let typed = format!("tftp 127.0.0.1 6969 -m binary -c get {name}");
        (typed, tftp)
    };
    let (typed, command) = tftp("passwd");
    let mut t2 = story.terminal(&typed, command);
    t2.wait_for("Error code 2: not a file in the served folder\n");
    t2.exit_code();
    t1.wait_for(" get passwd: refused: not a file in the served folder\n");
    // (tftp-hpa makes the file before it asks: it stays empty)
    let got = fs::read(downloads.join("passwd")).unwrap_or_default();
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));

    let (typed, command) = tftp("notes.txt");
    let mut t3 = story.terminal(&typed, command);
    t3.exit_code();
    t1.wait_for(" get notes.txt: 9 bytes\n");
    let got = fs::read_to_string(downloads.join("notes.txt")).unwrap();
    assert_eq!(got, "my notes\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
