//! 05-tcp-client: connect to a server, send what you type, show replies.
//!
//! Tutorial: 000 §2.2 "tcp 客户端" (05-tcp客户端-client; also 001, 002).
//! TCP needs one step UDP did not: `connect` first. After that, `write`
//! and `read` need no address: the connection knows its peer.
//!
//! Terminal 1: cargo run --bin 08-tcp-server-multi
//! Terminal 2: cargo run --bin 05-tcp-client
//! Type `exit` or press Ctrl-D to stop.

use netcommon::{input, Args, Context, Result};
use std::io::{Read, Write};
use std::net::TcpStream;

const USAGE: &str =
    "usage: 05-tcp-client [SERVER=127.0.0.1:7788] [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::parse(USAGE);
    let server_addr = args.addr("127.0.0.1:7788");
    let codec = args.encoding();
    args.finish();

    // 1. create the TCP socket and 2. connect to the server
    let mut tcp_socket = TcpStream::connect(server_addr)
        .with_context(|| format!("cannot connect to {server_addr}"))?;
    println!("connected to {server_addr}");

    let mut buf = [0; 1024];
    while let Some(send_data) = input("data to send: ")? {
        if send_data == "exit" {
            break;
        }
        if send_data.is_empty() {
            continue; // sending nothing would wait forever for a reply
        }
        // 3. send the data, 4. wait for the reply
        let closed = || format!("server {server_addr} closed the connection");
        tcp_socket
            .write_all(&codec.encode(&send_data))
            .with_context(closed)?;
        let len = tcp_socket.read(&mut buf).with_context(closed)?;
        if len == 0 {
            println!("{}", closed());
            break;
        }
        println!("reply: {}", codec.decode(&buf[..len]));
    }
    // 5. the socket is closed when `tcp_socket` goes out of scope
    Ok(())
}
