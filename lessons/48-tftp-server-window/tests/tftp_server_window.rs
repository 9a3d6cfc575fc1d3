//! 48's idea, windows of blocks (RFC 7440), against 47's stop-and-wait:
//! a request for `windowsize 8` is answered with an OACK that grants it
//! (60 leaves it out and sends DATA 1), and a download with
//! `--windowsize 16` across a link of 10 ms each way takes a fraction
//! of 47's time.

use std::net::UdpSocket;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, not_on_windows, run, same_file, temp_dir,
};
use testkit::{LossyRelay, Proc, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_48-tftp-server-window");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "47-tftp-server-rto";
const CLIENT: &str = "37-tftp-client-safe";

fn start(bin: &str, dir: &TempDir) -> Proc {
    let folder = dir.path().to_str().unwrap();
    Proc::server(cmd(bin, &["127.0.0.1:0", folder]))
}

#[test]
fn a_window_is_granted_by_48_not_by_47() {
    let dir = temp_dir();
    make_file(&dir.path().join("photo.jpg"), 100_000);
    for (bin, first) in [
        (lesson_bin(PREV), &b"\x00\x03\x00\x01"[..]),
        (BIN.into(), b"\x00\x06windowsize\x008\x00"),
    ] {
        let server = start(&bin, &dir);
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let request = b"\x00\x01photo.jpg\x00octet\x00windowsize\x008\x00";
        socket.send_to(request, server.addr).unwrap();
        let mut buf = [0; 1024];
        let (len, _) = socket.recv_from(&mut buf).expect("an answer");
        assert!(buf[..len].starts_with(first), "{bin}: {:?}", &buf[..len]);
    }
}

#[test]
fn a_window_crosses_a_slow_link_in_a_fraction_of_the_time() {
    if not_on_windows(
        "Wine takes longer to start a program (about 2 s here) than 48's \
         whole transfer, which the test times",
    ) {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("photo.jpg"), 100_000); // 196 blocks
    let mut took = vec![];
    for bin in [lesson_bin(PREV), BIN.into()] {
        let server = start(&bin, &dir);
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = LossyRelay::start(front, server.addr, loss, delay);
        let _ = std::fs::remove_file(out.path().join("photo.jpg"));
        let relay_addr = relay.addr.to_string();
        let args = ["photo.jpg", &relay_addr, "--windowsize", "16"];
        let mut command = cmd(&lesson_bin(CLIENT), &args);
        command.current_dir(out.path());
        let started = Instant::now();
        let (status, said, err) = run(command, b"");
        took.push(started.elapsed());
        assert!(status.success(), "{bin}: {said} {err}");
        let (got, sent) = (out.path().join("photo.jpg"), dir.path());
        assert!(same_file(&got, &sent.join("photo.jpg")), "{bin}");
    }
    let (one, window) = (took[0], took[1]);
    assert!(one >= Duration::from_secs(3), "47: {one:?}");
    assert!(window * 3 < one, "47: {one:?}, 61: {window:?}");
}
