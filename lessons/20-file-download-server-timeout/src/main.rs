//! 20-file-download-server-timeout: 19, dropping a silent client.
//!
//! Tutorial: 000 §2.4 "案例:文件下载器" (10-案例文件下载-服务端), part 2.
//! 19 serves one client at a time and waits for each as long as it takes:
//! a client that connects and says nothing (or stops reading) holds it
//! for ever. 20 gives every read and write an idle timeout (30 s, or
//! IDLE_TIMEOUT_SECS) and, when `accept` fails (out of file descriptors),
//! says so and tries again a little later instead of spinning.
//!
//! Terminal 1: cargo run --bin 20-file-download-server-timeout
//! Terminal 2: cargo run --bin 09-file-download-client -- 7788 Cargo.toml

use netcommon::{bail, Args, Context, Result};
use patience::{idle, idle_timeout};
use std::fs::{self, File};
use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

const USAGE: &str =
    "20-file-download-server-timeout [BIND=0.0.0.0:7788] [DIR=.]";
const IDLE_SECS: u64 = 30; // a silent client is dropped after this

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
        // (if it fails, e.g. out of file descriptors: say so, wait, retry)
        let (new_client_socket, client_addr) =
            patience::until_accepted(|| tcp_server_socket.accept());
        match serve_client(new_client_socket, &root) {
            Ok(size) => println!("client {client_addr}: sent {size} bytes"),
            Err(error) => println!("client {client_addr}: {error}"),
        }
    }
}

/// 5. receive the file name, 6. send the file, 7. close (on return)
fn serve_client(mut new_client_socket: TcpStream, root: &Path) -> Result<u64> {
    let timeout = Some(idle_timeout(IDLE_SECS));
    new_client_socket.set_read_timeout(timeout)?;
    new_client_socket.set_write_timeout(timeout)?;
    let mut buf = [0; 1024];
    let len = new_client_socket.read(&mut buf).map_err(idle)?;
    let file_name = String::from_utf8_lossy(&buf[..len]);
    let file_name = file_name.trim_end_matches(['\r', '\n']);
    println!("{} wants {file_name:?}", new_client_socket.peer_addr()?);
    // only a name inside root: not empty, not `/abs`, no `..` on the way
    let mut parts = Path::new(file_name).components();
    let inside = parts.all(|part| matches!(part, Component::Normal(_)));
    if file_name.is_empty() || !inside {
        bail!("refused {file_name:?}: not a file inside the dir");
    }
    // the name may be swapped meanwhile (for a symlink out, or a FIFO):
    // check the file that was opened, not its name
    let (mut file, opened) =
        open_file(&root.join(file_name)).context("not found")?;
    if !opened.starts_with(root) || !file.metadata()?.is_file() {
        bail!("refused {file_name:?}: not a file inside the dir");
    }
    io::copy(&mut file, &mut new_client_socket).map_err(idle)
}

/// Opens `path`, not through a symlink, and says where the opened file
/// is: on Linux /proc names the file itself, which no rename can fool.
/// Nothing but a regular file is opened for reading: on Linux a handle
/// comes first (O_PATH), as opening a device may act (a watchdog arms, a
/// tape rewinds) and a FIFO would wait; elsewhere O_NONBLOCK (no wait).
#[cfg(unix)]
fn open_file(path: &Path) -> io::Result<(File, PathBuf)> {
    use std::os::{fd::AsRawFd, unix::fs::OpenOptionsExt};
    #[cfg(target_os = "linux")]
    let flags = libc::O_PATH | libc::O_NOFOLLOW;
    #[cfg(not(target_os = "linux"))]
    let flags = libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY;
    let file = File::options().read(true).custom_flags(flags).open(path)?;
    let proc_name = format!("/proc/self/fd/{}", file.as_raw_fd());
    let opened = fs::read_link(&proc_name);
    let opened = opened.or_else(|_| fs::canonicalize(path))?;
    if cfg!(target_os = "linux") && file.metadata()?.is_file() {
        return Ok((File::open(proc_name)?, opened)); // that file, to read
    }
    Ok((file, opened))
}

/// Windows: a link at the name opens as the link itself (not a file),
/// and the system names the opened file from its handle, as
/// `fs::canonicalize` does from a name: no rename can fool it.
#[cfg(windows)]
fn open_file(path: &Path) -> io::Result<(File, PathBuf)> {
    use std::os::windows::{ffi::OsStringExt, prelude::*};
    use windows_sys::Win32::Storage::FileSystem as win;
    let flags = win::FILE_FLAG_OPEN_REPARSE_POINT; // a link: not followed
    let file = File::options().read(true).custom_flags(flags).open(path)?;
    let (mut name, handle) = (vec![0; 32768], file.as_raw_handle() as _);
    // SAFETY: an open handle, and room for 32768 UTF-16 units
    let len = unsafe {
        win::GetFinalPathNameByHandleW(handle, name.as_mut_ptr(), 32768, 0)
    };
    name.truncate(len as usize); // none when it failed: not inside DIR
    Ok((file, std::ffi::OsString::from_wide(&name).into()))
}
