//! The transfer itself: DATA blocks one way, ACKs the other, the same for
//! both lessons (the client downloads with `receive_file` and uploads with
//! `send_file`; the server does the opposite).
//!
//! UDP may lose, repeat or reorder datagrams, and TFTP has three answers:
//! - every block has a number, so a repeated block is recognised (and
//!   acknowledged again, never written twice);
//! - every block (or window of blocks, RFC 7440) is acknowledged, so the
//!   sender knows what arrived;
//! - whoever waits too long sends its last packet again, a few times, and
//!   then gives up.
//!
//! Block numbers are 16 bits: after 65535 comes 0, so all arithmetic on
//! them wraps (`wrapping_add`, `wrapping_sub`).

use crate::packet::{self, Packet, DATA};
use crate::Options;
use anyhow::{bail, Context, Result};
use std::cell::Cell;
use std::collections::VecDeque;
use std::io::{self, BufReader, BufWriter, ErrorKind, Read, Write};
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::Duration;

/// How many times a packet is sent before giving up.
pub const TRIES: u32 = 5;

/// The other end of a transfer: its address (its transfer ID, "TID") and
/// how long to wait for it.
pub struct Peer {
    pub socket: UdpSocket,
    pub addr: SocketAddr,
    pub timeout: Duration,
    applied: Cell<Option<Duration>>, // the socket's read timeout, once set
}

impl Peer {
    pub fn new(socket: UdpSocket, addr: SocketAddr, timeout: Duration) -> Peer {
        let applied = Cell::new(None);
        Peer {
            socket,
            addr,
            timeout,
            applied,
        }
    }

    /// Sends the peer an ERROR and returns it as our error, to end the
    /// transfer with.
    pub fn refuse(&self, code: u16, message: &str) -> anyhow::Error {
        let _ = self.send(&packet::error(code, message));
        anyhow::anyhow!("refused: {message}")
    }

    pub fn send(&self, packet: &[u8]) -> Result<()> {
        self.socket.send_to(packet, self.addr).context("send")?;
        Ok(())
    }

    /// The next well-formed packet from the peer, or None when it stays
    /// silent for the timeout. A packet from any other address gets
    /// ERROR 5 and the wait goes on; a malformed one is dropped.
    pub fn recv<'b>(&self, buf: &'b mut [u8]) -> Result<Option<Packet<'b>>> {
        if self.applied.get() != Some(self.timeout) {
            self.socket.set_read_timeout(Some(self.timeout))?; // a syscall
            self.applied.set(Some(self.timeout));
        }
        let len = loop {
            let (len, from) = match self.socket.recv_from(buf) {
                Ok(received) => received,
                Err(e) if is_timeout(&e) => return Ok(None),
                Err(e) => return Err(e).context("receive"),
            };
            if from != self.addr {
                let error =
                    packet::error(packet::UNKNOWN_TID, "unknown transfer ID");
                let _ = self.socket.send_to(&error, from);
            } else if Packet::parse(&buf[..len]).is_ok() {
                break len;
            }
        };
        Ok(Packet::parse(&buf[..len]).ok())
    }
}

pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// Sends `input` in DATA blocks of `options.blksize` bytes, a window of
/// `options.windowsize` blocks at a time, until the peer acknowledges the
/// last block: the first one shorter than blksize, maybe empty. Returns
/// the bytes sent; `progress` hears the count after each ACK.
pub fn send_file(
    peer: &Peer,
    input: impl Read,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let mut input = BufReader::with_capacity(256 << 10, input);
    let mut window: VecDeque<Vec<u8>> = VecDeque::new(); // not acknowledged
    let mut spare: Vec<Vec<u8>> = vec![]; // packets to reuse
    let mut first_block: u16 = 1; // the number of window[0]
    let (mut sent, mut size, mut acked_size, mut tries) = (0, 0, 0, 0);
    let mut end_of_file = false;
    let mut buf = [0; 4096]; // room for an ACK or an ERROR
                             // after a loss, a pause between the blocks of a window, so that a
                             // burst does not overflow the receiver's buffer again: doubled on each
                             // loss, halved after each clean window (a receiver counts blocks per
                             // ACK, so sending fewer blocks would only make it wait)
    let mut pause = Duration::ZERO;
    loop {
        // 1. fill the window with the next blocks of the file
        while window.len() < options.windowsize && !end_of_file {
            let mut data = spare.pop().unwrap_or_default();
            let block = first_block.wrapping_add(window.len() as u16);
            let len = match read_block(&mut input, &mut data, block, options) {
                Ok(len) => len,
                Err(error) => {
                    peer.send(&packet::error(
                        packet::NOT_DEFINED,
                        "read error",
                    ))?;
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
        // 2. send the blocks of the window not sent yet
        for data in window.iter().skip(sent) {
            peer.send(data)?;
            if !pause.is_zero() && options.windowsize > 1 {
                thread::sleep(pause);
            }
        }
        sent = window.len();

        // 3. wait for an ACK
        match peer.recv(&mut buf)? {
            Some(Packet::Ack { block }) => {
                // how many blocks it acknowledges: 0 (a repeat of an old
                // ACK) or more than were sent (bogus) are ignored. Never
                // send again because of a repeated ACK: that doubles every
                // block from then on (the Sorcerer's Apprentice bug).
                let count = block.wrapping_sub(first_block).wrapping_add(1);
                let count = count as usize;
                if count == 0 || count > sent {
                    continue;
                }
                for data in window.drain(..count) {
                    acked_size += (data.len() - 4) as u64;
                    spare.push(data);
                }
                pause = match count == sent {
                    true => faster(pause),  // the whole window arrived
                    false => slower(pause), // one after `block` was lost
                };
                first_block = block.wrapping_add(1);
                // an ACK inside the window says a block after it was lost
                (sent, tries) = (0, 0); // so send the rest again
                progress(acked_size);
            }
            Some(Packet::Error { code, message }) => {
                bail!("peer sent error {code}: {message}")
            }
            Some(_) => {} // a stray packet: ignore it
            None => {
                tries += 1;
                if tries == TRIES {
                    bail!("no answer from {} after {TRIES} tries", peer.addr);
                }
                sent = 0; // send the whole window again
                pause = slower(pause);
            }
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

/// Receives DATA blocks into `output` until a block shorter than blksize
/// ends the file, acknowledging each window's last block (every block,
/// with window 1) and the final one. `last_sent` is the packet that asked
/// for the data (ACK 0 or OACK), sent again until data comes; `first` is
/// the first DATA packet when it has already arrived. Returns the size.
pub fn receive_file(
    peer: &Peer,
    output: impl Write,
    options: &Options,
    mut last_sent: Vec<u8>,
    mut first: Option<&[u8]>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64> {
    let mut output = BufWriter::with_capacity(256 << 10, output);
    let mut buf = vec![0; options.blksize + 5];
    let mut expected: u16 = 1; // the number of the next block to write
    let (mut size, mut in_window, mut tries) = (0, 0, 0);
    let mut gap_told = false;
    loop {
        let packet = match first.take() {
            Some(data) => Packet::parse(data).ok(),
            None => peer.recv(&mut buf)?,
        };
        match packet {
            Some(Packet::Data { block, data })
                if data.len() <= options.blksize =>
            {
                tries = 0;
                let ahead = block.wrapping_sub(expected);
                if ahead == 0 {
                    // 1. the next block: write it
                    if let Err(error) = output.write_all(data) {
                        return Err(write_failed(peer, error));
                    }
                    size += data.len() as u64;
                    (expected, in_window) =
                        (expected.wrapping_add(1), in_window + 1);
                    gap_told = false;
                    let last = data.len() < options.blksize;
                    if last || in_window == options.windowsize {
                        last_sent = packet::ack(block);
                        peer.send(&last_sent)?;
                        in_window = 0;
                        progress(size);
                    }
                    if last {
                        output
                            .flush()
                            .map_err(|error| write_failed(peer, error))?;
                        return Ok(size);
                    }
                } else if ahead < 0x8000 {
                    // 2. a block ahead: some were lost. Say (once) which
                    // block came last, so the sender goes on from there
                    if !gap_told {
                        last_sent = packet::ack(expected.wrapping_sub(1));
                        peer.send(&last_sent)?;
                        (gap_told, in_window) = (true, 0);
                    }
                } else {
                    // 3. an old block again: our ACK was lost. Acknowledge
                    // again, write nothing
                    last_sent = packet::ack(expected.wrapping_sub(1));
                    peer.send(&last_sent)?;
                    in_window = 0;
                }
            }
            Some(Packet::Error { code, message }) => {
                bail!("peer sent error {code}: {message}")
            }
            Some(_) => {} // a stray packet: ignore it
            None => {
                tries += 1;
                if tries == TRIES {
                    bail!("no answer from {} after {TRIES} tries", peer.addr);
                }
                peer.send(&last_sent)?;
            }
        }
    }
}

/// Tells the peer that writing failed (ERROR 3 when the disk is full).
fn write_failed(peer: &Peer, error: io::Error) -> anyhow::Error {
    let code = match error.kind() {
        ErrorKind::StorageFull => packet::DISK_FULL,
        _ => packet::NOT_DEFINED,
    };
    let _ = peer.send(&packet::error(code, &error.to_string()));
    anyhow::Error::new(error).context("write the file")
}

/// After the final ACK: if that ACK is lost the sender sends its last
/// block again, so wait one timeout and acknowledge any repeat.
pub fn dally(peer: &Peer, last_block: u16) {
    let mut buf = [0; 4]; // the block number is all we need of it
    for _ in 0..TRIES {
        match peer.recv(&mut buf) {
            Ok(Some(Packet::Data { block, .. })) if block == last_block => {
                let _ = peer.send(&packet::ack(block));
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return,
        }
    }
}

/// Sends the OACK of a download until the client acknowledges it with
/// ACK 0 (RFC 2347): only then does DATA 1 go out. A client that does not
/// like the options answers with an ERROR (8), which ends the transfer.
pub fn send_oack(peer: &Peer, oack: &[u8]) -> Result<()> {
    let mut buf = [0; 4096];
    for _ in 0..TRIES {
        peer.send(oack)?;
        while let Some(packet) = peer.recv(&mut buf)? {
            match packet {
                Packet::Ack { block: 0 } => return Ok(()),
                Packet::Error { code, message } => {
                    bail!("client refused the options: error {code}: {message}")
                }
                _ => {} // a stray packet: ignore it
            }
        }
    }
    bail!("no answer from {} after {TRIES} tries", peer.addr)
}
