//! The capture file: pcap records (pcap-file), then Ethernet, IPv4, and TCP
//! or UDP (etherparse).
use etherparse::{NetSlice, SlicedPacket, TcpHeader, TransportSlice};
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
    let packet = SlicedPacket::from_ethernet(data).ok()?;
    let Some(NetSlice::Ipv4(ip)) = packet.net else {
        return None;
    };
    let (ports, tcp, payload) = match packet.transport? {
        TransportSlice::Tcp(tcp) => {
            let ports = (tcp.source_port(), tcp.destination_port());
            (ports, Some(tcp.to_header()), tcp.payload())
        }
        TransportSlice::Udp(udp) => {
            let ports = (udp.source_port(), udp.destination_port());
            (ports, None, udp.payload())
        }
        _ => return None,
    };
    let (src, dst) =
        (ip.header().source_addr(), ip.header().destination_addr());
    Some(Frame {
        time,
        src: SocketAddrV4::new(src, ports.0),
        dst: SocketAddrV4::new(dst, ports.1),
        tcp,
        payload: payload.to_vec(),
    })
}
