//! 46-tftp-server-case: names of an upload in progress in another case,
//! or in a folder below the served one, against the lesson this one
//! grows from (served) and against this one (ERROR 2).

use std::fs;
use std::net::UdpSocket;
use std::path::Path;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_46-tftp-server-case");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "45-tftp-server-quiet";
const NAMES: [&str; 4] = [
    ".TFTP-UPLOAD.4242",
    ".Tftp-Upload.4242",
    "uploads/.tftp-upload.4242",
    "uploads/.TFTP-UPLOAD.4242",
];

fn start(bin: &str, dir: &Path) -> Proc {
    Proc::server(cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]))
}

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
fn an_upload_in_progress_is_served_by_45_under_other_names_not_by_46() {
    let dir = temp_dir();
    fs::create_dir(dir.path().join("uploads")).unwrap();
    for name in NAMES {
        // here a file of its own; on a case-insensitive folder, the upload
        fs::write(dir.path().join(name), "half an upload").unwrap();
    }
    let prev = start(&lesson_bin(PREV), dir.path());
    for name in NAMES {
        let answer = first_answer(&prev, name);
        assert_eq!(answer, b"\x00\x03\x00\x01half an upload", "{name}");
    }
    let server = start(BIN, dir.path());
    for name in NAMES {
        let answer = first_answer(&server, name);
        assert_eq!(answer, b"\x00\x05\x00\x02not allowed\x00", "{name}");
    }
}
