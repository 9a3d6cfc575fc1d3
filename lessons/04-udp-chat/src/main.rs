//! 04-udp-chat: a menu chat that can send or receive, not both at once.
//!
//! Tutorial: 000 §1.6 "应用：udp 聊天器" (also 001 §4 "udp 聊天室").
//! One socket both sends and receives (a socket is full-duplex), but the
//! program is half-duplex: while it waits in "2: receive" nothing you type
//! is sent (the line waits, and becomes the next menu choice), and while
//! you type, messages that arrive wait in the socket's buffer.
//! 11-udp-chat-threads fixes that with two threads.
//!
//! Terminal 1: cargo run --bin 04-udp-chat
//! Terminal 2: cargo run --bin 04-udp-chat -- 8877 127.0.0.1:7788

use netcommon::{input, printable, Args, Codec, Context, Result};
use std::net::{SocketAddr, UdpSocket};

const USAGE: &str = "04-udp-chat [LOCAL=0.0.0.0:7788] [PEER=127.0.0.1:8877] \
                     [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("LOCAL", "0.0.0.0:7788");
    let dest_addr = args.next_addr("PEER", "127.0.0.1:8877");
    args.done();

    // 1. create the UDP socket and 2. bind it, so the peer can answer
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    // 3. the menu: send, receive or quit
    loop {
        println!("1: send  2: receive  3: quit");
        match input("choose: ")?.as_deref().map(str::trim) {
            Some("1") => send_msg(&udp_socket, dest_addr, codec)?,
            Some("2") => recv_msg(&udp_socket, codec),
            Some("3") | None => return Ok(()),
            Some(other) => println!("unknown choice {other:?}"),
        }
    }
}

/// Reads one message from the keyboard and sends it to the peer.
fn send_msg(udp_socket: &UdpSocket, dest: SocketAddr, codec: Codec) -> Result {
    let send_data = input("message: ")?.unwrap_or_default();
    let sent = udp_socket.send_to(&codec.encode(&send_data), dest);
    sent.context(dest)?;
    Ok(())
}

/// Waits (blocks) for one message and prints it with its sender. A failed
/// receive is shown and the menu goes on (on Windows, a datagram our peer
/// could not take comes back as an error on the next receive).
fn recv_msg(udp_socket: &UdpSocket, codec: Codec) {
    let mut buf = vec![0; 65536];
    match udp_socket.recv_from(&mut buf) {
        Ok((len, src_addr)) => {
            let recv_data = codec.decode(&buf[..len]);
            println!("{src_addr}: {}", printable(&recv_data));
        }
        Err(error) => println!("receive failed: {error}"),
    }
}
