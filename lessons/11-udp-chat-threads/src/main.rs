//! 11-udp-chat-threads: 04 made full-duplex with a second thread.
//!
//! Tutorial: 000 §1.6 "应用：udp 聊天器", its 多线程版本 (threaded version).
//! 04 could either send or receive. Here one thread waits for messages and
//! prints them as they arrive, while the main thread reads what you type and
//! sends it: the socket is shared (`try_clone`), the menu is gone.
//!
//! Terminal 1: cargo run --bin 11-udp-chat-threads
//! Terminal 2: cargo run --bin 11-udp-chat-threads -- 8877 127.0.0.1:7788
//! Type `exit` or press Ctrl-D to stop.

use netcommon::{input_lines, printable, Args, Codec, Context, Result};
use std::net::UdpSocket;
use std::thread;

const USAGE: &str = "11-udp-chat-threads [LOCAL=0.0.0.0:7788] \
                     [PEER=127.0.0.1:8877]\n[--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("LOCAL", "0.0.0.0:7788");
    let dest_addr = args.next_addr("PEER", "127.0.0.1:8877");
    args.done();

    // 1. create the UDP socket and 2. bind it, so the peer can answer
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    // 3. a second thread receives and prints, whatever this one does
    let recv_socket = udp_socket.try_clone()?;
    thread::spawn(move || loop {
        recv_msg(&recv_socket, codec)
    });

    // 4. this thread reads the keyboard and sends, until `exit`
    for send_data in input_lines("") {
        let sent = udp_socket.send_to(&codec.encode(&send_data), dest_addr);
        sent.context(dest_addr)?;
    }
    Ok(()) // returning from main ends the receiving thread too
}

/// Waits (blocks) for one message and prints it with its sender. A failed
/// receive is shown and the wait goes on (on Windows, a datagram our peer
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
