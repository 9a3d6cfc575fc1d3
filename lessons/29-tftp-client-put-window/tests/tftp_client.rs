//! 29-tftp-client-put-window's idea, uploads in windows, against 28's one
//! block per ACK: the same upload through a link with 10 ms each way,
//! 256 KiB in blocks of 1428 bytes, is 184 round trips for 28 and 12
//! windows of 16 for 29; and uploads of sizes around the block and window
//! edges, with 63.

use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, run, same_file, temp_dir, Proc, TempDir,
};

const BIN: &str = env!("CARGO_BIN_EXE_29-tftp-client-put-window");

/// `bin` run in `cwd`: (exit code, stdout + stderr).
fn client(bin: &str, cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut command = cmd(bin, args);
    command.current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.code(), out + &err)
}

/// 63 serving and taking uploads into a new folder.
fn fifteen() -> (TempDir, Proc) {
    let dir = temp_dir();
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served, "--write", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    (dir, server)
}

#[test]
fn windows_save_the_round_trips_that_28_waits_for_on_upload() {
    let mine = temp_dir();
    make_file(&mine.path().join("photo.jpg"), 256 << 10);
    let mut took = vec![];
    for bin in [lesson_bin("28-tftp-client-peer"), BIN.into()] {
        let (dir, server) = fifteen();
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = testkit::LossyRelay::start(front, server.addr, loss, delay);
        let relay_addr = relay.addr.to_string();
        let args = [
            "photo.jpg",
            &relay_addr,
            "--put",
            "--blksize",
            "1428",
            "--windowsize",
            "16",
        ];
        let started = Instant::now();
        let (code, text) = client(&bin, mine.path(), &args);
        took.push(started.elapsed());
        assert_eq!(code, Some(0), "{bin}: {text}");
        assert!(text.contains("sent photo.jpg: 262144 bytes"), "{text}");
        let got = dir.path().join("photo.jpg");
        assert!(same_file(&got, &mine.path().join("photo.jpg")), "{bin}");
    }
    assert!(took[0] > Duration::from_millis(184 * 20), "28: {took:?}");
    assert!(took[1] * 4 < took[0], "{took:?}");
}

#[test]
fn uploads_of_every_edge_size_arrive_whole() {
    let (dir, server) = fifteen();
    let addr = server.addr.to_string();
    let mine = temp_dir();
    for size in [0, 1, 511, 512, 513, 512 * 16, 512 * 16 + 1, 100_000] {
        let name = format!("up{size}");
        make_file(&mine.path().join(&name), size);
        let args = [name.as_str(), &addr, "--put", "--windowsize", "16"];
        let (code, text) = client(BIN, mine.path(), &args);
        assert_eq!(code, Some(0), "{name}: {text}");
        let sent = format!("sent {name}: {size} bytes, ");
        assert!(
            text.contains(&sent) && text.contains(" sent again"),
            "{text}"
        );
        assert!(same_file(&dir.path().join(&name), &mine.path().join(&name)));
    }
}
