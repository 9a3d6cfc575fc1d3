//! 09-file-download-client: ask a server for a file and save it.
//!
//! Tutorial: 000 §2.4 "案例:文件下载器" (09-案例文件下载-客户端; also 001).
//! The protocol: send the file name, then read until the server closes the
//! connection. Unlike the tutorial's single `recv(1024*1024)`, this reads
//! to the end, in constant memory, whatever the size. It saves into a
//! temporary name and renames when complete: an interrupted download never
//! leaves a partial `received-NAME`, and a `received-NAME` already there
//! is never replaced. An empty reply means "no such file".
//!
//! Terminal 1: cargo run --bin 10-file-download-server
//! Terminal 2: cargo run --bin 09-file-download-client -- 7788 Cargo.toml

use netcommon::{bail, input, Args, Context, Result};
use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::{net::TcpStream, path::Path};

const USAGE: &str = "09-file-download-client [SERVER=127.0.0.1:7788] [FILE]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let server_addr = args.next_addr("SERVER", "127.0.0.1:7788");
    let download_file_name = match args.next("FILE") {
        Some(name) => name,
        None => input("file to download: ")?.unwrap_or_default(),
    };
    args.done();
    let base_name = Path::new(&download_file_name).file_name();
    let base_name = base_name.context("not a file name")?.to_string_lossy();
    let save_name = format!("received-{base_name}");
    let part_name = format!(".{save_name}.{}.part", std::process::id());
    if Path::new(&save_name).exists() {
        bail!("{save_name} is already here: not replaced");
    }

    // 1. create the TCP socket and 2. connect to the server
    let mut tcp_socket =
        TcpStream::connect(server_addr).context(server_addr)?;

    // 3. send the file name
    tcp_socket.write_all(download_file_name.as_bytes())?;

    // 4. receive the file until the server closes the connection
    let mut part_file = File::create(&part_name).context(part_name.clone())?;
    // read in 256 KiB chunks: io::copy alone would use 8 KiB ones
    let mut recv_data = BufReader::with_capacity(256 << 10, &tcp_socket);
    let received = io::copy(&mut recv_data, &mut part_file);
    if !matches!(received, Ok(1..)) {
        fs::remove_file(&part_name)?; // keep no partial or empty file
    }
    let size = received.context("download interrupted")?;
    if size == 0 {
        bail!("file not found on the server: {download_file_name}");
    }

    // 5. the file is complete: give it its real name
    fs::rename(&part_name, &save_name)?;
    println!("saved {size} bytes as {save_name}");
    Ok(())
}
