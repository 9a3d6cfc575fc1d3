//! The README's story, run for real in a scratch folder: 38 serving
//! `shared` and taking uploads into `uploads` in terminal 1; in terminal 2
//! curl uploads `homework.txt`, then tftp-hpa tries the same name and is
//! refused (SKIPPED without curl or tftp-hpa).

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_38-tftp-server-put");
/// What `echo "my homework" > homework.txt` writes: 12 bytes.
const HOMEWORK: &str = "my homework\n";

#[test]
fn what_you_should_see() {
    if missing("curl") || missing("tftp") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::create_dir(top.join("uploads")).unwrap();
    fs::write(top.join("homework.txt"), HOMEWORK).unwrap();
    let story = Story::default();
    story.port(6969, 6969); // as typed on terminal 2's command lines

    let args = ["0.0.0.0:0", "shared", "--write", "uploads"];
    let mut server_cmd = cmd(BIN, &args);
    server_cmd.current_dir(top);
    let typed =
        "cargo run --bin 38-tftp-server-put -- 6969 shared --write uploads";
    let mut t1 = story.terminal(typed, server_cmd);
    let port = t1.listening(6969).port().to_string();

    let url = format!("tftp://127.0.0.1:{port}/");
    let mut curl = cmd("curl", &["-sS", "-T", "homework.txt", &url]);
    curl.current_dir(top);
    let typed = "curl -sS -T homework.txt tftp://127.0.0.1:6969/";
    let mut t2 = story.terminal(typed, curl);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" put homework.txt: 12 bytes\n");
    let stored = fs::read_to_string(top.join("uploads/homework.txt"));
    assert_eq!(stored.unwrap(), HOMEWORK);

    let args = [
        "127.0.0.1",
        &port,
        "-m",
        "binary",
        "-c",
        "put",
        "homework.txt",
    ];
    let mut tftp = cmd("tftp", &args);
    tftp.current_dir(top);
    let typed = "tftp 127.0.0.1 6969 -m binary -c put homework.txt";
    let mut t3 = story.terminal(typed, tftp);
    t3.wait_for("Error code 6: file already exists\n");
    t3.exit_code();
    t1.wait_for(" put homework.txt: refused: file already exists\n");

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
