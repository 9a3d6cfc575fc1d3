//! lossy-relay: a UDP relay that loses and delays datagrams, to watch
//! TFTP resend (netem is not available on the course's machines).
//!
//! usage: lossy-relay PORT SERVER PERCENT|PACKETS [DELAY_MS]
//!
//! Listens on PORT (of 127.0.0.1 when SERVER is on this machine, else of
//! every address, for the other hosts of the lab), passes each datagram
//! on to SERVER (and, once the server answers from a new port, to that
//! port: one TFTP transfer at a time), dropping PERCENT of them each way
//! (a fixed sequence: the same datagrams every run) and delaying each by
//! DELAY_MS (each way). PACKETS instead of PERCENT names the packets to
//! lose, as the relay prints them, separated by commas (`"DATA 4"`,
//! `"ACK 2,DATA 5"`): the first of each (each way), and nothing else.
//! Prints every datagram it drops (`dropped DATA 37 (server -> client)`),
//! to match with the resends.
use std::net::SocketAddr;
use std::time::Duration;
use testkit::Loss;

const USAGE: &str = "usage: lossy-relay PORT SERVER PERCENT|PACKETS [DELAY_MS]";

/// `10` (percent) or `DATA 4,ACK 2` (packets, as `tftp_packet` names
/// them: a name and, but for RRQ, WRQ and OACK, a number).
fn loss(text: &str) -> Option<Loss> {
    if let Ok(percent) = text.parse::<u64>() {
        return (percent <= 100).then_some(Loss::Percent(percent));
    }
    let name = |name: &str| {
        let words: Vec<&str> = name.split_whitespace().collect();
        let known = match words[..] {
            ["RRQ" | "WRQ" | "OACK"] => true,
            ["DATA" | "ACK" | "ERROR", number] => number.parse::<u16>().is_ok(),
            _ => false,
        };
        known.then(|| words.join(" "))
    };
    text.split(',')
        .map(name)
        .collect::<Option<_>>()
        .map(Loss::Named)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = (|| {
        let port: u16 = args.first()?.parse().ok()?;
        let server: SocketAddr = args.get(1)?.parse().ok()?;
        let loss = loss(args.get(2)?)?;
        let delay = args.get(3).map_or(Some(0), |d| d.parse().ok())?;
        // and nothing after DELAY_MS
        Some((port, server, loss, delay)).filter(|_| args.len() <= 4)
    })();
    let Some((port, server, loss, delay)) = parsed else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let mut any = SocketAddr::from(([0, 0, 0, 0], port));
    if server.ip().is_loopback() {
        any.set_ip([127, 0, 0, 1].into()); // a server of this machine only
    }
    let wait = Duration::from_millis(delay);
    let losing = match &loss {
        Loss::Percent(percent) => format!("losing {percent}%"),
        Loss::Named(names) => format!("losing the first {}", names.join(", ")),
    };
    let relay = testkit::LossyRelay::start(any, server, loss, wait);
    println!("listening on {}", relay.addr);
    println!("passing to {server}, {losing} and delaying {delay} ms each way");
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loss_is_a_percent_or_packets_by_name() {
        assert!(matches!(loss("10"), Some(Loss::Percent(10))));
        assert!(loss("101").is_none());
        let Some(Loss::Named(names)) = loss("DATA 4, ACK  2,RRQ") else {
            panic!("not named");
        };
        assert_eq!(names, ["DATA 4", "ACK 2", "RRQ"]);
        for bad in ["DATA", "DATA x", "ACK 70000", "FOO 1", "", "DATA 4,"] {
            assert!(loss(bad).is_none(), "{bad:?}");
        }
    }
}
