//! Options (RFC 2347): a request may ask for a block size (RFC 2348), the
//! file's size (tsize) and a retransmission timeout (RFC 2349), and a
//! window of blocks per ACK (RFC 7440). The server answers in an OACK with
//! the options it takes, each at most as large as asked; the client checks
//! that answer. A request without options gets plain RFC 1350.
//!
//! The timeout (RFC 2349) is taken exactly as asked or not at all (left
//! out of the OACK): a server that took `timeout 255` would wait 255 s
//! for each of 5 tries of a silent client. 15 takes at most
//! `MAX_TIMEOUT` seconds; the wait before a resend starts there and then
//! follows the measured round trip (`rto.rs`).

use netcommon::printable;
use std::time::Duration;

pub const MAX_BLKSIZE: usize = 65464;

/// The longest timeout a server agrees to, in seconds.
pub const MAX_TIMEOUT: u64 = 5;

/// Linux's default receive buffer (net.core.rmem_default): what a peer
/// whose buffer we cannot see most likely has.
pub const PEER_BUFFER: usize = 212_992;

/// The largest window of `blksize` blocks that `buffer` bytes of socket
/// receive buffer hold. A datagram costs more than its data there: the
/// kernel rounds it up to a power of two and adds its bookkeeping
/// (measured on loopback: 16 KiB for a 8 KiB block). A window that
/// overflows the buffer loses its tail every time.
pub fn window_fits(buffer: usize, blksize: usize) -> usize {
    let cost = (blksize + 32).next_power_of_two() + 1024;
    (buffer / cost).max(1)
}

/// What a transfer runs with: RFC 1350's values unless negotiated.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub blksize: usize,
    pub windowsize: usize,
    pub timeout: Duration,
    /// The file's size, when the other side said it (tsize).
    pub tsize: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            blksize: 512,
            windowsize: 1,
            timeout: default_timeout(),
            tsize: None,
        }
    }
}

/// How long to wait for an answer before sending again: 1 s, or
/// `TFTP_TIMEOUT_MS` from the environment (the loss tests use 50 ms).
pub fn default_timeout() -> Duration {
    let ms = std::env::var("TFTP_TIMEOUT_MS").ok();
    Duration::from_millis(ms.and_then(|ms| ms.parse().ok()).unwrap_or(1000))
}

fn number(name: &str, value: &str, low: u64, high: u64) -> Result<u64, String> {
    match value.parse() {
        Ok(n) if (low..=high).contains(&n) => Ok(n),
        _ => Err(format!("{name} must be {low} to {high}, not {value:?}")),
    }
}

/// The options a client asks for: the file's size (0 for a download: "tell
/// me"), and the block size and window when not 0, the window no wider
/// than `buffer` bytes of the receiver's socket buffer hold.
pub fn ask(
    tsize: u64,
    blksize: usize,
    windowsize: usize,
    buffer: usize,
) -> Vec<(String, String)> {
    let mut asked = vec![("tsize".to_string(), tsize.to_string())];
    let blksize = blksize.min(MAX_BLKSIZE);
    if blksize != 0 {
        asked.push(("blksize".into(), blksize.max(8).to_string()));
    }
    if windowsize != 0 {
        let fits = window_fits(buffer, blksize.max(512));
        asked.push(("windowsize".into(), windowsize.min(fits).to_string()));
    }
    asked
}

impl Options {
    /// The server's side: the options to use and the OACK's answers.
    /// `tsize` is the file's size for a download (left out when 0: curl
    /// rejects `tsize 0`), None for an upload, whose asked size is echoed.
    /// The window is capped to what `buffer` bytes of socket buffer hold.
    /// Unknown options are ignored; only the first of a repeated one
    /// counts. A bad value is an error, for an ERROR 8.
    pub fn negotiate(
        asked: &[(String, String)],
        tsize: Option<u64>,
        buffer: usize,
    ) -> Result<(Options, Vec<(String, String)>), String> {
        let mut options = Options::default();
        let mut answers: Vec<(String, String)> = vec![];
        for (name, value) in asked {
            if answers.iter().any(|(done, _)| done == name) {
                continue;
            }
            let answer = match name.as_str() {
                "blksize" => {
                    let size = number(name, value, 8, MAX_BLKSIZE as u64)?;
                    options.blksize = size as usize;
                    size
                }
                "windowsize" => {
                    let size = number(name, value, 1, 65535)?;
                    options.windowsize = size as usize;
                    size
                }
                "timeout" => match number(name, value, 1, MAX_TIMEOUT) {
                    Ok(seconds) => {
                        options.timeout = Duration::from_secs(seconds);
                        seconds
                    }
                    Err(_) => continue, // not taken: left out of the OACK
                },
                "tsize" => {
                    let asked = number(name, value, 0, u64::MAX)?;
                    match tsize {
                        None => asked,
                        Some(0) => continue,
                        Some(size) => size,
                    }
                }
                _ => continue,
            };
            answers.push((name.clone(), answer.to_string()));
        }
        // a window must fit the socket buffer: cap it, now the block size
        // is known
        let fits = window_fits(buffer, options.blksize);
        options.windowsize = options.windowsize.min(fits);
        for (name, answer) in &mut answers {
            if name == "windowsize" {
                *answer = options.windowsize.to_string();
            }
        }
        Ok((options, answers))
    }

    /// The client's side: the options the server's OACK grants, each of
    /// which must have been asked for and be no larger than asked.
    pub fn from_oack(
        asked: &[(String, String)],
        oack: &[(String, String)],
    ) -> Result<Options, String> {
        let mut options = Options::default();
        for (name, value) in oack {
            let Some((_, wanted)) = asked.iter().find(|(n, _)| n == name)
            else {
                let name = printable(name); // from the network
                return Err(format!("server granted {name}, never asked"));
            };
            let most = wanted.parse().unwrap_or(u64::MAX);
            match name.as_str() {
                "blksize" => {
                    options.blksize = number(name, value, 8, most)? as _
                }
                "windowsize" => {
                    options.windowsize = number(name, value, 1, most)? as _
                }
                "timeout" => {
                    let seconds = number(name, value, 1, 255)?;
                    options.timeout = Duration::from_secs(seconds);
                }
                "tsize" => {
                    options.tsize = Some(number(name, value, 0, u64::MAX)?)
                }
                _ => return Err(format!("server granted {name}, never asked")),
            }
        }
        Ok(options)
    }
}
