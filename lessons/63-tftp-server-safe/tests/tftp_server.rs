//! 63-tftp-server-safe: downloads and uploads with 14-tftp-client, curl,
//! tftp-hpa and atftp; raw packets for the rules of RFC 1350/2347/7440;
//! malformed packets; loss through a relay; many clients at once.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};
use testkit::{
    cmd, lesson_bin, make_file, missing, run, same_file, temp_dir, DEADLINE,
};
use testkit::{Loss, LossyRelay, Proc, TempDir};

mod common;
use common::*;

#[test]
fn our_client_downloads_every_size() {
    let (dir, out) = (temp_dir(), temp_dir());
    let mut server = server(dir.path(), &[]);
    let port = server.addr.to_string();
    for size in [0, 511, 512, 1024, 1 << 20] {
        let name = format!("f{size}");
        make_file(&dir.path().join(&name), size);
        let (ok, text) = client(out.path(), &[&name, &port]);
        // the count of ACKs sent again: none, or one on a loaded machine
        assert!(text.contains(" sent again"), "{text}");
        assert!(ok, "{text}");
        assert!(text.contains(&format!("received {name}: {size} bytes")));
        assert!(same_file(&dir.path().join(&name), &out.path().join(&name)));
        server.expect(&format!("get {name}: {size} bytes"));
    }
    let big = ["f1048576", &port, "--blksize", "1428", "--windowsize", "8"];
    fs::remove_file(out.path().join(big[0])).unwrap();
    let (ok, text) = client(out.path(), &big);
    assert!(ok, "{text}");
    assert!(same_file(
        &dir.path().join(big[0]),
        &out.path().join(big[0])
    ));
}

#[test]
fn blocks_past_65535_wrap_around() {
    if testkit::not_on_windows(
        "Wine: 81,921 round trips of 512 bytes take longer than the test's deadline under Wine",
    ) {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    let server = server(dir.path(), &[]);
    let size = 40 << 20; // 81920 blocks of 512 bytes
    make_file(&dir.path().join("big"), size + 100);
    let port = server.addr.to_string();
    let (ok, text) = client(out.path(), &["big", &port]);
    assert!(ok, "{text}");
    assert!(same_file(&dir.path().join("big"), &out.path().join("big")));
    // and with windows of 16 blocks (a window may straddle 65535 and 0)
    fs::remove_file(out.path().join("big")).unwrap();
    let (ok, text) = client(out.path(), &["big", &port, "--windowsize", "16"]);
    assert!(ok, "{text}");
    assert!(same_file(&dir.path().join("big"), &out.path().join("big")));
    if missing("curl") {
        return;
    }
    let url = format!("tftp://{}/big", server.addr);
    let got = out.path().join("curl-big");
    let status = Command::new("curl")
        .args(["-sSo"])
        .arg(&got)
        .arg(&url)
        .status();
    assert!(status.unwrap().success());
    assert!(same_file(&dir.path().join("big"), &got));
}

fn curl(args: &[&str]) -> i32 {
    let status = Command::new("curl").arg("-sS").args(args).status().unwrap();
    status.code().unwrap_or(-1)
}

#[test]
fn curl_downloads_and_uploads() {
    if missing("curl") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    let server = server(dir.path(), &uploads_into(dir.path()));
    for size in [0, 511, 512, 1024, 1 << 20] {
        let name = format!("f{size}");
        make_file(&dir.path().join(&name), size);
        let got = out.path().join(&name);
        let url = format!("tftp://{}/{name}", server.addr);
        assert_eq!(curl(&["-o", got.to_str().unwrap(), &url]), 0, "{name}");
        assert!(same_file(&dir.path().join(&name), &got), "{name}");
        let big =
            ["--tftp-blksize", "65464", "-o", got.to_str().unwrap(), &url];
        assert_eq!(curl(&big), 0, "{name} with blksize 65464");
        assert!(same_file(&dir.path().join(&name), &got), "{name}");
    }
    make_file(&out.path().join("up"), 300_000);
    let up = out.path().join("up");
    let url = format!("tftp://{}/up", server.addr);
    assert_eq!(curl(&["-T", up.to_str().unwrap(), &url]), 0);
    assert!(same_file(&up, &dir.path().join("up")));
}

#[test]
fn curl_over_ipv6() {
    if missing("curl") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("six"), 100_000);
    let server =
        Proc::server(cmd(BIN, &["[::]:0", dir.path().to_str().unwrap()]));
    let url = format!("tftp://[::1]:{}/six", server.addr.port());
    let got = out.path().join("six");
    assert_eq!(curl(&["-g", "-o", got.to_str().unwrap(), &url]), 0);
    assert!(same_file(&dir.path().join("six"), &got));
}

#[test]
fn tftp_hpa_gets_and_puts_in_both_modes() {
    if missing("tftp") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    let mut server = server(dir.path(), &uploads_into(dir.path()));
    make_file(&dir.path().join("bin"), 200_000);
    fs::write(dir.path().join("text"), "one\ntwo\r\nthree\n").unwrap();
    fs::write(out.path().join("up.txt"), "up\nload\n").unwrap();
    make_file(&out.path().join("up.bin"), 100_000);
    let port = server.addr.port().to_string();
    let tftp = |mode: &str, command: &str| {
        let mut tftp = Command::new("tftp");
        tftp.current_dir(out.path());
        tftp.args(["127.0.0.1", &port, "-m", mode, "-c"]);
        tftp.args(command.split(' '));
        let output = tftp.output().unwrap();
        let said = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(!said.to_lowercase().contains("error"), "{command}: {said}");
    };
    tftp("octet", "get bin");
    assert!(same_file(&dir.path().join("bin"), &out.path().join("bin")));
    tftp("netascii", "get text");
    assert!(same_file(
        &dir.path().join("text"),
        &out.path().join("text")
    ));
    tftp("netascii", "put up.txt");
    server.expect("put up.txt");
    assert!(same_file(
        &out.path().join("up.txt"),
        &dir.path().join("up.txt")
    ));
    tftp("octet", "put up.bin");
    server.expect("put up.bin: 100000 bytes");
    assert!(same_file(
        &out.path().join("up.bin"),
        &dir.path().join("up.bin")
    ));
}

#[test]
fn atftp_with_blksize_and_windowsize() {
    if missing("atftp") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    let mut server = server(dir.path(), &uploads_into(dir.path()));
    make_file(&dir.path().join("down"), 3 << 20);
    make_file(&out.path().join("up"), 1 << 20);
    let port = server.addr.port().to_string();
    for (blksize, window, way) in [("8192", "8", "-g"), ("1428", "4", "-p")] {
        let mut atftp = Command::new("atftp");
        atftp.current_dir(out.path());
        atftp.args(["--option", &format!("blksize {blksize}")]);
        atftp.args(["--option", &format!("windowsize {window}")]);
        let file = if way == "-g" { "down" } else { "up" };
        atftp.args([way, "-r", file, "-l", file, "127.0.0.1", &port]);
        let (status, text, err) = run(atftp, b"");
        assert!(status.success(), "atftp {way}: {text} {err}");
        assert!(same_file(&dir.path().join(file), &out.path().join(file)));
    }
    server.expect("put up: 1048576 bytes");
}

#[test]
fn uploads_only_with_write_and_only_new_files() {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&out.path().join("new"), 5000);
    fs::write(dir.path().join("old"), "old").unwrap();
    fs::write(out.path().join("old"), "new content").unwrap();
    let read_only = server(dir.path(), &[]);
    let port = read_only.addr.to_string();
    let (ok, text) = client(out.path(), &["new", &port, "--put"]);
    assert!(!ok && text.contains("error 2"), "{text}");
    assert!(!dir.path().join("new").exists());

    let mut server = server(dir.path(), &uploads_into(dir.path()));
    let port = server.addr.to_string();
    let (ok, text) = client(out.path(), &["new", &port, "--put"]);
    assert!(ok, "{text}");
    server.expect("put new: 5000 bytes");
    assert!(same_file(&out.path().join("new"), &dir.path().join("new")));
    let (ok, text) = client(out.path(), &["old", &port, "--put"]);
    assert!(!ok && text.contains("error 6"), "{text}");
    assert_eq!(fs::read(dir.path().join("old")).unwrap(), b"old");
    let mut names: Vec<_> =
        fs::read_dir(dir.path()).unwrap().flatten().collect();
    names.retain(|e| e.file_name().to_string_lossy().contains("part"));
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

#[cfg(unix)] // a symlink
#[test]
fn refuses_names_outside_the_folder_and_missing_files() {
    let outside = temp_dir();
    fs::write(outside.path().join("secret"), "secret").unwrap();
    let dir = temp_dir();
    let secret = outside.path().join("secret");
    std::os::unix::fs::symlink(&secret, dir.path().join("link")).unwrap();
    let server = server(dir.path(), &uploads_into(dir.path()));
    let socket = raw();
    let absolute = secret.to_str().unwrap();
    for (name, code) in [
        ("../secret", 2),
        (absolute, 2),
        ("link", 2),
        ("missing", 1),
        (".", 2),
    ] {
        socket
            .send_to(&request(1, name, "octet", &[]), server.addr)
            .unwrap();
        assert_eq!(error_code(&recv(&socket).0), code, "{name}");
    }
    socket
        .send_to(&request(2, "../up", "octet", &[]), server.addr)
        .unwrap();
    assert_eq!(error_code(&recv(&socket).0), 2);
    socket
        .send_to(&request(1, "x", "mail", &[]), server.addr)
        .unwrap();
    assert_eq!(error_code(&recv(&socket).0), 4);
    let out = temp_dir();
    let (ok, text) = client(out.path(), &["missing", &server.addr.to_string()]);
    assert!(!ok && text.contains("error 1"), "{text}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

#[test]
fn malformed_packets_do_not_stop_the_server() {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("file"), 2000);
    let mut server = server(dir.path(), &[]);
    let socket = raw();
    let bad: &[&[u8]] = &[
        b"",
        b"\x00",
        b"\x00\x01",
        b"\x00\x01f",
        b"\x00\x01file\x00octet",
        b"\x00\x01file",
        b"\x00\x09file\x00octet\x00",
        b"\x00\x05\x00",
        b"\x00\x04\x00\x01",
        b"\x00\x03\x00\x01data",
        b"\xff\xff\xff\xff",
    ];
    for packet in bad {
        socket.send_to(packet, server.addr).unwrap();
    }
    for blksize in ["7", "65465", "abc", ""] {
        let rrq = request(1, "file", "octet", &["blksize", blksize]);
        socket.send_to(&rrq, server.addr).unwrap();
    }
    // every bad packet was answered with an ERROR or dropped: the four
    // bad blksize requests each got ERROR 8
    let mut eights = 0;
    socket
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0; 600];
    while let Ok((len, _)) = socket.recv_from(&mut buf) {
        eights += (error_code(&buf[..len]) == 8) as usize;
    }
    assert_eq!(eights, 4);
    let (ok, text) = client(out.path(), &["file", &server.addr.to_string()]);
    assert!(ok, "{text}");
    server.expect("get file: 2000 bytes");
}

#[test]
fn options_are_answered_once_never_larger_and_only_when_asked() {
    let dir = temp_dir();
    make_file(&dir.path().join("file"), 3000);
    fs::write(dir.path().join("empty"), "").unwrap();
    let server = server(dir.path(), &[]);
    let socket = raw();
    // no options: DATA 1 at once (RFC 1350)
    socket
        .send_to(&request(1, "file", "octet", &[]), server.addr)
        .unwrap();
    let (data, _) = recv(&socket);
    assert_eq!((&data[..4], data.len()), (&[0, 3, 0, 1][..], 516));
    // repeated and unknown options: each answered once, unknown ignored
    // (each step from a socket of its own: the transfers before it, never
    // acknowledged, send their block again after their timeout)
    let socket = raw();
    let asked = [
        "BLKSIZE", "1024", "blksize", "2048", "foo", "1", "tsize", "0",
    ];
    socket
        .send_to(&request(1, "file", "octet", &asked), server.addr)
        .unwrap();
    let (oack, tid) = recv(&socket);
    assert_eq!(oack, b"\x00\x06blksize\x001024\x00tsize\x003000\x00");
    socket.send_to(&ack(0), tid).unwrap();
    let (data, _) = recv(&socket);
    assert_eq!((&data[..4], data.len()), (&[0, 3, 0, 1][..], 1028));
    // tsize 0 is left out for an empty file (curl refuses it): no OACK
    let socket = raw();
    let asked = ["tsize", "0"];
    socket
        .send_to(&request(1, "empty", "octet", &asked), server.addr)
        .unwrap();
    assert_eq!(recv(&socket).0, [0, 3, 0, 1]);
    // a window is never wider than asked
    let socket = raw();
    let asked = ["windowsize", "4"];
    socket
        .send_to(&request(1, "file", "octet", &asked), server.addr)
        .unwrap();
    assert_eq!(recv(&socket).0, b"\x00\x06windowsize\x004\x00");
}

#[test]
fn the_timeout_option_is_taken_exactly_or_left_out() {
    let dir = temp_dir();
    make_file(&dir.path().join("file"), 3000);
    let server = server(dir.path(), &[]);
    let socket = raw();
    for (asked, answered) in [
        ("3", &b"\x00\x06blksize\x00512\x00timeout\x003\x00"[..]),
        ("255", b"\x00\x06blksize\x00512\x00"), // longer than 5 s
        ("0", b"\x00\x06blksize\x00512\x00"),
        ("soon", b"\x00\x06blksize\x00512\x00"),
    ] {
        let options = ["blksize", "512", "timeout", asked];
        let rrq = request(1, "file", "octet", &options);
        socket.send_to(&rrq, server.addr).unwrap();
        let (oack, tid) = recv(&socket);
        assert_eq!(oack, answered, "timeout {asked}");
        socket
            .send_to(b"\x00\x05\x00\x08no thanks\x00", tid)
            .unwrap();
    }
}

#[test]
fn repeated_acks_are_never_answered_twice() {
    let dir = temp_dir();
    make_file(&dir.path().join("file"), 1500);
    let mut server = server(dir.path(), &[]);
    let socket = raw();
    socket
        .send_to(&request(1, "file", "octet", &[]), server.addr)
        .unwrap();
    let (data, tid) = recv(&socket);
    assert_eq!(&data[..4], [0, 3, 0, 1]);
    // an ACK for a block never sent, then ACK 1 twice: DATA 2 comes once
    socket.send_to(&ack(7), tid).unwrap();
    socket.send_to(&ack(1), tid).unwrap();
    socket.send_to(&ack(1), tid).unwrap();
    assert_eq!(&recv(&socket).0[..4], [0, 3, 0, 2]);
    // a stranger's packet to the transfer port gets ERROR 5
    let stranger = raw();
    stranger.send_to(&ack(2), tid).unwrap();
    assert_eq!(error_code(&recv(&stranger).0), 5);
    // DATA 2 again only after a timeout (the wait follows the round trip:
    // a few ms here), which the server says first; never for an ACK
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0; 600];
    while let Ok((len, _)) = socket.recv_from(&mut buf) {
        assert_eq!(&buf[..len.min(4)], [0, 3, 0, 2]);
        server.expect("get file: timeout: block 2 sent again (try ");
    }
    socket.send_to(&ack(2), tid).unwrap();
    let (data, _) = recv(&socket);
    assert_eq!((&data[..4], data.len()), (&[0, 3, 0, 3][..], 4 + 476));
    socket.send_to(&ack(3), tid).unwrap();
}

#[test]
fn a_repeated_upload_block_is_acknowledged_not_appended() {
    let dir = temp_dir();
    let mut server = server(dir.path(), &uploads_into(dir.path()));
    let socket = raw();
    socket
        .send_to(&request(2, "up", "octet", &[]), server.addr)
        .unwrap();
    let (answer, tid) = recv(&socket);
    assert_eq!(answer, ack(0));
    let block = [&[0, 3, 0, 1][..], &[b'a'; 512]].concat();
    socket.send_to(&block, tid).unwrap();
    assert_eq!(recv(&socket).0, ack(1));
    socket.send_to(&block, tid).unwrap();
    assert_eq!(recv(&socket).0, ack(1));
    socket.send_to(b"\x00\x03\x00\x02end", tid).unwrap();
    assert_eq!(recv(&socket).0, ack(2));
    server.expect("put up: 515 bytes");
    let up = fs::read(dir.path().join("up")).unwrap();
    assert_eq!(up, [&[b'a'; 512][..], b"end"].concat());
}

#[test]
fn a_client_refusing_the_options_ends_the_transfer_quietly() {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("file"), 1000);
    let mut server = server(dir.path(), &[]);
    let socket = raw();
    let rrq = request(1, "file", "octet", &["blksize", "100"]);
    socket.send_to(&rrq, server.addr).unwrap();
    let (oack, tid) = recv(&socket);
    assert_eq!(&oack[..2], [0, 6]);
    socket
        .send_to(b"\x00\x05\x00\x08no thanks\x00", tid)
        .unwrap();
    server.expect("refused the options");
    let (ok, text) = client(out.path(), &["file", &server.addr.to_string()]);
    assert!(ok, "{text}");
}

#[test]
fn fifty_downloads_at_once() {
    let dir = temp_dir();
    make_file(&dir.path().join("file"), 1 << 20);
    let server = server(dir.path(), &[]);
    let port = server.addr.to_string();
    let outs: Vec<TempDir> = (0..50).map(|_| temp_dir()).collect();
    let clients: Vec<Proc> = outs
        .iter()
        .map(|out| {
            let mut command = cmd(&lesson_bin(CLIENT), &["file", &port]);
            command.current_dir(out.path());
            Proc::start(command)
        })
        .collect();
    for (mut client, out) in clients.into_iter().zip(&outs) {
        assert!(client.wait().success(), "{}", client.stderr_text());
        assert!(same_file(
            &dir.path().join("file"),
            &out.path().join("file")
        ));
    }
}

#[test]
fn transfers_survive_five_percent_loss_each_way() {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("down"), 120_000);
    make_file(&out.path().join("up"), 300_000);
    let mut command = cmd(BIN, &["127.0.0.1:0", dir.path().to_str().unwrap()]);
    command
        .args(uploads_into(dir.path()))
        .env("TFTP_TIMEOUT_MS", "50");
    let server = Proc::server(command);
    for args in [
        &["down"][..],
        &["up", "--put"],
        &["down", "--windowsize", "4"],
    ] {
        let front = "127.0.0.1:0".parse().unwrap();
        let loss = testkit::Loss::Percent(5);
        let relay = LossyRelay::start(front, server.addr, loss, Duration::ZERO);
        let _ = fs::remove_file(out.path().join("down"));
        let mut command = cmd(&lesson_bin(CLIENT), args);
        command.arg(relay.addr.to_string()).current_dir(out.path());
        command.env("TFTP_TIMEOUT_MS", "50");
        let (status, text, err) = run(command, b"");
        assert!(status.success(), "{args:?}: {text} {err}");
        assert!(same_file(
            &dir.path().join(args[0]),
            &out.path().join(args[0])
        ));
    }
}

/// Resends you can watch: through a relay that loses 10 % each way,
/// every DATA block the relay drops is sent again by the server, which
/// says so in a line (`timeout: block 7 sent again (try 2 of 5)`), and
/// both ends count what they sent again in their last line.
#[test]
fn drops_and_resends_line_up() {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("file"), 40 * 512 + 7);
    let mut command = cmd(BIN, &["127.0.0.1:0", dir.path().to_str().unwrap()]);
    command.env("TFTP_TIMEOUT_MS", "500");
    let mut server = Proc::server(command);
    let front = "127.0.0.1:0".parse().unwrap();
    let delay = Duration::from_millis(2);
    let loss = testkit::Loss::Percent(10);
    let relay = LossyRelay::start(front, server.addr, loss, delay);
    let mut command = cmd(&lesson_bin(CLIENT), &["file"]);
    command.arg(relay.addr.to_string()).current_dir(out.path());
    let (status, text, err) = run(command, b"");
    assert!(status.success(), "{text} {err}");
    assert!(same_file(
        &dir.path().join("file"),
        &out.path().join("file")
    ));
    let mut lines = vec![];
    let last = loop {
        let line = server.line();
        if line.contains("bytes in") {
            break line;
        }
        lines.push(line);
    };
    let lost: Vec<String> = relay
        .dropped()
        .iter()
        .filter_map(|d| d.strip_suffix(" (server -> client)"))
        .filter_map(|d| d.strip_prefix("DATA "))
        .map(String::from)
        .collect();
    assert!(!lost.is_empty(), "nothing lost: {:?}", relay.dropped());
    let all_shown = !lines.iter().any(|l| l.contains("not shown"));
    for block in &lost {
        let said = format!("get file: timeout: block {block} sent again");
        let shown = lines.iter().any(|line| line.contains(&said));
        assert!(shown || !all_shown, "{block} not resent: {lines:?}");
    }
    let count = |line: &str, what: &str| -> usize {
        let before = line.split(what).next().unwrap_or_default();
        before.rsplit(' ').nth(1).unwrap().parse().unwrap()
    };
    assert!(count(&last, " sent again") >= lost.len(), "{last}");
    assert!(last.contains("blocks sent again"), "{last}");
    assert!(text.contains("ACKs sent again") || text.contains("ACK sent"));
}

#[test]
fn a_download_whose_server_dies_fails_and_leaves_no_file() {
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("big"), 20 << 20);
    let mut server = server(dir.path(), &[]);
    // the relay loses DATA 100 (and says so): the sign the transfer is
    // under way
    let (front, lost) = ("127.0.0.1:0".parse().unwrap(), "DATA 100".into());
    let lost = Loss::Named(vec![lost]);
    let relay = LossyRelay::start(front, server.addr, lost, Duration::ZERO);
    let mut command = cmd(&lesson_bin(CLIENT), &["big"]);
    command.arg(relay.addr.to_string()).current_dir(out.path());
    command.env("TFTP_TIMEOUT_MS", "50");
    let mut client = Proc::start(command);
    let end = Instant::now() + DEADLINE;
    while relay.dropped().is_empty() {
        assert!(Instant::now() < end, "no DATA 100 through the relay");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    let (status, _, _) = client.finish();
    assert!(!status.success());
    assert!(
        client.stderr_text().contains("no answer"),
        "{}",
        client.stderr_text()
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

/// A 64 KiB tmpfs, unmounted on drop; None (with a message) without root.
#[cfg(unix)]
struct SmallDisk(TempDir);

#[cfg(unix)]
impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = temp_dir();
        let mount = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .status();
        if !mount.is_ok_and(|s| s.success()) {
            testkit::skip("needs root to mount a small tmpfs");
            return None;
        }
        Some(SmallDisk(dir))
    }
}

#[cfg(unix)]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[cfg(unix)] // mount
#[test]
fn a_full_disk_is_error_3_and_leaves_nothing() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let out = temp_dir();
    make_file(&out.path().join("big"), 300_000);
    let mut server = server(disk.0.path(), &uploads_into(disk.0.path()));
    let (ok, text) =
        client(out.path(), &["big", &server.addr.to_string(), "--put"]);
    assert!(!ok && text.contains("error 3"), "{text}");
    server.expect("put big");
    assert_eq!(fs::read_dir(disk.0.path()).unwrap().count(), 0, "file left");
}

#[test]
fn the_tutorials_python_client_downloads() {
    if missing("python3") {
        return;
    }
    let (dir, out) = (temp_dir(), temp_dir());
    make_file(&dir.path().join("photo.jpg"), 3000);
    let mut command = cmd(BIN, &["127.0.0.1:0", dir.path().to_str().unwrap()]);
    command.env("TFTP_TIMEOUT_MS", "50");
    let mut server = Proc::server(command);
    let port = server.addr.port().to_string();
    let mut python =
        testkit::python("tftp_client.py", &["127.0.0.1", &port, "photo.jpg"]);
    python.current_dir(out.path());
    let (status, text, err) = run(python, b"");
    assert!(status.success(), "{text} {err}");
    assert!(text.contains("ACK:6"), "{text}");
    assert!(same_file(
        &dir.path().join("photo.jpg"),
        &out.path().join("photo.jpg")
    ));
    // it never acknowledges the last block: the server gives up on it
    server.expect("get photo.jpg: no ACK of the last block, the client may");
    let mut python =
        testkit::python("tftp_client.py", &["127.0.0.1", &port, "nope"]);
    python.current_dir(out.path());
    let (_, text, _) = run(python, b"");
    assert!(text.contains("文件不存在"), "{text}");
    server.expect("get nope: refused: file not found");
}
