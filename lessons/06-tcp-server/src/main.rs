//! 06-tcp-server: wait for one client, answer it once, and exit.
//!
//! Tutorial: 000 §2.3 "tcp 服务器" (06-tcp服务器-server; also 001, 002).
//! The tutorial's six steps: socket, bind, listen, accept, recv/send,
//! close. `accept` returns a NEW socket for the client; the listening
//! socket only takes new connections.
//!
//! Terminal 1: cargo run --bin 06-tcp-server
//! Terminal 2: cargo run --bin 05-tcp-client

use netcommon::{printable, Args, Codec, Context, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

const USAGE: &str = "06-tcp-server [BIND=0.0.0.0:7788] [--encoding LABEL]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("BIND", "0.0.0.0:7788");
    args.done();

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);

    // 4. wait for a client: accept returns a new socket just for it
    let (new_client_socket, client_addr) = tcp_server_socket.accept()?;
    println!("new client {client_addr}");
    match serve_client(new_client_socket, codec) {
        Ok(()) => println!("client {client_addr} served"),
        Err(error) => println!("client {client_addr}: {error}"),
    }
    Ok(())
}

/// 5. receive once and answer, 6. close the client's socket (on return)
fn serve_client(mut new_client_socket: TcpStream, codec: Codec) -> Result {
    let mut buf = [0; 1024];
    let len = new_client_socket.read(&mut buf)?;
    let recv_data = codec.decode(&buf[..len]);
    println!("received: {}", printable(&recv_data));
    let send_data = format!("received: {recv_data}");
    new_client_socket.write_all(&codec.encode(&send_data))?;
    Ok(())
}
