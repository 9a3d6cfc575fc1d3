//! 32-tftp-client-progress's idea, a line a second, against 31's silence:
//! 64 KiB through a link with 10 ms each way takes a few seconds, both
//! ways (a download, then an upload), with 63.

use std::time::Duration;
use testkit::{cmd, lesson_bin, make_file, run, temp_dir, Proc, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_32-tftp-client-progress");

/// `bin` run in `out` with `args`: its stderr, once it succeeded.
fn stderr_of(bin: &str, out: &TempDir, args: &[&str]) -> String {
    let mut command = cmd(bin, args);
    command.current_dir(out.path());
    let (status, said, err) = run(command, b"");
    assert!(status.success(), "{bin}: {said} {err}");
    err
}

#[test]
fn a_long_transfer_says_how_far_it_is_each_second() {
    let dir = temp_dir();
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served, "--write", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    make_file(&dir.path().join("photo.jpg"), 64 << 10); // 129 blocks
    for (i, bin) in [lesson_bin("31-tftp-client-answer"), BIN.into()]
        .iter()
        .enumerate()
    {
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = testkit::LossyRelay::start(front, server.addr, loss, delay);
        let relay_addr = relay.addr.to_string();
        let out = temp_dir();
        let up = format!("up{i}.jpg");
        make_file(&out.path().join(&up), 64 << 10);
        let got = stderr_of(bin, &out, &["photo.jpg", &relay_addr]);
        let sent = stderr_of(bin, &out, &[&up, &relay_addr, "--put"]);
        for err in [got, sent] {
            let lines = err.lines().filter(|l| l.contains(" of 65536 ("));
            match i {
                0 => assert_eq!(err, "", "31 says nothing"),
                _ => assert!(lines.count() >= 1, "32: {err:?}"),
            }
        }
    }
}
