//! Spoofing: a UDP datagram with a forged source, through a raw socket.

use etherparse::PacketBuilder;
use socket2::{Domain, Protocol, Socket, Type};
use std::net::SocketAddr;

/// Sends one UDP datagram that claims to come from `from` (a spoofed
/// source, as an attacker on the same network can send), through a raw
/// socket: needs root, so call it after `missing_root`. IPv4 only.
pub fn spoof_udp(from: SocketAddr, to: SocketAddr, payload: &[u8]) {
    let (SocketAddr::V4(from), SocketAddr::V4(to)) = (from, to) else {
        panic!("spoof_udp is IPv4 only");
    };
    // etherparse writes the headers and their checksums
    let (source, destination) = (from.ip().octets(), to.ip().octets());
    let packet = PacketBuilder::ipv4(source, destination, 64)
        .udp(from.port(), to.port());
    let mut datagram = vec![];
    packet
        .write(&mut datagram, payload)
        .expect("build a datagram");
    // IPPROTO_RAW (255): we write the IP header ourselves
    let raw = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::from(255)));
    let raw = raw.expect("raw socket (root needed)");
    raw.send_to(&datagram, &SocketAddr::V4(to).into())
        .expect("send a spoofed datagram");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{missing_root, DEADLINE};
    use std::net::UdpSocket;

    /// A datagram from a spoofed source arrives with that source.
    #[test]
    fn a_spoofed_datagram_arrives_from_the_claimed_address() {
        if missing_root("send from a raw socket") {
            return;
        }
        let target = UdpSocket::bind("127.0.0.1:0").unwrap();
        target.set_read_timeout(Some(DEADLINE)).unwrap();
        let fake: SocketAddr = "127.0.0.9:4242".parse().unwrap();
        spoof_udp(fake, target.local_addr().unwrap(), b"who am I");
        let mut buf = [0; 64];
        let (len, from) = target.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..len], from), (&b"who am I"[..], fake));
    }
}
