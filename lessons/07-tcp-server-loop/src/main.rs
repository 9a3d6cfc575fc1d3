//! 07-tcp-server-loop: 06 in a loop: many clients, one after another.
//!
//! Tutorial: 000 §2.3 "服务多个客服，但只服务一次" (07-tcp服务端-循环服务).
//! Each client is served once, then its socket is closed; the listening
//! socket stays open for the next one. A client that fails is logged and
//! the server goes on.
//!
//! Terminal 1: cargo run --bin 07-tcp-server-loop
//! Terminal 2: cargo run --bin 05-tcp-client  (run it several times)

use netcommon::{printable, Args, Codec, Context, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

const USAGE: &str = "07-tcp-server-loop [BIND=0.0.0.0:7788] [--encoding LABEL]";

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
            Ok(()) => println!("client {client_addr} served"),
            Err(error) => println!("client {client_addr}: {error}"),
        }
    }
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
