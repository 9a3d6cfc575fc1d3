//! 60's idea, "busy" when no socket is left, against 59, which then says
//! nothing: run with at most 32 file descriptors (`prlimit`), a client
//! asks for 40 downloads at once and never acknowledges a block. Every
//! request gets an answer from 60 (a first block, or "busy: try later"
//! once the descriptors are gone); from 59 some get none at all. Unix:
//! RLIMIT_NOFILE (SKIPPED without prlimit).

use std::fs;
use std::net::UdpSocket;
use std::time::Duration;
use testkit::{cmd, lesson_bin, temp_dir, with_fd_limit, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_60-tftp-server-busy");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "59-tftp-server-requests";

/// Asks for `file` 40 times at once; returns (first blocks, "busy"
/// answers, requests that got no answer within 2 s).
fn flood(server: &Proc) -> (usize, usize, usize) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    for _ in 0..40 {
        socket
            .send_to(b"\x00\x01file\x00octet\x00", server.addr)
            .unwrap();
    }
    let (mut blocks, mut busy, mut transfers) = (0, 0, vec![]);
    let mut buf = [0; 1024];
    while let Ok((len, from)) = socket.recv_from(&mut buf) {
        match &buf[..len] {
            [0, 3, 0, 1, ..] if !transfers.contains(&from) => {
                transfers.push(from);
                blocks += 1;
            }
            [0, 3, ..] => {} // a block sent again
            b"\x00\x05\x00\x00busy: try later\x00" => busy += 1,
            other => panic!("{other:?}"),
        }
    }
    (blocks, busy, 40 - blocks - busy)
}

#[test]
fn out_of_sockets_59_says_nothing_and_60_busy() {
    let dir = temp_dir();
    fs::write(dir.path().join("file"), "x".repeat(600)).unwrap();
    let folder = dir.path().to_str().unwrap();
    let mut silent = 0;
    for bin in [lesson_bin(PREV), BIN.into()] {
        let Some(limited) =
            with_fd_limit(&cmd(&bin, &["127.0.0.1:0", folder]), 32)
        else {
            return;
        };
        let server = Proc::server(limited);
        let (blocks, busy, unanswered) = flood(&server);
        assert!(blocks > 0 && blocks < 40, "{bin}: {blocks} {busy}");
        if bin == BIN {
            assert_eq!((busy, unanswered), (40 - blocks, 0), "{bin}");
        } else {
            silent = unanswered;
        }
    }
    assert!(silent > 0, "59 answered every request");
}
