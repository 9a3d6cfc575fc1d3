//! The sending side of a transfer: DATA blocks one way, ACKs the other.
//! 14 uploads with it (`--put`), 15 serves downloads with it. The
//! receiving side is 14's own loop (see lib.rs).
//!
//! UDP may lose, repeat or reorder datagrams, and TFTP has three answers:
//! - every block has a number, so a repeated block is recognised (and
//!   acknowledged again, never written twice);
//! - every block (or window of blocks, RFC 7440) is acknowledged, so the
//!   sender knows what arrived;
//! - whoever waits too long sends its last packet again, a few times, and
//!   then gives up (`peer.rs`: how long, and how often).
//!
//! Block numbers are 16 bits: after 65535 comes 0, so all arithmetic on
//! them wraps (`wrapping_add`, `wrapping_sub`).

use crate::packet::{Packet, DATA};
use crate::peer::{say, Peer};
use crate::Options;
use anyhow::{bail, Context, Result};
use netcommon::printable;
use std::collections::VecDeque;
use std::io::{self, BufReader, ErrorKind, Read, Write};
use std::thread;
use std::time::{Duration, Instant};

/// A window of more bytes than this may overflow a receiver's socket
/// buffer: after a loss, its blocks are paced.
const PACED: usize = 64 << 10;

/// Sends `input` in DATA blocks of `options.blksize` bytes, a window of
/// `options.windowsize` blocks at a time, until the peer acknowledges the
/// last block: the first one shorter than blksize, maybe empty. Returns
/// the bytes sent.
pub fn send_file(
    peer: &mut Peer,
    input: impl Read,
    options: &Options,
) -> Result<u64> {
    let mut input = BufReader::with_capacity(256 << 10, input);
    let mut window: VecDeque<Vec<u8>> = VecDeque::new(); // not acknowledged
    let mut spare: Vec<Vec<u8>> = vec![]; // packets to reuse
    let mut first_block: u16 = 1; // the number of window[0]
    let (mut sent, mut ever_sent, mut size) = (0, 0, 0);
    let mut end_of_file = false;
    let mut buf = vec![0; crate::RECV_SIZE]; // an ACK, or a stray packet
                                             // after a loss, a pause between the blocks of a big window, so that a
                                             // burst does not overflow the receiver's buffer again: doubled on each
                                             // loss, halved after each clean window (a receiver counts blocks per
                                             // ACK, so sending fewer blocks would only make it wait)
    let paced = options.windowsize * options.blksize > PACED;
    let mut pause = Duration::ZERO;
    loop {
        // 1. fill the window with the next blocks of the file
        while window.len() < options.windowsize && !end_of_file {
            let mut data = spare.pop().unwrap_or_default();
            let block = first_block.wrapping_add(window.len() as u16);
            let len = match read_block(&mut input, &mut data, block, options) {
                Ok(len) => len,
                Err(error) => {
                    let _ =
                        peer.refuse(crate::packet::NOT_DEFINED, "read error");
                    return Err(error).context("read the file");
                }
            };
            end_of_file = len < options.blksize;
            size += len as u64;
            window.push_back(data);
        }
        if window.is_empty() {
            return Ok(size); // the last block was acknowledged
        }
        // 2. send the blocks of the window not sent yet (or lost)
        for (i, data) in window.iter().enumerate().skip(sent) {
            match i < ever_sent {
                true => peer.send_again(data)?,
                false => peer.send(data)?,
            }
            if !pause.is_zero() {
                thread::sleep(pause);
            }
        }
        (sent, ever_sent) = (window.len(), window.len());

        // 3. wait for an ACK
        let Some((len, from)) = peer.recv_from(&mut buf)? else {
            // silence: send the whole window again. (When only the last
            // block is left, its ACK may be what was lost: RFC 1350 lets
            // the client leave at once after sending it)
            let last = end_of_file && window.len() == 1;
            peer.timed_out(&blocks(first_block, sent))
                .map_err(|error| {
                    let why = "the client may have the whole file";
                    match last {
                        true => error.context(format!(
                            "no ACK of the last block, {why}"
                        )),
                        false => error,
                    }
                })?;
            sent = 0;
            pause = if paced { slower(pause) } else { pause };
            continue;
        };
        if from != peer.addr {
            peer.stranger(from, &buf[..len]);
            continue;
        }
        match Packet::parse(&buf[..len]) {
            Ok(Packet::Ack { block }) => {
                // how many blocks it acknowledges: 0 (a repeat of an old
                // ACK) or more than were sent (bogus) are ignored. Never
                // send again because of a repeated ACK: that doubles every
                // block from then on (the Sorcerer's Apprentice bug).
                let count = block.wrapping_sub(first_block).wrapping_add(1);
                let count = count as usize;
                if count == 0 || count > sent {
                    continue;
                }
                peer.progress(); // blocks acknowledged: the transfer moves on
                spare.extend(window.drain(..count));
                first_block = block.wrapping_add(1);
                ever_sent -= count;
                if count < sent {
                    // an ACK inside the window: the block after it was
                    // lost, so the rest of the window goes again
                    let lost = blocks(first_block, ever_sent);
                    let (label, first) = (&peer.label, first_block);
                    say(&format!(
                        "{label}block {first} lost: {lost} sent again"
                    ));
                }
                pause = match (paced, count == sent) {
                    (false, _) => pause,
                    (true, true) => faster(pause),
                    (true, false) => slower(pause),
                };
                sent = 0;
            }
            Ok(Packet::Error { code, message }) => {
                bail!("peer sent error {code}: {}", printable(&message))
            }
            _ => {} // a stray packet: ignore it
        }
    }
}

/// `block 37`, or `blocks 37-52` for a window.
fn blocks(first: u16, count: usize) -> String {
    match count {
        1 => format!("block {first}"),
        _ => {
            let last = first.wrapping_add(count as u16 - 1);
            format!("blocks {first}-{last}")
        }
    }
}

/// The next pause after a loss: 20 µs, doubling up to 5 ms.
fn slower(pause: Duration) -> Duration {
    (pause * 2).clamp(Duration::from_micros(20), Duration::from_millis(5))
}

/// After a clean window: half the pause, none below 20 µs.
fn faster(pause: Duration) -> Duration {
    Some(pause / 2)
        .filter(|p| *p >= Duration::from_micros(20))
        .unwrap_or_default()
}

/// Fills `data` with a DATA packet: opcode, block number, and up to
/// blksize bytes of `input`. Returns how many bytes of the file it holds.
fn read_block(
    input: &mut impl Read,
    data: &mut Vec<u8>,
    block: u16,
    options: &Options,
) -> io::Result<usize> {
    data.clear();
    data.extend(DATA.to_be_bytes());
    data.extend(block.to_be_bytes());
    let start = data.len();
    let end = start + options.blksize;
    data.resize(end, 0);
    let mut len = start;
    while len < end {
        match input.read(&mut data[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    data.truncate(len);
    Ok(len - start)
}

/// Sends the OACK of a download until the client acknowledges it with
/// ACK 0 (RFC 2347): only then does DATA 1 go out. A client that does not
/// like the options answers with an ERROR (8), which ends the transfer.
pub fn send_oack(peer: &mut Peer, oack: &[u8]) -> Result<()> {
    let mut buf = vec![0; crate::RECV_SIZE];
    peer.send(oack)?;
    loop {
        let Some((len, from)) = peer.recv_from(&mut buf)? else {
            peer.resend(oack)?;
            continue;
        };
        if from != peer.addr {
            peer.stranger(from, &buf[..len]);
            continue;
        }
        match Packet::parse(&buf[..len]) {
            Ok(Packet::Ack { block: 0 }) => {
                peer.progress();
                return Ok(());
            }
            Ok(Packet::Error { code, message }) => {
                let message = printable(&message);
                bail!("client refused the options: error {code}: {message}")
            }
            _ => {} // a stray packet: ignore it
        }
    }
}

/// Counts the bytes that pass through and prints `N of M (P%) bytes` on
/// stderr once a second: progress on a long transfer.
pub struct Progress<T> {
    inner: T,
    done: u64,
    total: Option<u64>,
    next: Instant,
}

impl<T> Progress<T> {
    pub fn new(inner: T, total: Option<u64>) -> Progress<T> {
        let next = Instant::now() + Duration::from_secs(1);
        Progress {
            inner,
            done: 0,
            total,
            next,
        }
    }

    pub fn into_inner(self) -> T {
        self.inner
    }

    fn count(&mut self, n: usize) {
        self.done += n as u64;
        if Instant::now() >= self.next {
            self.next += Duration::from_secs(1);
            let done = self.done;
            let percent = |t: u64| done * 100 / t.max(1);
            let of = self.total.map(|t| format!(" of {t} ({}%)", percent(t)));
            eprintln!("{done}{} bytes", of.unwrap_or_default());
        }
    }
}

impl<T: Read> Read for Progress<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(n);
        Ok(n)
    }
}

impl<T: Write> Write for Progress<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count(n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
