//! The attack of 19's README: a name in the folder that leads out, by a
//! symbolic link that is there all along or one swapped in between the
//! check and the open. 10 checks the name and serves the file outside;
//! 19 checks the file it opened and never does. Unix only: symbolic
//! links and FIFOs as Unix makes them.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, temp_dir, Proc, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_19-file-download-server-race");

fn server(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

/// Asks for `name` the way the tutorial's client does; returns the reply.
fn download(server: &Proc, name: &[u8]) -> Vec<u8> {
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.set_read_timeout(Some(testkit::DEADLINE)).unwrap();
    client.write_all(name).unwrap();
    let mut data = vec![];
    client.read_to_end(&mut data).expect("an answer in time");
    data
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

/// Asks for `name` again and again for about a second while it is being
/// swapped: how many answers were the secret, and how many the file.
fn ask_while_swapped(server: &Proc, name: &[u8]) -> (usize, usize) {
    let end = Instant::now() + Duration::from_secs(1);
    let mut answers = vec![];
    while Instant::now() < end || answers.len() < 50 {
        answers.push(download(server, name));
    }
    let secret = answers.iter().filter(|a| a == &b"secret").count();
    let inside = answers.iter().filter(|a| a == &b"inside").count();
    (secret, inside)
}

/// `file.txt` inside, `link` a symbolic link to `secret.txt` outside.
fn folder_with_a_link_out() -> (TempDir, TempDir) {
    let outside = temp_dir();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let dir = temp_dir();
    std::fs::write(dir.path().join("file.txt"), "inside").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), link)
        .unwrap();
    (outside, dir)
}

#[test]
fn a_symlink_out_is_served_by_10_and_refused_by_19() {
    let (_outside, dir) = folder_with_a_link_out();
    let mut naive = server(&lesson_bin("10-file-download-server"), dir.path());
    assert_eq!(download(&naive, b"link"), b"secret");
    naive.expect("sent 6 bytes");
    let mut server = server(BIN, dir.path());
    assert_eq!(download(&server, b"link"), b"");
    server.expect("refused \"link\": not a file inside the dir");
    assert_eq!(download(&server, b"file.txt"), b"inside");
    server.expect("sent 6 bytes");
}

/// The check-then-open race: `file.txt` swapped with a symbolic link to
/// a file outside, over and over, while it is asked for.
#[test]
fn a_name_swapped_for_a_symlink_out_serves_10s_secret_never_19s() {
    if testkit::not_on_windows(
        "Wine names an opened file by resolving its name again after \
         opening, so a swap in between still wins (Windows names the file \
         the handle holds)",
    ) {
        return;
    }
    let (_outside, dir) = folder_with_a_link_out();
    let naive = server(&lesson_bin("10-file-download-server"), dir.path());
    let server = server(BIN, dir.path());
    let Some(_swapper) = swapper(dir.path(), "file.txt", "link") else {
        return;
    };
    let (secret, inside) = ask_while_swapped(&naive, b"file.txt");
    assert!(secret > 0, "10 never served the secret ({inside} inside)");
    let (secret, inside) = ask_while_swapped(&server, b"file.txt");
    assert_eq!(secret, 0, "19 served the secret {secret} times");
    assert!(inside > 0, "19 never served the file");
}

/// The same race one level up: the folder `sub` swapped with a symbolic
/// link to a folder outside that holds a `file.txt` of its own.
#[test]
fn a_folder_swapped_for_a_symlink_out_never_serves_outside() {
    if testkit::not_on_windows(
        "Wine names an opened file by resolving its name again after \
         opening, so a swap in between still wins (Windows names the file \
         the handle holds)",
    ) {
        return;
    }
    let outside = temp_dir();
    std::fs::write(outside.path().join("file.txt"), "secret").unwrap();
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/file.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link"))
        .unwrap();
    let server = server(BIN, dir.path());
    let Some(_swapper) = swapper(dir.path(), "sub", "link") else {
        return;
    };
    let (secret, inside) = ask_while_swapped(&server, b"sub/file.txt");
    assert_eq!(secret, 0, "19 served the secret {secret} times");
    assert!(inside > 0, "19 never served the file");
}

/// `file.txt` swapped with a FIFO, whose `open` waits for a writer: 19
/// never waits in `open` (10 would, for ever).
#[test]
fn a_name_swapped_for_a_fifo_never_blocks_19() {
    if testkit::not_on_windows("a FIFO in a folder is Unix's (mkfifo)") {
        return;
    }
    let dir = temp_dir();
    std::fs::write(dir.path().join("file.txt"), "inside").unwrap();
    let fifo = dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes());
    // SAFETY: a NUL-terminated name that lives across the call
    let made = unsafe { libc::mkfifo(name.unwrap().as_ptr(), 0o644) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
    let mut server = server(BIN, dir.path());
    assert_eq!(download(&server, b"fifo"), b"");
    server.expect("refused \"fifo\"");
    let Some(swapper) = swapper(dir.path(), "file.txt", "fifo") else {
        return;
    };
    let (_, inside) = ask_while_swapped(&server, b"file.txt");
    assert!(inside > 0, "19 never served the file");
    drop(swapper);
    std::fs::write(dir.path().join("ok.txt"), "ok").unwrap();
    assert_eq!(download(&server, b"ok.txt"), b"ok");
}
