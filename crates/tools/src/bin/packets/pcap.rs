//! The capture file: pcap records (pcap-file), then Ethernet, IPv4, and TCP
//! or UDP (etherparse).
use etherparse::TransportHeader::{Tcp, Udp};
use etherparse::{NetHeaders, PacketHeaders, TcpHeader};
use std::net::SocketAddrV4;

/// One captured TCP or UDP packet.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub(crate) time: f64,
    pub(crate) src: SocketAddrV4,
    pub(crate) dst: SocketAddrV4,
    /// a TCP segment's header; None for a UDP datagram
    pub(crate) tcp: Option<TcpHeader>,
    pub(crate) payload: Vec<u8>,
}

pub(crate) fn read_pcap_file(path: &str) -> Result<Vec<Frame>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    read_pcap(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// The TCP and UDP packets over IPv4 of a capture as scripts/capture makes
/// it (tcpdump -i lo -w on Linux: pcap, Ethernet frames, each kept whole);
/// other packets are left out.
pub(crate) fn read_pcap(bytes: &[u8]) -> Result<Vec<Frame>, String> {
    use pcap_file::{pcap::PcapReader, DataLink};
    let mut reader = PcapReader::new(bytes)
        .map_err(|_| "not a pcap file (tcpdump -w writes one)")?;
    if reader.header().datalink != DataLink::ETHERNET {
        return Err("not Ethernet frames (tcpdump -i lo writes them)".into());
    }
    let mut frames = vec![];
    while let Some(packet) = reader.next_packet() {
        let packet = packet.map_err(|_| "a packet is cut short")?;
        let time = packet.timestamp.as_secs_f64();
        frames.extend(decode(&packet.data, time));
    }
    Ok(frames)
}

fn decode(data: &[u8], time: f64) -> Option<Frame> {
    let headers = PacketHeaders::from_ethernet_slice(data).ok()?;
    let Some(NetHeaders::Ipv4(ip, _)) = headers.net else {
        return None;
    };
    let (src, dst, tcp) = match headers.transport? {
        Tcp(tcp) => (tcp.source_port, tcp.destination_port, Some(tcp)),
        Udp(udp) => (udp.source_port, udp.destination_port, None),
        _ => return None,
    };
    Some(Frame {
        time,
        src: SocketAddrV4::new(ip.source.into(), src),
        dst: SocketAddrV4::new(ip.destination.into(), dst),
        tcp,
        payload: headers.payload.slice().to_vec(),
    })
}
