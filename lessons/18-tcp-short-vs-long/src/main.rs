//! 18-tcp-short-vs-long: N requests over N connections, then over one.
//!
//! Tutorial: 002 §2.9 "TCP短连接和长连接" (short and long connections). A short
//! connection serves one request: connect (3-way handshake), send, read,
//! close (4-way teardown), every time. A long one connects once and keeps
//! the connection for every request. The table shows what that costs.
//!
//! Terminal 1: cargo run --bin 16-multi-thread-server   (or 08, or 17)
//! Terminal 2: cargo run --bin 18-tcp-short-vs-long

use netcommon::{bail, Args, Context, Result};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const USAGE: &str = "18-tcp-short-vs-long [SERVER=127.0.0.1:7788] [N=1000]";
const CLOSED: &str = "the server closed the connection";

fn main() -> Result<()> {
    let mut args = Args::new(USAGE);
    let server_addr = args.next_addr("SERVER", "127.0.0.1:7788");
    let n: u32 = match args.next_or("N", "1000").parse() {
        Ok(n @ 1..) => n,
        _ => args.fail("N must be a number of requests, at least 1"),
    };
    args.done();

    // 1. short: a new connection for every request
    let started = Instant::now();
    for i in 0..n {
        let mut tcp_socket =
            TcpStream::connect(server_addr).context(server_addr)?;
        request(&mut tcp_socket, i)?;
    } // each socket closes here, at the end of its turn
    let short = started.elapsed();

    // 2. long: one connection for all of them
    let started = Instant::now();
    let mut tcp_socket =
        TcpStream::connect(server_addr).context(server_addr)?;
    for i in 0..n {
        request(&mut tcp_socket, i)?;
    }
    drop(tcp_socket);
    let long = started.elapsed();

    // 3. the table
    println!("{n} requests to {server_addr}");
    println!(
        "{:<6} {:>11} {:>9} {:>14}",
        "", "connections", "total s", "per request µs"
    );
    row("short", n, short, n);
    row("long", 1, long, n);
    let ratio = short.as_secs_f64() / long.as_secs_f64().max(1e-9);
    println!("long connections were {ratio:.1}x faster");
    Ok(())
}

/// One request and its reply, as 05-tcp-client does it.
fn request(tcp_socket: &mut TcpStream, i: u32) -> Result {
    let mut buf = [0; 1024];
    tcp_socket.write_all(format!("request {i}").as_bytes())?;
    let len = tcp_socket.read(&mut buf)?;
    if len == 0 {
        bail!(CLOSED);
    }
    Ok(())
}

fn row(name: &str, connections: u32, time: Duration, n: u32) {
    let per_request = time.as_secs_f64() * 1e6 / f64::from(n);
    let total = time.as_secs_f64();
    println!("{name:<6} {connections:>11} {total:>9.3} {per_request:>14.1}");
}
