//! 03-udp-bind: 01 plus `bind`: the sender keeps the same port every run.
//!
//! Tutorial: 000 §1.5 "udp 绑定信息" (also 001 §2, 002).
//! Run it twice: 02 shows the same sender port each time, where 01 got a
//! new one from the system on every run.
//!
//! Terminal 1: cargo run --bin 02-udp-recv
//! Terminal 2: cargo run --bin 03-udp-bind
//! Type `exit` or press Ctrl-D to stop.

use netcommon::{input_lines, Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str = "03-udp-bind [DEST=127.0.0.1:8080] [LOCAL=0.0.0.0:7788] \
                     [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let dest_addr = args.next_addr("DEST", "127.0.0.1:8080");
    let local_addr = args.next_addr("LOCAL", "0.0.0.0:7788");
    args.done();

    // 1. create the UDP socket, bound to a fixed local port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("sending from {}", udp_socket.local_addr()?);

    // 2. read what to send from the keyboard, until `exit`
    for send_data in input_lines("data to send: ") {
        // 3. send it as one datagram to the destination
        let sent = udp_socket.send_to(&codec.encode(&send_data), dest_addr);
        sent.context(dest_addr)?;
    }
    // 4. the socket is closed when `udp_socket` goes out of scope
    Ok(())
}
