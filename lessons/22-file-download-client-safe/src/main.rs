//! 22-file-download-client-safe: 09, safe from a hostile server.
//!
//! Tutorial: 000 §2.4 "案例:文件下载器" (09-案例文件下载-客户端), part 2.
//! 09 writes into `.received-NAME.PID.part` through any symbolic link
//! planted there, takes all a server sends, and leaves that hidden file
//! behind on Ctrl-C. 22 stops at `--max-size` and writes a file with no
//! name (Linux: O_TMPFILE), named `received-NAME` only once complete and
//! never over anything; elsewhere it creates `received-NAME` new.
//!
//! Terminal 1: cargo run --bin 21-file-download-server-links
//! Terminal 2: cargo run --bin 22-file-download-client-safe -- 7788 a.txt

use netcommon::{bail, input, Args, Context, Result};
use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::{net::TcpStream, path::Path};

const USAGE: &str = "22-file-download-client-safe [SERVER=127.0.0.1:7788] \
                     [FILE]\n[--max-size BYTES]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let cap = args.option("--max-size", u64::MAX); // in bytes
    let server_addr = args.next_addr("SERVER", "127.0.0.1:7788");
    let download_file_name = match args.next("FILE") {
        Some(name) => name,
        None => input("file to download: ")?.unwrap_or_default(),
    };
    args.done();
    let base_name = Path::new(&download_file_name).file_name();
    let base_name = base_name.context("not a file name")?.to_string_lossy();
    let save_name = format!("received-{base_name}");
    if Path::new(&save_name).exists() {
        bail!("{save_name} is already here: not replaced");
    }

    // 1. create the TCP socket and 2. connect to the server
    let mut tcp_socket =
        TcpStream::connect(server_addr).context(server_addr)?;

    // 3. send the file name
    tcp_socket.write_all(download_file_name.as_bytes())?;

    // 4. receive the file until the server closes the connection, into a
    // new file that nothing planted can redirect (see new_file)
    let mut part_file = new_file(&save_name).context(save_name.clone())?;
    // read in 256 KiB chunks: io::copy alone would use 8 KiB ones
    let mut recv_data = BufReader::with_capacity(256 << 10, &tcp_socket);
    // 4a. at most --max-size bytes: one more, and the file is too big
    let mut recv_data = io::Read::take(&mut recv_data, cap.saturating_add(1));
    let received = io::copy(&mut recv_data, &mut part_file);
    let complete = matches!(received, Ok(1..)) && recv_data.limit() > 0;
    if !complete && !cfg!(target_os = "linux") {
        fs::remove_file(&save_name)?; // keep no partial, empty or huge file
    }
    let size = received.context("download interrupted")?;
    if size == 0 {
        bail!("file not found on the server: {download_file_name}");
    }
    if size > cap {
        bail!("more than --max-size {cap} bytes: download stopped");
    }

    // 5. the file is complete: give it its real name
    #[cfg(target_os = "linux")]
    name_file(&part_file, &save_name).context(save_name.clone())?;
    println!("saved {size} bytes as {save_name}");
    Ok(())
}

/// A new file for the download. On Linux it has no name (O_TMPFILE):
/// nothing can be planted where it is written, and it is gone if 22 ends
/// before `name_file`, Ctrl-C included. Elsewhere it is `save_name`
/// itself, created new: never through a symlink, never over a file.
#[cfg(target_os = "linux")]
fn new_file(_save_name: &str) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut unnamed = File::options(); // in this folder: to be linked here
    unnamed.write(true).custom_flags(libc::O_TMPFILE).open(".")
}

/// Gives the unnamed file its name, `save_name`: linkat never replaces a
/// file, nor follows a symlink at that name, so a name taken meanwhile
/// fails (`File exists`) and the unnamed file goes.
#[cfg(target_os = "linux")]
fn name_file(file: &File, save_name: &str) -> io::Result<()> {
    use libc::{linkat, AT_FDCWD as HERE, AT_SYMLINK_FOLLOW as FOLLOW};
    use std::{ffi::CString, os::fd::AsRawFd};
    let from = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    let to = CString::new(save_name)?;
    // SAFETY: two NUL-terminated names that live across the call
    match unsafe { linkat(HERE, from.as_ptr(), HERE, to.as_ptr(), FOLLOW) } {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

#[cfg(not(target_os = "linux"))]
fn new_file(save_name: &str) -> io::Result<File> {
    File::create_new(save_name)
}
