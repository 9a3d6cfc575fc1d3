//! Load and bursts of TCP clients against a `received: ` server.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use crate::*;

/// `clients` TCP clients at once, each doing `rounds` request/reply round
/// trips with a `received: ` server; returns how many clients failed and
/// the first failure. Every reply is checked byte for byte.
pub fn load(
    addr: SocketAddr,
    clients: usize,
    rounds: usize,
) -> (usize, String) {
    let client = move |c: usize| -> Result<(), String> {
        let mut stream = TcpStream::connect_timeout(&addr, DEADLINE)
            .map_err(|e| format!("client {c}: connect: {e}"))?;
        stream.set_read_timeout(Some(DEADLINE)).ok();
        for r in 0..rounds {
            let text = format!("client {c} round {r}");
            let reply = ask(&mut stream, &text)
                .map_err(|e| format!("client {c} round {r}: {e}"))?;
            if reply != format!("received: {text}") {
                return Err(format!("client {c}: wrong reply {reply:?}"));
            }
        }
        Ok(())
    };
    let workers: Vec<_> = (0..clients)
        .map(|c| std::thread::spawn(move || client(c)))
        .collect();
    let errors: Vec<String> = workers
        .into_iter()
        .filter_map(|w| w.join().unwrap_or(Err("panicked".into())).err())
        .collect();
    (errors.len(), errors.first().cloned().unwrap_or_default())
}

/// A burst of `count` clients of a `received: ` server (16, 17), from
/// 10 threads. Each sends one line and reads its answer; all stay
/// connected until the last has its answer (a thread connects its next
/// client once its last one was answered, so the listen queue never
/// overflows). Returns how many were served, told busy, and closed
/// without an answer.
pub fn burst(addr: SocketAddr, count: usize) -> (usize, usize, usize) {
    let answers: Vec<(&str, TcpStream)> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..10)
            .map(|i| {
                let clients = (i..count).step_by(10); // this thread's share
                scope.spawn(move || {
                    clients.map(|_| burst_client(addr)).collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    let answered = |what| answers.iter().filter(|a| a.0 == what).count();
    (answered("served"), answered("busy"), answered("closed"))
}

/// Connects, sends `burst`, and reads the answer: `served`, `busy`, or
/// `closed` (none: the server closed the connection).
fn burst_client(addr: SocketAddr) -> (&'static str, TcpStream) {
    use std::io::ErrorKind::{BrokenPipe, ConnectionReset};
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut reply = vec![0; 64];
    let sent = client.write_all(b"burst");
    let len = match sent.and_then(|()| client.read(&mut reply)) {
        Ok(len) => len,
        // closed by the server before or after the line arrived
        Err(e) if matches!(e.kind(), ConnectionReset | BrokenPipe) => 0,
        Err(e) => panic!("client: {e}"),
    };
    let answer = match &reply[..len] {
        r if r.starts_with(b"received: burst") => "served",
        r if r.starts_with(b"busy: ") => "busy",
        [] => "closed",
        r => panic!("unexpected answer {:?}", String::from_utf8_lossy(r)),
    };
    (answer, client)
}

/// Sends `text` to an echo-style server of lessons 16 and 17 and reads
/// its answer, `received: TEXT`.
pub fn round_trip(client: &mut TcpStream, text: &str) -> String {
    ask(client, text).unwrap()
}

/// Sends `text` and reads as many bytes as `received: TEXT` has.
fn ask(client: &mut TcpStream, text: &str) -> std::io::Result<String> {
    client.write_all(text.as_bytes())?;
    let mut reply = vec![0; 10 + text.len()];
    client.read_exact(&mut reply)?;
    Ok(String::from_utf8_lossy(&reply).into_owned())
}
