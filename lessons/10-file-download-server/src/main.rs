//! 10-file-download-server: send the file a client asks for.
//!
//! Tutorial: 000 §2.4 "案例:文件下载器" (10-案例文件下载-服务端; also 001).
//! 07's loop, one client at a time: read the file name (one read, at most
//! 1024 bytes), send the file, close. The tutorial opened whatever name
//! it got and read the file whole into memory; this one refuses a name
//! that leads out of DIR (absolute, `..`, empty) and streams the file. A
//! refused or missing name closes the connection with nothing sent, which
//! the client reads as "not found".
//!
//! Terminal 1: cargo run --bin 10-file-download-server
//! Terminal 2: cargo run --bin 09-file-download-client -- 7788 Cargo.toml

use netcommon::{bail, Args, Context, Result};
use std::fs::{self, File};
use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path};

const USAGE: &str = "10-file-download-server [BIND=0.0.0.0:7788] [DIR=.]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let local_addr = args.next_addr("BIND", "0.0.0.0:7788");
    let dir = args.next_or("DIR", ".");
    args.done();
    let root = fs::canonicalize(&dir).context(dir)?;

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket =
        TcpListener::bind(local_addr).context(local_addr)?;
    println!("listening on {}", tcp_server_socket.local_addr()?);
    // Windows' canonical form is \\?\C:\dir (\\?\UNC\ for \\server\share):
    // shown as a person types it
    let shown = root.display().to_string().replacen(r"\\?\UNC\", r"\\", 1);
    println!("serving files in {}", shown.trim_start_matches(r"\\?\"));

    loop {
        // 4. wait for a client: accept returns a new socket just for it
        let accepted = tcp_server_socket.accept();
        let Ok((new_client_socket, client_addr)) = accepted else {
            continue; // that client left before it was taken: the next
        };
        match serve_client(new_client_socket, &root) {
            Ok(size) => println!("client {client_addr}: sent {size} bytes"),
            Err(error) => println!("client {client_addr}: {error}"),
        }
    }
}

/// 5. receive the file name, 6. send the file, 7. close (on return)
fn serve_client(mut new_client_socket: TcpStream, root: &Path) -> Result<u64> {
    let mut buf = [0; 1024];
    let len = new_client_socket.read(&mut buf)?;
    let file_name = String::from_utf8_lossy(&buf[..len]);
    let file_name = file_name.trim_end_matches(['\r', '\n']);
    println!("{} wants {file_name:?}", new_client_socket.peer_addr()?);
    // only a name inside root: not empty, not `/abs`, no `..` on the way
    let mut parts = Path::new(file_name).components();
    let inside = parts.all(|part| matches!(part, Component::Normal(_)));
    if file_name.is_empty() || !inside {
        bail!("refused {file_name:?}: not a file inside the dir");
    }
    let mut file = File::open(root.join(file_name)).context("not found")?;
    Ok(io::copy(&mut file, &mut new_client_socket)?)
}
