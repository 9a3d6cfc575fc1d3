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

/// The TCP and UDP packets of a pcap file (not pcapng: tcpdump -w writes
/// pcap). Other packets are left out.
pub(crate) fn read_pcap(bytes: &[u8]) -> Result<Vec<Frame>, String> {
    let header = bytes.get(..24).ok_or("too short for a pcap file")?;
    let magic =
        u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    let (little, nanos) = match magic {
        0xa1b2_c3d4 => (true, false),
        0xa1b2_3c4d => (true, true),
        0xd4c3_b2a1 => (false, false),
        0x4d3c_b2a1 => (false, true),
        _ => return Err("not a pcap file (tcpdump -w writes one)".into()),
    };
    let word = |b: &[u8]| {
        let b = [b[0], b[1], b[2], b[3]];
        if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    };
    let link = word(&header[20..24]);
    let mut frames = vec![];
    let mut at = 24;
    while let Some(record) = bytes.get(at..at + 16) {
        let (secs, frac) = (word(&record[0..4]), word(&record[4..8]));
        let captured = word(&record[8..12]) as usize;
        let data = bytes
            .get(at + 16..at + 16 + captured)
            .ok_or("a packet is cut short")?;
        at += 16 + captured;
        let unit = if nanos { 1e-9 } else { 1e-6 };
        let time = f64::from(secs) + f64::from(frac) * unit;
        if let Some(frame) = decode(link, data, time) {
            frames.push(frame);
        }
    }
    Ok(frames)
}

pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let b = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Link layer (Ethernet, as on Linux's lo; Linux cooked; raw IP), then IP.
pub(crate) fn decode(link: u32, data: &[u8], time: f64) -> Option<Frame> {
    let ip = match link {
        1 => match be16(data, 12)? {
            0x0800 | 0x86dd => data.get(14..)?,
            _ => return None,
        },
        113 => data.get(16..)?, // Linux cooked capture (-i any)
        276 => data.get(20..)?, // Linux cooked capture v2
        0 | 108 => data.get(4..)?, // BSD loopback
        12 | 14 | 101 => data,  // raw IP
        _ => return None,
    };
    let (src, dst, proto, body, body_len) = match ip.first()? >> 4 {
        4 => {
            let header = usize::from(ip[0] & 0x0f) * 4;
            let total = usize::from(be16(ip, 2)?);
            let src: [u8; 4] = ip.get(12..16)?.try_into().ok()?;
            let dst: [u8; 4] = ip.get(16..20)?.try_into().ok()?;
            let body_len = total.checked_sub(header)?;
            (
                src.into(),
                dst.into(),
                *ip.get(9)?,
                ip.get(header..)?,
                body_len,
            )
        }
        6 => {
            let src: [u8; 16] = ip.get(8..24)?.try_into().ok()?;
            let dst: [u8; 16] = ip.get(24..40)?.try_into().ok()?;
            let len = usize::from(be16(ip, 4)?);
            (src.into(), dst.into(), *ip.get(6)?, ip.get(40..)?, len)
        }
        _ => return None,
    };
    let (src, dst): (IpAddr, IpAddr) = (src, dst);
    let ports = (be16(body, 0)?, be16(body, 2)?);
    let kind = match proto {
        6 => {
            let offset = usize::from(body.get(12)? >> 4) * 4;
            Kind::Tcp {
                seq: be32(body, 4)?,
                ack: be32(body, 8)?,
                flags: *body.get(13)?,
                len: body_len.checked_sub(offset)?,
            }
        }
        17 => {
            let len = usize::from(be16(body, 4)?).checked_sub(8)?;
            let captured = body.get(8..).unwrap_or_default();
            let payload = captured[..captured.len().min(len)].to_vec();
            Kind::Udp { len, payload }
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
