//! TFTP (RFC 1350) for 14-tftp-client and 15-tftp-server: the packets,
//! the options, and the block-by-block transfer both lessons run. The
//! lessons build their own requests and decide what to answer; this crate
//! holds what both would otherwise write twice. Read `packet.rs` first,
//! then `transfer.rs`.

pub mod files;
pub mod netascii;
pub mod options;
pub mod packet;
pub mod transfer;

pub use options::{window_fits, Options, MAX_BLKSIZE, PEER_BUFFER};
pub use packet::Packet;
pub use transfer::{dally, receive_file, send_file, send_oack, Peer, TRIES};

use anyhow::{bail, Context, Result};
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

/// The largest packet: a DATA block of MAX_BLKSIZE plus its 4-byte head.
pub const MAX_PACKET: usize = MAX_BLKSIZE + 4;

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

/// Sends a request (RRQ or WRQ) to the server until it answers. The
/// answer comes from a new port: the server's transfer ID, the address of
/// the rest of the transfer. Returns the answer's length in `buf` and
/// that address.
pub fn request(
    socket: &UdpSocket,
    server: SocketAddr,
    request: &[u8],
    timeout: Duration,
    buf: &mut [u8],
) -> Result<(usize, SocketAddr)> {
    socket.set_read_timeout(Some(timeout))?;
    for _ in 0..TRIES {
        socket.send_to(request, server).context(server)?;
        loop {
            match socket.recv_from(buf) {
                Ok((len, from)) if from.ip() == server.ip() => {
                    return Ok((len, from));
                }
                Ok(_) => {} // not from the server: ignore
                Err(e) if transfer::is_timeout(&e) => break,
                Err(e) => return Err(e).context(server),
            }
        }
    }
    bail!("no answer from {server} after {TRIES} tries")
}
