//! TFTP (RFC 1350) for 14-tftp-client and 15-tftp-server: the packets,
//! the options, the other end of a transfer with its timeouts, and the
//! sending side of a transfer. Read `packet.rs` first, then `peer.rs` and
//! `transfer.rs`.
//!
//! Where the receiving side is, and why: the tutorial's subject is the
//! download loop (receive, unpack, write, acknowledge, stop on a short
//! block), so that loop is written out in lesson 14's own `main.rs`
//! (`receive_file`), where the student reads it. 15 receives uploads
//! with that very function: its `main.rs` includes 14's as a module. So
//! there is one receiving loop, the one in the lesson, and one sending
//! loop, `transfer::send_file` here (14's `--put`, 15's downloads); what
//! both sides need (timeouts, resends, a stranger's packets) is `Peer`.
//! A copy of the receiving loop in this crate would drift from the one
//! the students read.

pub mod files;
pub mod netascii;
pub mod options;
pub mod packet;
pub mod peer;
pub mod rto;
pub mod safe;
pub mod slots;
pub mod transfer;

pub use options::PEER_BUFFER;
pub use options::{default_timeout, window_fits, Options, MAX_BLKSIZE};
pub use packet::Packet;
pub use peer::{Peer, TRIES};
pub use slots::Slots;
pub use transfer::{send_file, send_oack, Progress};

use anyhow::{Context, Result};
use std::net::{SocketAddr, UdpSocket};

/// The largest packet: a DATA block of MAX_BLKSIZE plus its 4-byte head.
pub const MAX_PACKET: usize = MAX_BLKSIZE + 4;

/// A receive buffer that holds any UDP datagram, so that nothing a peer
/// or a stranger sends is cut short (Windows fails such a receive).
pub const RECV_SIZE: usize = 65536;

/// A UDP socket bound to `addr` with big buffers, so that a window of
/// large blocks fits: it asks for 4 MiB each way. The system may grant
/// less (net.core.rmem_max); `receive_buffer` says what it gave.
pub fn bind(addr: SocketAddr) -> Result<UdpSocket> {
    let socket = UdpSocket::bind(addr).context(addr)?;
    let buffers = socket2::SockRef::from(&socket);
    buffers.set_recv_buffer_size(4 << 20)?;
    buffers.set_send_buffer_size(4 << 20)?;
    Ok(socket)
}

/// How many bytes of datagrams the socket can hold before it drops any.
pub fn receive_buffer(socket: &UdpSocket) -> usize {
    let buffer = socket2::SockRef::from(socket).recv_buffer_size();
    buffer.unwrap_or(options::PEER_BUFFER)
}
