//! The README's story, run for real in a scratch folder: 59 serving
//! `shared` without uploads; tftp-hpa asks for `../etc/passwd` and puts
//! `notes.txt`: both refused, each with its reason (SKIPPED without
//! tftp-hpa).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_59-tftp-server-requests");
const OFF: &str = "uploads are off (start the server with --write FOLDER)";

#[test]
fn what_you_should_see() {
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    let downloads = top.join("downloads");
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(&downloads).unwrap();
    fs::write(top.join("shared/notes.txt"), "my notes\n").unwrap();
    fs::write(downloads.join("notes.txt"), "my notes\n").unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 59-tftp-server-requests -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let tftp = |verb: &str, name: &str| {
        let args = ["127.0.0.1", &port, "-m", "binary", "-c", verb, name];
        let mut tftp = cmd("tftp", &args);
        tftp.current_dir(&downloads);
        let typed = format!("tftp 127.0.0.1 6969 -m binary -c {verb} {name}");
        (typed, tftp)
    };
    let (typed, command) = tftp("get", "../etc/passwd");
    let mut t2 = story.terminal(&typed, command);
    t2.wait_for("Error code 2: not a file in the served folder\n");
    t2.exit_code();
    t1.wait_for(
        " get ../etc/passwd: refused: not a file in the served folder\n",
    );

    let (typed, command) = tftp("put", "notes.txt");
    let mut t3 = story.terminal(&typed, command);
    t3.wait_for(&format!("Error code 2: {OFF}\n"));
    t3.exit_code();
    t1.wait_for(&format!(" put notes.txt: refused: {OFF}\n"));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
