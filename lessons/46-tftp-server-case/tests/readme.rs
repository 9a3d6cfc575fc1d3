//! The README's story, run for real in a scratch folder: a file named
//! like an upload in progress in capitals in `shared`; 46 serving it in
//! terminal 1; in terminal 2 tftp-hpa asks for it and is refused
//! (SKIPPED without tftp-hpa).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_46-tftp-server-case");

#[test]
fn what_you_should_see() {
    if missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("downloads")).unwrap();
    let name = ".TFTP-UPLOAD.4242";
    fs::write(top.join("shared").join(name), "half an upload\n").unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command line

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 46-tftp-server-case -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let args = ["127.0.0.1", &port, "-m", "binary", "-c", "get", name];
    let mut tftp = cmd("tftp", &args);
    tftp.current_dir(top.join("downloads"));
    let typed = "tftp 127.0.0.1 6969 -m binary -c get .TFTP-UPLOAD.4242";
    let mut t2 = story.terminal(typed, tftp);
    t2.wait_for("Error code 2: not allowed\n");
    t2.exit_code();
    t1.wait_for(" get .TFTP-UPLOAD.4242: refused: not allowed\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2]);
}
