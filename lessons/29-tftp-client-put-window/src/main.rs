//! 29-tftp-client-put-window: 28's, and uploads that send a window of
//! blocks (RFC 7440) before they wait for an ACK: crates/tftp's
//! send_file, which keeps the blocks not yet acknowledged and sends them
//! again from the one after the server's last ACK.
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
//! ID. Then the tutorial's loop (step 5): receive a block, write it,
//! acknowledge it, stop on a block shorter than 512 bytes. Plus what a
//! student meets on any network: only the transfer ID's packets count, a
//! repeated block is written once, the last block is acknowledged too, a
//! silence sends the last packet again (5 tries), and the file
//! is a new one, never an old one replaced. Grows from 01 (a UDP socket).
//!
//! Terminal 1: cargo run --bin 63-tftp-server-safe   (serves this folder)
//! Terminal 2: cd /tmp && cargo run --manifest-path /PATH/Cargo.toml
//!             --bin 29-tftp-client-put-window -- Cargo.toml

use netcommon::{anyhow, bail, printable, Args, Context, Result};
use std::fs::{self, File};
use std::io::Write;
use tftp::{packet, Options, Packet, Peer};

const USAGE: &str = "29-tftp-client-put-window FILE [SERVER=127.0.0.1:6969] \
                     [--put]\n[--blksize N] [--windowsize N]";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let put = args.flag("--put");
    let blksize = args.option("--blksize", 0);
    let windowsize = args.option("--windowsize", 0);
    let file_name = args.next_required("FILE");
    let server_addr = args.next_addr("SERVER", "127.0.0.1:6969");
    args.done();
    // saved under the name after the last / (or \): in this folder
    let base_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default();

    // 1. create the UDP socket (IPv4, as the tutorial's): the system picks
    // our port, our transfer ID
    // (and buffers of 4 MiB: a window must fit, or its tail is lost)
    let udp_socket = tftp::bind("0.0.0.0:0".parse()?)?;

    // 2. the request, struct.pack("!H%dsb5sb", 1, name, 0, b"octet", 0):
    // opcode 1 (2 bytes, big endian: "!H"), the name, 0, the mode, 0;
    // an upload: opcode 2 (WRQ), and the name without its folders
    let opcode: u16 = if put { 2 } else { 1 };
    let name = if put { base_name } else { &file_name };
    let mut send_data = opcode.to_be_bytes().to_vec();
    send_data.extend([name.as_bytes(), &[0], b"octet", &[0]].concat());

    // 3. create the local file: a new one, never an old one replaced
    // (an upload reads the file instead)
    let mut file = match put {
        true => File::open(&file_name).context(file_name.clone())?,
        false => File::create_new(base_name).context(base_name.to_owned())?,
    };
    // 3a. the options, after the mode: name, 0, value, 0 (tsize: the
    // upload's size, or 0 for "tell me"; blksize when asked for)
    // (windowsize, no wider than our socket buffer holds: an upload's,
    // than a server's usually holds)
    let buffer = tftp::receive_buffer(&udp_socket);
    let size = file.metadata()?.len();
    let buffer = if put { tftp::PEER_BUFFER } else { buffer };
    let asked = tftp::options::ask(size, blksize, windowsize, buffer);
    for (name, value) in &asked {
        send_data.extend(format!("{name}\0{value}\0").bytes());
    }

    // 4. send the request to the server's port; Peer waits for answers
    // as long as a round trip takes (RFC 6298, peer.rs): 1 s until timed
    let mut peer = Peer::new(udp_socket, server_addr, tftp::default_timeout());
    peer.send(&send_data)?;

    // 5. the tutorial's loop: receive a block, write it if it is the next
    // one, acknowledge it, until a block shorter than 512 bytes ends it
    let (mut tid, mut ack_num, mut last) = (None, 0u16, false);
    let mut recv_data = vec![0; tftp::RECV_SIZE]; // a block of any size
    let mut options = Options::default(); // RFC 1350's, unless an OACK
    let mut in_window = 0; // blocks received since our last ACK

    while !last {
        // 5.1 receive; nothing for a while: send our last packet again
        // (a line says so), 5 times in all, then give up
        let Some((len, from)) = peer.recv_from(&mut recv_data)? else {
            if let Err(error) = peer.resend(&send_data) {
                // no half file left (of a download: an upload's stays)
                let _ = (!put).then(|| fs::remove_file(base_name));
                return Err(error.into());
            }
            continue;
        };
        // the first answer's port is the server's transfer ID: from then
        // on, a packet from any other port is not ours
        if from.ip() != server_addr.ip() || *tid.get_or_insert(from) != from {
            peer.stranger(from, &recv_data[..len]); // not ours: ERROR 5
            continue;
        }
        // from then on our packets (and resends) go to that port
        peer.addr = from;
        // 5.2 unpack opcode and block number: struct.unpack("!HH")
        let [op_high, op_low, high, low, ..] = recv_data[..len] else {
            continue; // too short for a TFTP packet
        };
        let mut opcode = u16::from_be_bytes([op_high, op_low]);
        let mut block = u16::from_be_bytes([high, low]);
        let data = &recv_data[4..len];
        // 5.3 opcode 5: the server reports an error (a code, a text, a 0)
        if opcode == 5 {
            let _ = (!put).then(|| fs::remove_file(base_name));
            let text = String::from_utf8_lossy(data).replace('\0', "");
            bail!("server error {block}: {}", printable(&text));
        }
        // 5.2a opcode 6, OACK: the options the server took, none larger
        // than asked; then on as after ACK 0 (an upload sends DATA 1, a
        // download acknowledges the OACK with ACK 0)
        if opcode == 6 && ack_num == 0 {
            let oack = match Packet::parse(&recv_data[..len]) {
                Ok(Packet::Oack { options }) => options,
                _ => continue,
            };
            options = Options::from_oack(&asked, &oack).map_err(|why| {
                let _ = peer.socket.send_to(&packet::error(8, &why), from);
                let _ = (!put).then(|| fs::remove_file(base_name));
                anyhow!("bad OACK from {from}: {why}")
            })?;
            peer.set_timeout(options.timeout); // the longest wait
            (opcode, block) = (4, 0);
        }
        // 5.4u an upload: after ACK 0 (for the WRQ), send_file sends the
        // blocks, a window at a time, until the last one is acknowledged
        if put {
            if opcode != 4 || block != 0 {
                continue; // not the ACK of our request: ignored
            }
            peer.progress(); // an answer: the wait starts again (timed)
            tftp::send_file(&mut peer, &file, &options)?;
            break;
        }
        // 5.4 the next block (after 65535 comes 0): write it, once
        let next = opcode == 3 && block == ack_num.wrapping_add(1);
        if next {
            file.write_all(data)?;
            peer.progress(); // the next block: the wait starts again
            (ack_num, in_window) = (block, in_window + 1);
        }
        // 5.5 a block shorter than 512 bytes is the last: acknowledged, end
        last = next && data.len() < options.blksize;
        // 5.6 acknowledge the last block written, struct.pack("!HH", 4,
        // ack_num): at the end of a window, or of the file, or at once for
        // a repeat (our ACK was lost) or a block after a lost one
        if in_window == options.windowsize || !next || last {
            send_data = [4u16.to_be_bytes(), ack_num.to_be_bytes()].concat();
            peer.send(&send_data)?;
            in_window = 0;
        }
    }
    // 6. the whole file is here (or there), its last block acknowledged;
    // and how many packets had to be sent again
    let done = if put { "sent" } else { "received" };
    let size = file.metadata()?.len();
    let again = peer.sent_again(if put { "block" } else { "ACK" });
    println!("{done} {base_name}: {size} bytes, {again}");
    Ok(())
}
