//! 29-tftp-client-safe: download a file with TFTP (or upload it with --put).
//!
//! 28 plus what a classmate on the same machine or a server that never
//! stops cannot get around (crates/tftp/src/safe.rs): the first answer
//! only from a socket of the server's own user, the download out of
//! sight until complete (Ctrl-C leaves nothing), at most `--max-size`
//! bytes and never more than the announced tsize.
//!
//! Tutorial: 003 "TFTP简单文件传输协议". The request is packed byte by byte
//! like the tutorial's `struct.pack("!H8sb5sb", 1, b"test.jpg", 0,
//! b"octet", 0)`; the answer comes from a NEW port, the server's transfer
//! ID. The download is the tutorial's loop (`receive_file`, step 5),
//! plus what its loop lacks: a timeout and a resend, the transfer ID
//! checked, a repeated block written once, block numbers that wrap. 15
//! receives its uploads with this same function. How long to wait, and
//! how often to resend: crates/tftp/src/peer.rs.
//!
//! Terminal 1: cargo run --bin 39-tftp-server-safe   (serves this folder)
//! Terminal 2: cd /tmp && cargo run --manifest-path /PATH/Cargo.toml
//!             --bin 29-tftp-client-safe -- Cargo.toml

use netcommon::{anyhow, bail, printable, Args, Context, Result};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use tftp::packet::{self, Packet, DATA, ERROR, RRQ, WRQ};
use tftp::{safe::Limit, Options, Peer, Progress, PEER_BUFFER};

const USAGE: &str = "29-tftp-client-safe FILE [SERVER=127.0.0.1:6969] [--put] \
                     [--blksize N]\n[--windowsize N] [--max-size N]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let put = args.flag("--put");
    let blksize = args.option("--blksize", 0);
    let windowsize = args.option("--windowsize", 0);
    let max_size = args.option("--max-size", u64::MAX);
    let file_name = args.next_required("FILE");
    let server_addr = args.next_addr("SERVER", "127.0.0.1:6969");
    args.done();
    let base_name = Path::new(&file_name).file_name().context("no file")?;
    let base_name = base_name.to_string_lossy().into_owned();
    if !put && Path::new(&base_name).exists() {
        bail!("{base_name} exists here: not replaced")
    }

    // 1. create the UDP socket: the system picks our port (our transfer ID)
    let any = if server_addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let udp_socket = tftp::bind(any.parse()?)?;

    // 2. the options to ask for (RFC 2347), then the request itself:
    // opcode (2 bytes, big endian: "!H"), name, 0, mode, 0, options
    let (local_file, tsize) = match put {
        true => {
            let file = File::open(&file_name).context(file_name.clone())?;
            let size = file.metadata()?.len();
            (Some(file), size)
        }
        false => (None, 0),
    };
    let buffer = match put {
        true => PEER_BUFFER, // the server's, which we cannot see
        false => tftp::receive_buffer(&udp_socket),
    };
    if blksize != 0 && !(8..=tftp::MAX_BLKSIZE).contains(&blksize) {
        args.fail("--blksize must be 8 to 65464");
    }
    let asked = tftp::options::ask(tsize, blksize, windowsize, buffer);
    let opcode = if put { WRQ } else { RRQ };
    let remote_name = if put { &base_name } else { &file_name };
    let mut request = opcode.to_be_bytes().to_vec();
    request.extend([remote_name.as_bytes(), &[0], b"octet", &[0]].concat());
    for (name, value) in &asked {
        request
            .extend([name.as_bytes(), &[0], value.as_bytes(), &[0]].concat());
    }

    // 3. send it to the server's port (again after a timeout); the answer
    // comes from a NEW port, the server's transfer ID: from now on the
    // transfer talks to that address only
    let timeout = tftp::default_timeout();
    let mut peer = Peer::new(udp_socket, server_addr, timeout);
    let mut recv_data = vec![0; tftp::RECV_SIZE];
    // 3a. the first answer only from a socket of the server's own user
    // (or an ERROR: a socket that answers one may be gone already)
    let owned = tftp::safe::same_user(server_addr);
    let (len, tid) = peer.request_if(&request, &mut recv_data, owned)?;
    peer.addr = tid;

    // 4. the first answer: options granted (OACK), or none (RFC 1350:
    // DATA 1 for a download, ACK 0 for an upload), or an ERROR
    let mut first_block = None;
    let options = match Packet::parse(&recv_data[..len]) {
        Ok(Packet::Oack { options }) => Options::from_oack(&asked, &options)
            .map_err(|why| {
                let _ = peer.refuse(packet::BAD_OPTION, &why);
                anyhow!("bad OACK from {tid}: {why}")
            })?,
        Ok(Packet::Data { block: 1, .. }) if !put => {
            first_block = Some(len);
            Options::default()
        }
        Ok(Packet::Ack { block: 0 }) if put => Options::default(),
        Ok(Packet::Error { code, message }) => {
            bail!("server error {code}: {}", printable(&message))
        }
        _ => bail!("unexpected answer from {tid}"),
    };

    // 5. the transfer, block by block, with a progress line each second
    let total = options.tsize.or(put.then_some(tsize));
    let started = Instant::now();
    let size = if let Some(local_file) = local_file {
        let local_file = Progress::new(local_file, total);
        tftp::send_file(&mut peer, local_file, &options)?
    } else {
        // out of sight (an unnamed file) until the download is complete
        let part = tftp::safe::NewFile::create(&base_name)?;
        // 5a. no more than --max-size, nor than the server announced
        let left = options.tsize.unwrap_or(u64::MAX).min(max_size);
        let mut part = Limit {
            inner: Progress::new(part, total),
            left,
        };
        let ack_data = packet::ack(0);
        if first_block.is_none() {
            peer.send(&ack_data)?; // OACK accepted: now send the data
        }
        let (size, last_block) = receive_file(
            &mut peer,
            &mut part,
            &options,
            ack_data,
            &mut recv_data,
            first_block,
        )?;
        // 6. the file is complete: keep it under its name (never replacing
        // a file), then acknowledge the last block (the tutorial never did)
        part.inner.into_inner().keep()?;
        peer.send(&packet::ack(last_block))?;
        size
    };

    // 7. the result, and how many packets had to be sent again
    let seconds = started.elapsed().as_secs_f64();
    let kib = size as f64 / seconds.max(1e-6) / 1024.0;
    let rate = match kib < 1024.0 {
        true => format!("{kib:.1} KiB/s"), // a slow link: not "0.0 MiB/s"
        false => format!("{:.1} MiB/s", kib / 1024.0),
    };
    let done = if put { "sent" } else { "received" };
    let again = peer.sent_again(if put { "block" } else { "ACK" });
    println!(
        "{done} {base_name}: {size} bytes in {seconds:.2} s ({rate}), \
         {again}"
    );
    Ok(())
}

/// Step 5, the tutorial's loop: receive a block, write it if it is the
/// next one, acknowledge it, until a block shorter than blksize ends it.
/// Returns the size and the last block's number, not yet acknowledged:
/// the caller keeps the file first. `ack_data` asked for the data (our
/// ACK 0, or 15's OACK) and goes again when nothing comes; `recv_data`
/// may hold the first block already (`pending` bytes of it).
pub fn receive_file(
    peer: &mut Peer,
    file: &mut impl Write,
    options: &Options,
    mut ack_data: Vec<u8>,
    recv_data: &mut [u8],
    mut pending: Option<usize>,
) -> Result<(u64, u16)> {
    let (mut expected, mut size, mut in_window) = (1u16, 0, 0);
    loop {
        // 5.1 receive: a block, or no next block for a while (it, or our
        // ACK, was lost): then acknowledge again, after 5 tries give up
        let received = match pending.take() {
            Some(len) => Some((len, peer.addr)),
            None => peer.recv_from(recv_data)?,
        };
        let Some((len, from)) = received else {
            peer.resend(&ack_data)?;
            continue;
        };
        if from != peer.addr {
            peer.stranger(from, &recv_data[..len]); // not our server: ERROR 5
            continue;
        }
        // 5.2 unpack opcode and block number: struct.unpack("!HH")
        let [op_high, op_low, high, low, ..] = recv_data[..len] else {
            continue; // too short for a TFTP packet
        };
        let opcode = u16::from_be_bytes([op_high, op_low]);
        let block = u16::from_be_bytes([high, low]);
        let data = &recv_data[4..len];
        // 5.3 opcode 5: the other end reports an error (the second number
        // is its code), and stops
        if opcode == ERROR {
            let message = printable(&packet::text(data)).into_owned();
            bail!("peer sent error {block}: {message}")
        }
        if opcode != DATA || data.len() > options.blksize {
            continue; // not a block of this transfer
        }
        // 5.4 the next block: write it (a repeat is not written twice)
        let next = block == expected;
        if next {
            peer.progress(); // the transfer moves on: the wait starts again
            file.write_all(data).map_err(|e| peer.write_failed(e))?;
            size += data.len() as u64;
            expected = expected.wrapping_add(1); // after 65535 comes 0
            in_window += 1;
            // 5.5 a short block is the last one: stop
            if data.len() < options.blksize {
                return Ok((size, block));
            }
        }
        // 5.6 acknowledge the last block in order: at the end of a window
        // (each block, with window 1), or at once for any other block (a
        // repeat: our ACK was lost; or one after a lost one)
        if in_window == options.windowsize || !next {
            ack_data = packet::ack(expected.wrapping_sub(1));
            peer.send(&ack_data)?;
            in_window = 0;
        }
    }
}
