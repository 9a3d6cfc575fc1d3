//! 08-tcp-server-multi: 07, but each client is served until it closes.
//!
//! Tutorial: 000 §2.3 "服务多个客服，服务多次"
//! (08-tcp服务端-循环服务并且多次为一个客户服务; also 001 §4).
//! `read` returning 0 bytes means the client closed its socket: that is how
//! the server knows it is done. Still one client at a time: a second client
//! waits until the first leaves (16-multi-thread-server fixes that).
//!
//! Terminal 1: cargo run --bin 08-tcp-server-multi
//! Terminal 2: cargo run --bin 05-tcp-client

use netcommon::{printable, Args, Codec, Context, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

const USAGE: &str =
    "08-tcp-server-multi [BIND=0.0.0.0:7788] [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("BIND", "0.0.0.0:7788");
    args.done();

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);

    loop {
        // 4. wait for a client: accept returns a new socket just for it
        let accepted = tcp_server_socket.accept();
        let Ok((new_client_socket, client_addr)) = accepted else {
            continue; // that client left before it was taken: the next
        };
        println!("new client {client_addr}");
        match serve_client(new_client_socket, codec) {
            Ok(()) => println!("client {client_addr} left"),
            Err(error) => println!("client {client_addr}: {error}"),
        }
    }
}

/// 5. answer each message until the client closes, 6. close (on return)
fn serve_client(mut new_client_socket: TcpStream, codec: Codec) -> Result {
    let mut buf = [0; 1024];
    loop {
        let len = new_client_socket.read(&mut buf)?;
        if len == 0 {
            return Ok(()); // the client closed its socket
        }
        let recv_data = codec.decode(&buf[..len]);
        println!("received: {}", printable(&recv_data));
        let send_data = format!("received: {recv_data}");
        let send_data = codec.encode(&send_data);
        new_client_socket.write_all(&send_data)?;
    }
}
