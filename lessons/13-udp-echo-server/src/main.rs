//! 13-udp-echo-server: send every datagram back to whoever sent it.
//!
//! Tutorial: 003 "echo服务器" (回声: what arrives goes back unchanged).
//! 02 plus one `send_to`: the address `recv_from` returns is where the
//! answer goes. A sender that did not bind still gets its echo: the system
//! gave it a port, and that port is in the datagram.
//!
//! Terminal 1: cargo run --bin 13-udp-echo-server
//! Terminal 2: nc -u 127.0.0.1 8080   (type lines; each comes back)

use netcommon::{Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str = "13-udp-echo-server [BIND=0.0.0.0:8080] [--encoding LABEL]";

fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let local_addr = args.addr("BIND");
    let codec = args.encoding();

    // 1. create the UDP socket and 2. bind it to a fixed port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    let mut buf = vec![0; 65536];
    loop {
        // 3. wait for a datagram; keep only the bytes received
        let (len, src_addr) = udp_socket.recv_from(&mut buf)?;
        let recv_data = &buf[..len];
        println!("from {src_addr}: {}", codec.decode(recv_data));

        // 4. send the same bytes back to the sender
        if let Err(error) = udp_socket.send_to(recv_data, src_addr) {
            println!("cannot answer {src_addr}: {error}");
        }
    }
}
