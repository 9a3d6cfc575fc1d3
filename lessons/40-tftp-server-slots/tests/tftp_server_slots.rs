//! 40-tftp-server-slots: a flood of requests from one address, against
//! the lesson this one grows from and against this one, both with 200
//! file descriptors (prlimit; SKIPPED without it): 39 gives the flood a
//! socket per request until none is left, and another client gets
//! nothing; 40 gives the flood its quarter of the slots, answers the rest
//! "busy", serves the other client, and gives the slots back.

use std::collections::HashSet;
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::time::{Duration, Instant};
use testkit::{cmd, lesson_bin, temp_dir, with_fd_limit, Proc};

const BIN: &str = env!("CARGO_BIN_EXE_40-tftp-server-slots");
/// The lesson this one grows from (lessons/lessons.tsv).
const PREV: &str = "39-tftp-server-options";
const FLOOD: usize = 200;

fn from_host(last: u8, secs: f64) -> UdpSocket {
    let socket = UdpSocket::bind((Ipv4Addr::new(127, 0, 0, last), 0));
    let socket = socket.unwrap();
    let wait = Duration::from_secs_f64(secs);
    socket.set_read_timeout(Some(wait)).unwrap();
    socket
}

fn rrq(file: &str) -> Vec<u8> {
    [&[0, 1], file.as_bytes(), b"\0octet\0"].concat()
}

fn recv(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    let mut buf = [0; 2048];
    let (len, from) = socket.recv_from(&mut buf).ok()?;
    Some((buf[..len].to_vec(), from))
}

/// The server with at most 200 open files (a transfer takes two: its socket and its file), or None without prlimit.
fn limited(bin: &str, dir: &Path) -> Option<Proc> {
    let command = cmd(bin, &["127.0.0.1:0", dir.to_str().unwrap()]);
    Some(Proc::server(with_fd_limit(&command, 200)?))
}

/// FLOOD requests from 127.0.0.2, never acknowledged; returns how many
/// transfers started (their first block, from distinct ports) and how
/// many were answered busy, once the answers stop coming for a moment.
fn flood(server: SocketAddr) -> (usize, usize, UdpSocket) {
    let socket = from_host(2, 0.5);
    for _ in 0..FLOOD {
        socket.send_to(&rrq("f"), server).unwrap();
    }
    let (mut started, mut busy) = (HashSet::new(), 0);
    while let Some((packet, from)) = recv(&socket) {
        match packet[..2] {
            [0, 3] => drop(started.insert(from)),
            [0, 5] if packet[4..] == *b"busy: try later\0" => busy += 1,
            _ => {}
        }
        if started.len() + busy == FLOOD {
            break;
        }
    }
    (started.len(), busy, socket)
}

/// Another client (127.0.0.3): its first answer, if any, in two tries.
fn another_client(server: SocketAddr) -> Option<Vec<u8>> {
    let socket = from_host(3, 1.5);
    (0..2).find_map(|_| {
        socket.send_to(&rrq("f"), server).unwrap();
        recv(&socket).map(|(packet, _)| packet)
    })
}

#[test]
fn a_flood_from_one_address_leaves_room_for_another_client() {
    let dir = temp_dir();
    fs::write(dir.path().join("f"), "data").unwrap();
    let Some(mut prev) = limited(&lesson_bin(PREV), dir.path()) else {
        return;
    };
    let (started, _, _flood) = flood(prev.addr);
    assert!(started < FLOOD, "39 started all {started}");
    assert_eq!(another_client(prev.addr), None, "39 served another client");
    prev.expect("Too many open files");
    drop(prev);

    let Some(server) = limited(BIN, dir.path()) else {
        return;
    };
    let (started, busy, _flood) = flood(server.addr);
    assert_eq!((started, busy), (64, FLOOD - 64), "a quarter of 256");
    let answer = another_client(server.addr).expect("no answer");
    assert_eq!(answer, b"\x00\x03\x00\x01data");
    // the flood's transfers give up after 5 tries (5 s): slots come back
    let socket = from_host(2, 0.5);
    let (first, _) = {
        socket.send_to(&rrq("f"), server.addr).unwrap();
        recv(&socket).expect("an answer")
    };
    assert_eq!(first, b"\x00\x05\x00\x00busy: try later\x00");
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        socket.send_to(&rrq("f"), server.addr).unwrap();
        let packet = recv(&socket).map(|(packet, _)| packet);
        if packet.as_deref() == Some(b"\x00\x03\x00\x01data") {
            break;
        }
        assert!(Instant::now() < end, "the slots never came back");
        std::thread::sleep(Duration::from_millis(200));
    }
}
