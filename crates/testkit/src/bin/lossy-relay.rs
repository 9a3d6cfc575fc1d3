//! lossy-relay: a UDP relay that loses and delays datagrams, to watch
//! TFTP resend (netem is not available on the course's machines).
//!
//! usage: lossy-relay PORT SERVER PERCENT [DELAY_MS]
//!
//! Listens on PORT (of 127.0.0.1 when SERVER is on this machine, else of
//! every address, for the other hosts of the lab), passes each datagram
//! on to SERVER (and, once the server answers from a new port, to that
//! port: one TFTP transfer at a time), dropping PERCENT of them each way
//! (a fixed sequence: the same datagrams every run) and delaying each by
//! DELAY_MS (each way). Prints every datagram it drops (`dropped DATA 37
//! (server -> client)`), to match with the resends.
use std::net::SocketAddr;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = (|| {
        let port: u16 = args.first()?.parse().ok()?;
        let server: SocketAddr = args.get(1)?.parse().ok()?;
        let percent: u64 = args.get(2)?.parse().ok().filter(|p| *p <= 100)?;
        let delay = args.get(3).map_or(Some(0), |d| d.parse().ok())?;
        Some((port, server, percent, delay))
    })();
    let Some((port, server, percent, delay)) = parsed else {
        eprintln!("usage: lossy-relay PORT SERVER PERCENT [DELAY_MS]");
        std::process::exit(2);
    };
    let host = match server.ip().is_loopback() {
        true => [127, 0, 0, 1],
        false => [0, 0, 0, 0],
    };
    let any = SocketAddr::new(host.into(), port);
    let wait = Duration::from_millis(delay);
    let relay =
        testkit::LossyRelay::start_logged(any, server, percent, wait, true);
    println!("listening on {}", relay.addr);
    println!("passing to {server}, losing {percent}% and delaying {delay} ms each way");
    loop {
        std::thread::park();
    }
}
