//! 61's idea, a log that says whose line it is and what the transfer
//! cost, against 60: through a relay that loses DATA 3 once, 60's resend
//! line names no transfer and its last line no time nor resend; 61's
//! both start with the client and the file, and the last one ends with
//! how many blocks went again (1, or more on a loaded machine).

use std::time::Duration;
use testkit::{
    cmd, lesson_bin, make_file, run, temp_dir, Loss, LossyRelay, Proc,
};

const BIN: &str = env!("CARGO_BIN_EXE_61-tftp-server-log");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "60-tftp-server-busy";

/// The server's lines about one download of `photo.jpg` through a relay
/// that loses DATA 3, its last line last.
fn lines_of(bin: &str) -> Vec<String> {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("photo.jpg"), 5_000);
    let folder = dir.path().to_str().unwrap();
    let mut server = Proc::server(cmd(bin, &["127.0.0.1:0", folder]));
    let lost = Loss::Named(vec!["DATA 3".into()]);
    let front = "127.0.0.1:0".parse().unwrap();
    let delay = Duration::from_millis(1);
    let relay = LossyRelay::start(front, server.addr, lost, delay);
    let relay_addr = relay.addr.to_string();
    let mut client =
        cmd(&lesson_bin("14-tftp-client"), &["photo.jpg", &relay_addr]);
    client.current_dir(out.path());
    let (status, said, err) = run(client, b"");
    assert!(status.success(), "{bin}: {said} {err}");
    let mut lines = vec![server.line()];
    while !lines[lines.len() - 1].contains(" get photo.jpg: 5000 bytes") {
        lines.push(server.line());
    }
    lines
}

#[test]
fn only_61_says_whose_resend_and_what_it_cost() {
    let prev = lines_of(&lesson_bin(PREV));
    let resend = "timeout: block 3 sent again (try 2 of 5)";
    assert!(prev.contains(&resend.to_string()), "{prev:?}");
    assert!(prev.last().unwrap().ends_with(": 5000 bytes"), "{prev:?}");

    let lines = lines_of(BIN);
    let whose = |line: &String| {
        line.starts_with("127.0.0.1:") && line.contains(" get photo.jpg: ")
    };
    assert!(lines.iter().all(whose), "{lines:?}");
    let said = format!("get photo.jpg: {resend}");
    assert!(lines.iter().any(|line| line.ends_with(&said)), "{lines:?}");
    // (a loaded machine may send a block again that was not lost: more)
    let last = lines.last().unwrap();
    assert!(last.contains(": 5000 bytes in "), "{last}");
    let again = last.rsplit(", ").next().unwrap();
    let count: usize = again.split(' ').next().unwrap().parse().unwrap();
    assert!(count >= 1 && again.contains(" sent again"), "{last}");
}
