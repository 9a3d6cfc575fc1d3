//! 31-tftp-client-answer's idea, the first answer checked, against 30's:
//! a client pointed at a UDP echo service (lesson 13's, here a socket of
//! the test), which sends every datagram back where it came from.

use std::net::UdpSocket;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use testkit::{cmd, lesson_bin, run, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_31-tftp-client-answer");

/// An echo service on loopback: returns its address and a handle that
/// stops it and says how many datagrams it sent back.
fn echo() -> (String, impl FnOnce() -> u64) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let echoer = thread::spawn(move || {
        let (mut buf, mut count) = ([0; 65536], 0);
        while !stopped.load(Ordering::Relaxed) {
            if let Ok((len, from)) = socket.recv_from(&mut buf) {
                let _ = socket.send_to(&buf[..len], from);
                count += 1;
            }
        }
        count
    });
    (addr, move || {
        stop.store(true, Ordering::Relaxed);
        echoer.join().unwrap()
    })
}

/// 30 takes its own request, sent back, as the server's first answer,
/// answers it with ACK 0, gets that back, answers again...: datagrams
/// until its patience ends (thousands here; more than a hundred even on
/// a slow machine), then "no answer", which is not
/// what happened. 31 sees that the first answer is not TFTP's and stops
/// at once, after one datagram.
#[test]
fn an_echo_service_is_not_played_ping_pong_with() {
    for (bin, ping_pong) in [
        (lesson_bin("30-tftp-client-request"), true),
        (BIN.into(), false),
    ] {
        let (addr, stop) = echo();
        let out = temp_dir();
        let mut command = cmd(&bin, &["photo.jpg", &addr]);
        command
            .current_dir(out.path())
            .env("TFTP_TIMEOUT_MS", "200");
        let (status, said, err) = run(command, b"");
        let echoed = stop();
        assert!(!status.success(), "{bin}: {said}");
        if ping_pong {
            assert!(echoed > 100, "{bin}: {echoed} datagrams");
            let gave_up = format!("no answer from {addr} after 5 tries");
            assert!(err.contains(&gave_up), "{bin}: {err}");
        } else {
            assert_eq!(echoed, 1, "{bin}");
            let why = format!("Error: unexpected answer from {addr}");
            assert_eq!(err.trim_end(), why, "{bin}");
        }
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    }
}
