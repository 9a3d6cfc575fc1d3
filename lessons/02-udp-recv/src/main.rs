//! 02-udp-recv: print every datagram that arrives, with its sender.
//!
//! Tutorial: 000 §1.4.1.2 "udp 网络程序-接收数据" (also 002).
//! A receiver must `bind` a fixed port, or nobody knows where to send.
//! Each datagram is shown twice: its raw bytes as Python prints them
//! (`b'\xc4\xe3\xba\xc3'` is "你好" in GBK), then decoded as text.
//!
//! Terminal 1: cargo run --bin 02-udp-recv
//! Terminal 2: cargo run --bin 01-udp-send
//! Stop it with Ctrl-C.

use netcommon::{printable, Args, Context, Result};
use std::net::UdpSocket;

const USAGE: &str = "02-udp-recv [BIND=0.0.0.0:8080] [--encoding LABEL]";

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
        let (len, src_addr) = udp_socket.recv_from(&mut buf)?;
        let recv_data = &buf[..len];

        // 4. show it raw, then as text
        println!("from {src_addr}: {}", py_bytes(recv_data));
        println!("{}", printable(&codec.decode(recv_data)));
    }
}

/// Raw bytes the way Python prints them: `b'\xc4\xe3\xba\xc3'`
fn py_bytes(data: &[u8]) -> String {
    let shown = data.escape_ascii().to_string();
    match data.contains(&b'\'') && !data.contains(&b'"') {
        true => format!("b\"{}\"", shown.replace("\\'", "'")),
        false => format!("b'{}'", shown.replace("\\\"", "\"")),
    }
}
