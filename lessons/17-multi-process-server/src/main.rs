//! 17-multi-process-server: 16, with a child process per client.
//!
//! Tutorial: 003 "多进程服务器" (one `Process` per client, SO_REUSEADDR).
//! The parent accepts; a thread starts a child (this same program) with
//! the client's socket as its stdin, where the child serves it. The parent
//! closes its own copy, as the tutorial's `newSocket.close()` does, and the
//! thread waits for the child, so a finished child is reaped at once and
//! never lingers as a zombie. Unix only (fork, and a socket as stdin).
//!
//! Terminal 1: cargo run --bin 17-multi-process-server
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client   (then run `ps`)

// elsewhere only the `main` that says so is compiled in
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use netcommon::{anyhow, idle, idle_timeout, printable, Args, Codec};
use netcommon::{Context, Result};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
#[cfg(unix)]
use std::os::fd::{AsFd, OwnedFd};
use std::process::Command;
use std::sync::Arc;
use std::{env, thread};

const USAGE: &str = "17-multi-process-server [BIND=0.0.0.0:7788] \
                     [--encoding LABEL] [--max-clients N]";
const IDLE_SECS: u64 = 600; // a student may pause to think
const MAX_CLIENTS: usize = 500; // child processes at most
const IN_CHILD: &str = "SERVE_CLIENT_ON_STDIN"; // the client, for a child

#[cfg(unix)]
fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let local_addr = args.addr("BIND");
    let codec = args.encoding();
    let max_clients = args.option("--max-clients", MAX_CLIENTS);
    if let Ok(client_addr) = env::var(IN_CHILD) {
        // 6. in the child: stdin is the client's socket
        let socket = io::stdin().as_fd().try_clone_to_owned()?;
        let served = serve_client(TcpStream::from(socket), codec);
        // its error line names its client (`main` prints it, exit 1)
        return served.map_err(|e| anyhow!("client {client_addr}: {e}").into());
    }

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);

    // each client's thread holds a clone: the count is 1 + clients served
    let clients = Arc::new(());
    loop {
        // 4. wait for a client: accept returns a new socket just for it
        let (new_client_socket, client_addr) = tcp_server_socket.accept()?;
        println!("new client {client_addr}");
        if Arc::strong_count(&clients) > max_clients {
            // over the cap: say so now, rather than let it wait unanswered
            let busy = format!("busy: {max_clients} clients, try later\n");
            let _ = (&new_client_socket).write_all(busy.as_bytes());
            println!("client {client_addr}: busy, closed");
            continue;
        }
        let client = Arc::clone(&clients);
        // 5. a new thread starts a child process for it, and waits for it
        let spawned = thread::Builder::new().spawn(move || {
            match serve_in_child(new_client_socket, client_addr) {
                Ok(()) => println!("client {client_addr} left"),
                Err(error) => println!("client {client_addr}: {error}"),
            }
            drop(client); // one client fewer
        });
        if let Err(error) = spawned {
            println!("client {client_addr}: no thread: {error}");
        }
    }
}

#[cfg(not(unix))]
fn main() {
    eprintln!(
        "Error: 17-multi-process-server needs Unix (fork, and a socket \
         handed to a child as its stdin): use 16-multi-thread-server"
    );
    std::process::exit(1);
}

/// 5. (in the thread) a child, this same program, serves the client
#[cfg(unix)]
fn serve_in_child(socket: TcpStream, client_addr: SocketAddr) -> Result {
    // the socket is the child's stdin; the parent's copy closes with the
    // Command, once the child has started
    let mut child = Command::new(env::current_exe()?)
        .args(env::args_os().skip(1))
        .env(IN_CHILD, client_addr.to_string())
        .stdin(OwnedFd::from(socket))
        .spawn()
        .context("no child process")?;
    println!("client {client_addr}: child pid {}", child.id());
    let status = child.wait()?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(anyhow!("child exited with status {code}"))?,
        None => Err(anyhow!("child ended by {status}"))?,
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
