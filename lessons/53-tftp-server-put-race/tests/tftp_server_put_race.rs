//! 53's idea, an upload created from its folder's handle, against 52,
//! which goes by the folder's name: the upload folder renamed and a
//! symbolic link put in its place while the server runs takes 52's
//! upload where the link leads, never 53's. And the name rules that come
//! with it: `-rf` is stored by 52, refused by 53. Unix only: the link.
#![cfg(unix)]

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_53-tftp-server-put-race");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "52-tftp-server-put-folder";

fn start(bin: &str, top: &Path) -> Proc {
    let args = ["127.0.0.1:0", "shared", "--write", "uploads"];
    let mut command = cmd(bin, &args);
    command.current_dir(top);
    Proc::server(command)
}

/// Uploads one short block under `name`; returns the server's last
/// answer (ACK 1, or an ERROR).
fn upload(server: &Proc, name: &str, data: &[u8]) -> Vec<u8> {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let wrq = [&[0, 2], name.as_bytes(), b"\0octet\0"].concat();
    socket.send_to(&wrq, server.addr).unwrap();
    let mut buf = [0; 1024];
    let (len, tid) = socket.recv_from(&mut buf).expect("an answer");
    if buf[..len] != [0, 4, 0, 0] {
        return buf[..len].to_vec();
    }
    socket
        .send_to(&[&[0, 3, 0, 1], data].concat(), tid)
        .unwrap();
    let (len, _) = socket.recv_from(&mut buf).expect("ACK 1");
    buf[..len].to_vec()
}

#[test]
fn a_folder_swapped_for_a_link_takes_52s_upload_not_53s() {
    if testkit::not_on_windows(
        "on Windows crates/tftp holds the upload folder by its path, not \
         an open handle: after the swap 53 refuses the upload (ERROR 2), \
         safe, instead of storing it in the folder it opened",
    ) {
        return;
    }
    for bin in [lesson_bin(PREV), BIN.into()] {
        let (scratch, victim) = (temp_dir(), temp_dir());
        let top = scratch.path();
        fs::create_dir(top.join("shared")).unwrap();
        fs::create_dir(top.join("uploads")).unwrap();
        let server = start(&bin, top);
        // meanwhile, someone renames the folder and leaves a link there
        fs::rename(top.join("uploads"), top.join("uploads.old")).unwrap();
        std::os::unix::fs::symlink(victim.path(), top.join("uploads")).unwrap();
        let answer = upload(&server, "authorized_keys", b"ssh-ed25519 AAAA");
        assert_eq!(answer, b"\x00\x04\x00\x01", "{bin}");
        let (there, here) = (victim.path(), top.join("uploads.old"));
        let in_victim = there.join("authorized_keys").exists();
        assert_eq!(in_victim, bin != BIN, "{bin}: in the link's folder");
        assert_eq!(here.join("authorized_keys").exists(), bin == BIN, "{bin}");
    }
}

#[test]
fn an_option_like_name_is_stored_by_52_and_refused_by_53() {
    for bin in [lesson_bin(PREV), BIN.into()] {
        let scratch = temp_dir();
        let top = scratch.path();
        fs::create_dir(top.join("shared")).unwrap();
        fs::create_dir(top.join("uploads")).unwrap();
        let server = start(&bin, top);
        let answer = upload(&server, "-rf", b"a name a shell takes for -r -f");
        let stored = top.join("uploads").join("-rf").exists();
        assert_eq!(stored, bin != BIN, "{bin}");
        assert_eq!(answer.starts_with(&[0, 5, 0, 2]), bin == BIN, "{bin}");
    }
}
