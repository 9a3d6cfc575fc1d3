//! The lossy relay: a UDP relay that loses and delays TFTP datagrams.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A UDP relay that loses and delays datagrams, for one TFTP transfer at
/// a time (netem is missing on these machines). A client sends to
/// `addr`; the relay passes its packets on to `server`, and once the
/// server has answered, to the port that answered (its transfer ID),
/// until the client's next request. Answers reach the client from
/// `addr`. Each direction loses what its [`Loss`] says (a percentage, in
/// a fixed pseudo-random order so that runs repeat, or the packets it
/// is told to lose), and delays each datagram by
/// `delay`: a delay line, where every datagram leaves `delay` after it
/// arrived without holding up the next one (so a window of blocks
/// crosses in one delay, as on a real link). Stops on drop.
pub struct LossyRelay {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    dropped: Arc<Mutex<Vec<String>>>,
}

impl LossyRelay {
    /// A relay listening on `front`, losing what `loss` says, that prints
    /// each datagram it drops, for a class to match with the resends:
    /// `dropped DATA 37 (server -> client)`.
    pub fn start(
        front: SocketAddr,
        server: SocketAddr,
        loss: Loss,
        delay: Duration,
    ) -> LossyRelay {
        let front = UdpSocket::bind(front).unwrap();
        let back =
            UdpSocket::bind((front.local_addr().unwrap().ip(), 0)).unwrap();
        let relay = LossyRelay {
            addr: front.local_addr().unwrap(),
            stop: Default::default(),
            dropped: Default::default(),
        };
        // a thread for each socket puts what arrives on one line, in order,
        // and looks every 100 ms whether the relay was dropped
        let (line, arrivals) = mpsc::channel();
        for (socket, from_client) in [(&front, true), (&back, false)] {
            let socket = socket.try_clone().unwrap();
            let (line, stop) = (line.clone(), relay.stop.clone());
            let tick = Duration::from_millis(100);
            socket.set_read_timeout(Some(tick)).unwrap();
            std::thread::spawn(move || {
                let mut buf = vec![0; 65536];
                while !stop.load(Ordering::SeqCst) {
                    let Ok((len, from)) = socket.recv_from(&mut buf) else {
                        continue; // no datagram in 100 ms
                    };
                    let datagram = buf[..len].to_vec();
                    // when, whether from the client's side, what, from whom
                    let arrival = (Instant::now(), from_client, datagram, from);
                    let _ = line.send(arrival);
                }
            });
        }
        let dropped = relay.dropped.clone();
        // and one thread routes, loses and delays them, each way (one:
        // the route it learns, client and transfer ID, needs no lock)
        std::thread::spawn(move || {
            let (mut client, mut tid) = (None, None);
            let mut ways = [
                (loss.clone(), 0x2545_f491_4f6c_dd1d, "client -> server"),
                (loss, 0x9e37_79b9_7f4a_7c15, "server -> client"),
            ];
            for (arrived, from_client, datagram, from) in arrivals {
                let to = if from_client {
                    client = Some(from);
                    if matches!(datagram[..], [0, 1 | 2, ..]) {
                        tid = None; // a new request (RRQ, WRQ): a new transfer
                        Some(server) // the server's port takes requests only
                    } else {
                        tid
                    }
                } else {
                    if from.ip() == server.ip() && from != server {
                        tid = Some(from);
                    }
                    client
                };
                let Some(to) = to else {
                    continue;
                };
                let (loss, seed, way) = &mut ways[usize::from(!from_client)];
                if loss.lose(seed, &datagram) {
                    let what = format!("{} ({way})", tftp_packet(&datagram));
                    println!("dropped {what}");
                    dropped.lock().unwrap().push(what);
                    continue;
                }
                let wait =
                    (arrived + delay).saturating_duration_since(Instant::now());
                std::thread::sleep(wait);
                let socket = if from_client { &back } else { &front };
                let _ = socket.send_to(&datagram, to);
            }
        });
        relay
    }

    /// What the relay dropped so far: `DATA 37 (server -> client)` ...
    pub fn dropped(&self) -> Vec<String> {
        self.dropped.lock().unwrap().clone()
    }
}

/// What a datagram is, in TFTP's terms: `DATA 37`, `ACK 36`, `RRQ`.
fn tftp_packet(datagram: &[u8]) -> String {
    let number = |high: &u8, low: &u8| u16::from_be_bytes([*high, *low]);
    match datagram {
        [0, 1, ..] => "RRQ".into(),
        [0, 2, ..] => "WRQ".into(),
        [0, 3, high, low, ..] => format!("DATA {}", number(high, low)),
        [0, 4, high, low, ..] => format!("ACK {}", number(high, low)),
        [0, 5, high, low, ..] => format!("ERROR {}", number(high, low)),
        [0, 6, ..] => "OACK".into(),
        _ => format!("a datagram of {} bytes", datagram.len()),
    }
}

/// What a relay loses, each way.
#[derive(Clone, Debug)]
pub enum Loss {
    /// About this many datagrams in 100, always the same ones.
    Percent(u64),
    /// The first datagram each way of each of these packets, as
    /// `tftp_packet` names them (`DATA 4`, `ACK 2`), and nothing else.
    Named(Vec<String>),
}

impl Loss {
    fn lose(&mut self, seed: &mut u64, datagram: &[u8]) -> bool {
        match self {
            Loss::Percent(percent) => {
                // xorshift: true for about `percent` in 100 calls
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                *seed % 100 < *percent
            }
            Loss::Named(names) => {
                let what = tftp_packet(datagram);
                let at = names.iter().position(|name| *name == what);
                at.map(|at| names.remove(at)).is_some()
            }
        }
    }
}

impl Drop for LossyRelay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}
