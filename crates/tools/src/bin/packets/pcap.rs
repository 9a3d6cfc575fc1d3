//! The capture file: pcap records, then Ethernet, IP, TCP or UDP.
use super::*;

/// One captured packet, down to the transport layer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Frame {
    pub(crate) time: f64,
    pub(crate) src: SocketAddr,
    pub(crate) dst: SocketAddr,
    pub(crate) kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Tcp {
        seq: u32,
        ack: u32,
        flags: u8,
        len: usize,
    },
    /// `len` is the UDP payload's length; `payload` what was captured of it.
    Udp { len: usize, payload: Vec<u8> },
}

pub(crate) const FIN: u8 = 0x01;
pub(crate) const SYN: u8 = 0x02;
pub(crate) const RST: u8 = 0x04;
pub(crate) const PSH: u8 = 0x08;
pub(crate) const ACK: u8 = 0x10;

pub(crate) fn read_pcap_file(path: &str) -> Result<Vec<Frame>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    read_pcap(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// The TCP and UDP packets of a pcap file (pcap-file reads its records:
/// tcpdump -w writes pcap, not pcapng). Other packets are left out.
pub(crate) fn read_pcap(bytes: &[u8]) -> Result<Vec<Frame>, String> {
    use pcap_file::pcap::PcapReader;
    let mut reader = PcapReader::new(bytes)
        .map_err(|_| "not a pcap file (tcpdump -w writes one)")?;
    let header = reader.header();
    let link = u32::from(header.datalink);
    let unit = match header.ts_resolution {
        pcap_file::TsResolution::MicroSecond => 1e-6,
        pcap_file::TsResolution::NanoSecond => 1e-9,
    };
    let mut frames = vec![];
    // raw records: pcap-file 2.0 refuses a packet longer than the capture
    // keeps (tcpdump -s), its issue 36, fixed after 2.0
    while let Some(packet) = reader.next_raw_packet() {
        let packet = packet.map_err(|_| "a packet is cut short")?;
        let time = f64::from(packet.ts_sec) + f64::from(packet.ts_frac) * unit;
        frames.extend(decode(link, &packet.data, time));
    }
    Ok(frames)
}

pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Ethernet (what tcpdump -i lo writes on Linux, as scripts/capture runs
/// it), then IP and TCP or UDP, by etherparse. The lengths are the
/// headers' own: the capture keeps only each packet's first bytes (-s).
pub(crate) fn decode(link: u32, data: &[u8], time: f64) -> Option<Frame> {
    use etherparse::{LaxNetSlice, LaxSlicedPacket, TransportSlice};
    if link != 1 {
        return None; // not Ethernet
    }
    let packet = LaxSlicedPacket::from_ethernet(data).ok()?;
    let (src, dst, ip_len): (IpAddr, IpAddr, usize) = match packet.net? {
        LaxNetSlice::Ipv4(ip) => {
            let h = ip.header();
            let len = usize::from(h.total_len()).checked_sub(h.slice().len());
            (h.source_addr().into(), h.destination_addr().into(), len?)
        }
        LaxNetSlice::Ipv6(ip) => {
            let h = ip.header();
            let len = usize::from(h.payload_length());
            (h.source_addr().into(), h.destination_addr().into(), len)
        }
        LaxNetSlice::Arp(_) => return None,
    };
    let (ports, kind) = match packet.transport? {
        TransportSlice::Tcp(tcp) => {
            let flags = [tcp.fin(), tcp.syn(), tcp.rst(), tcp.psh(), tcp.ack()];
            let flags =
                flags.iter().rev().fold(0, |f, on| f << 1 | u8::from(*on));
            let kind = Kind::Tcp {
                seq: tcp.sequence_number(),
                ack: tcp.acknowledgment_number(),
                flags,
                len: ip_len
                    .checked_sub(tcp.slice().len() - tcp.payload().len())?,
            };
            ((tcp.source_port(), tcp.destination_port()), kind)
        }
        TransportSlice::Udp(udp) => {
            let len = usize::from(udp.length()).checked_sub(8)?;
            let captured = udp.payload();
            let payload = captured[..captured.len().min(len)].to_vec();
            (
                (udp.source_port(), udp.destination_port()),
                Kind::Udp { len, payload },
            )
        }
        _ => return None,
    };
    Some(Frame {
        time,
        src: SocketAddr::new(src, ports.0),
        dst: SocketAddr::new(dst, ports.1),
        kind,
    })
}
