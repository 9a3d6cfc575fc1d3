//! 17-multi-process-server: 16, with a child process per client.
//!
//! Tutorial: 003 "多进程服务器" (one `Process` per client). 16 with
//! processes instead of threads: after `accept`, `fork` copies the whole
//! server; the copy (the child) serves the client and ends, while the
//! parent closes its copy of the client's socket, as the tutorial's
//! `newSocket.close()` does, and goes back to `accept`. Finished children
//! are reaped by the system (SIGCHLD ignored): no zombies. Unix only.
//!
//! Terminal 1: cargo run --bin 17-multi-process-server
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client   (then run `ps`)

// elsewhere only the `main` that says so is compiled in
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use netcommon::{printable, Args, Codec, Context, Result};
use std::{io, io::Read, io::Write, net::TcpListener, net::TcpStream};

const USAGE: &str =
    "17-multi-process-server [BIND=0.0.0.0:7788] [--encoding LABEL]";

#[cfg(unix)]
fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("BIND", "0.0.0.0:7788");
    args.done();
    // the system reaps each child as it ends: it never lingers as a zombie
    // SAFETY: SIG_IGN runs no code of ours when a child ends
    unsafe { libc::signal(libc::SIGCHLD, libc::SIG_IGN) };

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
        // 5. a new process serves it: fork copies this one, both go on
        // SAFETY: one thread runs here, so the child's copy is whole
        let child_pid = unsafe { libc::fork() };
        if child_pid == 0 {
            // (in the child) serve the client, then end
            match serve_client(new_client_socket, codec) {
                Ok(()) => println!("client {client_addr} left"),
                Err(error) => println!("client {client_addr}: {error}"),
            }
            return Ok(()); // the child ends here, never back to accept
        } else if child_pid < 0 {
            let error = io::Error::last_os_error();
            println!("client {client_addr}: no child process: {error}");
        } else {
            println!("client {client_addr}: child pid {child_pid}");
        }
        // the parent closes its copy of the client's socket
        drop(new_client_socket);
    }
}

#[cfg(not(unix))]
fn main() -> Result<()> {
    netcommon::bail!("needs Unix (fork): use lesson 16")
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
        // the line in one piece: other children write to the same output
        let line = format!("{client_addr}: {}\n", printable(&recv_data));
        print!("{line}");
        let send_data = format!("received: {recv_data}");
        let send_data = codec.encode(&send_data);
        new_client_socket.write_all(&send_data)?;
    }
}
