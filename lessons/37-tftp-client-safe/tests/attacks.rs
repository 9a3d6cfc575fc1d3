//! Issue 21, rows 2, 3 and 8, played against 36-tftp-client-part (which
//! falls) and against 37 (which holds): a classmate on the same machine
//! who answers the request first, a server that sends more than it
//! announced, and Ctrl-C in the middle of a download.

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use testkit::{
    cmd, lesson_bin, recv_datagram, temp_dir, udp_socket, Proc, TempDir,
};

const BIN: &str = env!("CARGO_BIN_EXE_37-tftp-client-safe");

fn before() -> String {
    lesson_bin("36-tftp-client-part")
}

/// `bin` downloading `file` into a new folder from the test's socket,
/// which plays the server's main port.
fn scripted(bin: &str, args: &[&str]) -> (TempDir, UdpSocket, Proc) {
    let (out, main) = (temp_dir(), udp_socket());
    let port = main.local_addr().unwrap().to_string();
    let mut all = vec![args[0], &port];
    all.extend(&args[1..]);
    let mut command = cmd(bin, &all);
    command
        .current_dir(out.path())
        .env("TFTP_TIMEOUT_MS", "300");
    (out, main, Proc::start(command))
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Row 2. Every user of a machine sends from 127.0.0.1: a classmate (here
/// the user nobody) who sees the request go out answers first, from a
/// port of their own, with a DATA 1 of their choice. 36 saves the
/// classmate's file; 37 takes the first answer only from a socket of the
/// server's user, and saves the server's.
#[cfg(target_os = "linux")]
#[test]
fn a_classmate_who_answers_first_is_not_the_server() {
    if testkit::not_on_windows(
        "the owner of a socket is read from Linux's /proc/net/udp; on \
         Windows 37 cannot tell, and a classmate's one-block answer that \
         comes first is the whole file",
    ) {
        return;
    }
    if testkit::missing("python3") || testkit::missing_root("be nobody") {
        return;
    }
    for (bin, saved) in [(before(), &b"evil"[..]), (BIN.into(), b"good")] {
        let (out, main, mut client) = scripted(&bin, &["homework.txt"]);
        let (_, client_addr) = recv_datagram(&main);
        // the classmate: another user, another port, the same 127.0.0.1
        let script = "import socket, sys; s = socket.socket(socket.AF_INET, \
                      socket.SOCK_DGRAM); s.sendto(b'\\x00\\x03\\x00\\x01evil', \
                      ('127.0.0.1', int(sys.argv[1])))";
        let port = client_addr.port().to_string();
        let mut classmate = cmd("python3", &["-c", script, &port]);
        std::os::unix::process::CommandExt::uid(&mut classmate, 65534);
        let (status, _, err) = testkit::run(classmate, b"");
        assert!(status.success(), "{err}");
        // then the server's own answer, from its new port
        let tid = udp_socket();
        tid.send_to(b"\x00\x03\x00\x01good", client_addr).unwrap();
        let status = client.wait();
        assert!(status.success(), "{bin}: {}", client.stderr_text());
        let got = fs::read(out.path().join("homework.txt")).unwrap();
        assert_eq!(got, saved, "{bin}");
    }
}

/// Row 8. The server announces 1000 bytes (tsize) and then sends block
/// after block. 36 takes whatever comes; 37 stops at the announced size
/// with ERROR 3 to the server, one line, and no file.
#[test]
fn a_server_that_sends_more_than_it_announced_is_stopped() {
    for bin in [before(), BIN.into()] {
        let (out, main, mut client) = scripted(&bin, &["big"]);
        let (_, client_addr) = recv_datagram(&main);
        let tid = udp_socket();
        tid.send_to(b"\x00\x06tsize\x001000\x00", client_addr)
            .unwrap();
        assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 0]); // options fine
        let mut refused = false;
        for block in 1..=4u16 {
            let data = [&[0, 3], &block.to_be_bytes()[..], &[b'x'; 512]];
            tid.send_to(&data.concat(), client_addr).unwrap();
            let (answer, _) = recv_datagram(&tid);
            if answer.starts_with(&[0, 5]) {
                assert_eq!(&answer[..4], [0, 5, 0, 3], "ERROR 3");
                refused = true;
                break;
            }
        }
        if bin == BIN {
            assert!(refused, "37 took more than the announced size");
            let (status, _, said) = client.finish();
            assert_eq!(status.code(), Some(1));
            assert!(said.contains("announced tsize"), "{said}");
            assert_eq!(said.lines().count(), 1, "{said}");
            assert!(names(out.path()).is_empty(), "a file left");
        } else {
            assert!(!refused, "36 refused");
            tid.send_to(b"\x00\x03\x00\x05", client_addr).unwrap();
            assert!(client.wait().success());
            let size = fs::metadata(out.path().join("big")).unwrap().len();
            assert_eq!(size, 2048, "36 kept more than announced");
        }
    }
}

/// Row 8 with a server that announces nothing: `--max-size` caps it.
#[test]
fn max_size_caps_a_server_that_announces_nothing() {
    let (out, main, mut client) = scripted(BIN, &["big", "--max-size", "600"]);
    let (_, client_addr) = recv_datagram(&main);
    let tid = udp_socket();
    tid.send_to(&[&[0, 3, 0, 1][..], &[b'x'; 512]].concat(), client_addr)
        .unwrap();
    assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
    tid.send_to(&[&[0, 3, 0, 2][..], &[b'x'; 512]].concat(), client_addr)
        .unwrap();
    assert_eq!(&recv_datagram(&tid).0[..4], [0, 5, 0, 3], "ERROR 3");
    let (status, _, said) = client.finish();
    assert_eq!(status.code(), Some(1));
    assert!(said.contains("more than --max-size"), "{said}");
    assert!(names(out.path()).is_empty(), "a file left");
}

/// Row 8, Ctrl-C. Interrupted in the middle of a download, 36 leaves its
/// hidden `.big.PID.part`, which `ls` does not show; 37's download was an
/// unnamed file, gone with the process.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_in_the_middle_leaves_no_file() {
    if testkit::not_on_windows(
        "the unnamed file (O_TMPFILE) is Linux's: on Windows 37 leaves its \
         .part as 36 does (and Ctrl-C is no Unix signal there)",
    ) {
        return;
    }
    for bin in [before(), BIN.into()] {
        let (out, main, mut client) = scripted(&bin, &["big"]);
        let (_, client_addr) = recv_datagram(&main);
        let tid = udp_socket();
        tid.send_to(b"\x00\x06tsize\x0010000\x00", client_addr)
            .unwrap();
        assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 0]);
        tid.send_to(&[&[0, 3, 0, 1][..], &[b'x'; 512]].concat(), client_addr)
            .unwrap();
        assert_eq!(recv_datagram(&tid).0, [0, 4, 0, 1]);
        let pid = client.pid();
        // SAFETY: a plain system call on a process id (Ctrl-C's signal)
        assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGINT) }, 0);
        client.wait();
        let left = names(out.path());
        match bin == BIN {
            true => assert!(left.is_empty(), "37 left {left:?}"),
            false => assert_eq!(left, [format!(".big.{pid}.part")]),
        }
    }
}
