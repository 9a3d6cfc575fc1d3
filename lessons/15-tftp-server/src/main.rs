//! 15-tftp-server: serve the files of a folder over TFTP.
//!
//! Tutorial: 003 "TFTP简单文件传输协议" used a Windows TFTP server; this is
//! one. Requests arrive on one well-known port (69; 6969 here, as 69
//! needs root). Each transfer gets a NEW socket, so a new port (its
//! transfer ID), and its own thread: many clients at once, while the main
//! socket keeps answering. The transfer: crates/tftp/src/transfer.rs.
//!
//! Terminal 1: cargo run --bin 15-tftp-server        (serves this folder)
//! Terminal 2: curl -o /tmp/Cargo.toml tftp://127.0.0.1:6969/Cargo.toml

use crossbeam_channel::bounded;
use netcommon::{Args, Context, Result};
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Instant;
use std::{fs, thread};
use tftp::packet::{self, Packet, Request};
use tftp::{files, netascii, Options, Peer};

const USAGE: &str = "15-tftp-server [BIND=0.0.0.0:6969] [DIR=.] [--write]";
const MAX_TRANSFERS: usize = 256; // threads (and sockets) at most

fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let local_addr = args.addr("BIND");
    let dir = args.get("DIR").unwrap_or_default();
    let root = fs::canonicalize(&dir).context(dir)?;
    let uploads = args.flag("--write");

    // 1. create the UDP socket and 2. bind the well-known port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);

    let (take_slot, free_slot) = bounded(MAX_TRANSFERS);
    let mut buf = vec![0; tftp::MAX_PACKET];
    loop {
        // 3. wait for a request: RRQ (download) or WRQ (upload)
        let Ok((len, client_addr)) = udp_socket.recv_from(&mut buf) else {
            continue;
        };
        let request = match Packet::parse(&buf[..len]) {
            Ok(Packet::Request(request)) => request,
            Ok(Packet::Error { .. }) => continue, // never answer an ERROR
            _ => {
                let error = packet::error(
                    packet::ILLEGAL_OPERATION,
                    "not a TFTP request",
                );
                let _ = udp_socket.send_to(&error, client_addr);
                continue;
            }
        };
        if take_slot.try_send(()).is_err() {
            let error = packet::error(packet::NOT_DEFINED, "busy: try later");
            let _ = udp_socket.send_to(&error, client_addr);
            continue;
        }
        // 4. a new thread for the transfer
        let (root, free_slot) = (root.clone(), free_slot.clone());
        let any = SocketAddr::new(local_addr.ip(), 0);
        thread::spawn(move || {
            let started = Instant::now();
            let served = serve(any, client_addr, &request, &root, uploads);
            let verb = if request.write { "put" } else { "get" };
            let what = format!("{client_addr} {verb} {}", request.file);
            let seconds = started.elapsed().as_secs_f64();
            match served {
                Ok(size) => println!("{what}: {size} bytes in {seconds:.2} s"),
                Err(error) => println!("{what}: {error}"),
            }
            free_slot.recv()
        });
    }
}

/// 5. one transfer, from a new socket: a new port, the transfer ID
fn serve(
    any: SocketAddr,
    client_addr: SocketAddr,
    request: &Request,
    root: &Path,
    uploads: bool,
) -> Result<u64> {
    let timeout = tftp::options::default_timeout();
    let peer = Peer::new(tftp::bind(any)?, client_addr, timeout);
    let netascii = match request.mode.as_str() {
        "octet" => false,
        "netascii" => true,
        _ => Err(peer.refuse(packet::ILLEGAL_OPERATION, "unknown mode"))?,
    };
    let (file, asked) = (&request.file, &request.options);
    match (request.write, uploads) {
        (false, _) => download(peer, root, file, netascii, asked),
        (true, true) => upload(peer, root, file, netascii, asked),
        (true, false) => {
            let why = "uploads are off (start the server with --write)";
            Err(peer.refuse(packet::ACCESS_VIOLATION, why))?
        }
    }
}

/// 6. a download: a file inside the folder, sent after the options
fn download(
    mut peer: Peer,
    root: &Path,
    file: &str,
    netascii: bool,
    asked: &[(String, String)],
) -> Result<u64> {
    let file =
        files::open(root, file).map_err(|(c, why)| peer.refuse(c, &why))?;
    let size = if netascii { 0 } else { file.metadata()?.len() };
    let (options, answers) =
        Options::negotiate(asked, Some(size), tftp::PEER_BUFFER)
            .map_err(|why| peer.refuse(packet::BAD_OPTION, &why))?;
    peer.timeout = options.timeout;
    if !answers.is_empty() {
        tftp::send_oack(&peer, &packet::oack(&answers))?; // until ACK 0
    }
    let input = netascii::reader(file, netascii);
    Ok(tftp::send_file(&peer, input, &options, &mut |_| {})?)
}

/// 7. an upload: a new file, complete or not at all
fn upload(
    mut peer: Peer,
    root: &Path,
    file: &str,
    netascii: bool,
    asked: &[(String, String)],
) -> Result<u64> {
    let buffer = tftp::receive_buffer(&peer.socket);
    let (options, answers) = Options::negotiate(asked, None, buffer)
        .map_err(|why| peer.refuse(packet::BAD_OPTION, &why))?;
    peer.timeout = options.timeout;
    let port = peer.socket.local_addr()?.port();
    let upload = files::create(root, file, port)
        .map_err(|(c, why)| peer.refuse(c, &why))?;
    // the first answer: OACK when options were taken, else ACK 0
    let ack_0 = match answers.is_empty() {
        true => packet::ack(0),
        false => packet::oack(&answers),
    };
    peer.send(&ack_0)?;
    let output = netascii::writer(upload.file.try_clone()?, netascii);
    let received =
        tftp::receive_file(&peer, output, &options, ack_0, None, &mut |_| {});
    upload.finish(received.is_ok())?;
    let size = received?;
    // if our last ACK is lost, the client sends its last block again
    let last_block = (size / options.blksize as u64 + 1) as u16;
    thread::spawn(move || tftp::dally(&peer, last_block));
    Ok(size)
}
