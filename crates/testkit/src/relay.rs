//! The lossy relay: a UDP relay that loses and delays TFTP datagrams.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::*;

/// A UDP relay that loses and delays datagrams, for one TFTP transfer at
/// a time (netem is missing on these machines). A client sends to
/// `addr`; the relay passes its packets on to `server`, and once the
/// server has answered, to the port that answered (its transfer ID),
/// until the client's next request. Answers reach the client from
/// `addr`. Each direction drops `percent` of datagrams, in a fixed
/// pseudo-random order so that runs repeat (or, `Loss::Named`, the
/// packets it is told to lose), and delays each datagram by
/// `delay`: a delay line, where every datagram leaves `delay` after it
/// arrived without holding up the next one (so a window of blocks
/// crosses in one delay, as on a real link). Stops on drop.
pub struct LossyRelay {
    pub addr: SocketAddr,
    back: SocketAddr,
    stop: Arc<std::sync::atomic::AtomicBool>,
    from_server: Arc<(Mutex<usize>, std::sync::Condvar)>,
    dropped: Arc<Mutex<Vec<String>>>,
}

impl LossyRelay {
    pub fn start(server: SocketAddr, percent: u64) -> LossyRelay {
        let front = SocketAddr::new(server.ip(), 0);
        LossyRelay::start_on(front, server, percent, Duration::ZERO)
    }

    /// A relay listening on `front`, that also delays every datagram.
    pub fn start_on(
        front: SocketAddr,
        server: SocketAddr,
        percent: u64,
        delay: Duration,
    ) -> LossyRelay {
        let loss = Loss::Percent(percent);
        LossyRelay::start_losing(front, server, loss, delay, false)
    }

    /// The same, losing what `loss` says; with `log` it prints each
    /// datagram it drops, for a class to match with the resends: `dropped
    /// DATA 37 (server -> client)`.
    pub fn start_losing(
        front: SocketAddr,
        server: SocketAddr,
        loss: Loss,
        delay: Duration,
        log: bool,
    ) -> LossyRelay {
        let front = UdpSocket::bind(front).unwrap();
        let back =
            UdpSocket::bind((front.local_addr().unwrap().ip(), 0)).unwrap();
        let relay = LossyRelay {
            addr: front.local_addr().unwrap(),
            back: back.local_addr().unwrap(),
            stop: Default::default(),
            from_server: Default::default(),
            dropped: Default::default(),
        };
        let client = Arc::new(Mutex::new(None::<SocketAddr>));
        let tid = Arc::new(Mutex::new(None::<SocketAddr>));
        let to_server = delay_line(back.try_clone().unwrap(), delay);
        let to_client = delay_line(front.try_clone().unwrap(), delay);
        let (client2, tid2) = (client.clone(), tid.clone());
        let dropped = relay.dropped.clone();
        let say = move |what: String| match log {
            true => println!("dropped {what}"),
            false => dropped.lock().unwrap().push(what),
        };
        let (say2, loss2) = (say.clone(), loss.clone());
        let stop = relay.stop.clone();
        let forward = Way {
            socket: front,
            stop,
            loss,
            say,
            line: to_server,
        };
        forward.pass(
            0x2545_f491_4f6c_dd1d,
            "client -> server",
            move |datagram, from| {
                *client2.lock().unwrap() = Some(from);
                let mut tid = tid2.lock().unwrap();
                let is_request =
                    matches!(datagram[..datagram.len().min(2)], [0, 1 | 2]);
                if is_request {
                    *tid = None; // a new request (RRQ, WRQ): a new transfer
                }
                match *tid {
                    Some(tid) => Some(tid),
                    None if is_request => Some(server),
                    None => None, // the server's port takes requests only
                }
            },
        );
        let (stop, counter) = (relay.stop.clone(), relay.from_server.clone());
        let back = Way {
            socket: back,
            stop,
            loss: loss2,
            say: say2,
            line: to_client,
        };
        back.pass(0x9e37_79b9_7f4a_7c15, "server -> client", move |_, from| {
            if from.ip() == server.ip() && from != server {
                *tid.lock().unwrap() = Some(from);
            }
            let (count, wake) = &*counter;
            *count.lock().unwrap() += 1;
            wake.notify_all();
            *client.lock().unwrap()
        });
        relay
    }

    /// What the relay dropped so far (unless it prints it): `DATA 37
    /// (server -> client)` ...
    pub fn dropped(&self) -> Vec<String> {
        self.dropped.lock().unwrap().clone()
    }

    /// Waits until the server has sent `count` datagrams through the relay.
    pub fn wait_for_server_packets(&self, count: usize) {
        let (seen, wake) = &*self.from_server;
        let seen = seen.lock().unwrap();
        let (_seen, timeout) = wake
            .wait_timeout_while(seen, DEADLINE, |seen| *seen < count)
            .unwrap();
        assert!(!timeout.timed_out(), "the server sent fewer than {count}");
    }
}

type Delayed = (Instant, Vec<u8>, SocketAddr); // arrived, datagram, to

/// One way through the relay: the socket it receives on, what it loses
/// and where it says so, the delay line that sends on.
struct Way<Say> {
    socket: UdpSocket,
    stop: Arc<std::sync::atomic::AtomicBool>,
    loss: Loss,
    say: Say,
    line: std::sync::mpsc::SyncSender<Delayed>,
}

impl<Say: Fn(String) + Send + 'static> Way<Say> {
    /// A thread that passes each datagram on to where `route` says (none:
    /// it is dropped quietly), or loses it, until the relay stops.
    fn pass<Route>(mut self, mut seed: u64, way: &'static str, mut route: Route)
    where
        Route: FnMut(&[u8], SocketAddr) -> Option<SocketAddr> + Send + 'static,
    {
        std::thread::spawn(move || {
            let mut buf = vec![0; 65536];
            while let Ok((len, from)) = self.socket.recv_from(&mut buf) {
                if self.stop.load(Ordering::SeqCst) {
                    break;
                }
                let datagram = &buf[..len];
                let Some(to) = route(datagram, from) else {
                    continue;
                };
                if self.loss.lose(&mut seed, datagram) {
                    (self.say)(format!("{} ({way})", tftp_packet(datagram)));
                } else if self
                    .line
                    .send((Instant::now(), datagram.to_vec(), to))
                    .is_err()
                {
                    break;
                }
            }
        });
    }
}

/// A thread that sends each datagram from `socket` `delay` after it
/// arrived, in order; it ends when the sending side is dropped.
fn delay_line(
    socket: UdpSocket,
    delay: Duration,
) -> std::sync::mpsc::SyncSender<Delayed> {
    let (line, datagrams) = std::sync::mpsc::sync_channel::<Delayed>(4096);
    std::thread::spawn(move || {
        for (arrived, datagram, to) in datagrams {
            let due = arrived + delay;
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            let _ = socket.send_to(&datagram, to);
        }
    });
    line
}

/// What a datagram is, in TFTP's terms: `DATA 37`, `ACK 36`, `RRQ`.
pub fn tftp_packet(datagram: &[u8]) -> String {
    let number = match datagram {
        [_, _, high, low, ..] => u16::from_be_bytes([*high, *low]),
        _ => 0,
    };
    match datagram {
        [0, 1, ..] => "RRQ".into(),
        [0, 2, ..] => "WRQ".into(),
        [0, 3, _, _, ..] => format!("DATA {number}"),
        [0, 4, _, _, ..] => format!("ACK {number}"),
        [0, 5, _, _, ..] => format!("ERROR {number}"),
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
            Loss::Percent(percent) => lose(seed, *percent),
            Loss::Named(names) => {
                let what = tftp_packet(datagram);
                let at = names.iter().position(|name| *name == what);
                at.map(|at| names.remove(at)).is_some()
            }
        }
    }
}

/// Xorshift: true for about `percent` in 100 calls.
fn lose(seed: &mut u64, percent: u64) -> bool {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed % 100 < percent
}

impl Drop for LossyRelay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Ok(waker) = UdpSocket::bind((self.addr.ip(), 0)) {
            let _ = waker.send_to(b"stop", self.addr);
            let _ = waker.send_to(b"stop", self.back);
        }
    }
}
