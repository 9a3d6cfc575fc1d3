//! The README's story, run for real in a scratch folder that stands for
//! the student's: a silent client (`nc` in the README, a socket of the
//! test's own here) connects first; 09 asking for `hello.txt` then waits
//! behind it on 19 until it is given up (Ctrl-C), and is served by 20
//! once 20 has dropped the silent client, 1.5 s later.

use std::fs;
use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;
use testkit::readme::Story;
use testkit::{cmd, lesson_bin, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_20-file-download-server-timeout");
/// What `echo "hello from the server" > hello.txt` writes: 22 bytes.
const HELLO: &str = "hello from the server\n";

#[test]
fn what_you_should_see() {
    let scratch = temp_dir();
    let folder = fs::canonicalize(scratch.path()).unwrap();
    fs::write(folder.join("hello.txt"), HELLO).unwrap();
    let story = Story::default();
    story.text(folder.to_str().unwrap(), "/home/student/course");
    let client = lesson_bin("09-file-download-client");
    let typed = "cargo run --bin 09-file-download-client -- 7788 hello.txt";

    // 19: a silent client first, then 09, which waits
    let mut naive = cmd(&lesson_bin("19-file-download-server-race"), &[]);
    naive.arg("0.0.0.0:0").current_dir(&folder);
    let mut t1 =
        story.terminal("cargo run --bin 19-file-download-server-race", naive);
    let addr = t1.listening(7788).to_string();
    t1.wait_for("serving files in ");
    let _silent = TcpStream::connect(&addr).unwrap();
    let mut download = cmd(&client, &[&addr, "hello.txt"]);
    download.current_dir(&folder);
    let mut t2 = story.terminal(typed, download);
    // a third client finds 19 still held, 3 s on (6 s in all, at least)
    let mut probe = TcpStream::connect(&addr).unwrap();
    probe
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    assert!(probe.read(&mut [0; 1]).is_err(), "19 answered");
    t2.interrupt(); // given up; then 19 too
    t1.interrupt();
    assert!(!folder.join("received-hello.txt").exists());

    // 20 drops the silent client after the idle timeout, then serves 09
    let mut server = cmd(BIN, &["0.0.0.0:0"]);
    server.current_dir(&folder).env("IDLE_TIMEOUT_SECS", "1.5");
    let typed_server =
        "IDLE_TIMEOUT_SECS=1.5 cargo run --bin 20-file-download-server-timeout";
    let mut t3 = story.terminal(typed_server, server);
    let addr = t3.listening(7788).to_string();
    t3.wait_for("serving files in ");
    let silent = TcpStream::connect(&addr).unwrap();
    let mut download = cmd(&client, &[&addr, "hello.txt"]);
    download.current_dir(&folder);
    let mut t4 = story.terminal(typed, download);
    t4.wait_for("saved 22 bytes as received-hello.txt\n");
    assert_eq!(t4.exit_code(), Some(0));
    t3.wait_for("idle for 1.5 s, closed\n");
    t3.wait_for("sent 22 bytes\n");
    drop(silent);
    let saved = fs::read_to_string(folder.join("received-hello.txt"));
    assert_eq!(saved.unwrap(), HELLO);

    story.check(env!("CARGO_MANIFEST_DIR"), vec![t1, t2, t3, t4]);
}
