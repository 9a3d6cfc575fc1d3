//! 47's idea, waits timed by the round trip (RFC 6298), against 46's
//! fixed second: the same download through the same link, 10 ms each
//! way, that loses the same three DATA blocks. 14 is the client: it waits
//! a fixed second too, so each lost block is the server's to send again.

use std::fs;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, not_on_windows, run, same_file, temp_dir,
};
use testkit::{LossyRelay, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_47-tftp-server-rto");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "46-tftp-server-case";
const CLIENT: &str = "14-tftp-client";

#[test]
fn a_lost_block_costs_a_round_trip_not_a_second() {
    if not_on_windows(
        "Wine takes longer to start a program (about 2 s here) than 47's \
         whole transfer, which the test times",
    ) {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("photo.jpg"), 20_000); // 40 blocks
    let mut took = vec![];
    for bin in [lesson_bin(PREV), BIN.into()] {
        let folder = dir.path().to_str().unwrap();
        let mut server = Proc::server(cmd(&bin, &["127.0.0.1:0", folder]));
        let delay = Duration::from_millis(10);
        let front = "127.0.0.1:0".parse().unwrap();
        let blocks = ["DATA 10", "DATA 20", "DATA 30"];
        let lost = testkit::Loss::Named(blocks.map(String::from).to_vec());
        let relay = LossyRelay::start(front, server.addr, lost, delay);
        let _ = fs::remove_file(out.path().join("photo.jpg"));
        let relay_addr = relay.addr.to_string();
        let mut command = cmd(&lesson_bin(CLIENT), &["photo.jpg", &relay_addr]);
        command.current_dir(out.path());
        let started = Instant::now();
        let (status, said, err) = run(command, b"");
        took.push(started.elapsed());
        assert!(status.success(), "{bin}: {said} {err}");
        let (got, sent) = (out.path().join("photo.jpg"), dir.path());
        assert!(same_file(&got, &sent.join("photo.jpg")), "{bin}");
        assert_eq!(relay.dropped().len(), 3, "{:?}", relay.dropped());
        let mut lines = vec![server.line()];
        while !lines[lines.len() - 1].contains(" get photo.jpg: 20000 bytes") {
            lines.push(server.line());
        }
        // 47 says each resend in a line; 46 sends again without a word
        let said = "timeout: block 10 sent again (try 2 of 5)".to_string();
        assert_eq!(lines.contains(&said), bin == BIN, "{bin}: {lines:?}");
    }
    let (fixed, measured) = (took[0], took[1]);
    assert!(fixed >= Duration::from_secs(3), "46: {fixed:?}");
    assert!(measured * 2 < fixed, "46: {fixed:?}, 60: {measured:?}");
}
