//! 17-multi-process-server: 16, with a child process per client.
//!
//! Tutorial: 003 "多进程服务器" (one `Process` per client, SO_REUSEADDR).
//! The parent accepts and starts a child (this same program) with the
//! client's socket as its stdin; the child serves the client through it.
//! The parent then closes its own copy, as the tutorial's
//! `newSocket.close()` does, and a thread waits for each child, so a
//! finished child is reaped at once and never lingers as a zombie.
//!
//! Terminal 1: cargo run --bin 17-multi-process-server
//! Terminals 2, 3, ...: cargo run --bin 05-tcp-client   (then run `ps`)

use crossbeam_channel::bounded;
use netcommon::{idle, idle_timeout, printable, Args, Codec, Context, Result};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsFd, OwnedFd};
use std::process::Command;
use std::{env, thread};

const USAGE: &str =
    "17-multi-process-server [BIND=0.0.0.0:7788] [--encoding LABEL]";
const IDLE_SECS: u64 = 600; // a student may pause to think
const MAX_CLIENTS: usize = 500; // child processes at most
const IN_CHILD: &str = "SERVE_CLIENT_ON_STDIN"; // set for the children

fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let local_addr = args.addr("BIND");
    let codec = args.encoding();
    if env::var_os(IN_CHILD).is_some() {
        // 6. in the child: stdin is the client's socket
        let socket = io::stdin().as_fd().try_clone_to_owned()?;
        return serve_client(TcpStream::from(socket), codec);
    }

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);

    // one slot per client being served; `send` waits while all are taken
    let (take_slot, free_slot) = bounded(MAX_CLIENTS);
    loop {
        take_slot.send(())?;
        // 4. wait for a client: accept returns a new socket just for it
        let (new_client_socket, client_addr) = tcp_server_socket.accept()?;
        println!("new client {client_addr}");
        // 5. a child process serves it; the parent's copy of the socket
        // closes with the Command, right after the child starts
        let mut child = match Command::new(env::current_exe()?)
            .args(env::args_os().skip(1))
            .env(IN_CHILD, "1")
            .stdin(OwnedFd::from(new_client_socket))
            .spawn()
        {
            Ok(child) => child,
            Err(error) => {
                println!("client {client_addr}: no child process: {error}");
                free_slot.recv()?;
                continue;
            }
        };
        println!("client {client_addr}: child pid {}", child.id());
        let free_slot = free_slot.clone();
        // a thread waits for the child: reaped as soon as it ends
        thread::spawn(move || {
            match child.wait() {
                Ok(status) if status.success() => {
                    println!("client {client_addr} left")
                }
                ended => println!("client {client_addr}: child {ended:?}"),
            }
            free_slot.recv()
        });
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
