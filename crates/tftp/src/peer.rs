//! The other end of a transfer: its address (its transfer ID, "TID"),
//! how long to wait for it, and what to do when it stays silent.
//!
//! - `send` sends a packet and starts the wait for its answer;
//!   `recv_from` waits, at most until that deadline;
//! - a packet from any other address (a stranger) is returned too, so
//!   that the loop can see the check; `stranger` answers it with ERROR 5,
//!   unless it is an ERROR (RFC 1350: an ERROR is never answered, or two
//!   servers could bounce errors forever);
//! - only `progress`, which the loop calls when the peer's packet moves
//!   the transfer on (the next block, an ACK of new blocks), ends a
//!   silence. Nothing else moves the deadline: not a stranger's packet,
//!   not the peer's repeats or junk, not our ACK sent again for a repeat.
//!   So no one keeps a transfer alive without moving it on;
//! - after a silence, `resend` sends the last packet again, waiting twice
//!   as long each time, and gives up after `TRIES` sends, saying so in a
//!   line (`timeout: block 37 sent again (try 2 of 5)`); the last wait
//!   lasts until the peer has been silent for TRIES timeouts in all;
//! - the wait follows the measured round trip (`rto.rs`). A sample is the
//!   time from a new packet to the peer's progress; Karn's rule: no
//!   sample after a packet was sent twice.

use crate::packet::{self, ERROR};
use crate::rto::Rto;
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many times a packet is sent (the first time included) before the
/// transfer gives up. A peer that never answers, e.g. one whose address
/// was forged in a request, receives at most this many copies.
pub const TRIES: u32 = 5;

pub struct Peer {
    pub socket: UdpSocket,
    pub addr: SocketAddr,
    /// What each line this peer prints starts with (15: the client and
    /// the file; 14: nothing).
    pub label: String,
    /// How many packets were sent again because they were lost (after a
    /// timeout, or for a block a receiver says it missed).
    pub resent: u64,
    /// How many times the request was sent again (a client's).
    pub requests_resent: u64,
    /// A server's floor (issue 21 row 6): after `grace`, a transfer that
    /// moved fewer than `bytes` a second on average, both ways, ends.
    /// Without it a client that answers just before each timeout, in
    /// blocks of 8 bytes, holds its transfer for weeks.
    pub min_rate: Option<MinRate>,
    moved: u64,       // bytes sent to and received from the peer
    started: Instant, // when the transfer began
    rto: Rto,
    tries: u32,                // sends of the packet now unanswered
    deadline: Instant,         // when the wait for an answer ends
    applied: Option<Duration>, // the socket's read timeout, once set
    sent_at: Option<Instant>,  // when the packet to measure went out
    karn: bool,                // sent again since the peer last spoke
    last_sent: [u8; 4],        // opcode and number of our last packet
    quiet_since: Instant,      // the peer's last progress (or the start)
    /// Where the first answer's socket cannot be checked (safe.rs): a
    /// second first answer from another port of the server's address
    /// ends the transfer, rather than keep whichever came first.
    pub one_server: bool,
}

/// The opcode and number of a packet: enough to tell a repeat.
fn head(packet: &[u8]) -> [u8; 4] {
    let mut head = [0xff; 4];
    let len = packet.len().min(4);
    head[..len].copy_from_slice(&packet[..len]);
    head
}

impl Peer {
    /// `timeout`: the agreed RFC 2349 timeout, or the default.
    pub fn new(socket: UdpSocket, addr: SocketAddr, timeout: Duration) -> Peer {
        Peer {
            socket,
            addr,
            label: String::new(),
            resent: 0,
            requests_resent: 0,
            min_rate: None,
            moved: 0,
            started: Instant::now(),
            rto: Rto::new(timeout),
            tries: 0,
            deadline: Instant::now() + timeout,
            applied: None,
            sent_at: None,
            karn: false,
            last_sent: [0xff; 4],
            quiet_since: Instant::now(),
            one_server: false,
        }
    }

    /// The count for a transfer's last line: `41 blocks sent again`, or
    /// `1 request and 8 ACKs sent again` when the request was resent.
    pub fn sent_again(&self, what: &str) -> String {
        let count = |n: u64, what: &str| match n {
            1 => format!("1 {what}"),
            n => format!("{n} {what}s"),
        };
        let mut counts = vec![];
        if self.requests_resent > 0 {
            counts.push(count(self.requests_resent, "request"));
        }
        if self.resent > 0 || counts.is_empty() {
            counts.push(count(self.resent, what));
        }
        format!("{} sent again", counts.join(" and "))
    }

    /// Once the options are agreed: the longest wait (RFC 2349).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.rto.set_ceiling(timeout);
    }

    /// How long the next wait for an answer is.
    pub fn wait(&self) -> Duration {
        self.rto.wait()
    }

    /// Sends a packet and starts the wait for its answer. The same packet
    /// twice in a row (an ACK repeated because a block came again) gives
    /// no round-trip sample (Karn's rule: its answer is ambiguous) and
    /// leaves the wait running: a peer that only repeats itself, drawing
    /// the same answer each time, does not keep the transfer alive.
    pub fn send(&mut self, packet: &[u8]) -> Result<()> {
        if head(packet) == self.last_sent {
            self.sent_at = None;
            self.moved += packet.len() as u64;
            self.socket.send_to(packet, self.addr).context("send")?;
            return Ok(());
        }
        if self.sent_at.is_none() && !self.karn {
            self.sent_at = Some(Instant::now());
        }
        self.last_sent = head(packet);
        self.transmit(packet)
    }

    /// Sends again a packet that was lost: counted in `resent`, and
    /// (Karn's rule) no round-trip sample until the peer speaks again,
    /// as its answer could be to either copy.
    pub fn send_again(&mut self, packet: &[u8]) -> Result<()> {
        self.resent += 1;
        (self.karn, self.sent_at) = (true, None);
        self.last_sent = head(packet);
        self.transmit(packet)
    }

    /// Sends without any bookkeeping but the deadline.
    pub(crate) fn transmit(&mut self, packet: &[u8]) -> Result<()> {
        self.moved += packet.len() as u64;
        self.deadline = Instant::now() + self.rto.wait();
        self.socket.send_to(packet, self.addr).context("send")?;
        Ok(())
    }

    /// The next datagram, from the peer or from a stranger (the caller
    /// checks which), or None when the transfer made no progress until
    /// the deadline. No datagram moves the deadline: `progress` does.
    pub fn recv_from(
        &mut self,
        buf: &mut [u8],
    ) -> Result<Option<(usize, SocketAddr)>> {
        loop {
            self.check_rate()?;
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left < Duration::from_millis(1) {
                return Ok(None);
            }
            // a system call only when the wait is shorter than the one set
            // (never wait past the deadline), or over an eighth longer (a
            // wait that ends early is just waited again)
            let near =
                |applied: Duration| applied <= left && applied >= left * 7 / 8;
            if !self.applied.is_some_and(near) {
                self.socket.set_read_timeout(Some(left))?;
                self.applied = Some(left);
            }
            match self.socket.recv_from(buf) {
                Ok((len, from)) => {
                    if self.one_server {
                        crate::safe::one_server(self.addr, from, &buf[..len])?;
                    }
                    if from == self.addr {
                        self.moved += len as u64;
                    }
                    return Ok(Some((len, from)));
                }
                Err(e) if is_timeout(&e) => {} // the deadline, or nearly
                // Windows: an ICMP "port unreachable" for an earlier send
                // fails the next receive (10054): go on waiting
                Err(e) if is_reset(&e) => {}
                Err(e) => return Err(e).context("receive"),
            }
        }
    }

    /// Ends a transfer slower than `min_rate`, with an ERROR to the peer.
    fn check_rate(&self) -> Result<()> {
        let Some(MinRate { grace, bytes }) = self.min_rate else {
            return Ok(());
        };
        let elapsed = self.started.elapsed();
        if elapsed <= grace || self.moved >= bytes * elapsed.as_secs() {
            return Ok(());
        }
        let why = format!("slower than {bytes} bytes a second");
        Err(self.refuse(packet::NOT_DEFINED, &why))
    }

    /// The peer's last packet moved the transfer on: the next block, an
    /// ACK of blocks not acknowledged before, the first answer. The
    /// silence is over: it answers what we sent (a round-trip sample,
    /// unless we had to send it twice), the tries start again and so does
    /// the wait. The loops call it; any other packet changes nothing.
    pub fn progress(&mut self) {
        let now = Instant::now();
        if let (Some(sent), false) = (self.sent_at.take(), self.karn) {
            self.rto.sample(now - sent);
        }
        (self.tries, self.karn, self.quiet_since) = (0, false, now);
        self.deadline = now + self.rto.wait();
    }

    /// Answers a datagram from another address than the peer's: ERROR 5,
    /// unless it is itself an ERROR (never answered).
    pub fn stranger(&self, from: SocketAddr, datagram: &[u8]) {
        if datagram.starts_with(&ERROR.to_be_bytes()) {
            return;
        }
        let error = packet::error(packet::UNKNOWN_TID, "unknown transfer ID");
        let _ = self.socket.send_to(&error, from);
    }

    /// After a silence: sends `packet` again (a new try, after a wait
    /// twice as long), or gives up after TRIES sends.
    pub fn resend(&mut self, packet: &[u8]) -> Result<()> {
        self.timed_out(&describe(packet))?;
        self.send_again(packet)
    }

    /// The bookkeeping of a timeout, before `what` is sent again: the
    /// next try and its longer wait, or the end.
    pub(crate) fn timed_out(&mut self, what: &str) -> Result<()> {
        self.tries += 1;
        if self.tries >= TRIES {
            bail!("no answer from {} after {TRIES} tries", self.addr);
        }
        self.rto.back_off();
        if self.tries == TRIES - 1 {
            // in all, a silent peer gets TRIES full timeouts before the
            // end, as long as it would with no round trip measured
            let patience = self.rto.ceiling() * TRIES;
            let left = patience.saturating_sub(self.quiet_since.elapsed());
            self.rto.last_try(left);
        }
        (self.karn, self.sent_at) = (true, None); // Karn's rule
        let try_ = self.tries + 1;
        say(&format!(
            "{}timeout: {what} sent again (try {try_} of {TRIES})",
            self.label
        ));
        Ok(())
    }

    /// Sends the peer an ERROR and returns it as our error, to end the
    /// transfer with.
    pub fn refuse(&self, code: u16, message: &str) -> anyhow::Error {
        let _ = self
            .socket
            .send_to(&packet::error(code, message), self.addr);
        anyhow::anyhow!("refused: {message}")
    }

    /// Tells the peer that writing failed (ERROR 3 when the disk is
    /// full), and returns the error.
    pub fn write_failed(&self, error: io::Error) -> anyhow::Error {
        let code = match error.kind() {
            ErrorKind::StorageFull => packet::DISK_FULL,
            _ => packet::NOT_DEFINED,
        };
        let _ = self
            .socket
            .send_to(&packet::error(code, &error.to_string()), self.addr);
        anyhow::Error::new(error).context("write the file")
    }

    /// Sends a request (RRQ or WRQ) to the server (`addr`) until it
    /// answers, and returns the answer's length in `buf` and its address:
    /// a new port, the server's transfer ID. (A request sent again is not
    /// counted in `resent`, which counts the transfer's packets.)
    pub fn request(
        &mut self,
        request: &[u8],
        buf: &mut [u8],
    ) -> Result<(usize, SocketAddr)> {
        self.send(request)?;
        loop {
            match self.recv_from(buf)? {
                Some((len, from)) if from.ip() == self.addr.ip() => {
                    self.progress();
                    return Ok((len, from));
                }
                Some(_) => {} // not from the server: not for us
                None => {
                    self.timed_out("request")?;
                    self.requests_resent += 1;
                    self.transmit(request)?;
                }
            }
        }
    }

    /// After the final ACK, our last packet: if it is lost, the sender
    /// sends its last block again. Wait a little (two round trips, at
    /// most the timeout) and answer any repeat with that ACK again;
    /// strangers cannot prolong it.
    pub fn dally(&mut self) {
        let mut buf = vec![0; crate::RECV_SIZE];
        let wait = (self.rto.wait() * 2).min(self.rto.ceiling());
        self.deadline = Instant::now() + wait;
        let last_ack = self.last_sent;
        let last_block = [&packet::DATA.to_be_bytes(), &last_ack[2..]].concat();
        while let Ok(Some((len, from))) = self.recv_from(&mut buf) {
            if from != self.addr {
                self.stranger(from, &buf[..len]);
            } else if buf[..len].starts_with(&last_block) {
                let _ = self.socket.send_to(&last_ack, self.addr);
            }
        }
    }
}

pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn is_reset(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    )
}

/// What a packet is, for a resend line: `block 37`, `ACK 36`, `OACK`.
fn describe(packet: &[u8]) -> String {
    let [a, b, c, d, ..] = head(packet);
    let number = u16::from_be_bytes([c, d]);
    match u16::from_be_bytes([a, b]) {
        packet::RRQ | packet::WRQ => "request".into(),
        packet::DATA => format!("block {number}"),
        packet::ACK => format!("ACK {number}"),
        packet::OACK => "OACK".into(),
        _ => "packet".into(),
    }
}

/// The slowest a server lets a transfer be (see `Peer::min_rate`).
#[derive(Clone, Copy, Debug)]
pub struct MinRate {
    pub grace: Duration,
    pub bytes: u64,
}

/// Prints a line about what `ip` did (a server's line for each transfer):
/// at most 5 a second for one client address, so that one client cannot
/// fill the log (issue 21 row 9); the table is new each second.
pub fn log(ip: IpAddr, line: &str) {
    type Shown = (Option<Instant>, HashMap<IpAddr, u32>);
    static SHOWN: Mutex<Option<Shown>> = Mutex::new(None);
    let mut shown = SHOWN.lock().unwrap_or_else(PoisonError::into_inner);
    let now = Instant::now();
    let (second, counts) = shown.get_or_insert_with(Default::default);
    if !second.is_some_and(|s| now - s < Duration::from_secs(1)) {
        (*second, *counts) = (Some(now), HashMap::new());
    }
    let count = counts.entry(ip).or_insert(0);
    *count += 1;
    if *count <= 5 {
        println!("{line}");
    } else if *count == 6 {
        println!("(more from {ip} this second, not shown)");
    }
}

/// Prints a line about a resend (or a refusal): at most 5 a second for
/// the whole program, so that a bad link or a flood cannot flood the
/// terminal too (resends are counted in each transfer's last line).
pub fn say(line: &str) {
    static SHOWN: Mutex<(Option<Instant>, u32)> = Mutex::new((None, 0));
    let mut shown = SHOWN.lock().unwrap_or_else(PoisonError::into_inner);
    let now = Instant::now();
    let (second, count) = &mut *shown;
    if !second.is_some_and(|s| now - s < Duration::from_secs(1)) {
        (*second, *count) = (Some(now), 0);
    }
    *count += 1;
    if *count <= 5 {
        println!("{line}");
    } else if *count == 6 {
        println!("(more this second, not shown)");
    }
}
