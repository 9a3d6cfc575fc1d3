//! 52's idea, the upload folder checked at the start, against 51, which
//! takes `--write` as typed: with a folder that does not exist, 51
//! starts, and an upload gets no answer at all (its log says "cannot
//! create"); 52 does not start, and says why in one line.

use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, run, temp_dir, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_52-tftp-server-put-folder");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "51-tftp-server-race";

#[test]
fn a_missing_upload_folder_starts_51_and_stops_52() {
    let dir = temp_dir();
    let args = ["127.0.0.1:0", ".", "--write", "uplods"]; // a typo
    let mut command = cmd(&lesson_bin(PREV), &args);
    command.current_dir(dir.path());
    let mut prev = Proc::server(command);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let wrq = b"\x00\x02homework.txt\x00octet\x00";
    socket.send_to(wrq, prev.addr).unwrap();
    prev.expect(" put homework.txt: cannot create: ");
    let mut buf = [0; 1024];
    assert!(socket.recv_from(&mut buf).is_err(), "51 answered");

    let mut command = cmd(BIN, &args);
    command.current_dir(dir.path());
    let (status, out, err) = run(command, b"");
    assert_eq!(status.code(), Some(1), "{out} {err}");
    assert!(!out.contains("listening"), "{out}");
    let said = format!("{out}{err}");
    assert!(said.starts_with("Error: uplods: "), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
}
