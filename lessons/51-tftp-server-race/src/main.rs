//! 51-tftp-server-race: 50, and a download opened before it is checked.
//!
//! Without it the server checks a name (a plain path inside the folder,
//! a file) and opens it later, by name, from the transfer's thread. A
//! symbolic link in the folder that leads out passes the check, and so
//! does a file that another user swaps for such a link between the check
//! and the open: the file served is not the file checked. Now the folder
//! is opened once (`Root`, crates/tftp/src/files.rs) and each download
//! step by step from it, never through a symbolic link that leads out,
//! and the check runs on the file opened (a regular file, one link).
//!
//! 50's header:
//!
//! 50-tftp-server-put-options: 49, and options and windows for uploads.
//!
//! Without it an upload ignores the client's options: 512 bytes a round
//! trip, whatever `blksize` or `windowsize` it asks for, and its `tsize`
//! is not answered. Now an upload's options are read as a download's
//! are (`Options::negotiate`, with the window capped to what this
//! socket's buffer holds), answered in an OACK instead of ACK 0, and 37's
//! loop receives the blocks in windows of that size.
//!
//! 49's header:
//!
//! 49-tftp-server-strangers: 48, and an upload answers a stranger.
//!
//! Without it a packet from anyone but the client, on an upload's port,
//! gets no answer: a client that lost track of its transfer (it restarted,
//! or sends to an old port) waits out its timeouts for nothing. RFC 1350
//! asks for ERROR 5, `unknown transfer ID`, to the stranger, and the
//! transfer goes on; downloads do it since 48 (`send_file`). Now uploads
//! come in through lesson 37's own receiving loop, `receive_file`,
//! included from its main.rs, which does it too: one loop receives every
//! file of the course.
//!
//! 48's header:
//!
//! 48-tftp-server-window: 47, and windows of blocks (RFC 7440).
//!
//! Without it a download is stop-and-wait: one block, then its ACK, one
//! round trip for every 512 bytes (or blksize), however fast the link.
//! Across 10 ms each way that is 25 KiB a second. Now a client may ask
//! for `windowsize` N: N blocks go out, one ACK answers them all. The
//! options are read by `Options::negotiate` and the blocks sent by
//! `send_file` (crates/tftp), which answers a stranger with ERROR 5.
//!
//! 47's header:
//!
//! 47-tftp-server-rto: 46, and waits timed by the round trip.
//!
//! Without it every lost packet costs a whole second: 46 waits a fixed
//! TIMEOUT before it sends a block again, whether the client answers in
//! a millisecond (loopback, a LAN) or in 800 ms (a satellite). Through a
//! link that loses one packet in ten, a download spends most of its time
//! waiting. Now each transfer has a `Peer` (crates/tftp/src/peer.rs): it
//! measures the round trip and waits a little longer than that (RFC 6298),
//! twice as long after each silence, and says what it sends again.
//!
//! 46's header:
//!
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
use std::io::{self, BufReader, Read};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use std::{fs, fs::File, thread};
use tftp::files::Root;
use tftp::{packet, Options, Peer};

// 37's main.rs, for its receive loop: one loop receives every file
#[allow(dead_code)]
#[path = "../../37-tftp-client-safe/src/main.rs"]
mod client;

const USAGE: &str =
    "51-tftp-server-race [BIND=0.0.0.0:6969] [DIR=.] [--write FOLDER]";
const TIMEOUT: Duration = Duration::from_secs(1); // no ACK: send again
const TRIES: u32 = 5; // sends of one block before giving up
const MAX_TRANSFERS: usize = 256; // at once; a quarter per client address

/// Transfers under way, by client address.
type Slots = Arc<Mutex<HashMap<IpAddr, usize>>>;
/// An option of a request: its name and its value.
type Opt = (String, String);

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let write: String = args.option("--write", String::new()); // "": none
    let local_addr = args.next_addr("BIND", "0.0.0.0:6969");
    let dir = args.next_or("DIR", ".");
    args.done();
    // the served folder, opened once: each download is opened from it
    let root = Arc::new(Root::open(&dir).context(dir.clone())?);

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
        let root = root.clone();
        let job = move || {
            let (how, file) = ((upload, netascii), (&*root, &*file_name));
            serve(client_addr, local_addr, file, &path, refused, how, options)
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
    (root, name): (&Root, &str),
    path: &Path,
    refused: Option<(u8, &str)>,
    (upload, netascii): (bool, bool),
    options: Vec<(String, String)>,
) -> Result<u64> {
    let socket = UdpSocket::bind(SocketAddr::new(local_addr.ip(), 0))?;
    // from now on, only this client's packets count, each timed
    let mut peer = Peer::new(socket, client_addr, TIMEOUT);
    if let Some((code, why)) = refused {
        // ERROR: opcode 5, the error code, a message, 0
        peer.send(&[&[0, 5, 0, code], why.as_bytes(), &[0]].concat())?;
        bail!("refused: {why}");
    }
    if upload {
        return receive(&mut peer, path, &options);
    }
    // 6. the file opened first, then checked: the file served IS the file
    // checked (a regular file inside the folder, with one link)
    let file = root.open_file(name);
    let file = file.map_err(|(code, why)| peer.refuse(code, &why))?;
    // 6a. the options it knows, windowsize too (RFC 7440), each answered
    // in an OACK, never larger than asked; the rest left out
    let size = if netascii { 0 } else { file.metadata()?.len() };
    let (options, answers) =
        Options::negotiate(&options, Some(size), tftp::PEER_BUFFER)
            .map_err(|why| peer.refuse(packet::BAD_OPTION, &why))?;
    peer.set_timeout(options.timeout); // the longest wait
    if !answers.is_empty() {
        tftp::send_oack(&mut peer, &packet::oack(&answers))?; // until ACK 0
    }
    // 6b. netascii: the file's bytes converted on their way out
    let mut input: Box<dyn Read + '_> = match netascii {
        true => Box::new(Netascii(BufReader::new(&file), None)),
        false => Box::new(&file),
    };
    // 7. a window of blocks (one, unless asked), then its ACK, until a
    // block shorter than blksize (the last); lost: the window again
    tftp::send_file(&mut peer, &mut input, &options)?;
    Ok(file.metadata()?.len()) // the bytes sent
}

/// 10. an upload: the options taken (in an OACK), else ACK 0; then each
///     DATA block (or window) answered by its ACK, by 37's loop (a
///     stranger gets ERROR 5), into a new file, under a temporary name
fn receive(peer: &mut Peer, path: &Path, asked: &[Opt]) -> Result<u64> {
    let port = peer.socket.local_addr()?.port(); // no other transfer has it
    let temp = Temp(path.with_file_name(format!(".tftp-upload.{port}")));
    let file = &mut File::create_new(&temp.0).context("cannot create")?;
    // 10a. the options, as a download's; a window must fit our buffer
    let buffer = tftp::receive_buffer(&peer.socket);
    let (options, answers) = Options::negotiate(asked, None, buffer)
        .map_err(|why| peer.refuse(packet::BAD_OPTION, &why))?;
    peer.set_timeout(options.timeout); // the longest wait
    let ack_0 = match answers.is_empty() {
        true => packet::ack(0),
        false => packet::oack(&answers),
    };
    let recv_data = &mut vec![0; tftp::RECV_SIZE];
    peer.send(&ack_0)?;
    // 11. until a block shorter than blksize: that was the last one
    let (_, block) =
        client::receive_file(peer, file, &options, ack_0, recv_data, None)?;
    // from now on, only the client's packets (for the dally)
    let socket = &peer.socket;
    socket.connect(peer.addr)?;
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

/// An upload's temporary name: removed when dropped, whatever happened
/// (a complete upload has its own name by then)
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}
