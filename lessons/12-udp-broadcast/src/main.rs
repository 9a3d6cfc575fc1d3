//! 12-udp-broadcast: 01 with `SO_BROADCAST`: one datagram, every receiver.
//!
//! Tutorial: 001 §三.5 "udp 广播" and 003 "广播" (only UDP can broadcast).
//! A datagram sent to the broadcast address 255.255.255.255 reaches every
//! host on the local network segment; the socket must first be allowed to
//! broadcast. Every 02 listening on the port gets each line.
//!
//! CAREFUL: the default really goes to the whole network you are on.
//! On one machine use the loopback broadcast address instead:
//! Terminal 1: cargo run --bin 02-udp-recv
//! Terminal 2: cargo run --bin 12-udp-broadcast -- 127.255.255.255:8080

use netcommon::{input_lines, Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str =
    "12-udp-broadcast [DEST=255.255.255.255:8080] [--encoding LABEL]";
const NO_NETWORK: &str = " (no network here? try your network's broadcast \
                          address, `ip addr` shows it as brd, or \
                          127.255.255.255:8080)";

fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let dest_addr = args.addr("DEST");
    let codec = args.encoding();

    // 1. create the UDP socket and 2. allow it to send broadcasts
    let udp_socket = UdpSocket::bind("0.0.0.0:0")?;
    udp_socket.set_broadcast(true)?;

    // 3. read what to send from the keyboard, until `exit`
    for send_data in input_lines("data to broadcast: ") {
        // 4. one datagram, delivered to every host on the segment
        let sent = udp_socket.send_to(&codec.encode(&send_data), dest_addr);
        let hint = match dest_addr.ip().is_loopback() {
            true => "",
            false => NO_NETWORK, // a machine or lab with no such route
        };
        sent.with_context(|| format!("{dest_addr}{hint}"))?;
    }
    Ok(())
}
