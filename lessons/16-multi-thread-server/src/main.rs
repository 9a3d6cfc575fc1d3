//! 16-multi-thread-server: 08's service for many clients at once.
//!
//! Tutorial: 000 §2.3 "如果需要同时服务多个客户并且服务多次，这需要引入多线程"
//! (to serve many clients at once, bring in threads). 08 plus one idea:
//! each accepted client gets its own thread, and the main thread goes
//! straight back to `accept`.
//!
//! Terminal 1: cargo run --bin 16-multi-thread-server
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client

use netcommon::{printable, Args, Codec, Context, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

const USAGE: &str =
    "16-multi-thread-server [BIND=0.0.0.0:7788] [--encoding LABEL]";

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
        // 5. a new thread serves it; this one goes back to accept at once
        let serve = move || match serve_client(new_client_socket, codec) {
            Ok(()) => println!("client {client_addr} left"),
            Err(error) => println!("client {client_addr}: {error}"),
        };
        if let Err(error) = thread::Builder::new().spawn(serve) {
            println!("client {client_addr}: no thread: {error}");
        }
    }
}

/// 6. answer each message until the client closes, 7. close (on return)
fn serve_client(mut new_client_socket: TcpStream, codec: Codec) -> Result {
    let client_addr = new_client_socket.peer_addr()?;
    let mut buf = [0; 1024];
    loop {
        let len = new_client_socket.read(&mut buf)?;
        if len == 0 {
            return Ok(()); // the client closed its socket
        }
        let recv_data = codec.decode(&buf[..len]);
        println!("{client_addr}: {}", printable(&recv_data));
        let send_data = format!("received: {recv_data}");
        let send_data = codec.encode(&send_data);
        new_client_socket.write_all(&send_data)?;
    }
}
