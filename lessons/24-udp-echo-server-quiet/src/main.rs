//! 24-udp-echo-server-quiet: 23 with a log that a flood does not swell.
//!
//! Tutorial: 003 "echo服务器" (回声: what arrives goes back unchanged).
//! 23 plus a quiet log: every datagram was one log line, so a flood of
//! datagrams was a flood of log. 24 shows an address's first MAX_LINES
//! lines each second, then one line with how many it did not show.
//!
//! Terminal 1: cargo run --bin 24-udp-echo-server-quiet
//! Terminal 2: cargo run --bin 11-udp-chat-threads -- 0 127.0.0.1:8080
//! Stop it with Ctrl-C.

use netcommon::{printable, Args, Context, Result};
use std::collections::HashMap;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

const USAGE: &str =
    "24-udp-echo-server-quiet [BIND=0.0.0.0:8080] [--encoding LABEL]";
const MAX_ANSWERS: u32 = 100; // to one address in one second
const MAX_LINES: u32 = 10; // log lines for one address in one second

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let codec = args.encoding();
    let local_addr = args.next_addr("BIND", "0.0.0.0:8080");
    args.done();

    // 1. create the UDP socket and 2. bind it to a fixed port
    let udp_socket = UdpSocket::bind(local_addr).context(local_addr)?;
    println!("listening on {}", udp_socket.local_addr()?);
    let my_port = udp_socket.local_addr()?.port();

    // room for the largest datagram (65507 bytes): nothing gets cut off
    let mut buf = vec![0; 65536];
    let (mut second, mut answered) = (Instant::now(), HashMap::new());
    loop {
        // 3. wait for a datagram; keep only the bytes received
        let (len, src_addr) = match udp_socket.recv_from(&mut buf) {
            Ok(received) => received,
            // Windows says here that an earlier echo found no one
            // listening (error 10054): not the end, wait for the next
            Err(error) => {
                println!("receive failed: {error}");
                continue;
            }
        };
        let recv_data = &buf[..len];

        // 3a. never answer a server's port (ours, echo 7, chargen 19 ...),
        // nor one address over MAX_ANSWERS times a second (another echo
        // server on any port): two echo servers would answer each other
        // forever
        if second.elapsed() >= Duration::from_secs(1) {
            // 3b. a new second: say how many lines of the last were not shown
            for (addr, count) in &answered {
                let not_shown = hidden(*count);
                if not_shown > 0 {
                    println!(
                        "from {addr} ({not_shown} more that second, not shown)"
                    );
                }
            }
            (second, answered) = (Instant::now(), HashMap::new());
        }
        let count = answered.entry(src_addr).or_insert(0);
        *count += 1;
        // 3c. an address's first MAX_LINES lines a second are shown, and
        // the one that says it is no longer answered; the rest are counted
        let shown = *count <= MAX_LINES || *count == MAX_ANSWERS + 1;
        let port = src_addr.port();
        let refused = if port == my_port || port < 1024 {
            "a server's port"
        } else if *count > MAX_ANSWERS {
            "over 100 a second"
        } else {
            ""
        };
        if !refused.is_empty() {
            let text = codec.decode(recv_data);
            let text = printable(&text);
            if shown {
                println!("from {src_addr} (not answered: {refused}): {text}");
            }
            continue;
        }

        // 4. show it as text, on one line
        if shown {
            println!(
                "from {src_addr}: {}",
                printable(&codec.decode(recv_data))
            );
        }

        // 5. send the same bytes back to the sender
        if let Err(error) = udp_socket.send_to(recv_data, src_addr) {
            println!("cannot answer {src_addr}: {error}");
        }
    }
}

/// How many of an address's `count` datagrams in one second had no line.
fn hidden(count: u32) -> u32 {
    let refusal = u32::from(count > MAX_ANSWERS); // its line was shown
    count.saturating_sub(MAX_LINES + refusal)
}
