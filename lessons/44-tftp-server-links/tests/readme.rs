//! The README's story, run for real in a scratch folder: `shared/link`,
//! a hard link to `secret.txt` outside the folder; 44 serving `shared`
//! in terminal 1; in terminal 2 tftp-hpa asks for `link` and is refused
//! (SKIPPED without tftp-hpa).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_44-tftp-server-links");

#[test]
fn what_you_should_see() {
    if testkit::not_on_windows(
        "44 and 63 count a file's hard links with Unix's nlink; stable Rust gives no link count on Windows",
    ) {
        return;
    }
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    fs::write(top.join("secret.txt"), "the owner's secret\n").unwrap();
    fs::hard_link(top.join("secret.txt"), top.join("shared/link")).unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 44-tftp-server-links -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let args = ["127.0.0.1", &port, "-m", "binary", "-c", "get", "link"];
    let mut tftp = cmd("tftp", &args);
    tftp.current_dir(top.join("downloads"));
    let typed = "tftp 127.0.0.1 6969 -m binary -c get link";
    let mut t2 = story.terminal(typed, tftp);
    t2.wait_for("Error code 2: more than one link\n");
    t2.exit_code();
    t1.wait_for(" get link: refused: more than one link\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
