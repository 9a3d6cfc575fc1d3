//! 14-tftp-client: download a file with TFTP (or upload it with --put).
//!
//! Tutorial: 003 "TFTP简单文件传输协议". The request is packed byte by byte
//! like the tutorial's `struct.pack("!H8sb5sb", 1, b"test.jpg", 0,
//! b"octet", 0)`; the answer comes from a NEW port, the server's transfer
//! ID. Blocks, ACKs, timeouts and resending: crates/tftp/src/transfer.rs.
//!
//! Terminal 1: cargo run --bin 15-tftp-server        (serves this folder)
//! Terminal 2: cd /tmp && cargo run --manifest-path /PATH/Cargo.toml
//!             --bin 14-tftp-client -- Cargo.toml

use netcommon::{anyhow, Args, Context, Result};
use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, Instant};
use tftp::packet::{self, Packet, RRQ, WRQ};
use tftp::{Options, Peer, PEER_BUFFER};

const USAGE: &str = "14-tftp-client FILE [SERVER=127.0.0.1:6969] [--put] \
                     [--blksize N] [--windowsize N]";

fn main() -> Result<()> {
    let args = Args::parse(USAGE);
    let file_name = args.get("FILE").unwrap_or_default();
    let server_addr = args.addr("SERVER");
    let put = args.flag("--put");
    let base_name = Path::new(&file_name).file_name().context("no file")?;
    let base_name = base_name.to_string_lossy().into_owned();

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
    let blksize = args.option("--blksize", 0);
    if blksize != 0 && !(8..=tftp::MAX_BLKSIZE).contains(&blksize) {
        args.fail("--blksize must be 8 to 65464");
    }
    let windowsize = args.option("--windowsize", 0);
    let asked = tftp::options::ask(tsize, blksize, windowsize, buffer);
    let opcode = if put { WRQ } else { RRQ };
    let remote_name = if put { &base_name } else { &file_name };
    let mut request = opcode.to_be_bytes().to_vec();
    request.extend([remote_name.as_bytes(), &[0], b"octet", &[0]].concat());
    for (name, value) in &asked {
        request
            .extend([name.as_bytes(), &[0], value.as_bytes(), &[0]].concat());
    }

    // 3. send it to the server's port; the answer comes from a new port
    let timeout = tftp::options::default_timeout();
    let mut buf = vec![0; tftp::MAX_PACKET];
    let (len, peer_addr) =
        tftp::request(&udp_socket, server_addr, &request, timeout, &mut buf)?;
    let peer = Peer::new(udp_socket, peer_addr, timeout);

    // 4. the first answer: options granted (OACK), or none (RFC 1350:
    // DATA 1 for a download, ACK 0 for an upload), or an ERROR
    let mut first_data = None;
    let options = match Packet::parse(&buf[..len]) {
        Ok(Packet::Oack { options }) => Options::from_oack(&asked, &options)
            .map_err(|why| {
                let _ = peer.send(&packet::error(packet::BAD_OPTION, &why));
                anyhow!("bad OACK from {peer_addr}: {why}")
            })?,
        Ok(Packet::Data { block: 1, .. }) if !put => {
            first_data = Some(&buf[..len]);
            Options::default()
        }
        Ok(Packet::Ack { block: 0 }) if put => Options::default(),
        Ok(Packet::Error { code, message }) => {
            Err(anyhow!("server error {code}: {message}"))?
        }
        _ => Err(anyhow!("unexpected answer from {peer_addr}"))?,
    };

    // 5. the transfer, block by block, with a progress line each second
    let total = options.tsize.or(local_file.as_ref().map(|_| tsize));
    let started = Instant::now();
    let mut next_report = started + Duration::from_secs(1);
    let mut progress = |done: u64| {
        if Instant::now() >= next_report {
            next_report += Duration::from_secs(1);
            let percent = |t: u64| done * 100 / t.max(1);
            let of = total.map(|t| format!(" of {t} ({}%)", percent(t)));
            let of = of.unwrap_or_default();
            eprintln!("{done}{of} bytes");
        }
    };
    let size = if let Some(local_file) = local_file {
        tftp::send_file(&peer, local_file, &options, &mut progress)?
    } else {
        // into a temporary name, renamed when complete
        let part_name = format!(".{base_name}.{}.part", std::process::id());
        let part_file = File::create(&part_name).context(part_name.clone())?;
        let ack_0 = packet::ack(0);
        if first_data.is_none() {
            peer.send(&ack_0)?; // OACK accepted: now send the data
        }
        let received = tftp::receive_file(
            &peer,
            part_file,
            &options,
            ack_0,
            first_data,
            &mut progress,
        );
        if received.is_err() {
            fs::remove_file(&part_name)?;
        }
        let size = received?;
        fs::rename(&part_name, &base_name)?;
        size
    };

    // 6. the result
    let seconds = started.elapsed().as_secs_f64();
    let rate = size as f64 / seconds.max(1e-6) / (1 << 20) as f64;
    let done = if put { "sent" } else { "received" };
    println!(
        "{done} {base_name}: {size} bytes in {seconds:.2} s ({rate:.1} MiB/s)"
    );
    Ok(())
}
