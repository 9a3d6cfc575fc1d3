//! 50's idea, options and windows for uploads, against 49, which leaves
//! an upload's options unread: a WRQ asking for `blksize 1024` and
//! `windowsize 4` gets ACK 0 from 49 and an OACK granting both from 50,
//! and an upload with `--windowsize 16` across a link of 10 ms each way
//! takes a fraction of 49's time.

use std::fs;
use std::net::UdpSocket;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, not_on_windows, run, same_file, temp_dir,
};
use testkit::{LossyRelay, Proc, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_50-tftp-server-put-options");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "49-tftp-server-strangers";
const CLIENT: &str = "37-tftp-client-safe";

/// A server taking uploads into `up` (made new for each run).
fn start(bin: &str, dir: &TempDir) -> Proc {
    let up = dir.path().join("up");
    let _ = fs::remove_dir_all(&up);
    fs::create_dir(&up).unwrap();
    let args = ["127.0.0.1:0", ".", "--write", up.to_str().unwrap()];
    let mut command = cmd(bin, &args);
    command.current_dir(dir.path());
    Proc::server(command)
}

#[test]
fn an_uploads_options_are_granted_by_50_not_by_49() {
    let dir = temp_dir();
    let oack = b"\x00\x06blksize\x001024\x00windowsize\x004\x00";
    for (bin, first) in [
        (lesson_bin(PREV), &b"\x00\x04\x00\x00"[..]),
        (BIN.into(), &oack[..]),
    ] {
        let server = start(&bin, &dir);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let request =
            b"\x00\x02big.bin\x00octet\x00blksize\x001024\x00windowsize\x004\x00";
        socket.send_to(request, server.addr).unwrap();
        let mut buf = [0; 1024];
        let (len, _) = socket.recv_from(&mut buf).expect("an answer");
        assert_eq!(&buf[..len], first, "{bin}");
    }
}

#[test]
fn a_windowed_upload_crosses_a_slow_link_in_a_fraction_of_the_time() {
    if not_on_windows(
        "Wine takes longer to start a program (about 2 s here) than 50's \
         whole transfer, which the test times",
    ) {
        return;
    }
    let (dir, home) = (temp_dir(), temp_dir());
    make_file(&home.path().join("big.bin"), 100_000); // 196 blocks
    let mut took = vec![];
    for bin in [lesson_bin(PREV), BIN.into()] {
        let server = start(&bin, &dir);
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = LossyRelay::start(front, server.addr, loss, delay);
        let relay_addr = relay.addr.to_string();
        let args = ["big.bin", &relay_addr, "--put", "--windowsize", "16"];
        let mut command = cmd(&lesson_bin(CLIENT), &args);
        command.current_dir(home.path());
        let started = Instant::now();
        let (status, said, err) = run(command, b"");
        took.push(started.elapsed());
        assert!(status.success(), "{bin}: {said} {err}");
        let (got, sent) = (dir.path().join("up"), home.path());
        assert!(same_file(&got.join("big.bin"), &sent.join("big.bin")));
    }
    let (one, window) = (took[0], took[1]);
    assert!(one >= Duration::from_secs(3), "49: {one:?}");
    assert!(window * 3 < one, "49: {one:?}, 63: {window:?}");
}
