//! 26-tftp-client-options: what 25 costs without options (a round trip
//! per 512 bytes), options with 15, tftpd-hpa and atftpd both ways, and
//! a scripted server that grants less, grants too much, or ignores them.

use std::fs;
use std::net::UdpSocket;
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

const BIN: &str = env!("CARGO_BIN_EXE_26-tftp-client-options");

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

/// The failure: through a link with 10 ms each way, 64 KiB at 512 bytes
/// a block is 129 round trips for 25; 26 asks for blocks of 65464 bytes
/// and needs 2.
#[test]
fn big_blocks_save_the_round_trips_that_25_waits_for() {
    let (dir, server) = fifteen();
    make_file(&dir.path().join("photo.jpg"), 64 << 10);
    let mut took = vec![];
    for (bin, extra) in [
        (lesson_bin("25-tftp-client-put"), &[][..]),
        (BIN.into(), &["--blksize", "65464"][..]),
    ] {
        let front = "127.0.0.1:0".parse().unwrap();
        let delay = Duration::from_millis(10);
        let loss = testkit::Loss::Percent(0);
        let relay = testkit::LossyRelay::start(front, server.addr, loss, delay);
        let out = temp_dir();
        let mut args = vec!["photo.jpg".to_string(), relay.addr.to_string()];
        args.extend(extra.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let started = Instant::now();
        let (code, text) = client(&bin, out.path(), &args);
        took.push(started.elapsed());
        assert_eq!(code, Some(0), "{bin}: {text}");
        let got = out.path().join("photo.jpg");
        assert!(same_file(&got, &dir.path().join("photo.jpg")), "{bin}");
    }
    assert!(took[0] > Duration::from_millis(129 * 20), "25: {took:?}");
    assert!(took[1] * 10 < took[0], "{took:?}");
}

/// Every size, both ways, with 15 and bigger blocks.
#[test]
fn options_both_ways_with_15() {
    let (dir, server) = fifteen();
    let addr = server.addr.to_string();
    check(&addr, dir.path(), &[0, 1427, 1428, 100_000], "1428");
}

/// Downloads and uploads of each size with `--blksize blksize`.
fn check(server: &str, dir: &Path, sizes: &[usize], blksize: &str) {
    let mine = temp_dir();
    for size in sizes {
        let name = format!("down{size}");
        make_file(&dir.join(&name), *size);
        let args = [&name, server, "--blksize", blksize];
        let (code, text) = client(BIN, mine.path(), &args);
        assert_eq!(code, Some(0), "{name}: {text}");
        assert!(same_file(&dir.join(&name), &mine.path().join(&name)));
        let name = format!("up{size}");
        make_file(&mine.path().join(&name), *size);
        let args = [&name, server, "--put", "--blksize", blksize];
        let (code, text) = client(BIN, mine.path(), &args);
        assert_eq!(code, Some(0), "{name}: {text}");
        assert!(same_file(&mine.path().join(&name), &dir.join(&name)));
    }
}

#[cfg(unix)] // the peers are Unix programs
#[test]
fn options_both_ways_with_tftpd_hpa_and_atftpd() {
    if missing("in.tftpd")
        || missing("atftpd")
        || testkit::missing_root("run them")
    {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let addr = format!("127.0.0.1:{}", free_udp_port());
    let mut command = Command::new("in.tftpd");
    command
        .args(["-L", "-s", "-c", "-a", &addr])
        .arg(dir.path());
    let _hpa = Proc::start(command);
    check(&addr, dir.path(), &[0, 8192, 100_000], "8192");
    check(&addr, dir.path(), &[1 << 20], "65464");

    let dir = testkit::temp_dir_open_to_all();
    let port = free_udp_port();
    let mut command = Command::new(testkit::ATFTPD);
    command.args(["--daemon", "--no-fork", "--no-multicast"]);
    command.args(["--port", &port.to_string(), "--bind-address", "127.0.0.1"]);
    command.args(["--user", "root.root"]).arg(dir.path());
    let _atftpd = Proc::start(command);
    check(
        &format!("127.0.0.1:{port}"),
        dir.path(),
        &[0, 100_000],
        "1428",
    );
}

fn scripted(args: &[&str]) -> (TempDir, UdpSocket, Proc) {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let mut all = vec![args[0], &port];
    all.extend(&args[1..]);
    let mut command = cmd(BIN, &all);
    command.current_dir(out.path());
    (out, main, Proc::start(command))
}

/// The request carries `tsize 0` and `blksize 1024` after the mode; the
/// server grants 1000 (less is allowed) and says the size: ACK 0, then
/// blocks of 1000 bytes, the short one last.
#[test]
fn the_oack_sets_the_block_size() {
    let (out, main, mut client) = scripted(&["file", "--blksize", "1024"]);
    let (request, client_addr) = recv_datagram(&main);
    let asked = b"\x00\x01file\x00octet\x00tsize\x000\x00blksize\x001024\x00";
    assert_eq!(request, asked);
    let tid = udp_socket();
    let oack = b"\x00\x06blksize\x001000\x00tsize\x001003\x00";
    tid.send_to(oack, client_addr).unwrap();
    assert_eq!(
        recv_datagram(&tid).0,
        [0, 4, 0, 0],
        "ACK 0: the OACK accepted"
    );
    let block1 = [&[0, 3, 0, 1][..], &[b'a'; 1000]].concat();
    tid.send_to(&block1, client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    tid.send_to(b"\x00\x03\x00\x02end", client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 2]);
    assert!(client.wait().success(), "{}", client.stderr_text());
    let file = fs::read(out.path().join("file")).unwrap();
    assert_eq!(file, [&[b'a'; 1000][..], b"end"].concat());
}

/// A server that grants a bigger block than asked (or an option never
/// asked for) gets ERROR 8; 26 stops in one line, no file left.
#[test]
fn an_oack_granting_more_than_asked_is_refused() {
    let (out, main, mut client) = scripted(&["file", "--blksize", "1024"]);
    let (_, client_addr) = recv_datagram(&main);
    let tid = udp_socket();
    tid.send_to(b"\x00\x06blksize\x002048\x00", client_addr)
        .unwrap();
    assert_eq!(&recv_datagram(&tid).0[..4], [0, 5, 0, 8], "ERROR 8");
    let (status, _, said) = client.finish();
    assert_eq!(status.code(), Some(1));
    assert!(said.starts_with("Error: bad OACK from "), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}
