//! 01-udp-send: type lines, each one leaves as one UDP datagram.
//!
//! Tutorial: 000 §1.4.1.1 "udp 网络程序-发送数据" (also 001, 002).
//! The first program: create a UDP socket, `send_to` an address. No bind:
//! the system picks the sending port, a new one every run.
//!
//! Terminal 1: cargo run --bin 02-udp-recv
//! Terminal 2: cargo run --bin 01-udp-send
//! Type `exit` or press Ctrl-D to stop.

use netcommon::{input_lines, Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str = "01-udp-send [DEST=127.0.0.1:8080] [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let dest_addr = args.next_addr("DEST", "127.0.0.1:8080");
    args.done();

    // 1. create the UDP socket (port 0: the system picks one)
    let udp_socket = UdpSocket::bind("0.0.0.0:0")?;

    // 2. read what to send from the keyboard, until `exit`
    for send_data in input_lines("data to send: ") {
        // 3. send it as one datagram to the destination
        let sent = udp_socket.send_to(&codec.encode(&send_data), dest_addr);
        sent.context(dest_addr)?;
    }
    // 4. the socket is closed when `udp_socket` goes out of scope
    Ok(())
}
