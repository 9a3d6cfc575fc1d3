//! The attack of 21's README (issue 21, row 10): a hard link in the
//! served folder to a file outside it. 20 serves the file outside; 21
//! refuses any file with more than one link. Unix only: `nlink`.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::TcpStream;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_21-file-download-server-links");

/// Asks `bin`, serving `dir`, for `name`: the reply, and the line that
/// says what became of it.
fn ask(bin: &str, dir: &std::path::Path, name: &str) -> (Vec<u8>, String) {
    let command = cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]);
    let mut server = Proc::server(command);
    let mut client = TcpStream::connect(server.addr).unwrap();
    client.write_all(name.as_bytes()).unwrap();
    let mut data = vec![];
    client.read_to_end(&mut data).unwrap();
    let me = client.local_addr().unwrap();
    (data, server.expect(&format!("client {me}: ")))
}

#[test]
fn a_hard_link_to_a_file_outside_is_served_by_20_and_refused_by_21() {
    if testkit::not_on_windows(
        "21 counts a file's hard links with Unix's nlink; stable Rust gives \
         no link count on Windows",
    ) {
        return;
    }
    // one TempDir, so that both names are on one file system
    let home = temp_dir();
    let (served, secret) = (home.path().join("course"), home.path().join("s"));
    std::fs::create_dir(&served).unwrap();
    std::fs::write(&secret, "my password\n").unwrap();
    std::fs::hard_link(&secret, served.join("notes.txt")).unwrap();
    std::fs::write(served.join("hello.txt"), "hello").unwrap();
    let naive = lesson_bin("20-file-download-server-timeout");
    let (data, said) = ask(&naive, &served, "notes.txt");
    assert_eq!(data, b"my password\n", "20: {said}");
    assert!(said.ends_with("sent 12 bytes"), "{said}");
    let (data, said) = ask(BIN, &served, "notes.txt");
    assert_eq!(data, b"", "21 served the file outside: {said}");
    assert!(said.ends_with("refused \"notes.txt\": it has other hard links"));
    let (data, _) = ask(BIN, &served, "hello.txt");
    assert_eq!(data, b"hello");
}
