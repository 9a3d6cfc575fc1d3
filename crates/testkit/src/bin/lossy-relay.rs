//! lossy-relay: a UDP relay that loses and delays datagrams, to watch
//! TFTP resend (netem is not available on the course's machines).
//!
//! usage: lossy-relay PORT SERVER PERCENT [DELAY_MS]
//!
//! Listens on PORT (all addresses), passes each datagram on to SERVER
//! (and, once the server answers from a new port, to that port: one TFTP
//! transfer at a time), dropping PERCENT of them each way and delaying
//! each by DELAY_MS (each way). Prints every datagram it drops
//! (`dropped DATA 37 (server -> client)`), to match with the resends.
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
    let any = SocketAddr::new([0, 0, 0, 0].into(), port);
    let wait = Duration::from_millis(delay);
    let relay =
        testkit::LossyRelay::start_logged(any, server, percent, wait, true);
    println!("listening on {}", relay.addr);
    println!("passing to {server}, losing {percent}% and delaying {delay} ms each way");
    loop {
        std::thread::park();
    }
}
