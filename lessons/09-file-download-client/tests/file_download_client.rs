//! 09-file-download-client against small servers of the test's own.
//! 22-file-download-client-safe, the end of 09's chain, runs these same
//! tests against itself (its tests include this file): it still does
//! everything 09 does.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::LazyLock;
use std::thread;
use testkit::{cmd, run, temp_dir, TempDir};

/// 09, or the lesson of its chain that includes this file
static BIN: LazyLock<String> =
    LazyLock::new(|| testkit::this_lesson(env!("CARGO_MANIFEST_DIR")));

/// A one-shot server: reads the name, then lets `answer` reply.
fn serve_once(
    answer: impl FnOnce(TcpStream, String) + Send + 'static,
) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let handle = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0; 1024];
        let len = conn.read(&mut buf).unwrap();
        answer(conn, String::from_utf8_lossy(&buf[..len]).into_owned());
    });
    (addr, handle)
}

fn files_in(dir: &TempDir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn saves_the_reply_as_received_basename() {
    let dir = temp_dir();
    let (addr, server) = serve_once(|mut conn, name| {
        assert_eq!(name, "docs/notes.txt");
        conn.write_all(b"line 1\nline 2\n").unwrap();
    });
    let mut command = cmd(&BIN, &[&addr, "docs/notes.txt"]);
    command.current_dir(dir.path());
    let (status, stdout, _) = run(command, b"");
    server.join().unwrap();
    assert!(status.success());
    assert!(stdout.contains("saved 14 bytes as received-notes.txt"));
    let saved = std::fs::read(dir.path().join("received-notes.txt")).unwrap();
    assert_eq!(saved, b"line 1\nline 2\n");
    assert_eq!(files_in(&dir), ["received-notes.txt"]);
}

#[test]
fn asks_for_the_name_when_not_given() {
    let dir = temp_dir();
    let (addr, server) = serve_once(|mut conn, name| {
        assert_eq!(name, "a.bin");
        conn.write_all(&[0, 1, 2, 255]).unwrap();
    });
    let mut command = cmd(&BIN, &[&addr]);
    command.current_dir(dir.path());
    let (status, stdout, _) = run(command, b"a.bin\n");
    server.join().unwrap();
    assert!(status.success(), "{stdout}");
    assert!(stdout.starts_with("file to download: "));
    let saved = std::fs::read(dir.path().join("received-a.bin")).unwrap();
    assert_eq!(saved, [0, 1, 2, 255]);
}

#[test]
fn empty_reply_means_not_found_and_creates_no_file() {
    let dir = temp_dir();
    let (addr, server) = serve_once(|conn, _| drop(conn));
    let mut command = cmd(&BIN, &[&addr, "missing.txt"]);
    command.current_dir(dir.path());
    let (status, _, stderr) = run(command, b"");
    server.join().unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("file not found on the server: missing.txt"));
    assert!(files_in(&dir).is_empty(), "{:?}", files_in(&dir));
}

#[test]
fn a_broken_connection_leaves_no_file() {
    if testkit::not_on_windows(
        "Wine reads a reset connection as one that ended; Windows fails \
         the read (os error 10054), as Linux does",
    ) {
        return;
    }
    let dir = temp_dir();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let server = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        // wait for the name, but leave it unread: closing a socket with
        // unread data resets the connection instead of ending it cleanly
        let mut peek = [0; 1];
        conn.peek(&mut peek).unwrap();
        conn.write_all(&vec![b'x'; 100_000]).unwrap();
    });
    let mut command = cmd(&BIN, &[&addr, "big.iso"]);
    command.current_dir(dir.path());
    let (status, _, stderr) = run(command, b"");
    server.join().unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("download interrupted"), "{stderr}");
    assert!(files_in(&dir).is_empty(), "{:?}", files_in(&dir));
}

#[test]
fn refused_connection_is_one_line_naming_the_server() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let (status, _, stderr) = run(cmd(&BIN, &[&addr, "x"]), b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("Error: {addr}: Connection refused")));
}

#[test]
fn a_file_already_there_is_never_replaced() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("received-notes.txt"), "mine").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut command = cmd(&BIN, &[&addr, "notes.txt"]);
    command.current_dir(dir.path());
    let (status, _, stderr) = run(command, b"");
    assert_eq!(status.code(), Some(1));
    assert_eq!(
        stderr,
        "Error: received-notes.txt is already here: not replaced\n"
    );
    let kept = std::fs::read(dir.path().join("received-notes.txt")).unwrap();
    assert_eq!(kept, b"mine");
    assert_eq!(files_in(&dir), ["received-notes.txt"]);
}
