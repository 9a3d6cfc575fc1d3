//! 45-multi-process-server-orphans: 16, with a child process per client.
//!
//! Tutorial: 003 "多进程服务器" (one `Process` per client, SO_REUSEADDR).
//! The parent accepts; a thread starts a child (this same program) with
//! the client's socket as its stdin, where the child serves it. The parent
//! closes its own copy, as the tutorial's `newSocket.close()` does, and the
//! thread waits for the child, so a finished child is reaped at once and
//! never lingers as a zombie. Unix only (fork, and a socket as stdin).
//!
//! Terminal 1: cargo run --bin 45-multi-process-server-orphans
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client   (then run `ps`)

// elsewhere only the `main` that says so is compiled in
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use netcommon::{anyhow, idle, idle_timeout, printable, Args, Codec};
use netcommon::{Context, Result};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::{env, process::Command, sync::Arc, thread};

const USAGE: &str = "45-multi-process-server-orphans [BIND=0.0.0.0:7788] \
                     [--encoding LABEL] [--max-clients N]";
const IDLE_SECS: u64 = 600; // a student may pause to think

#[cfg(unix)]
fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let local_addr = args.addr("BIND");
    let codec = args.encoding();
    let max_clients = args.option("--max-clients", 500); // at most
    if let Ok(client_addr) = env::var("SERVE_CLIENT_ON_STDIN") {
        // 6. in the child: stdin is the client's socket (a Unix descriptor)
        let stdin = std::os::fd::AsFd::as_fd(&io::stdin()).try_clone_to_owned();
        let served = serve_client(TcpStream::from(stdin?), codec);
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
        // (if it fails, e.g. out of file descriptors: say so, wait, retry)
        let (new_client_socket, client_addr) =
            netcommon::until_accepted(|| tcp_server_socket.accept());
        println!("new client {client_addr}");
        // 5. a new thread starts a child process for it, and waits for it
        let client = Arc::clone(&clients); // + this new client
        if Arc::strong_count(&clients) - 1 > max_clients {
            // over the cap: say so now, rather than let it wait unanswered
            let busy = format!("busy: {max_clients} clients, try later\n");
            let _ = (&new_client_socket).write_all(busy.as_bytes());
            println!("client {client_addr}: busy, closed");
        } else if let Err(error) = thread::Builder::new().spawn(move || {
            match serve_in_child(new_client_socket, client_addr) {
                Ok(()) => println!("client {client_addr} left"),
                Err(error) => println!("client {client_addr}: {error}"),
            }
            drop(client); // one client fewer
        }) {
            println!("client {client_addr}: no thread: {error}");
        }
    }
}

#[cfg(not(unix))]
fn main() -> Result<()> {
    netcommon::bail!("needs Unix (fork and fd passing): use lesson 16")
}

/// 5. (in the thread) a child, this same program, serves the client
#[cfg(unix)]
fn serve_in_child(socket: TcpStream, client_addr: SocketAddr) -> Result {
    // the socket is the child's stdin; the parent's copy closes with the
    // Command, once the child has started
    let mut child = Command::new(env::current_exe()?)
        .args(env::args_os().skip(1))
        .env("SERVE_CLIENT_ON_STDIN", client_addr.to_string()) // see main
        .stdin(std::os::fd::OwnedFd::from(socket))
        .spawn()
        .context("no child process")?;
    println!("client {client_addr}: child pid {}", child.id());
    // wait for its end: this reaps it at once (no zombie)
    let status = child.wait()?;
    let ended = anyhow!("child ended, {status}");
    Ok(status.success().then_some(()).ok_or(ended)?) // exit 0, or an error
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
        // the line in one piece: other children write to the same output
        let line = format!("{client_addr}: {}\n", printable(&recv_data));
        print!("{line}");
        let send_data = format!("received: {recv_data}");
        let send_data = codec.encode(&send_data);
        new_client_socket.write_all(&send_data).map_err(idle)?;
    }
}
