//! 39-tftp-server-safe: serve the files of a folder over TFTP, safely.
//!
//! The end of the TFTP server chain (15, 30 to 38): what those steps do,
//! on crates/tftp, plus what a step of 40 lines could not hold: windows
//! (RFC 7440) and options for uploads, waits timed by the round trip (RFC
//! 6298), files opened before they are checked, a floor on a transfer's
//! rate, --max-size, ERROR 5 to strangers, IPv6 clients by their /112.
//!
//! Tutorial: 003 "TFTP简单文件传输协议" used a Windows TFTP server; this is
//! one. Requests arrive on one well-known port (69; 6969 here, as 69
//! needs root). Each transfer gets a NEW socket, so a new port (its
//! transfer ID), and its own thread: many clients at once, while the main
//! socket keeps answering. Downloads: crates/tftp/src/transfer.rs;
//! uploads come in through 29's own loop (its `receive_file`).
//!
//! Terminal 1: cargo run --bin 39-tftp-server-safe -- 6969 shared \
//!             --write shared
//! Terminal 2: curl -o hello.txt tftp://127.0.0.1:6969/hello.txt

use netcommon::{printable, Args, Context, Result};
use std::io::Write;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::thread;
use std::time::Instant;
use tftp::files::{Capped, Root};
use tftp::packet::{self, Packet, Request};
use tftp::slots::Slot;
use tftp::{netascii, Options, Peer, Slots};

// 29's main.rs, for its receive loop: one loop receives every file
#[allow(dead_code)]
#[path = "../../29-tftp-client-safe/src/main.rs"]
mod client;

const USAGE: &str = "39-tftp-server-safe [BIND=0.0.0.0:6969] [DIR=.] \
                     [--write FOLDER]\n[--max-size BYTES]";
const MAX_TRANSFERS: usize = 256; // at once; a quarter per client address
const MODES: [&str; 2] = ["octet", "netascii"];

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let write: String = args.option("--write", String::new()); // "": none
    let max_size = args.option("--max-size", u64::MAX);
    let local_addr = args.next_addr("BIND", "0.0.0.0:6969");
    let dir = args.next_or("DIR", ".");
    args.done();
    let root = Arc::new(Root::open(&dir).context(dir)?);
    // uploads: off, or into a folder of their own (never the course's:
    // a stranger's build.rs there runs on your next build), up to a size
    let uploads = match write.is_empty() {
        true => None,
        false => {
            let folder = Root::open(&write).context(write)?;
            Some((Arc::new(folder), max_size))
        }
    };

    // 1. create the UDP socket and 2. bind the well-known port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    let slots = Slots::new(MAX_TRANSFERS);
    let mut buf = vec![0; tftp::RECV_SIZE];
    loop {
        // 3. wait for a request: RRQ (download) or WRQ (upload). A failed
        // receive (on Windows, error 10054 after an ICMP "port
        // unreachable") is not the end: wait for the next one
        let Ok((len, client_addr)) = udp_socket.recv_from(&mut buf) else {
            continue;
        };
        // anything else gets no answer, an ERROR least of all: a forged
        // datagram would loop between this port and any UDP service that
        // answers (issue 21 row 4)
        let Ok(Packet::Request(request)) = Packet::parse(&buf[..len]) else {
            continue;
        };
        let verb = if request.write { "put" } else { "get" };
        let name: String = request.file.chars().take(100).collect();
        let what = format!("{client_addr} {verb} {}", printable(&name));
        // 4. a slot (one client address gets a quarter at most), a new
        // socket and a new thread for the transfer; without one of them
        // (out of slots, file descriptors, threads) the answer is "busy"
        let slot = slots.take(client_addr.ip()).context("no slot free");
        let started = slot.and_then(|slot| {
            let any = SocketAddr::new(local_addr.ip(), 0);
            let timeout = tftp::default_timeout();
            // a minute (60 timeouts), then at least 512 bytes a second
            let grace = timeout * 60;
            let socket = tftp::bind(any).context("cannot open a socket")?;
            let mut peer = Peer::new(socket, client_addr, timeout);
            peer.label = format!("{what}: ");
            peer.min_rate = Some(tftp::peer::MinRate { grace, bytes: 512 });
            let (root, uploads) = (root.clone(), uploads.clone());
            let transfer = move || serve(peer, &request, &root, uploads, slot);
            let spawned = thread::Builder::new().spawn(transfer);
            spawned.context("cannot start a thread")
        });
        if let Err(why) = started {
            let error = packet::error(packet::NOT_DEFINED, "busy: try later");
            let _ = udp_socket.send_to(&error, client_addr);
            tftp::peer::say(&format!("{what}: busy ({why:#})"));
        }
    }
}

/// 5. one transfer, in its own thread, from its own socket (port)
fn serve(
    mut peer: Peer,
    request: &Request,
    root: &Root,
    uploads: Option<(Arc<Root>, u64)>,
    _slot: Slot, // taken until the transfer ends
) {
    let started = Instant::now();
    let known_mode = MODES.contains(&request.mode.as_str());
    let served = match (request.write, uploads) {
        _ if !known_mode => {
            let why = "unknown mode";
            Err(peer.refuse(packet::ILLEGAL_OPERATION, why).into())
        }
        (false, _) => download(&mut peer, root, request),
        (true, Some((folder, max_size))) => {
            upload(&mut peer, &folder, request, max_size)
        }
        (true, None) => {
            let why = "uploads are off (start the server with --write FOLDER)";
            Err(peer.refuse(packet::ACCESS_VIOLATION, why).into())
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let label = &peer.label;
    let again = peer.sent_again(if request.write { "ACK" } else { "block" });
    let stored = request.write && served.is_ok();
    let line = match served {
        Ok(size) => format!("{label}{size} bytes in {seconds:.2} s, {again}"),
        Err(error) => format!("{label}{}", printable(&error.to_string())),
    };
    // at most 5 lines a second for one client address (issue 21 row 9)
    tftp::peer::log(peer.addr.ip(), &line);
    // 8. after an upload's last ACK: if it was lost, the client sends its
    // last block again; answer it for a moment (still in the slot)
    if stored {
        peer.dally();
    }
}

/// 6. a download: a file inside the folder, sent after the options
fn download(peer: &mut Peer, root: &Root, request: &Request) -> Result<u64> {
    let file = root.open_file(&request.file);
    let file = file.map_err(|(code, why)| peer.refuse(code, &why))?;
    let netascii = request.mode == "netascii";
    let size = if netascii { 0 } else { file.metadata()?.len() };
    let (options, answers) =
        Options::negotiate(&request.options, Some(size), tftp::PEER_BUFFER)
            .map_err(|why| peer.refuse(packet::BAD_OPTION, &why))?;
    peer.set_timeout(options.timeout);
    if !answers.is_empty() {
        tftp::send_oack(peer, &packet::oack(&answers))?; // until ACK 0
    }
    let input = netascii::reader(file, netascii);
    Ok(tftp::send_file(peer, input, &options)?)
}

/// 7. an upload into the upload folder, by 29's loop: all or nothing
fn upload(
    peer: &mut Peer,
    root: &Root,
    request: &Request,
    max_size: u64,
) -> Result<u64> {
    let buffer = tftp::receive_buffer(&peer.socket);
    let (options, answers) = Options::negotiate(&request.options, None, buffer)
        .map_err(|why| peer.refuse(packet::BAD_OPTION, &why))?;
    peer.set_timeout(options.timeout);
    let upload = root.create(&request.file);
    let mut upload = upload.map_err(|(code, why)| peer.refuse(code, &why))?;
    // the first answer: OACK when options were taken, else ACK 0
    let ack_0 = match answers.is_empty() {
        true => packet::ack(0),
        false => packet::oack(&answers),
    };
    peer.send(&ack_0)?;
    // the last ACK goes once the file has its name: then it is stored
    let capped = Capped {
        inner: &mut upload.file,
        left: max_size,
    };
    let mut output = netascii::writer(capped, request.mode == "netascii");
    let mut recv_data = vec![0; tftp::RECV_SIZE];
    let (size, last_block) = client::receive_file(
        peer,
        &mut output,
        &options,
        ack_0,
        &mut recv_data,
        None,
    )?;
    output.flush().map_err(|error| peer.write_failed(error))?;
    drop(output);
    upload
        .keep()
        .map_err(|(code, why)| peer.refuse(code, &why))?;
    peer.send(&packet::ack(last_block))?;
    Ok(size)
}
