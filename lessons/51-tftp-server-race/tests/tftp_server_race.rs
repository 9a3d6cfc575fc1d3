//! 51's idea, a download opened before it is checked, against 50, which
//! checks the name and opens it later: a symbolic link in the folder
//! that leads to a secret outside is served by 50 and refused by 51, and
//! a file swapped again and again for such a link never serves 51's
//! secret. Unix only: symbolic links and renameat2 as Unix has them.
#![cfg(unix)]

use std::fs;
use std::net::{SocketAddr, UdpSocket};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, temp_dir, Proc, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_51-tftp-server-race");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "50-tftp-server-put-options";

fn start(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

/// Asks for `name`; returns the first answer and where it came from.
fn first_answer(server: &Proc, name: &str) -> (Vec<u8>, SocketAddr) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request = [&[0, 1], name.as_bytes(), b"\0octet\0"].concat();
    socket.send_to(&request, server.addr).unwrap();
    let mut buf = [0; 1024];
    let (len, tid) = socket.recv_from(&mut buf).expect("an answer");
    socket.send_to(b"\x00\x04\x00\x01", tid).unwrap(); // ACK 1: done
    (buf[..len].to_vec(), tid)
}

/// Swaps two names in `dir` (renameat2 RENAME_EXCHANGE) in a loop, from
/// Python's ctypes, until it is killed; None without python3.
fn swapper(dir: &Path, a: &str, b: &str) -> Option<Proc> {
    if testkit::missing("python3") {
        return None;
    }
    let script = "import ctypes, os, sys\n\
        libc = ctypes.CDLL(None, use_errno=True)\n\
        a, b = (os.fsencode(n) for n in sys.argv[1:3])\n\
        print('swapping', flush=True)\n\
        while True:\n    \
            if libc.renameat2(-100, a, -100, b, 2) != 0:\n        \
                sys.exit(os.strerror(ctypes.get_errno()))\n";
    let mut command = std::process::Command::new("python3");
    command.args(["-c", script, a, b]).current_dir(dir);
    let mut swapper = Proc::start(command);
    assert_eq!(swapper.line(), "swapping");
    Some(swapper)
}

/// `notes.txt` inside; `exam.txt` a symbolic link to a secret outside.
fn folder_with_a_link_out() -> (TempDir, TempDir) {
    let (outside, dir) = (temp_dir(), temp_dir());
    fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    fs::write(dir.path().join("notes.txt"), "public").unwrap();
    let link = dir.path().join("exam.txt");
    symlink(outside.path().join("secret.txt"), link).unwrap();
    (outside, dir)
}

#[test]
fn a_symlink_out_is_served_by_50_and_refused_by_51() {
    let (_outside, dir) = folder_with_a_link_out();
    let prev = start(&lesson_bin(PREV), dir.path());
    let (answer, _) = first_answer(&prev, "exam.txt");
    assert_eq!(answer, b"\x00\x03\x00\x01SECRET");
    let server = start(BIN, dir.path());
    let (answer, _) = first_answer(&server, "exam.txt");
    let refused = b"\x00\x05\x00\x02not a file in the served folder\x00";
    assert_eq!(answer, refused);
    let (answer, _) = first_answer(&server, "notes.txt");
    assert_eq!(answer, b"\x00\x03\x00\x01public");
}

#[test]
fn a_file_swapped_for_a_symlink_never_serves_51s_secret() {
    if testkit::not_on_windows(
        "on Windows crates/tftp checks a name's path, not the opened \
         handle (best effort): a swap between the two can win",
    ) {
        return;
    }
    let (_outside, dir) = folder_with_a_link_out();
    let server = start(BIN, dir.path());
    let Some(_swapper) = swapper(dir.path(), "notes.txt", "exam.txt") else {
        return;
    };
    let (mut public, mut refused) = (0, 0);
    let end = Instant::now() + Duration::from_secs(1);
    while Instant::now() < end || public + refused < 100 {
        match first_answer(&server, "notes.txt").0.as_slice() {
            b"\x00\x03\x00\x01public" => public += 1,
            [0, 5, 0, 2, ..] => refused += 1,
            other => panic!("{:?}", String::from_utf8_lossy(other)),
        }
    }
    assert!(public > 0 && refused > 0, "no race: {public} {refused}");
}
