//! 65-multi-thread-server-timeout: 64, and a silent client is let go.
//!
//! Part 2 (64 grows one idea): 64's cap holds, but a client that says
//! nothing keeps its place for ever, so a few silent connections make the
//! server answer `busy` to everybody. Here a client silent for 600 s
//! (`IDLE_TIMEOUT_SECS`) is closed, and so is one that never reads its
//! answers; a failed `accept` is said once and tried every 100 ms rather
//! than at once, in a loop that would burn a CPU.
//!
//! Terminal 1: cargo run --bin 65-multi-thread-server-timeout
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client

use netcommon::{printable, Args, Codec, Context, Result};
use patience::{idle, idle_timeout};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::{sync::Arc, thread};

const USAGE: &str = "65-multi-thread-server-timeout [BIND=0.0.0.0:7788] \
                     [--encoding LABEL]\n[--max-clients N]";
const IDLE_SECS: u64 = 600; // a student may pause to think

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
        // (if it fails, e.g. out of file descriptors: say so, wait, retry)
        let (new_client_socket, client_addr) =
            patience::until_accepted(|| tcp_server_socket.accept());
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
    let timeout = Some(idle_timeout(IDLE_SECS));
    new_client_socket.set_read_timeout(timeout)?;
    new_client_socket.set_write_timeout(timeout)?;
    let client_addr = new_client_socket.peer_addr()?;
    let mut buf = [0; 1024];
    loop {
        let len = new_client_socket.read(&mut buf).map_err(idle)?;
        if len == 0 {
            return Ok(()); // the client closed its socket
        }
        let recv_data = codec.decode(&buf[..len]);
        println!("{client_addr}: {}", printable(&recv_data));
        let send_data = format!("received: {recv_data}");
        let send_data = codec.encode(&send_data);
        new_client_socket.write_all(&send_data).map_err(idle)?;
    }
}
