//! 24-udp-echo-server-quiet: send every datagram back to whoever sent it.
//!
//! Tutorial: 003 "echo服务器" (回声: what arrives goes back unchanged).
//! 02 plus one `send_to`: the address `recv_from` returns is where the
//! answer goes. A sender that did not bind still gets its echo: the system
//! gave it a port, and that port is in the datagram. A source address can
//! be forged, so the server never answers another server (an echo loop).
//!
//! Terminal 1: cargo run --bin 24-udp-echo-server-quiet
//! Terminal 2: nc -u 127.0.0.1 8080   (type lines; each comes back)

use netcommon::{printable, Args, Context, Result};
use std::collections::HashMap;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

const USAGE: &str =
    "24-udp-echo-server-quiet [BIND=0.0.0.0:8080] [--encoding LABEL]";
const MAX_ANSWERS: u32 = 100; // to one address in one second

fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let local_addr = args.addr("BIND");
    let codec = args.encoding();

    // 1. create the UDP socket and 2. bind it to a fixed port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);
    let my_port = udp_socket.local_addr()?.port();

    let mut buf = vec![0; 65536];
    let (mut second, mut answered) = (Instant::now(), HashMap::new());
    loop {
        // 3. wait for a datagram; keep only the bytes received
        let (len, src_addr) = match udp_socket.recv_from(&mut buf) {
            Ok(received) => received,
            Err(error) => {
                // Windows reports here that an earlier answer found no
                // one listening (error 10054): go on with the next one
                println!("receive failed: {error}");
                continue;
            }
        };
        let recv_data = &buf[..len];
        let text = codec.decode(recv_data);
        let text = printable(&text); // one line, no terminal escapes

        // never answer a server's port (ours, echo 7, chargen 19 ...), nor
        // one address over MAX_ANSWERS times a second (another echo server
        // on any port): two echo servers would answer each other forever
        if second.elapsed() >= Duration::from_secs(1) {
            (second, answered) = (Instant::now(), HashMap::new());
        }
        let count = answered.entry(src_addr).or_insert(0);
        *count += 1;
        let port = src_addr.port();
        let refused = if port == my_port || port < 1024 {
            "a server's port"
        } else if *count > MAX_ANSWERS {
            "over 100 a second"
        } else {
            ""
        };
        if !refused.is_empty() {
            println!("from {src_addr} (not answered: {refused}): {text}");
            continue;
        }
        println!("from {src_addr}: {text}");

        // 4. send the same bytes back to the sender
        if let Err(error) = udp_socket.send_to(recv_data, src_addr) {
            println!("cannot answer {src_addr}: {error}");
        }
    }
}
