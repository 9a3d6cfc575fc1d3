//! 34-tftp-client-rate's idea, the time and the rate in the last line,
//! against 33's: 16 KiB (33 blocks) from 63 through a link with 10 ms
//! each way, a third of a second at least.

use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, make_file, run, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_34-tftp-client-rate");

#[test]
fn the_last_line_says_how_long_and_how_fast() {
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 16 << 10);
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    for bin in [lesson_bin("33-tftp-client-receive"), BIN.into()] {
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = testkit::LossyRelay::start(front, server.addr, loss, delay);
        let out = temp_dir();
        let mut command = cmd(&bin, &["photo.jpg", &relay.addr.to_string()]);
        command.current_dir(out.path());
        let started = Instant::now();
        let (status, said, err) = run(command, b"");
        let took = started.elapsed().as_secs_f64();
        assert!(status.success(), "{bin}: {said} {err}");
        let last = said.lines().last().unwrap_or_default();
        let Some(rest) =
            last.strip_prefix("received photo.jpg: 16384 bytes in ")
        else {
            // (a loaded machine may make a client send an ACK again: the
            // count is not this test's idea, the time and rate are)
            let start = "received photo.jpg: 16384 bytes, ";
            assert!(last.starts_with(start), "{last}");
            assert!(last.ends_with(" sent again"), "{last}");
            assert!(bin.contains("33-"), "{bin}: {last}");
            continue;
        };
        // "0.68 s (23.5 KiB/s), 0 ACKs sent again"
        let (seconds, rest) = rest.split_once(" s (").unwrap();
        let (kib, rest) = rest.split_once(" KiB/s), ").unwrap();
        assert!(rest.ends_with(" sent again"), "{last}");
        let seconds: f64 = seconds.parse().unwrap();
        let kib: f64 = kib.parse().unwrap();
        assert!((0.3..=took).contains(&seconds), "{seconds} of {took}");
        assert!((kib - 16.0 / seconds).abs() < 0.1 * kib, "{last}");
    }
}
