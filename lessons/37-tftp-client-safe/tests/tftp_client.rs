//! 37-tftp-client-safe against real servers (tftpd-hpa, atftpd) and against a
//! scripted server of the test's own, for what real servers rarely do:
//! ignore options, repeat a block, send from a stranger's port, fail.

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use testkit::{cmd, recv_datagram, run, temp_dir, udp_socket, Proc, TempDir};
#[cfg(unix)] // the real servers
use {
    std::process::Command,
    testkit::{free_udp_port, make_file, missing, same_file},
};

const BIN: &str = env!("CARGO_BIN_EXE_37-tftp-client-safe");
const TRIES: usize = 5; // how often the client sends before giving up

fn client(cwd: &Path, args: &[&str]) -> (bool, String) {
    let mut command = cmd(BIN, args);
    command.current_dir(cwd).env("TFTP_TIMEOUT_MS", "200");
    let (status, out, err) = run(command, b"");
    (status.success(), out + &err)
}

/// A real server run in the foreground on a free port, and its address.
/// Dropping the `Proc` kills it.
#[cfg(unix)]
struct Daemon(#[allow(dead_code)] Proc, String);

#[cfg(unix)]
fn tftpd_hpa(dir: &Path) -> Daemon {
    let port = free_udp_port();
    let addr = format!("127.0.0.1:{port}");
    let mut command = Command::new("in.tftpd");
    // -L foreground, -s chroot into DIR, -c allow new files (uploads)
    command.args(["-L", "-s", "-c", "-a", &addr]).arg(dir);
    Daemon(Proc::start(command), addr)
}

#[cfg(unix)]
fn atftpd(dir: &Path) -> Daemon {
    let bin = testkit::ATFTPD;
    let port = free_udp_port();
    let mut command = Command::new(bin);
    command.args(["--daemon", "--no-fork", "--no-multicast"]);
    command.args(["--port", &port.to_string(), "--bind-address", "127.0.0.1"]);
    command.args(["--user", "root.root"]).arg(dir);
    Daemon(Proc::start(command), format!("127.0.0.1:{port}"))
}

#[cfg(unix)]
fn check_downloads(
    daemon: &Daemon,
    dir: &Path,
    sizes: &[usize],
    extra: &[&str],
) {
    let out = temp_dir();
    for size in sizes {
        let name = format!("f{size}");
        make_file(&dir.join(&name), *size);
        let mut args = vec![name.as_str(), daemon.1.as_str()];
        args.extend(extra);
        // the first try may come before the daemon listens: it resends
        let (ok, text) = client(out.path(), &args);
        assert!(ok, "{name} {extra:?}: {text}");
        assert!(
            same_file(&dir.join(&name), &out.path().join(&name)),
            "{name}"
        );
    }
}

#[cfg(unix)] // the peers are Unix programs
#[test]
fn downloads_and_uploads_with_tftpd_hpa() {
    if testkit::not_on_windows(
        "Wine: 81,921 round trips of 512 bytes take longer than the test's deadline under Wine",
    ) {
        return;
    }
    if missing("in.tftpd") || testkit::missing_root("run in.tftpd -s") {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let daemon = tftpd_hpa(dir.path());
    let sizes = [0, 511, 512, 1024, 1 << 20, (40 << 20) + 7];
    check_downloads(&daemon, dir.path(), &sizes, &[]);
    check_downloads(&daemon, dir.path(), &[1 << 20], &["--blksize", "65464"]);
    // tftpd-hpa does not know windowsize: it leaves it out of its OACK
    check_downloads(&daemon, dir.path(), &[100_000], &["--windowsize", "8"]);
    let out = temp_dir();
    make_file(&out.path().join("up"), 200_000);
    let (ok, text) = client(out.path(), &["up", &daemon.1, "--put"]);
    assert!(ok, "{text}");
    assert!(same_file(&out.path().join("up"), &dir.path().join("up")));
}

#[cfg(unix)] // the peers are Unix programs
#[test]
fn downloads_and_uploads_with_atftpd_windows() {
    if missing("atftpd") || testkit::missing_root("run atftpd") {
        return;
    }
    let dir = testkit::temp_dir_open_to_all();
    let daemon = atftpd(dir.path());
    check_downloads(&daemon, dir.path(), &[0, 512, 70_000], &[]);
    let window = ["--blksize", "8192", "--windowsize", "8"];
    check_downloads(&daemon, dir.path(), &[3 << 20], &window);
    let out = temp_dir();
    make_file(&out.path().join("up"), 1 << 20);
    let args = [
        "up",
        &daemon.1,
        "--put",
        "--blksize",
        "1428",
        "--windowsize",
        "4",
    ];
    let (ok, text) = client(out.path(), &args);
    assert!(ok, "{text}");
    assert!(same_file(&out.path().join("up"), &dir.path().join("up")));
}

/// 14 downloading `file` (into a new folder, waiting 200 ms a try) from
/// the test's own socket, which plays the server: its main port.
fn download_from_a_scripted_server() -> (TempDir, UdpSocket, Proc) {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let mut command = cmd(BIN, &["file", &port]);
    command
        .current_dir(out.path())
        .env("TFTP_TIMEOUT_MS", "200");
    (out, main, Proc::start(command))
}

#[test]
fn a_server_that_ignores_options_repeats_a_block_and_a_stranger() {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let mut command = cmd(BIN, &["file", &port, "--blksize", "1024"]);
    command.current_dir(out.path());
    let mut client = Proc::start(command);
    let (request, client_addr) = recv_datagram(&main);
    assert!(
        request.starts_with(b"\x00\x01file\x00octet\x00"),
        "{request:?}"
    );
    assert!(request.windows(13).any(|w| w == b"blksize\x001024\x00"));
    // a slow first answer: the client measures a long round trip, so it
    // waits most of a second before sending anything again (an ACK that
    // comes sooner answers a packet, it is no timeout)
    std::thread::sleep(Duration::from_millis(300));
    // this server knows no options: DATA 1 of 512 bytes, from a new port
    let tid = udp_socket();
    let block = [&[0, 3, 0, 1][..], &[b'a'; 512]].concat();
    tid.send_to(&block, client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    tid.send_to(&block, client_addr).unwrap(); // again: acknowledged again
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    let stranger = udp_socket();
    stranger
        .send_to(b"\x00\x03\x00\x02evil", client_addr)
        .unwrap();
    let (error, _) = recv_datagram(&stranger);
    assert_eq!(&error[..4], [0, 5, 0, 5], "ERROR 5 unknown transfer ID");
    // a stranger's ERROR is not answered: the client reads in order, so
    // an answer would come before the one to the next stranger's packet
    let liar = udp_socket();
    liar.send_to(b"\x00\x05\x00\x05unknown transfer ID\x00", client_addr)
        .unwrap();
    stranger.send_to(b"\x00\x04\x00\x01", client_addr).unwrap();
    assert_eq!(&recv_datagram(&stranger).0[..4], [0, 5, 0, 5]);
    liar.set_nonblocking(true).unwrap();
    assert!(liar.recv_from(&mut [0; 100]).is_err(), "ERROR answered");
    tid.send_to(b"\x00\x03\x00\x02end", client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 2]);
    let (status, _, _) = client.finish();
    assert!(status.success(), "{}", client.stderr_text());
    let file = fs::read(out.path().join("file")).unwrap();
    assert_eq!(file, [&[b'a'; 512][..], b"end"].concat());
}

/// A stranger who keeps writing to the client cannot keep it waiting for
/// a server that went silent: it gives up after 5 tries, each said in a
/// line, and the server got its ACK 5 times (the old client waited for
/// as long as the stranger wrote).
#[test]
fn a_stranger_cannot_keep_the_client_waiting() {
    let (out, main, mut client) = download_from_a_scripted_server();
    let (_, client_addr) = recv_datagram(&main);
    let tid = udp_socket();
    let block = [&[0, 3, 0, 1][..], &[b'a'; 512]].concat();
    tid.send_to(&block, client_addr).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stranger = std::thread::spawn({
        let stop = stop.clone();
        move || {
            let stranger = udp_socket();
            let short = Some(Duration::from_millis(50));
            stranger.set_read_timeout(short).unwrap();
            while !stop.load(Ordering::SeqCst) {
                let _ = stranger.send_to(b"\x00\x03\x00\x02x", client_addr);
                let _ = stranger.recv_from(&mut [0; 100]); // its ERROR 5
            }
        }
    });
    let status = client.wait();
    stop.store(true, Ordering::SeqCst);
    stranger.join().unwrap();
    assert!(!status.success());
    let (_, stdout, err) = client.finish();
    let said = stdout + &err;
    for try_ in 2..=5 {
        let line = format!("timeout: ACK 1 sent again (try {try_} of 5)");
        assert!(said.contains(&line), "{said}");
    }
    let tid_addr = tid.local_addr().unwrap();
    assert!(said.contains(&format!("no answer from {tid_addr} after 5 tries")));
    tid.set_nonblocking(true).unwrap();
    let mut acks = 0;
    while let Ok((len, _)) = tid.recv_from(&mut [0; 100]) {
        assert_eq!(len, 4);
        acks += 1;
    }
    assert_eq!(acks, TRIES);
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

/// 14 never replaces a file: it refuses before asking the server.
#[test]
fn an_existing_file_is_never_replaced() {
    let (out, main) = (temp_dir(), udp_socket());
    fs::write(out.path().join("README.md"), "mine").unwrap();
    let port = main.local_addr().unwrap().to_string();
    let (ok, text) = client(out.path(), &["README.md", &port]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("README.md exists here: not replaced"),
        "{text}"
    );
    assert_eq!(fs::read(out.path().join("README.md")).unwrap(), b"mine");
    main.set_nonblocking(true).unwrap();
    assert!(main.recv_from(&mut [0; 100]).is_err(), "a request was sent");
}

#[test]
fn a_server_error_is_shown_and_leaves_no_file() {
    let (out, main, mut client) = download_from_a_scripted_server();
    let (_, client_addr) = recv_datagram(&main);
    udp_socket()
        .send_to(b"\x00\x05\x00\x01no such file\x00", client_addr)
        .unwrap();
    let (status, _, _) = client.finish();
    assert_eq!(status.code(), Some(1));
    let said = client.stderr_text();
    assert!(said.contains("error 1: no such file"), "{said}");
    assert!(said.lines().count() == 1, "{said}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

#[test]
fn a_silent_server_is_given_up_after_a_few_tries() {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let (ok, text) = client(out.path(), &["file", &port]);
    assert!(!ok && text.contains("no answer"), "{text}");
    for try_ in 2..=5 {
        let line = format!("timeout: request sent again (try {try_} of 5)");
        assert!(text.contains(&line), "{text}");
    }
    let mut buf = [0; 100];
    for _ in 0..TRIES {
        main.recv_from(&mut buf).expect("a resent request");
    }
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
    let (ok, text) = client(out.path(), &["file", &port, "--blksize", "abc"]);
    assert!(!ok && text.contains("--blksize"), "{text}");
}

// A hostile server (or another user of the folder), tried as an attacker
// would: 14 must not write outside its folder, nor print the server's
// text raw, nor wait forever for a transfer that goes nowhere.

/// Another user of a shared folder plants a symlink where 37 will save
/// its download, while it downloads: 37 never writes through it (its
/// download is an unnamed file until complete, then linked in under its
/// name, which fails when anything is there). 36's `.NAME.PID.part`
/// test shows the same for the named temporary file.
#[cfg(unix)]
#[test]
fn a_symlink_planted_at_the_name_is_never_followed() {
    let (out, outside, main) = (temp_dir(), temp_dir(), udp_socket());
    let victim = outside.path().join("notes.txt");
    fs::write(&victim, "precious").unwrap();
    let port = main.local_addr().unwrap().to_string();
    let mut command = cmd(BIN, &["notes.txt", &port]);
    command.current_dir(out.path());
    let mut client = Proc::start(command);
    let (_, client_addr) = recv_datagram(&main);
    std::os::unix::fs::symlink(&victim, out.path().join("notes.txt")).unwrap();
    let tid = udp_socket(); // open until the end: a socket of the server's user
    tid.send_to(b"\x00\x03\x00\x01the server's bytes", client_addr)
        .unwrap();
    let (status, _, _) = client.finish();
    let said = client.stderr_text();
    assert!(!status.success(), "{said}");
    assert_eq!(fs::read(&victim).unwrap(), b"precious", "written outside");
    assert!(
        said.contains("notes.txt exists here: not replaced"),
        "{said}"
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 1, "a file left");
}

/// An OACK whose option name holds terminal escapes and a new line: 14
/// refuses it (ERROR 8) and says why on one line, the name escaped (it
/// used to print it raw: a forged line and a retitled terminal).
#[test]
fn a_bogus_oack_is_refused_on_one_escaped_line() {
    let (_out, main, mut client) = download_from_a_scripted_server();
    let (_, client_addr) = recv_datagram(&main);
    let tid = udp_socket();
    let oack = b"\x00\x06\x1b]0;pwned\x07\nError: forged\x001\x00";
    tid.send_to(oack, client_addr).unwrap();
    let (error, _) = recv_datagram(&tid);
    assert_eq!(&error[..4], [0, 5, 0, 8], "ERROR 8: options refused");
    assert!(!error.contains(&0x1b), "{error:?}");
    let (status, _, _) = client.finish();
    assert!(!status.success());
    let said = client.stderr_text();
    assert_eq!(said.lines().count(), 1, "{said:?}");
    assert!(!said.contains('\x1b'), "{said:?}");
    assert!(
        said.contains(r"\x1b]0;pwned\x07\nerror: forged"),
        "{said:?}"
    );
}

/// A server that goes on sending, but never the next block (a block from
/// the future, a packet of no kind): 14 gives up after its 5 tries, as
/// with a silent server (the old client took each packet as a sign of
/// life, or answered it, and waited forever).
#[test]
fn a_server_that_never_sends_the_next_block_is_given_up() {
    let (out, main, mut client) = download_from_a_scripted_server();
    let (_, client_addr) = recv_datagram(&main);
    let tid = udp_socket();
    let block = [&[0, 3, 0, 1][..], &[b'a'; 512]].concat();
    tid.send_to(&block, client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    let stop = Arc::new(AtomicBool::new(false));
    let server = std::thread::spawn({
        let stop = stop.clone();
        move || {
            let junk: [&[u8]; 3] = [
                b"\x00\x03\x00\x03x",
                b"\x00\x09\x00\x01",
                b"\x00\x04\x00\x07",
            ];
            let short = Some(Duration::from_millis(20));
            tid.set_read_timeout(short).unwrap();
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let _ = tid.send_to(junk[n % 3], client_addr);
                let _ = tid.recv_from(&mut [0; 100]); // an ACK 1, maybe
            }
        }
    });
    let status = client.wait();
    stop.store(true, Ordering::SeqCst);
    server.join().unwrap();
    assert!(!status.success());
    let (_, stdout, err) = client.finish();
    let said = stdout + &err;
    assert!(said.contains("after 5 tries"), "{said}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "file left");
}

/// A lost request is sent again, said, and counted in the last line.
#[test]
fn a_request_sent_again_is_counted_in_the_last_line() {
    let (_out, main, mut client) = download_from_a_scripted_server();
    let (first, client_addr) = recv_datagram(&main);
    let (again, _) = recv_datagram(&main); // the first one is "lost"
    assert_eq!(first, again);
    let tid = udp_socket();
    tid.send_to(b"\x00\x03\x00\x01short", client_addr).unwrap();
    assert_eq!(recv_datagram(&tid).0, b"\x00\x04\x00\x01");
    let status = client.wait();
    assert!(status.success());
    let (_, stdout, err) = client.finish();
    let said = stdout + &err;
    assert!(said.contains("timeout: request sent again (try 2 of 5)"));
    assert!(said.contains("), 1 request sent again"), "{said}");
}
