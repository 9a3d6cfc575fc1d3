//! 05-tcp-client: connect to a server, send what you type, show replies.
//!
//! Tutorial: 000 §2.2 "tcp 客户端" (05-tcp客户端-client; also 001, 002).
//! TCP needs one step UDP did not: `connect` first. After that, `write`
//! and `read` need no address: the connection knows its peer.
//!
//! Terminal 1: cargo run --bin 08-tcp-server-multi
//! Terminal 2: cargo run --bin 05-tcp-client
//! Type `exit` or press Ctrl-D to stop.

use netcommon::{bail, input_lines, printable, Args, Context, Result};
use std::io::{Read, Write};
use std::net::TcpStream;

const USAGE: &str = "05-tcp-client [SERVER=127.0.0.1:7788] [--encoding LABEL]";
const CLOSED: &str = "the server closed the connection";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let server_addr = args.next_addr("SERVER", "127.0.0.1:7788");
    args.done();

    // 1. create the TCP socket and 2. connect to the server
    let mut tcp_socket =
        TcpStream::connect(server_addr).context(server_addr)?;
    println!("connected to {server_addr}");

    let mut buf = [0; 1024];
    // 3. read what to send from the keyboard, until `exit`
    for send_data in input_lines("data to send: ") {
        // 4. send it, 5. wait for the reply, 6. 0 bytes: the server closed
        tcp_socket
            .write_all(&codec.encode(&send_data))
            .context(CLOSED)?;
        let len = tcp_socket.read(&mut buf).context(CLOSED)?;
        if len == 0 {
            bail!(CLOSED);
        }
        // shown escaped: a reply cannot steer the terminal (colours, title)
        println!("reply: {}", printable(&codec.decode(&buf[..len])));
    }
    // 7. the socket is closed when `tcp_socket` goes out of scope
    Ok(())
}
