//! 27-tftp-client-window: what 26 costs with one ACK per block through a
//! link with a delay, windows with 15 and atftpd (and tftpd-hpa, which
//! knows none), and a scripted server that sends windows and loses a
//! block.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, recv_datagram, run, same_file, temp_dir,
    udp_socket, Proc, TempDir,
};
#[cfg(unix)] // the real servers
use {
    std::process::Command,
    testkit::{free_udp_port, missing},
};

const BIN: &str = env!("CARGO_BIN_EXE_27-tftp-client-window");

/// `bin` run in `cwd`: (exit code, stdout + stderr).
fn client(bin: &str, cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut command = cmd(bin, args);
    command.current_dir(cwd);
    let (status, out, err) = run(command, b"");
    (status.code(), out + &err)
}

/// 15 serving and taking uploads into a new folder.
fn fifteen() -> (TempDir, Proc) {
    let dir = temp_dir();
    let served = dir.path().to_str().unwrap();
    let args = ["127.0.0.1:0", served, "--write", served];
    let server = Proc::server(cmd(&lesson_bin("63-tftp-server-safe"), &args));
    (dir, server)
}

/// The failure: through a link with 10 ms each way, 256 KiB in blocks of
/// 1428 bytes is 184 round trips for 26, one per block; with windows of
/// 16 blocks 27 needs 12.
#[test]
fn windows_save_the_round_trips_that_26_waits_for() {
    let (dir, server) = fifteen();
    make_file(&dir.path().join("photo.jpg"), 256 << 10);
    let mut took = vec![];
    for (bin, window) in [
        (lesson_bin("26-tftp-client-options"), &[][..]),
        (BIN.into(), &["--windowsize", "16"][..]),
    ] {
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = testkit::LossyRelay::start(front, server.addr, loss, delay);
        let out = temp_dir();
        let relay_addr = relay.addr.to_string();
        let mut args = vec!["photo.jpg", &relay_addr, "--blksize", "1428"];
        args.extend(window);
        let started = Instant::now();
        let (code, text) = client(&bin, out.path(), &args);
        took.push(started.elapsed());
        assert_eq!(code, Some(0), "{bin}: {text}");
        let got = out.path().join("photo.jpg");
        assert!(same_file(&got, &dir.path().join("photo.jpg")), "{bin}");
    }
    assert!(took[0] > Duration::from_millis(184 * 20), "26: {took:?}");
    assert!(took[1] * 4 < took[0], "{took:?}");
}

/// Downloads with a window, and uploads (one block at a time).
fn check(server: &str, dir: &Path, sizes: &[usize], window: &[&str]) {
    let mine = temp_dir();
    for size in sizes {
        let name = format!("down{size}");
        make_file(&dir.join(&name), *size);
        let mut args = vec![name.as_str(), server];
        args.extend(window);
        let (code, text) = client(BIN, mine.path(), &args);
        assert_eq!(code, Some(0), "{name}: {text}");
        assert!(same_file(&dir.join(&name), &mine.path().join(&name)));
        let name = format!("up{size}");
        make_file(&mine.path().join(&name), *size);
        let mut args = vec![name.as_str(), server, "--put"];
        args.extend(window);
        let (code, text) = client(BIN, mine.path(), &args);
        assert_eq!(code, Some(0), "{name}: {text}");
        assert!(same_file(&mine.path().join(&name), &dir.join(&name)));
    }
}

#[test]
fn windows_with_15() {
    let (dir, server) = fifteen();
    let addr = server.addr.to_string();
    let window = ["--windowsize", "8", "--blksize", "1024"];
    check(&addr, dir.path(), &[0, 1024, 8192, 8193, 300_000], &window);
}

#[cfg(unix)] // the peers are Unix programs
#[test]
fn windows_with_atftpd_and_tftpd_hpa_which_knows_none() {
    if missing("in.tftpd")
        || missing("atftpd")
        || testkit::missing_root("run them")
    {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let port = free_udp_port();
    let mut command = Command::new(testkit::ATFTPD);
    command.args(["--daemon", "--no-fork", "--no-multicast"]);
    command.args(["--port", &port.to_string(), "--bind-address", "127.0.0.1"]);
    command.args(["--user", "root.root"]).arg(dir.path());
    let _atftpd = Proc::start(command);
    let window = ["--windowsize", "4", "--blksize", "1428"];
    check(
        &format!("127.0.0.1:{port}"),
        dir.path(),
        &[0, 300_000],
        &window,
    );

    let dir = testkit::temp_dir_open_to_all();
    let addr = format!("127.0.0.1:{}", free_udp_port());
    let mut command = Command::new("in.tftpd");
    command
        .args(["-L", "-s", "-c", "-a", &addr])
        .arg(dir.path());
    let _hpa = Proc::start(command);
    check(&addr, dir.path(), &[0, 100_000], &["--windowsize", "8"]);
}

fn data(block: u16, len: usize) -> Vec<u8> {
    [&[0, 3], &block.to_be_bytes()[..], &vec![b'a'; len]].concat()
}

/// Windows of 4: one ACK for blocks 1-4; block 6 lost, so block 7 gets
/// ACK 5 at once (the server sends again from 6); a window then ends
/// with the short block 9.
#[test]
fn one_ack_per_window_and_at_once_after_a_loss() {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let mut command = cmd(BIN, &["file", &port, "--windowsize", "4"]);
    command.current_dir(out.path());
    let mut client = Proc::start(command);
    let (request, client_addr) = recv_datagram(&main);
    assert!(request.ends_with(b"tsize\x000\x00windowsize\x004\x00"));
    let tid = udp_socket();
    tid.send_to(b"\x00\x06windowsize\x004\x00", client_addr)
        .unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 0]);
    for block in 1..=4 {
        tid.send_to(&data(block, 512), client_addr).unwrap();
    }
    assert_eq!(
        recv_datagram(&tid).0,
        [0, 4, 0, 4],
        "one ACK for the window"
    );
    tid.send_to(&data(5, 512), client_addr).unwrap();
    tid.send_to(&data(7, 512), client_addr).unwrap(); // 6 was lost
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 5], "at once: 6 is missing");
    for block in 6..=8 {
        tid.send_to(&data(block, 512), client_addr).unwrap();
    }
    tid.send_to(&data(9, 100), client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 9], "the last block");
    assert!(client.wait().success(), "{}", client.stderr_text());
    let size = fs::metadata(out.path().join("file")).unwrap().len();
    assert_eq!(size, 8 * 512 + 100);
}
