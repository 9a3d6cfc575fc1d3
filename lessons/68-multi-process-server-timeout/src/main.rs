//! 68-multi-process-server-timeout: 67, and a silent client is let go.
//!
//! Part 2 (67 grows one idea): 67's cap holds, but a client that says
//! nothing keeps its child for ever, so a few silent connections make the
//! server answer `busy` to everybody. Here a child whose client is silent
//! for 600 s (`IDLE_TIMEOUT_SECS`) closes it and ends, and so does one
//! whose client never reads its answers; a failed `accept` is said once
//! and tried every 100 ms rather than at once, in a loop that would burn
//! a CPU.
//!
//! Terminal 1: cargo run --bin 68-multi-process-server-timeout
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client   (then run `ps`)

// elsewhere only the `main` that says so is compiled in
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use netcommon::{printable, Args, Codec, Context, Result};
use patience::{idle, idle_timeout};
use std::{io, io::Read, io::Write, net::TcpListener, net::TcpStream};

const USAGE: &str = "68-multi-process-server-timeout [BIND=0.0.0.0:7788] \
                     [--encoding LABEL]\n[--max-clients N]";
const IDLE_SECS: u64 = 600; // a student may pause to think

#[cfg(unix)]
fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let max_clients = args.option("--max-clients", 500);
    let local_addr = args.next_addr("BIND", "0.0.0.0:7788");
    args.done();
    // the system reaps each child as it ends: it never lingers as a zombie
    // SAFETY: SIG_IGN runs no code of ours when a child ends
    unsafe { libc::signal(libc::SIGCHLD, libc::SIG_IGN) };

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);

    // the process ids of the children alive: the cap counts them
    let mut children: Vec<libc::pid_t> = vec![];
    loop {
        // 4. wait for a client: accept returns a new socket just for it
        // (if it fails, e.g. out of file descriptors: say so, wait, retry)
        let (new_client_socket, client_addr) =
            patience::until_accepted(|| tcp_server_socket.accept());
        println!("new client {client_addr}");
        // 4a. over the cap: say so now, rather than let it wait unanswered
        // (an ended child is gone at once, reaped: `kill(pid, 0)` fails)
        children.retain(|&pid| unsafe { libc::kill(pid, 0) } == 0);
        if children.len() >= max_clients {
            let busy = format!("busy: {max_clients} clients, try later\n");
            let _ = (&new_client_socket).write_all(busy.as_bytes());
            println!("client {client_addr}: busy, closed");
            continue;
        }
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
            children.push(child_pid); // one more alive
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
