//! 38-tftp-server-put: 15 plus uploads (WRQ), into a folder of their own.
//!
//! Without it a `put` gets no answer at all. With `--write FOLDER`, a
//! client may upload a NEW file, under a plain file name, into FOLDER
//! (never the course's own: a stranger's build.rs there runs on your next
//! build). The server receives it as 14 receives a download: an ACK for
//! each block, with 15's `send_until`.
//!
//! 15's header:
//! Tutorial: 003 "TFTP简单文件传输协议" downloaded from a Windows TFTP
//! server; this is one. Requests arrive on one well-known port (69; 6969
//! here, as 69 needs root). Each download gets a NEW socket, so a new port
//! (its transfer ID), and its own thread: many clients at once, while the
//! main socket keeps answering. 13 plus the packets of 14, packed and
//! unpacked here by hand as the tutorial's `struct.pack("!H", ...)` does.
//!
//! Terminal 1: cargo run --bin 38-tftp-server-put -- 6969 shared \
//!             --write uploads
//! Terminal 2: curl -T homework.txt tftp://127.0.0.1:6969/

use netcommon::{bail, printable, Args, Context, Result};
use std::net::{SocketAddr, UdpSocket};
use std::{fs::File, io::Read, io::Write, path::Path, thread, time::Duration};

const USAGE: &str =
    "38-tftp-server-put [BIND=0.0.0.0:6969] [DIR=.] [--write FOLDER]";
const TIMEOUT: Duration = Duration::from_secs(1); // no ACK: send again
const TRIES: u32 = 5; // sends of one block before giving up

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let write: String = args.option("--write", String::new()); // "": none
    let local_addr = args.next_addr("BIND", "0.0.0.0:6969");
    let dir = args.next_or("DIR", ".");
    args.done();

    // 1. create the UDP socket and 2. bind the well-known port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    let mut buf = [0; 1024];
    loop {
        // 3. wait for a request (a failed receive, as Windows' error 10054
        // after an ICMP "port unreachable", is not the end: wait again)
        let Ok((len, client_addr)) = udp_socket.recv_from(&mut buf) else {
            continue;
        };
        // 4. unpack it: opcode 1 (RRQ, a download), file name, 0, mode, 0;
        // anything else gets no answer. Options after them are ignored
        // (RFC 2347): the answer is plain RFC 1350
        let recv_data = &buf[..len];
        let (opcode @ [0, 1 | 2], rest) = recv_data.split_at(len.min(2)) else {
            continue;
        };
        let mut fields = rest.split(|&b| b == 0).map(String::from_utf8_lossy);
        let file_name = fields.next().unwrap_or_default().to_string();
        let mode = fields.next().unwrap_or_default().to_lowercase();
        // WRQ, a write request: an upload
        let upload = opcode == [0, 2];
        // only a file inside the folder: no absolute name, no `..`, not empty
        let normal = |part| matches!(part, std::path::Component::Normal(_));
        let plain = Path::new(&file_name).components().all(normal);
        // an upload: into --write's folder, a plain file name (no folder,
        // not hidden, not an option), never over a file that exists
        let bare = !file_name.contains('/') && !file_name.starts_with('.');
        let path =
            Path::new(if upload { &write } else { &dir }).join(&file_name);
        let refused = match () {
            _ if upload && write.is_empty() => Some((2, "uploads are off")),
            _ if file_name.is_empty() || !plain => Some((2, "not allowed")),
            _ if upload && !bare => Some((2, "not a plain file name")),
            _ if mode != "octet" => Some((4, "only octet mode")),
            _ if upload && path.exists() => Some((6, "file already exists")),
            _ if upload => None,
            _ if !path.is_file() => Some((1, "file not found")),
            _ => None,
        };
        // 5. a new thread for the transfer: it opens its own socket
        let verb = if upload { "put" } else { "get" };
        let what = format!("{client_addr} {verb} {}", printable(&file_name));
        let job =
            move || serve(client_addr, local_addr, &path, refused, upload);
        let spawned = thread::Builder::new().spawn(move || match job() {
            Ok(size) => println!("{what}: {size} bytes"),
            Err(error) => println!("{what}: {error}"),
        });
        let _ = spawned.map_err(|e| println!("{client_addr}: no thread: {e}"));
    }
}

/// 6. one transfer, from a new socket: a new port, the transfer's ID
fn serve(
    client_addr: SocketAddr,
    local_addr: SocketAddr,
    path: &Path,
    refused: Option<(u8, &str)>,
    upload: bool,
) -> Result<u64> {
    let socket = UdpSocket::bind(SocketAddr::new(local_addr.ip(), 0))?;
    socket.connect(client_addr)?; // from now on, only this client's packets
    socket.set_read_timeout(Some(TIMEOUT))?;
    if let Some((code, why)) = refused {
        // ERROR: opcode 5, the error code, a message, 0
        socket.send(&[&[0, 5, 0, code], why.as_bytes(), &[0]].concat())?;
        bail!("refused: {why}");
    }
    if upload {
        return receive(&socket, path);
    }
    let mut file = File::open(path).context("cannot open")?;
    let (mut block, mut read) = (0u16, 512);
    // 7. block after block, until one shorter than 512 bytes (the last)
    while read == 512 {
        // 8. DATA: opcode 3, the block's number (after 65535 comes 0), up
        // to 512 bytes of the file
        block = block.wrapping_add(1);
        let mut send_data = [[0, 3], block.to_be_bytes()].concat();
        read = (&mut file).take(512).read_to_end(&mut send_data)?;
        // 9. send it until its ACK comes: opcode 4, the same number
        send_until(&socket, &send_data, &[0, 4, send_data[2], send_data[3]])?;
    }
    Ok(file.metadata()?.len()) // the bytes sent
}

/// 9. sends `data` until the answer that starts with `want` comes, and
///    again after each TIMEOUT without it; TRIES times at most
fn send_until(socket: &UdpSocket, data: &[u8], want: &[u8]) -> Result<Vec<u8>> {
    let mut recv_data = [0; 1024];
    for _ in 0..TRIES {
        socket.send(data)?;
        while let Ok(len) = socket.recv(&mut recv_data) {
            match &recv_data[..len] {
                answer if answer.starts_with(want) => return Ok(answer.into()),
                [0, 5, ..] => bail!("the client sent an ERROR"),
                // an ACK of an older block is never answered: that would
                // send each later block twice (RFC 1123 §4.2.3.1)
                _ => {}
            }
        }
    }
    bail!("no answer after {TRIES} tries")
}

/// 10. an upload: ACK 0, then each DATA block answered by its ACK, into
///     a new file (a failed upload leaves what came: 40 writes it under
///     a temporary name, and names it once complete)
fn receive(socket: &UdpSocket, path: &Path) -> Result<u64> {
    let mut file = File::create_new(path).context("cannot create")?;
    let (mut block, mut recv_data) = (0u16, vec![0; 516]);
    // 11. until a block shorter than 512 bytes: that was the last one
    while recv_data.len() == 516 {
        let send_data = [[0, 4], block.to_be_bytes()].concat(); // ACK
        block = block.wrapping_add(1);
        let want = [[0, 3], block.to_be_bytes()].concat(); // the next DATA
        recv_data = send_until(socket, &send_data, &want)?;
        file.write_all(&recv_data[4..])?;
    }
    socket.send(&[[0, 4], block.to_be_bytes()].concat())?; // the last ACK
    Ok(file.metadata()?.len())
}
