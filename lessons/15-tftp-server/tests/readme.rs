//! The README's story, run for real in a scratch folder that stands for
//! the student's: `shared/hello.txt` made as `echo` makes it, 15 serving
//! `shared` in terminal 1, and in terminal 2, from `downloads`, curl
//! downloading `hello.txt` (SKIPPED without curl), then `cat` showing it.

use std::fs;
use testkit::readme::Story;
use testkit::{cmd, missing, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_15-tftp-server");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";

#[test]
fn what_you_should_see() {
    if missing("curl") {
        return;
    }
    let scratch = temp_dir();
    let top = scratch.path();
    fs::create_dir(top.join("shared")).unwrap();
    fs::write(top.join("shared/hello.txt"), HELLO).unwrap();
    let downloads = top.join("downloads");
    fs::create_dir(&downloads).unwrap();
    let story = Story::default();
    // 6969 as typed on terminal 2's command line
    story.port(6969, 6969);

    let mut server_cmd = cmd(BIN, &["0.0.0.0:0", "shared"]);
    server_cmd.current_dir(top);
    let typed = "cargo run --bin 15-tftp-server -- 6969 shared";
    let mut t1 = story.terminal(typed, server_cmd);
    let addr = t1.listening(6969);

    let url = format!("tftp://127.0.0.1:{}/hello.txt", addr.port());
    let mut curl = cmd("curl", &["-sS", "-o", "hello.txt", &url]);
    curl.current_dir(&downloads);
    let typed = "curl -sS -o hello.txt tftp://127.0.0.1:6969/hello.txt";
    let mut t2 = story.terminal(typed, curl);
    assert_eq!(t2.exit_code(), Some(0));
    t1.wait_for(" get hello.txt: 22 bytes\n");

    let mut cat = cmd("cat", &["hello.txt"]);
    cat.current_dir(&downloads);
    let mut t3 = story.terminal("cat hello.txt", cat);
    t3.wait_for(HELLO);
    assert_eq!(t3.exit_code(), Some(0));

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3]);
}
