//! 37-tftp-client-safe: 36's, plus what a classmate on the same machine
//! or a server that never stops cannot get around (crates/tftp's
//! safe.rs): the first answer only from a socket of the server's own
//! user, the download out of sight until complete (Ctrl-C leaves
//! nothing), at most `--max-size` bytes and never more than the
//! announced tsize.
//!
//! A download acknowledges at the end of each window (or at once when a
//! block is missing: the server then sends again from there).
//!
//! The request carries options after the mode; a server that takes any
//! answers first with an OACK, the options it took (crates/tftp's
//! options.rs checks them), and the loops use its block size instead of
//! 512. A server that knows no options answers as before.
//!
//! 14 only downloads. An upload is the other way round: a write request
//! (WRQ, opcode 2), then DATA from us and ACKs from the server, ACK 0
//! first: crates/tftp's send_file sends it, a window at a time.
//!
//! Tutorial: 003 "TFTP简单文件传输协议". The read request is packed byte by
//! byte like the tutorial's `struct.pack("!H8sb5sb", 1, b"test.jpg", 0,
//! b"octet", 0)`; the answer comes from a NEW port, the server's transfer
//! ID. Then the tutorial's loop (step 5, `receive_file`, which lesson 63
//! receives its uploads with): receive a block, write it,
//! acknowledge it, stop on a block shorter than 512 bytes. Plus what a
//! student meets on any network: only the transfer ID's packets count, a
//! repeated block is written once, the last block is acknowledged too, a
//! silence sends the last packet again (5 tries), and the file
//! is a new one, never an old one replaced. Grows from 01 (a UDP socket).
//!
//! Terminal 1: cargo run --bin 63-tftp-server-safe   (serves this folder)
//! Terminal 2: cd /tmp && cargo run --manifest-path /PATH/Cargo.toml
//!             --bin 37-tftp-client-safe -- Cargo.toml

use netcommon::{anyhow, bail, printable, Args, Context, Result};
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use tftp::safe::{Limit, NewFile};
use tftp::{packet, Options, Packet, Peer, Progress};

const USAGE: &str = "37-tftp-client-safe FILE [SERVER=127.0.0.1:6969] \
                     [--put] [--blksize N]\n[--windowsize N] [--max-size N]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let put = args.flag("--put");
    let blksize = args.option("--blksize", 0);
    if blksize != 0 && !(8..=tftp::MAX_BLKSIZE).contains(&blksize) {
        args.fail("--blksize must be 8 to 65464");
    }
    let windowsize = args.option("--windowsize", 0);
    let max_size = args.option("--max-size", u64::MAX);
    let file_name = args.next_required("FILE");
    let server_addr = args.next_addr("SERVER", "127.0.0.1:6969");
    args.done();
    // saved under the name after the last / (or \): in this folder
    let base_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default();

    // 1. create the UDP socket (IPv4, as the tutorial's): the system picks
    // our port, our transfer ID
    // (and buffers of 4 MiB: a window must fit, or its tail is lost)
    // (IPv6 to talk to an IPv6 server: "[::]:0")
    let v4 = server_addr.is_ipv4();
    let any = if v4 { "0.0.0.0:0" } else { "[::]:0" };
    let udp_socket = tftp::bind(any.parse()?)?;

    // 2. the request, struct.pack("!H%dsb5sb", 1, name, 0, b"octet", 0):
    // opcode 1 (2 bytes, big endian: "!H"), the name, 0, the mode, 0;
    // an upload: opcode 2 (WRQ), and the name without its folders
    let opcode: u16 = if put { 2 } else { 1 };
    let name = if put { base_name } else { &file_name };
    let mut send_data = opcode.to_be_bytes().to_vec();
    send_data.extend([name.as_bytes(), &[0], b"octet", &[0]].concat());

    // 3. the local file's size, for an upload (the file itself is opened
    // in 5, once the server has answered); a download's name must be
    // free (checked again when the file is made)
    let size = match put {
        true => fs::metadata(&file_name).context(file_name.clone())?.len(),
        false if Path::new(base_name).exists() => {
            bail!("{base_name} exists here: not replaced")
        }
        false => 0,
    };
    // 3a. the options, after the mode: name, 0, value, 0 (tsize: the
    // upload's size, or 0 for "tell me"; blksize when asked for)
    // (windowsize, no wider than our socket buffer holds: an upload's,
    // than a server's usually holds)
    let buffer = tftp::receive_buffer(&udp_socket);
    let buffer = if put { tftp::PEER_BUFFER } else { buffer };
    let asked = tftp::options::ask(size, blksize, windowsize, buffer);
    for (name, value) in &asked {
        send_data.extend(format!("{name}\0{value}\0").bytes());
    }

    // 4. send the request to the server's port; Peer waits for answers
    // as long as a round trip takes (RFC 6298, peer.rs): 1 s until timed
    let mut peer = Peer::new(udp_socket, server_addr, tftp::default_timeout());
    let recv_data = &mut vec![0; tftp::RECV_SIZE][..]; // any datagram

    // 4a. the request again after a silence (counted as a request) until
    // an answer comes from the server; its port is the server's transfer
    // ID: from then on, a packet from any other port is not ours
    // and only from a socket of the server's own user (or an ERROR: a
    // socket that answers one may be gone already)
    let owned = tftp::safe::same_user(server_addr);
    let (len, tid) = peer.request_if(&send_data, recv_data, owned)?;
    peer.addr = tid;

    // 4b. the first answer: an OACK, the options the server took, none
    // larger than asked, then on as after ACK 0 (an upload sends DATA 1,
    // a download acknowledges the OACK with ACK 0); else DATA 1 (ACK 0
    // for an upload) or an ERROR; anything else is not TFTP's
    let mut options = Options::default(); // RFC 1350's, unless an OACK
    let mut first = Some(len); // (the download loop's first block)
    match Packet::parse(&recv_data[..len]) {
        Ok(Packet::Oack { options: oack }) => {
            options = Options::from_oack(&asked, &oack).map_err(|why| {
                let _ = peer.refuse(packet::BAD_OPTION, &why);
                anyhow!("bad OACK from {tid}: {why}")
            })?;
            peer.set_timeout(options.timeout); // the longest wait
            first = None; // (a download acknowledges it with ACK 0)
        }
        Ok(Packet::Data { block: 1, .. }) if !put => {}
        Ok(Packet::Ack { block: 0 }) if put => {}
        Ok(Packet::Error { code, message }) => {
            bail!("server error {code}: {}", printable(&message))
        }
        _ => bail!("unexpected answer from {tid}"),
    }

    // 5a. a line on stderr each second: how many bytes so far, of how many
    let total = options.tsize.or(put.then_some(size));
    // 5u. an upload: send_file sends the blocks, a window at a time, until
    // the last one is acknowledged; a download: the loop below
    let mut size = 0; // bytes sent, or received
    let started = Instant::now();
    if put {
        let file = File::open(&file_name).context(file_name.clone())?;
        size =
            tftp::send_file(&mut peer, Progress::new(file, total), &options)?;
    } else if first.is_none() {
        send_data = packet::ack(0);
        peer.send(&send_data)?; // the OACK accepted: now the data
    }

    // 5. a download: receive_file, below, into a hidden .NAME.PID.part
    // (gone after an error), named when complete, never replacing a file
    if !put {
        // out of sight (an unnamed file) until the download is complete;
        // 5a. no more than --max-size, nor than the server announced
        let left = options.tsize.unwrap_or(u64::MAX).min(max_size);
        let inner = Progress::new(NewFile::create(base_name)?, total);
        let mut file = Limit { inner, left };
        let (received, last) = receive_file(
            &mut peer, &mut file, &options, send_data, recv_data, first,
        )?;
        // 5.7 the file is complete: keep it under its name, then
        // acknowledge the last block (the tutorial never did)
        file.inner.into_inner().keep()?;
        peer.send(&packet::ack(last))?;
        size = received;
    }
    // 6. the whole file is here (or there), its last block acknowledged;
    // and how many packets had to be sent again
    let seconds = started.elapsed().as_secs_f64();
    let kib = size as f64 / seconds.max(1e-6) / 1024.0;
    let rate = match kib < 1024.0 {
        true => format!("{kib:.1} KiB/s"), // a slow link: not "0.0 MiB/s"
        false => format!("{:.1} MiB/s", kib / 1024.0),
    };
    let took = format!("in {seconds:.2} s ({rate})");
    let done = if put { "sent" } else { "received" };
    let again = peer.sent_again(if put { "block" } else { "ACK" });
    println!("{done} {base_name}: {size} bytes {took}, {again}");
    Ok(())
}

/// Step 5 of a download (and of 63's uploads), the tutorial's loop:
/// receive a block, write it if it is the next one, acknowledge it,
/// until a block shorter than blksize ends it. Returns the size and the
/// last block's number, not yet acknowledged (the caller keeps the file
/// first). `send_data`, sent already, asked for the data (ACK 0, or
/// 63's OACK) and goes again when nothing comes; `first`: the length of
/// a first block that is in `recv_data` already.
pub fn receive_file(
    peer: &mut Peer,
    file: &mut impl Write,
    options: &Options,
    mut send_data: Vec<u8>,
    recv_data: &mut [u8],
    mut first: Option<usize>,
) -> Result<(u64, u16)> {
    // 5. the tutorial's loop: receive a block, write it if it is the next
    // one, acknowledge it, until a block shorter than 512 bytes ends it
    let (mut ack_num, mut last, mut size) = (0u16, false, 0);
    let mut in_window = 0; // blocks received since our last ACK

    while !last {
        // 5.1 receive (the first block may be here already); nothing for
        // a while: send our last packet again (a line says so), 5 times
        // in all, then give up
        let received = match first.take() {
            Some(len) => Some((len, peer.addr)),
            None => peer.recv_from(recv_data)?,
        };
        let Some((len, from)) = received else {
            peer.resend(&send_data)?;
            continue;
        };
        if from != peer.addr {
            peer.stranger(from, &recv_data[..len]); // not ours: ERROR 5
            continue;
        }
        // 5.2 unpack opcode and block number: struct.unpack("!HH")
        let [op_high, op_low, high, low, ..] = recv_data[..len] else {
            continue; // too short for a TFTP packet
        };
        let opcode = u16::from_be_bytes([op_high, op_low]);
        let block = u16::from_be_bytes([high, low]);
        let data = &recv_data[4..len];
        // 5.3 opcode 5: the other end (a server, or 63's client) reports
        // an error (a code, a text, a 0)
        if opcode == 5 {
            let text = String::from_utf8_lossy(data).replace('\0', "");
            bail!("peer sent error {block}: {}", printable(&text));
        }
        // 5.4 the next block (after 65535 comes 0): write it, once
        let next = opcode == 3 && block == ack_num.wrapping_add(1);
        if next {
            file.write_all(data).map_err(|e| peer.write_failed(e))?;
            size += data.len() as u64;
            peer.progress(); // the next block: the wait starts again
            (ack_num, in_window) = (block, in_window + 1);
        }
        // 5.5 a block shorter than 512 bytes is the last: the caller
        // acknowledges it, once the file is kept
        last = next && data.len() < options.blksize;
        // 5.6 acknowledge the last block written, struct.pack("!HH", 4,
        // ack_num): at the end of a window, or at once for a repeat (our
        // ACK was lost) or a block after a lost one
        if (in_window == options.windowsize || !next) && !last {
            send_data = [4u16.to_be_bytes(), ack_num.to_be_bytes()].concat();
            peer.send(&send_data)?;
            in_window = 0;
        }
    }
    Ok((size, ack_num))
}
