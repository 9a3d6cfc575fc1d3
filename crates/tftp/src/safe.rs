//! What 37-tftp-client-safe adds against a classmate on the same machine
//! or a server that never stops (issue 21, rows 2, 3 and 8):
//!
//! - `same_user`: on a shared machine every user sends from 127.0.0.1,
//!   and the transfer ID is only a port: whoever answers the request
//!   first, from any port, would be taken for the server. On Linux
//!   `/proc/net/udp` says which user owns each local socket, so the first
//!   answer is taken only from a socket of the user who owns the
//!   server's. Elsewhere, or for a server on another machine, it cannot
//!   be told: then a second first answer (DATA 1, ACK 0, an OACK) from
//!   another port of the server's address ends the transfer with an
//!   error, rather than keep whichever came first.
//! - `NewFile`: the download is written where no one sees it (Linux: an
//!   unnamed file, `O_TMPFILE`, which vanishes by itself if the program
//!   is killed or interrupted), and linked in under its name only when
//!   complete, never replacing a file; elsewhere a `.part` file created
//!   new (`files::Part`), which Ctrl-C may leave behind.
//! - `Limit`: at most so many bytes (`--max-size`, the announced tsize).

use crate::files::Part;
use crate::peer::Peer;
use anyhow::Result;
use std::io::{self, ErrorKind, Write};
use std::net::SocketAddr;

/// The user id owning the local UDP socket bound at `addr` (or at the
/// unspecified address on its port), where the system says (Linux).
pub fn owner(addr: SocketAddr) -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        let hex = |bytes: &[u8]| -> String {
            let words = bytes.chunks(4).map(|w| {
                format!("{:08X}", u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
            });
            words.collect()
        };
        let ip = match addr.ip() {
            std::net::IpAddr::V4(ip) => ip,
            std::net::IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
                Some(ip) => ip,
                None => return owner_v6(addr, &hex(&ip.octets())),
            },
        };
        let mapped = hex(&ip.to_ipv6_mapped().octets());
        let names = [hex(&ip.octets()), mapped, "0".repeat(8), "0".repeat(32)];
        ["/proc/net/udp", "/proc/net/udp6"]
            .iter()
            .find_map(|table| find(table, addr.port(), &names))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = addr;
        None
    }
}

#[cfg(target_os = "linux")]
fn owner_v6(addr: SocketAddr, ip: &str) -> Option<u32> {
    find("/proc/net/udp6", addr.port(), &[ip.into(), "0".repeat(32)])
}

/// The owner of the first socket of `table` bound at `port` on one of
/// the addresses `ips` (as the table writes them, in hex).
#[cfg(target_os = "linux")]
fn find(table: &str, port: u16, ips: &[String]) -> Option<u32> {
    let text = std::fs::read_to_string(table).ok()?;
    text.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (ip, at) = fields.get(1)?.split_once(':')?;
        let uid = fields.get(7)?.parse().ok()?;
        let found = u16::from_str_radix(at, 16).ok()? == port
            && ips.iter().any(|known| known == ip);
        found.then_some(uid)
    })
}

/// What `Peer::request_if` takes as the first answer from `server`'s
/// machine: a datagram from a socket of the user who owns the server's
/// socket (where that can be told), or an ERROR, which a server may send
/// from a socket it closes at once (a forged ERROR only ends a transfer).
pub fn same_user(server: SocketAddr) -> impl Fn(SocketAddr, &[u8]) -> bool {
    move |from, answer| {
        let error = answer.starts_with(&crate::packet::ERROR.to_be_bytes());
        error
            || match owner(server) {
                Some(uid) => owner(from) == Some(uid),
                None => true,
            }
    }
}

impl Peer {
    /// `request`, taking as the first answer only a datagram from the
    /// server's IP that `accept` takes (the answering socket and the
    /// datagram); any other answer is not the server's and is ignored.
    pub fn request_if(
        &mut self,
        request: &[u8],
        buf: &mut [u8],
        accept: impl Fn(SocketAddr, &[u8]) -> bool,
    ) -> Result<(usize, SocketAddr)> {
        let unchecked = owner(self.addr).is_none(); // nothing to check
        self.send(request)?;
        loop {
            match self.recv_from(buf)? {
                Some((len, from))
                    if from.ip() == self.addr.ip()
                        && accept(from, &buf[..len]) =>
                {
                    self.progress();
                    // from now on (the transfer's port known) a second
                    // first answer from another port ends the transfer
                    self.one_server = unchecked;
                    return Ok((len, from));
                }
                Some(_) => {} // not from the server: not for us
                None => {
                    self.timed_out("request")?;
                    self.requests_resent += 1;
                    self.transmit(request)?;
                }
            }
        }
    }
}

/// With `Peer::one_server`: a datagram from `from`, another port of the
/// server's address than the transfer's (`tid`), that reads as a first
/// answer is a second server, or someone pretending to be the first.
pub fn one_server(
    tid: SocketAddr,
    from: SocketAddr,
    datagram: &[u8],
) -> Result<()> {
    let first = [[0, 3, 0, 1], [0, 4, 0, 0]]
        .iter()
        .any(|h| datagram.starts_with(h))
        || datagram.starts_with(&[0, 6]);
    if from != tid && from.ip() == tid.ip() && first {
        anyhow::bail!("two first answers, from {tid} and {from}: not taken");
    }
    Ok(())
}

/// A download in progress, out of sight until it is kept (see the top).
pub enum NewFile {
    #[cfg(target_os = "linux")]
    Unnamed(io::BufWriter<std::fs::File>, String),
    Part(Part),
}

impl NewFile {
    pub fn create(name: &str) -> Result<NewFile> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let mut options = std::fs::File::options();
            options.write(true).custom_flags(libc::O_TMPFILE);
            // a file system without O_TMPFILE: the .part file below
            if let Ok(file) = options.open(".") {
                let file = io::BufWriter::with_capacity(256 << 10, file);
                return Ok(NewFile::Unnamed(file, name.into()));
            }
        }
        Ok(NewFile::Part(Part::create(name)?))
    }

    /// Writes the rest and links the file in under its name, never
    /// replacing a file (nor following a symlink) that is there.
    pub fn keep(self) -> Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            NewFile::Unnamed(mut file, name) => {
                use anyhow::Context;
                use std::os::fd::AsRawFd;
                file.flush().context(name.clone())?;
                let fd = file.get_ref().as_raw_fd();
                let from = format!("/proc/self/fd/{fd}");
                match link(&from, &name) {
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                        anyhow::bail!("{name} exists here: not replaced")
                    }
                    linked => linked.context(name),
                }
            }
            NewFile::Part(part) => part.keep(),
        }
    }
}

/// `linkat` following the /proc link to the unnamed file itself.
#[cfg(target_os = "linux")]
fn link(from: &str, to: &str) -> io::Result<()> {
    use std::ffi::CString;
    let bad = |_| io::Error::from(ErrorKind::InvalidInput);
    let (from, to) = (
        CString::new(from).map_err(bad)?,
        CString::new(to).map_err(bad)?,
    );
    let (cwd, follow) = (libc::AT_FDCWD, libc::AT_SYMLINK_FOLLOW);
    // SAFETY: two NUL-terminated paths
    match unsafe { libc::linkat(cwd, from.as_ptr(), cwd, to.as_ptr(), follow) }
    {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            #[cfg(target_os = "linux")]
            NewFile::Unnamed(file, _) => file.write(buf),
            NewFile::Part(part) => part.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            NewFile::Unnamed(file, _) => file.flush(),
            NewFile::Part(part) => part.flush(),
        }
    }
}

/// A writer that takes at most `left` bytes: past that, an error of kind
/// StorageFull (the transfer answers it with ERROR 3, disk full).
pub struct Limit<W> {
    pub inner: W,
    pub left: u64,
}

impl<W: Write> Write for Limit<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.len() as u64 > self.left {
            let why = "more than --max-size or the announced tsize";
            return Err(io::Error::new(ErrorKind::StorageFull, why));
        }
        let n = self.inner.write(buf)?;
        self.left -= n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;
    use std::time::Duration;

    /// Where the answering socket cannot be checked, a second DATA 1
    /// from another port ends the transfer; its other packets (and a
    /// stranger's on another address) go to the loop, as before.
    #[test]
    fn a_second_first_answer_ends_the_transfer() {
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        let to = client.local_addr().unwrap();
        let (server, rival) = (
            UdpSocket::bind("127.0.0.1:0").unwrap(),
            UdpSocket::bind("127.0.0.1:0").unwrap(),
        );
        let tid = server.local_addr().unwrap();
        let mut peer = Peer::new(client, tid, Duration::from_secs(5));
        peer.one_server = true;
        let mut buf = [0; 100];
        rival.send_to(b"\x00\x05\x00\x05x\x00", to).unwrap();
        let (_, from) = peer.recv_from(&mut buf).unwrap().unwrap();
        assert_eq!(from, rival.local_addr().unwrap());
        server.send_to(b"\x00\x03\x00\x01ok", to).unwrap();
        peer.recv_from(&mut buf).unwrap().unwrap();
        rival.send_to(b"\x00\x03\x00\x01evil", to).unwrap();
        let error = peer.recv_from(&mut buf).unwrap_err().to_string();
        assert!(error.starts_with("two first answers, from "), "{error}");
    }

    #[test]
    fn the_owner_of_a_local_socket_is_known_on_linux() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        match cfg!(target_os = "linux") {
            true => assert!(owner(addr).is_some()),
            false => assert_eq!(owner(addr), None),
        }
        let gone = addr;
        drop(socket);
        assert_eq!(owner(gone), None);
    }
}
