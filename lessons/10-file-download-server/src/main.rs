//! 10-file-download-server: send the file a client asks for.
//!
//! Tutorial: 000 §2.4 "案例:文件下载器" (10-案例文件下载-服务端; also 001).
//! One client at a time: read the file name (one read, at most 1024
//! bytes), send the file, close. The tutorial opened whatever name it got
//! and read the file whole into memory; this one serves only regular files
//! inside DIR and streams them. A refused or missing name closes the
//! connection with nothing sent, which the client reads as "not found".
//!
//! Terminal 1: cargo run --bin 10-file-download-server
//! Terminal 2: cargo run --bin 09-file-download-client -- 7788 Cargo.toml

use netcommon::{anyhow, idle_timeout, Args, Context, Result};
use std::fs::{self, File};
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path};

const USAGE: &str =
    "usage: 10-file-download-server [BIND=0.0.0.0:7788] [DIR=.]";

fn main() -> Result<()> {
    let mut args = Args::parse(USAGE);
    let local_addr = args.addr("0.0.0.0:7788");
    let dir = args.next_arg().unwrap_or_else(|| ".".into());
    args.finish();
    let root = fs::canonicalize(&dir)
        .with_context(|| format!("cannot serve directory {dir}"))?;

    // 1. create the socket, 2. bind, 3. listen: TcpListener::bind does all
    let tcp_server_socket = TcpListener::bind(local_addr)
        .with_context(|| format!("cannot bind {local_addr}"))?;
    println!("listening on {}", tcp_server_socket.local_addr()?);
    println!("serving files in {}", root.display());

    loop {
        // 4. wait for a client: accept returns a new socket just for it
        let (new_client_socket, client_addr) = match tcp_server_socket.accept()
        {
            Ok(client) => client,
            Err(error) => {
                println!("accept failed: {error}");
                continue;
            }
        };
        match serve_client(new_client_socket, client_addr, &root) {
            Ok(size) => println!("client {client_addr}: sent {size} bytes"),
            Err(error) => println!("client {client_addr}: {error}"),
        }
    }
}

/// 5. receive the file name, 6. send the file, 7. close (on return).
fn serve_client(
    mut new_client_socket: TcpStream,
    client_addr: SocketAddr,
    root: &Path,
) -> Result<u64> {
    new_client_socket.set_read_timeout(Some(idle_timeout()))?;
    new_client_socket.set_write_timeout(Some(idle_timeout()))?;
    let mut buf = [0; 1024];
    let len = new_client_socket.read(&mut buf).context("receive")?;
    let file_name = String::from_utf8_lossy(&buf[..len]);
    let file_name = file_name.trim_end_matches(['\r', '\n']);
    println!("client {client_addr} wants {file_name:?}");
    let mut file = open_inside(root, file_name)?;
    Ok(io::copy(&mut file, &mut new_client_socket).context("send")?)
}

/// Opens `name` only if it is a regular file inside `root`: no absolute
/// path, no `..`, no symbolic link that leads out of `root`.
fn open_inside(root: &Path, name: &str) -> Result<File> {
    let relative = Path::new(name);
    if name.is_empty()
        || !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        Err(anyhow!("refused {name:?}: not a plain path inside the dir"))?;
    }
    let path = fs::canonicalize(root.join(relative)).context("not found")?;
    if !path.starts_with(root) {
        Err(anyhow!("refused {name:?}: it leads out of the directory"))?;
    }
    if !fs::metadata(&path)?.is_file() {
        Err(anyhow!("refused {name:?}: not a regular file"))?;
    }
    Ok(File::open(&path).context("cannot open")?)
}
