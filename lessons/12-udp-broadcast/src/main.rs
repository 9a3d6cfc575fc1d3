//! 12-udp-broadcast: 01 plus `SO_BROADCAST`: one datagram, every receiver.
//!
//! Tutorial: 001 §三.5 "udp 广播" and 003 "广播" (only UDP can broadcast).
//! A datagram sent to a broadcast address reaches every host of the local
//! network, and on each the program bound to its port. The socket must
//! first be allowed to broadcast: without it the system refuses the send,
//! as it refuses 01's.
//!
//! CAREFUL: the default really goes to the whole network you are on.
//! On one machine use the loopback broadcast address instead:
//! Terminal 1: cargo run --bin 02-udp-recv
//! Terminal 2: cargo run --bin 12-udp-broadcast -- 127.255.255.255:8080
//! Type `exit` or press Ctrl-D to stop.

use netcommon::{input_lines, Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str =
    "12-udp-broadcast [DEST=255.255.255.255:8080] [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let dest_addr = args.next_addr("DEST", "255.255.255.255:8080");
    args.done();

    // 1. create the UDP socket (port 0: the system picks one)
    let udp_socket = UdpSocket::bind("0.0.0.0:0")?;
    // 1a. allow it to send to a broadcast address (SO_BROADCAST)
    udp_socket.set_broadcast(true)?;

    // 2. read what to send from the keyboard, until `exit`
    for send_data in input_lines("data to send: ") {
        // 3. send it as one datagram to the destination
        let sent = udp_socket.send_to(&codec.encode(&send_data), dest_addr);
        sent.context(dest_addr)?;
    }
    // 4. the socket is closed when `udp_socket` goes out of scope
    Ok(())
}
