//! The README's story, run for real in a scratch folder: 56 serving
//! `shared` on every address, IPv6 included; curl downloads `notes.txt`
//! from [::1] (SKIPPED without curl).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_56-tftp-server-slots-ipv6");

#[test]
fn what_you_should_see() {
    if missing("curl") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    fs::write(top.join("shared/notes.txt"), "my notes\n").unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed in terminal 1's address

    let mut server_cmd = cmd(BIN, &["[::]:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 56-tftp-server-slots-ipv6 -- [::]:6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port();
    story.port(port, 6969); // as typed in terminal 2's address

    let url = format!("tftp://[::1]:{port}/notes.txt");
    let mut curl = cmd("curl", &["-sS", "-g", "-o", "notes.txt", &url]);
    curl.current_dir(top.join("downloads"));
    let typed = "curl -sS -g -o notes.txt tftp://[::1]:6969/notes.txt";
    let mut t2 = story.terminal(typed, curl);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get notes.txt: 9 bytes\n");
    let got = fs::read_to_string(top.join("downloads/notes.txt")).unwrap();
    assert_eq!(got, "my notes\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
