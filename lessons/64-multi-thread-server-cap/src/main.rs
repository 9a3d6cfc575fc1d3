//! 64-multi-thread-server-cap: 16 with a cap on the clients it serves.
//!
//! Part 2 (16 grows one idea): 16 gives every client a thread, so a few
//! hundred connections that say nothing take a few hundred threads and
//! sockets, until the system has none left. Here at most 500 clients are
//! served at once (`--max-clients N`): one over the cap is told `busy`
//! and closed at once, and the server goes on.
//!
//! Terminal 1: cargo run --bin 64-multi-thread-server-cap
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client

use netcommon::{printable, Args, Codec, Context, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::{sync::Arc, thread};

const USAGE: &str = "64-multi-thread-server-cap [BIND=0.0.0.0:7788] \
                     [--encoding LABEL]\n[--max-clients N]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let max_clients = args.option("--max-clients", 500); // at most
    let local_addr = args.next_addr("BIND", "0.0.0.0:7788");
    args.done();

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);

    // each client's thread holds a clone: the count is 1 + clients served
    let clients = Arc::new(());
    loop {
        // 4. wait for a client: accept returns a new socket just for it
        let accepted = tcp_server_socket.accept();
        let Ok((new_client_socket, client_addr)) = accepted else {
            continue; // that client left before it was taken: the next
        };
        println!("new client {client_addr}");
        // 4a. over the cap: say so now, rather than let it wait unanswered
        let client = Arc::clone(&clients); // + this new client
        if Arc::strong_count(&clients) - 1 > max_clients {
            let busy = format!("busy: {max_clients} clients, try later\n");
            let _ = (&new_client_socket).write_all(busy.as_bytes());
            println!("client {client_addr}: busy, closed");
            continue;
        }
        // 5. a new thread serves it; this one goes back to accept at once
        let serve = move || {
            let result = serve_client(new_client_socket, codec);
            drop(client); // one fewer, before it says so: a next may come
            match result {
                Ok(()) => println!("client {client_addr} left"),
                Err(error) => println!("client {client_addr}: {error}"),
            }
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
