//! 46-tftp-server-case: 45, and an upload in progress under any name.
//!
//! Without it `.TFTP-UPLOAD.PORT` is served: on a case-insensitive folder
//! (a Windows share, WSL's /mnt/c, a USB stick) that is the upload in
//! progress `.tftp-upload.PORT` (issue 21 row 11), and so is
//! `uploads/.tftp-upload.PORT` when the upload folder is inside the
//! served one. Now the last part of the name is compared, in lower case.
//!
//! 45's header:
//!
//! 45-tftp-server-quiet: 44, and one client cannot fill the log.
//!
//! Without it every request is a line of the log, its file name's
//! control bytes escaped (4 times longer): one client's flood wrote
//! 106 MiB a second (issue 21 row 9). Now a client address gets 5 lines
//! a second, then one line that says the rest are not shown; a file name
//! is shown up to 100 characters.
//!
//! 44's header:
//!
//! 44-tftp-server-links: 43, and no file with more than one name.
//!
//! Without it a hard link in the folder to a file outside it is served:
//! where a user may link another's file (macOS, the BSDs, Linux with
//! protected_hardlinks=0), anyone who can write to the folder reads any
//! file of the machine through it (issue 21 row 10). The name check
//! cannot see it: a hard link IS the file, under one more name. So a
//! file with more than one link is refused (Unix; Windows: not checked).
//!
//! 43's header:
//!
//! 43-tftp-server-dally: 42, and an upload's last ACK may be lost.
//!
//! Without it the server closes an upload's socket right after its last
//! ACK; if that ACK is lost, the client sends its last block again to a
//! closed port, and reports a failure for a file the server has stored.
//! Now the server dallies (RFC 1350's word): it answers a repeat of the
//! last block with the same ACK until the client has been quiet for
//! TRIES timeouts (5 s).
//!
//! 42's header:
//!
//! 42-tftp-server-whole: 41, and an upload appears whole or not at all.
//!
//! Without it an upload is written under its own name as it comes: a
//! download meanwhile reads part of it, and a failed upload leaves its
//! part behind, which refuses the client's next try (ERROR 6). Now an
//! upload is written under a temporary name, `.tftp-upload.PORT`, which
//! is never served, and given its name only once complete, before the
//! last ACK; the temporary name goes in every case.
//!
//! 41's header:
//!
//! 41-tftp-server-netascii: 40 plus netascii mode for downloads.
//!
//! Without it a client that asks for netascii (tftp-hpa does unless told
//! `-m binary`) gets ERROR 4. Netascii (RFC 1350, after RFC 764) is text
//! with the network's line ends: each LF of the file goes as CR LF, and
//! a CR alone as CR NUL; the client turns them back into its own.
//!
//! 40's header:
//!
//! 40-tftp-server-slots: 39 plus slots: a cap on transfers at once.
//!
//! Without it every request gets a thread and a socket, however many: a
//! flood from one address takes every file descriptor, and the next
//! client gets nothing. Now at most MAX_TRANSFERS run at once, a quarter
//! of them for one client address; past that the answer is ERROR 0,
//! `busy: try later`. A transfer's slot is given back when its thread
//! ends (or never starts).
//!
//! 39's header:
//!
//! 39-tftp-server-options: 38 plus options (RFC 2347) for downloads.
//!
//! Without them every block carries 512 bytes, one round trip each. A
//! download may now ask for `blksize` (RFC 2348: 8 to 65464 bytes a
//! block), `tsize` (RFC 2349: the file's size) and `timeout` (RFC 2349:
//! 1 to 5 s); the server answers the ones it takes in an OACK and starts
//! after the client's ACK 0. Uploads still ignore options, as RFC 2347
//! allows.
//!
//! 38's header:
//!
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
use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use std::{fs, fs::File, thread};

const USAGE: &str =
    "46-tftp-server-case [BIND=0.0.0.0:6969] [DIR=.] [--write FOLDER]";
const TIMEOUT: Duration = Duration::from_secs(1); // no ACK: send again
const TRIES: u32 = 5; // sends of one block before giving up
const MAX_TRANSFERS: usize = 256; // at once; a quarter per client address

/// Transfers under way, by client address.
type Slots = Arc<Mutex<HashMap<IpAddr, usize>>>;

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let write: String = args.option("--write", String::new()); // "": none
    let local_addr = args.next_addr("BIND", "0.0.0.0:6969");
    let dir = args.next_or("DIR", ".");
    args.done();

    // 1. create the UDP socket and 2. bind the well-known port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    let slots = Slots::default();
    let mut buf = [0; 1024];
    loop {
        // 3. wait for a request (a failed receive, as Windows' error 10054
        // after an ICMP "port unreachable", is not the end: wait again)
        let Ok((len, client_addr)) = udp_socket.recv_from(&mut buf) else {
            continue;
        };
        // 4. unpack it: opcode 1 (RRQ, a download), file name, 0, mode, 0;
        // anything else gets no answer
        let recv_data = &buf[..len];
        let (opcode @ [0, 1 | 2], rest) = recv_data.split_at(len.min(2)) else {
            continue;
        };
        let mut fields = rest.split(|&b| b == 0).map(String::from_utf8_lossy);
        let file_name = fields.next().unwrap_or_default().to_string();
        let mode = fields.next().unwrap_or_default().to_lowercase();
        // 4a. then options (RFC 2347): name, 0, value, 0, each
        let mut options = vec![];
        while let (Some(name), Some(value)) = (fields.next(), fields.next()) {
            options.push((name.to_lowercase(), value.into_owned()));
        }
        // WRQ, a write request: an upload
        let upload = opcode == [0, 2];
        // netascii: text with the network's line ends, downloads only
        let netascii = mode == "netascii" && !upload;
        // only a file inside the folder: no absolute name, no `..`, not empty
        let normal = |part| matches!(part, std::path::Component::Normal(_));
        let plain = Path::new(&file_name).components().all(normal);
        // an upload: into --write's folder, a plain file name (no folder,
        // not hidden, not an option), never over a file that exists
        let bare = !file_name.contains('/') && !file_name.starts_with('.');
        let path =
            Path::new(if upload { &write } else { &dir }).join(&file_name);
        // an upload in progress: its last part, in any case
        let last = path.file_name().unwrap_or_default().to_string_lossy();
        let temp = last.to_lowercase().starts_with(".tftp-upload.");
        let refused = match () {
            _ if upload && write.is_empty() => Some((2, "uploads are off")),
            _ if file_name.is_empty() || !plain => Some((2, "not allowed")),
            _ if temp => Some((2, "not allowed")),
            _ if upload && !bare => Some((2, "not a plain file name")),
            _ if mode != "octet" && !netascii => Some((4, "mode not served")),
            _ if upload && path.exists() => Some((6, "file already exists")),
            _ if upload => None,
            _ if !path.is_file() => Some((1, "file not found")),
            _ if links(&path) > 1 => Some((2, "more than one link")),
            _ => None,
        };
        // 4b. a slot: none free (in all, or for this address: a runaway
        // script, a flood), the main port answers ERROR 0, "busy"
        let mut taken = slots.lock().unwrap_or_else(PoisonError::into_inner);
        let all: usize = taken.values().sum();
        let mine = taken.get(&client_addr.ip()).copied().unwrap_or(0);
        if all >= MAX_TRANSFERS || mine >= MAX_TRANSFERS / 4 {
            let busy = b"\x00\x05\x00\x00busy: try later\x00";
            let _ = udp_socket.send_to(busy, client_addr);
            say(client_addr.ip(), &format!("{client_addr}: busy"));
            continue;
        }
        *taken.entry(client_addr.ip()).or_insert(0) += 1; // until it ends
        drop(taken);
        let slot = Slot(slots.clone(), client_addr.ip());
        // 5. a new thread for the transfer: it opens its own socket
        let verb = if upload { "put" } else { "get" };
        let name: String = file_name.chars().take(100).collect();
        let what = format!("{client_addr} {verb} {}", printable(&name));
        let ip = client_addr.ip();
        let job = move || {
            let how = (upload, netascii);
            serve(client_addr, local_addr, &path, refused, how, options)
        };
        let spawned = thread::Builder::new().spawn(move || {
            match job() {
                Ok(size) => say(ip, &format!("{what}: {size} bytes")),
                Err(error) => say(ip, &format!("{what}: {error}")),
            }
            drop(slot); // given back (also when the thread never starts)
        });
        let _ = spawned.map_err(|e| println!("{client_addr}: no thread: {e}"));
    }
}

/// Prints a line about what `ip` did: at most 5 a second for one client
/// address, then one that says so; the table starts again each second.
fn say(ip: IpAddr, line: &str) {
    type Seen = Option<(Instant, HashMap<IpAddr, u32>)>;
    static SEEN: Mutex<Seen> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    let (second, lines) = seen.get_or_insert((Instant::now(), HashMap::new()));
    if second.elapsed() >= Duration::from_secs(1) {
        (*second, *lines) = (Instant::now(), HashMap::new());
    }
    let count = lines.entry(ip).or_insert(0);
    *count += 1;
    match *count {
        1..=5 => println!("{line}"),
        6 => println!("(more from {ip} this second, not shown)"),
        _ => {}
    }
}

/// A transfer's slot: its client address counts one transfer less once
/// it is dropped; an address with none is forgotten.
struct Slot(Slots, IpAddr);

impl Drop for Slot {
    fn drop(&mut self) {
        let mut taken = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        taken.entry(self.1).and_modify(|count| *count -= 1);
        taken.retain(|_, count| *count > 0);
    }
}

/// A file read as netascii: each LF as CR LF, a CR as CR NUL (its second
/// byte waits in the second field for the next read)
struct Netascii<R>(R, Option<u8>);

impl<R: Read> Read for Netascii<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut byte = [0];
        if buf.is_empty() || self.1.is_none() && self.0.read(&mut byte)? == 0 {
            return Ok(0);
        }
        (buf[0], self.1) = match (self.1.take(), byte[0]) {
            (Some(owed), _) => (owed, None),
            (None, b'\n') => (b'\r', Some(b'\n')),
            (None, b'\r') => (b'\r', Some(0)),
            (None, other) => (other, None),
        };
        Ok(1)
    }
}

/// 6. one transfer, from a new socket: a new port, the transfer's ID
fn serve(
    client_addr: SocketAddr,
    local_addr: SocketAddr,
    path: &Path,
    refused: Option<(u8, &str)>,
    (upload, netascii): (bool, bool),
    options: Vec<(String, String)>,
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
    let file = File::open(path).context("cannot open")?;
    // 6a. the options it knows, each answered in an OACK (opcode 6, then
    // name, 0, value, 0), never larger than asked; the rest left out
    let (size, mut oack) = (file.metadata()?.len(), vec![0, 6]);
    let (mut blksize, mut timeout) = (512, TIMEOUT);
    for (name, value) in &options {
        let answer = match (name.as_str(), value.parse()) {
            ("blksize", Ok(n @ 8..=65464)) => {
                blksize = n;
                n
            }
            ("timeout", Ok(n @ 1..=5)) => {
                timeout = Duration::from_secs(n);
                n
            }
            ("tsize", Ok(_)) if size > 0 && !netascii => size, // not 0: curl
            _ => continue,
        };
        oack.extend(format!("{name}\0{answer}\0").bytes());
    }
    socket.set_read_timeout(Some(timeout))?;
    if oack.len() > 2 {
        send_until(&socket, &oack, &[0, 4, 0, 0])?; // until ACK 0
    }
    // 6b. netascii: the file's bytes converted on their way out
    let mut input: Box<dyn Read + '_> = match netascii {
        true => Box::new(Netascii(BufReader::new(&file), None)),
        false => Box::new(&file),
    };
    let (mut block, mut read) = (0u16, blksize);
    // 7. block after block, until one shorter than blksize (the last)
    while read == blksize {
        // 8. DATA: opcode 3, the block's number (after 65535 comes 0), up
        // to blksize bytes of the file
        block = block.wrapping_add(1);
        let mut send_data = [[0, 3], block.to_be_bytes()].concat();
        read = (&mut input).take(blksize).read_to_end(&mut send_data)? as u64;
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
///     a new file, under a temporary name first
fn receive(socket: &UdpSocket, path: &Path) -> Result<u64> {
    let port = socket.local_addr()?.port(); // no other transfer has it
    let temp = Temp(path.with_file_name(format!(".tftp-upload.{port}")));
    let mut file = File::create_new(&temp.0).context("cannot create")?;
    let (mut block, mut recv_data) = (0u16, vec![0; 516]);
    // 11. until a block shorter than 512 bytes: that was the last one
    while recv_data.len() == 516 {
        let send_data = [[0, 4], block.to_be_bytes()].concat(); // ACK
        block = block.wrapping_add(1);
        let want = [[0, 3], block.to_be_bytes()].concat(); // the next DATA
        recv_data = send_until(socket, &send_data, &want)?;
        file.write_all(&recv_data[4..])?;
    }
    // 11a. whole: it gets its name, unless taken meanwhile (never replaced)
    match fs::hard_link(&temp.0, path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            socket.send(b"\x00\x05\x00\x06file already exists\x00")?;
            bail!("refused: file already exists");
        }
        named => named?,
    }
    let ack = [[0, 4], block.to_be_bytes()].concat(); // the last ACK
    socket.send(&ack)?;
    // 12. dally: the last block again means the last ACK was lost; send
    // it again, until the client is quiet for TRIES timeouts (a client may
    // wait longer than we do: tftp-hpa waits 5 s before it sends again)
    socket.set_read_timeout(Some(TIMEOUT * TRIES))?;
    let mut again = [0; 1024];
    while let Ok(len) = socket.recv(&mut again) {
        if again[..len].starts_with(&recv_data[..4]) {
            socket.send(&ack)?;
        }
    }
    Ok(file.metadata()?.len())
}

/// How many names (hard links) the file at `path` has
#[cfg(unix)]
fn links(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).map_or(0, |meta| meta.nlink())
}

#[cfg(not(unix))] // std cannot count them on Windows
fn links(_path: &Path) -> u64 {
    1
}

/// An upload's temporary name: removed when dropped, whatever happened
/// (a complete upload has its own name by then)
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}
