//! 44-tftp-server-links: a hard link in the served folder to a file
//! outside it, against the lesson this one grows from (served) and this
//! one (ERROR 2); a file with two names inside the folder is refused too.

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_44-tftp-server-links");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "43-tftp-server-dally";

fn start(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

/// The first answer to a download of `name`.
fn first_answer(server: &Proc, name: &str) -> Vec<u8> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request = [&[0, 1], name.as_bytes(), b"\0octet\0"].concat();
    socket.send_to(&request, server.addr).unwrap();
    let mut buf = [0; 1024];
    let (len, _) = socket.recv_from(&mut buf).expect("an answer");
    buf[..len].to_vec()
}

#[test]
fn a_hard_link_to_a_file_outside_is_served_by_43_and_not_by_44() {
    if testkit::not_on_windows(
        "44 and 63 count a file's hard links with Unix's nlink; stable Rust gives no link count on Windows",
    ) {
        return;
    }
    let top = temp_dir();
    let shared = top.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::write(top.path().join("secret.txt"), "the owner's secret").unwrap();
    fs::hard_link(top.path().join("secret.txt"), shared.join("link")).unwrap();
    let prev = start(&lesson_bin(PREV), &shared);
    let answer = first_answer(&prev, "link");
    assert_eq!(answer, b"\x00\x03\x00\x01the owner's secret");
    let mut server = start(BIN, &shared);
    let answer = first_answer(&server, "link");
    assert_eq!(answer, b"\x00\x05\x00\x02more than one link\x00");
    server.expect(" get link: refused: more than one link");
}

#[test]
fn two_names_inside_the_folder_are_refused_too_one_is_served() {
    if testkit::not_on_windows(
        "44 and 63 count a file's hard links with Unix's nlink; stable Rust gives no link count on Windows",
    ) {
        return;
    }
    let dir = temp_dir();
    fs::write(dir.path().join("a"), "text").unwrap();
    fs::write(dir.path().join("single"), "text").unwrap();
    fs::hard_link(dir.path().join("a"), dir.path().join("b")).unwrap();
    let server = start(BIN, dir.path());
    for name in ["a", "b"] {
        assert_eq!(first_answer(&server, name)[..4], [0, 5, 0, 2], "{name}");
    }
    assert_eq!(first_answer(&server, "single"), b"\x00\x03\x00\x01text");
}
