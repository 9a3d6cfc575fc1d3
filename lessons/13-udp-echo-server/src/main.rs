//! 13-udp-echo-server: send every datagram back to whoever sent it.
//!
//! Tutorial: 003 "echo服务器" (回声: what arrives goes back unchanged).
//! 02 plus one `send_to`: the address `recv_from` returns is where the
//! answer goes. A sender that did not bind still gets its echo: the system
//! gave it a port, and that port is in the datagram.
//!
//! Terminal 1: cargo run --bin 13-udp-echo-server
//! Terminal 2: cargo run --bin 11-udp-chat-threads -- 0 127.0.0.1:8080
//! Stop it with Ctrl-C.

use netcommon::{printable, Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str = "13-udp-echo-server [BIND=0.0.0.0:8080] [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("BIND", "0.0.0.0:8080");
    args.done();

    // 1. create the UDP socket and 2. bind it to a fixed port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    // room for the largest datagram (65507 bytes): nothing gets cut off
    let mut buf = vec![0; 65536];
    loop {
        // 3. wait for a datagram; keep only the bytes received
        let (len, src_addr) = match udp_socket.recv_from(&mut buf) {
            Ok(received) => received,
            // Windows says here that an earlier echo found no one
            // listening (error 10054): not the end, wait for the next
            Err(error) => {
                println!("receive failed: {error}");
                continue;
            }
        };
        let recv_data = &buf[..len];

        // 4. show it as text, on one line
        println!("from {src_addr}: {}", printable(&codec.decode(recv_data)));

        // 5. send the same bytes back to the sender
        udp_socket.send_to(recv_data, src_addr).context(src_addr)?;
    }
}
