//! 63's own step, a short dally inside the slot, against 62's 5 s: one
//! address uploads 80 small files, one after the other, 20 ms apart (a
//! script that runs a client for each). 62 keeps each finished upload's
//! slot for 5 s, so the 65th gets "busy"; 63 stores all 80.

mod common;
use common::*;
use std::fs;
use testkit::{cmd, lesson_bin, temp_dir, Proc};

/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "62-tftp-server-buffers";

/// Uploads up0 ... up79, one block each; returns how many were stored.
fn eighty_uploads(bin: &str) -> usize {
    let dir = temp_dir();
    let args = ["127.0.0.1:0", ".", "--write", dir.path().to_str().unwrap()];
    let server = Proc::server(cmd(bin, &args));
    let socket = raw();
    let mut stored = 0;
    for i in 0..80 {
        let wrq = request(2, &format!("up{i}"), "octet", &[]);
        socket.send_to(&wrq, server.addr).unwrap();
        let (answer, tid) = recv(&socket);
        if answer != ack(0) {
            assert_eq!(error_code(&answer), 0, "{answer:?}"); // busy
            continue;
        }
        socket.send_to(b"\x00\x03\x00\x01my homework", tid).unwrap();
        assert_eq!(recv(&socket).0, ack(1));
        stored += 1;
        // a script that runs a client for each file: 20 ms a file at
        // least (63's dally is about two round trips, at most 1 s)
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), stored);
    stored
}

#[test]
fn many_small_uploads_fill_62s_quarter_not_63s() {
    assert_eq!(eighty_uploads(&lesson_bin(PREV)), 64);
    assert_eq!(eighty_uploads(BIN), 80);
}
