//! Spoofing: a UDP datagram with a forged source, through a raw socket.

use std::net::SocketAddr;

/// Sends one UDP datagram that claims to come from `from` (a spoofed
/// source, as an attacker on the same network can send), through a raw
/// socket: needs root, so call it after `missing_root`. IPv4 only.
pub fn spoof_udp(from: SocketAddr, to: SocketAddr, payload: &[u8]) {
    let (SocketAddr::V4(from), SocketAddr::V4(to)) = (from, to) else {
        panic!("spoof_udp is IPv4 only");
    };
    // etherparse writes the headers and their checksums
    let builder = etherparse::PacketBuilder::ipv4(
        from.ip().octets(),
        to.ip().octets(),
        64,
    )
    .udp(from.port(), to.port());
    let mut packet = Vec::with_capacity(builder.size(payload.len()));
    builder
        .write(&mut packet, payload)
        .expect("build a datagram");
    // IPPROTO_RAW (255): we write the IP header ourselves
    let raw = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::RAW,
        Some(socket2::Protocol::from(255)),
    )
    .expect("raw socket (root needed)");
    let dest = SocketAddr::V4(to).into();
    raw.send_to(&packet, &dest)
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
