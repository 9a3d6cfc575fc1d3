//! The attacks of 22's README against 09 and 22: a symbolic link planted
//! at the name 09 writes, a server that sends more than asked for, and
//! Ctrl-C in the middle of a download. Linux: the unnamed file is Linux's
//! (O_TMPFILE); elsewhere 22 creates `received-NAME` itself.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::thread;
use std::time::Instant;
use testkit::{cmd, lesson_bin, run, temp_dir, Proc, DEADLINE};

const BIN: &str = env!("CARGO_BIN_EXE_22-file-download-client-safe");

/// A server of one connection: reads the name, sends `size` bytes of `x`
/// (or fewer, when the client closes first), closes.
fn server(size: usize) -> (String, thread::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let _name = conn.read(&mut [0; 1024]).unwrap();
        let (block, mut sent) = (vec![b'x'; 64 << 10], 0);
        while sent < size {
            let len = block.len().min(size - sent);
            if conn.write_all(&block[..len]).is_err() {
                break; // the client closed: it took no more
            }
            sent += len;
        }
        sent
    });
    (addr, handle)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Starts `bin` in `dir` with no file name, plants a symbolic link to
/// `target` at `.received-notes.txt.PID.part` (the name 09 writes next),
/// then types the name.
fn download_with_a_plant(bin: &str, dir: &Path, target: &Path) -> Proc {
    let (addr, _server) = server(4);
    let mut command = cmd(bin, &[&addr]);
    command.current_dir(dir);
    let mut client = Proc::start(command);
    let part = format!(".received-notes.txt.{}.part", client.pid());
    std::os::unix::fs::symlink(target, dir.join(part)).unwrap();
    client.send_line("notes.txt");
    client
}

#[test]
fn a_symlink_planted_at_09s_part_name_overwrites_a_file_but_not_with_22() {
    if testkit::not_on_windows(
        "Wine: the test sees the Linux process id, not the Windows one 09 \
         puts in its .part name",
    ) {
        return;
    }
    let home = temp_dir();
    let (dir, victim) =
        (home.path().join("shared"), home.path().join(".bashrc"));
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(&victim, "my settings\n").unwrap();
    // 09 follows the link: the victim's file now holds the server's bytes
    let naive = lesson_bin("09-file-download-client");
    let mut client = download_with_a_plant(&naive, &dir, &victim);
    assert!(client.wait().success(), "{}", client.stderr_text());
    assert_eq!(std::fs::read(&victim).unwrap(), b"xxxx");
    // 22 writes no file under a name anyone can guess beforehand
    std::fs::write(&victim, "my settings\n").unwrap();
    std::fs::remove_file(dir.join("received-notes.txt")).unwrap();
    let mut client = download_with_a_plant(BIN, &dir, &victim);
    assert!(client.wait().success(), "{}", client.stderr_text());
    assert_eq!(std::fs::read(&victim).unwrap(), b"my settings\n");
    assert_eq!(
        std::fs::read(dir.join("received-notes.txt")).unwrap(),
        b"xxxx"
    );
}

#[test]
fn a_symlink_planted_at_the_final_name_is_never_followed_by_22() {
    let home = temp_dir();
    let dir = home.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    // a link to a file that does not exist yet: `exists` says no
    let target = home.path().join("authorized_keys");
    std::os::unix::fs::symlink(&target, dir.join("received-notes.txt"))
        .unwrap();
    let (addr, server) = server(4);
    let mut command = cmd(BIN, &[&addr, "notes.txt"]);
    command.current_dir(&dir);
    let (status, _, stderr) = run(command, b"");
    server.join().unwrap();
    assert_eq!(status.code(), Some(1));
    if testkit::testing_windows() {
        // ERROR_FILE_EXISTS, in words that differ in Wine and Windows
        let said = stderr.strip_prefix("Error: received-notes.txt: ");
        let exists = said.is_some_and(|s| s.ends_with(" (os error 80)\n"));
        assert!(exists, "{stderr}");
    } else {
        assert_eq!(
            stderr,
            "Error: received-notes.txt: File exists (os error 17)\n"
        );
    }
    assert!(!target.exists(), "22 wrote through the link");
    assert_eq!(files_in(&dir), ["received-notes.txt"]);
}

#[test]
fn a_server_that_sends_too_much_fills_09_and_stops_at_22s_cap() {
    let dir = temp_dir();
    // 09 takes all of it (a server sending for ever would fill the disk)
    let (addr, server_09) = server(64 << 20);
    let mut command = cmd(&lesson_bin("09-file-download-client"), &[]);
    command.args([&addr, "big.iso"]).current_dir(dir.path());
    let (status, stdout, _) = run(command, b"");
    assert!(status.success());
    assert!(stdout.contains("saved 67108864 bytes"), "{stdout}");
    assert_eq!(server_09.join().unwrap(), 64 << 20);
    std::fs::remove_file(dir.path().join("received-big.iso")).unwrap();
    // 22 stops at its cap, says so in one line, and leaves nothing
    let (addr, server_22) = server(64 << 20);
    let mut command = cmd(BIN, &[&addr, "big.iso", "--max-size", "1000000"]);
    command.current_dir(dir.path());
    let (status, _, stderr) = run(command, b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(
        stderr,
        "Error: more than --max-size 1000000 bytes: download stopped\n"
    );
    assert!(server_22.join().unwrap() < 64 << 20, "22 read it all");
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
    // and a file of exactly the cap is fine
    let (addr, _server) = server(1000);
    let mut command = cmd(BIN, &[&addr, "small.bin", "--max-size", "1000"]);
    command.current_dir(dir.path());
    let (status, stdout, stderr) = run(command, b"");
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("saved 1000 bytes as received-small.bin"));
}

/// The size of the file behind one of `pid`'s descriptors that has no
/// name any more (Linux shows it as `/path/#123 (deleted)`), if any.
fn unnamed_file_size(pid: u32) -> Option<u64> {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
    fds.filter_map(|fd| fd.ok()).find_map(|fd| {
        let target = std::fs::read_link(fd.path()).ok()?;
        let unnamed = target.to_string_lossy().ends_with("(deleted)");
        unnamed.then(|| std::fs::metadata(fd.path()).ok().map(|m| m.len()))?
    })
}

#[test]
fn ctrl_c_leaves_09s_hidden_part_file_and_nothing_of_22() {
    if testkit::not_on_windows(
        "the unnamed file (O_TMPFILE) is Linux's: on Windows 22 writes \
         received-NAME itself, and a killed 22 leaves it",
    ) {
        return;
    }
    for (bin, leaves_part) in [
        (lesson_bin("09-file-download-client"), true),
        (BIN.into(), false),
    ] {
        let dir = temp_dir();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let mut command = cmd(&bin, &[&addr, "slow.bin"]);
        command.current_dir(dir.path());
        let mut client = Proc::start(command);
        let (mut conn, _) = listener.accept().unwrap();
        conn.write_all(&[7; 4096]).unwrap();
        // the first bytes are in the file, named or not: stop the client
        let deadline = Instant::now() + DEADLINE;
        loop {
            assert!(Instant::now() < deadline, "no bytes written");
            let part = files_in(dir.path()).into_iter().find_map(|name| {
                let len = std::fs::metadata(dir.path().join(name)).ok()?;
                Some(len.len())
            });
            let unnamed = unnamed_file_size(client.pid());
            if part.or(unnamed).is_some_and(|len| len > 0) {
                break;
            }
            thread::yield_now();
        }
        client.kill(); // as Ctrl-C does: no time to clean up
        let left = files_in(dir.path());
        let part = left.first().is_some_and(|n| n.starts_with(".received-"));
        assert_eq!(part, leaves_part, "{bin}: {left:?}");
        assert_eq!(left.len(), leaves_part as usize, "{bin}: {left:?}");
    }
}
