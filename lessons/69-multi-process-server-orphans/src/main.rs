//! 69-multi-process-server-orphans: 68, and children end with their parent.
//!
//! Part 2 (68 grows one idea): kill 68's parent alone (`kill PID`) and its
//! children go on serving, orphans no cap counts, holding the listening
//! socket so that no new server can bind the port. Here each child asks
//! the system to kill it when its parent dies (`PR_SET_PDEATHSIG`, Linux),
//! even a parent killed with `kill -9`, which has no time to say anything,
//! and a child closes the listening socket, which it never uses.
//!
//! Terminal 1: cargo run --bin 69-multi-process-server-orphans
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client   (then run `ps`)

// elsewhere only the `main` that says so is compiled in
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use netcommon::{printable, Args, Codec, Context, Result};
use patience::{idle, idle_timeout};
use std::{io, io::Read, io::Write, net::TcpListener, net::TcpStream};

const USAGE: &str = "69-multi-process-server-orphans [BIND=0.0.0.0:7788] \
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

    // the parent's id: a child checks that its parent is still this one
    let parent_pid = unsafe { libc::getpid() };
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
            // 5a. (in the child) die with the parent, however it ends
            #[cfg(target_os = "linux")]
            let _ =
                unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
            if unsafe { libc::getppid() } != parent_pid {
                return Ok(()); // the parent died before prctl: end too
            }
            // the listening socket is the parent's: close the child's copy
            drop(tcp_server_socket);
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
