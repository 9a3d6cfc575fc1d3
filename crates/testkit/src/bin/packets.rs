//! packets: reads a capture of a lesson pair (`tcpdump -w FILE`) and shows
//! its packets the way the tutorial's Wireshark table does: a table, a
//! sequence diagram (SVG), and the normalised packet sequence the diagram
//! keeps in its `<desc>`, so that a later run can be compared with it.
//! Written for scripts/capture.
//!
//! usage: packets tcp PCAP SERVER_PORT CLIENT SERVER [OPTIONS]
//!        packets tftp PCAP RELAY_PORT SERVER_PORT CLIENT SERVER LOSS
//!                [OPTIONS]
//!        packets same STORED.svg FRESH.svg
//! OPTIONS: --note TEXT ZH (more than once) adds a note under the table
//!          and the pictures, in English and in Chinese;
//!          --svg FILE TITLE SUBTITLE draws the sequence diagram, in
//!          English; --svg-zh FILE TITLE SUBTITLE the same in Chinese
//! LOSS: what the relay loses, a percent (`9`) or packets (`DATA 4`)
//!
//! TCP: every packet to or from SERVER_PORT; sequence and acknowledgement
//! numbers are relative, as Wireshark shows them (each side's SYN is 0).
//! TFTP: a client talks to a lossy relay on RELAY_PORT, which passes the
//! datagrams on to the server on SERVER_PORT (then to its transfer port):
//! a datagram seen on one side of the relay and not on the other was lost.
//! `same` compares the sequences kept in two diagrams (see `canonical`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::process::exit;

const USAGE: &str = "usage: packets tcp PCAP SERVER_PORT CLIENT SERVER \
                     [OPTIONS]
       packets tftp PCAP RELAY_PORT SERVER_PORT CLIENT SERVER LOSS \
                     [OPTIONS]
       packets same STORED.svg FRESH.svg
OPTIONS: [--note TEXT ZH]... [--svg FILE TITLE SUBTITLE]
         [--svg-zh FILE TITLE SUBTITLE]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(error) = run(&args) {
        eprintln!("packets: {error}");
        exit(if error.starts_with("usage") { 2 } else { 1 });
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let usage = || USAGE.to_string();
    let port = |i: usize| -> Result<u16, String> {
        let text = args.get(i).ok_or_else(usage)?;
        text.parse().map_err(|_| format!("not a port: {text:?}"))
    };
    let text = |i: usize| args.get(i).cloned().ok_or_else(usage);
    match args.first().map(String::as_str) {
        Some("tcp") => {
            let frames = read_pcap_file(&text(1)?)?;
            let names = [text(3)?, text(4)?];
            let run = tcp(&frames, port(2)?, names);
            output(run, &args[5..])
        }
        Some("tftp") => {
            let frames = read_pcap_file(&text(1)?)?;
            let names = [text(4)?, text(5)?];
            let loss = text(6)?;
            let run = tftp(&frames, port(2)?, port(3)?, names, &loss)?;
            output(run, &args[7..])
        }
        Some("same") => {
            let read = |i: usize| -> Result<(String, Vec<String>), String> {
                let path = text(i)?;
                let svg = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{path}: {e}"))?;
                let lines = sequence_of(&svg)
                    .ok_or(format!("{path}: no packet sequence in it"))?;
                Ok((path, lines))
            };
            let ((stored, old), (_, new)) = (read(1)?, read(2)?);
            match compare(&old, &new) {
                None => {
                    let same = format!("same packets as {stored}\n");
                    let _ = std::io::stdout().write_all(same.as_bytes());
                    Ok(())
                }
                Some(report) => Err(format!(
                    "the packets differ from {stored} (normalised: {}):\n\
                     {report}",
                    CANONICAL
                )),
            }
        }
        _ => Err(usage()),
    }
}

/// The options after the capture's arguments: `--note TEXT ZH` adds a
/// note under the table and the pictures; `--svg FILE TITLE SUBTITLE`
/// draws the English picture, `--svg-zh` the Chinese one.
fn output(mut run: Run, mut rest: &[String]) -> Result<(), String> {
    let mut pictures = vec![];
    loop {
        match rest {
            [] => break,
            [flag, en, zh, more @ ..] if flag == "--note" => {
                run.notes.push(Words::new(en, zh));
                rest = more;
            }
            [flag, file, title, subtitle, more @ ..]
                if flag == "--svg" || flag == "--svg-zh" =>
            {
                let lang = if flag == "--svg" { Lang::En } else { Lang::Zh };
                pictures.push((lang, file, title, subtitle));
                rest = more;
            }
            _ => return Err(USAGE.to_string()),
        }
    }
    // a reader that stops early (| head, less) is not an error
    let _ = std::io::stdout().write_all(table(&run).as_bytes());
    for (lang, file, title, subtitle) in pictures {
        std::fs::write(file, svg(&run, lang, title, subtitle))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    Ok(())
}

/// The two languages of the pictures (the table is English only).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Lang {
    En,
    Zh,
}

/// A text in English and in Chinese.
#[derive(Clone, Debug, Default, PartialEq)]
struct Words {
    en: String,
    zh: String,
}

impl Words {
    fn new(en: impl Into<String>, zh: impl Into<String>) -> Words {
        Words {
            en: en.into(),
            zh: zh.into(),
        }
    }

    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

// ---------------------------------------------------------------------
// 1. the capture file: pcap records, then Ethernet, IP, TCP or UDP

/// One captured packet, down to the transport layer.
#[derive(Clone, Debug, PartialEq)]
struct Frame {
    time: f64,
    src: SocketAddr,
    dst: SocketAddr,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Tcp {
        seq: u32,
        ack: u32,
        flags: u8,
        len: usize,
    },
    /// `len` is the UDP payload's length; `payload` what was captured of it.
    Udp { len: usize, payload: Vec<u8> },
}

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

fn read_pcap_file(path: &str) -> Result<Vec<Frame>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    read_pcap(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// The TCP and UDP packets of a pcap file (not pcapng: tcpdump -w writes
/// pcap). Other packets are left out.
fn read_pcap(bytes: &[u8]) -> Result<Vec<Frame>, String> {
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

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let b = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Link layer (Ethernet, as on Linux's lo; Linux cooked; raw IP), then IP.
fn decode(link: u32, data: &[u8], time: f64) -> Option<Frame> {
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

// ---------------------------------------------------------------------
// 2. what the packets mean

/// A run of a lesson pair, ready to show.
struct Run {
    names: [String; 2], // client, server
    relay: Option<Words>,
    rows: Vec<Row>,
    notes: Vec<Words>,
    tftp: bool,
}

/// One packet as shown: in the table, as an arrow, as a line of the
/// normalised sequence.
#[derive(Clone, Debug)]
struct Row {
    time: f64,
    conn: usize,
    from_client: bool,
    /// flags (SYN-ACK) or TFTP packet (DATA 1): the table's column
    what: String,
    /// relative seq and ack and the length (TCP); the length (TFTP)
    fields: Vec<(&'static str, Option<u32>)>,
    /// the arrow's label, when it says more than `what` and `fields`
    label: Option<String>,
    meaning: Words,
    phase: Phase,
    lost: bool,
    /// sent again after a wait for an answer (TFTP)
    again: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Handshake,
    Data,
    Teardown,
    Trouble,
}

impl Row {
    fn direction(&self) -> &'static str {
        if self.from_client {
            "client>server"
        } else {
            "server>client"
        }
    }

    fn field(&self, name: &str) -> Option<u32> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|f| f.1)
    }

    /// `seq=0 ack=1 len=5`; an absent value is left out.
    fn numbers(&self) -> String {
        let present = self.fields.iter().filter_map(|(name, value)| {
            value.map(|value| format!("{name}={value}"))
        });
        present.collect::<Vec<_>>().join(" ")
    }

    /// The normalised line: no ports, no absolute numbers, no times.
    fn sequence_line(&self) -> String {
        let lost = if self.lost { " lost" } else { "" };
        let (conn, dir) = (self.conn, self.direction());
        format!("{conn} {dir} {} {}{lost}", self.what, self.numbers())
    }
}

fn flag_names(flags: u8) -> String {
    let names = [(SYN, "SYN"), (FIN, "FIN"), (RST, "RST"), (PSH, "PSH")];
    let mut out: Vec<&str> = names
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    if flags & ACK != 0 {
        out.push("ACK");
    }
    if out.is_empty() {
        out.push("none");
    }
    out.join("-")
}

/// One TCP connection as it goes: what each side has said so far.
#[derive(Default)]
struct Conn {
    number: usize,
    isn: [Option<u32>; 2],      // client, server
    shaken: bool,               // handshake 3 seen
    fin: [Option<u32>; 2],      // relative seq of each side's FIN
    fin_acked: [bool; 2],       // each side's FIN acknowledged
    last_ack: [Option<u32>; 2], // what each side acknowledged last
    ended: bool,                // a FIN or RST seen
}

fn tcp(frames: &[Frame], server_port: u16, names: [String; 2]) -> Run {
    let mut conns: Vec<(SocketAddr, Conn)> = vec![];
    let mut rows = vec![];
    let mut piggybacked = vec![]; // rows of a FIN that ACKs the other's
    let mut alone = vec![]; // rows of an ACK of a FIN, before its own FIN
    for frame in frames {
        let Kind::Tcp {
            seq,
            ack,
            flags,
            len,
        } = frame.kind
        else {
            continue;
        };
        let from_client = frame.dst.port() == server_port;
        if !from_client && frame.src.port() != server_port {
            continue;
        }
        let client = if from_client { frame.src } else { frame.dst };
        // a new connection: a SYN from a client port seen before starts
        // a new one too (ports are reused)
        let fresh = flags & SYN != 0 && flags & ACK == 0;
        let known = conns.iter().rposition(|(addr, _)| *addr == client);
        let at = match known {
            Some(at) if !(fresh && conns[at].1.isn[0].is_some()) => at,
            _ => {
                let number = conns.len() + 1;
                conns.push((
                    client,
                    Conn {
                        number,
                        ..Conn::default()
                    },
                ));
                conns.len() - 1
            }
        };
        let conn = &mut conns[at].1;
        let (me, other) = if from_client { (0, 1) } else { (1, 0) };
        let side = |i: usize| if i == 0 { "client" } else { "server" };
        let side_zh = |i: usize| if i == 0 { "客户端" } else { "服务器" };
        if flags & SYN != 0 {
            conn.isn[me] = Some(seq);
        }
        // no SYN seen (a capture started late): call this byte 1
        let isn = *conn.isn[me].get_or_insert(seq.wrapping_sub(1));
        let rel_seq = seq.wrapping_sub(isn);
        let rel_ack = match (flags & ACK != 0, conn.isn[other]) {
            (true, Some(other_isn)) => Some(ack.wrapping_sub(other_isn)),
            _ => None,
        };
        let pure_ack = flags & (SYN | FIN | RST) == 0 && len == 0;
        let acks_fin = |conn: &Conn| {
            conn.fin[other].is_some_and(|fin| rel_ack == Some(fin + 1))
                && !conn.fin_acked[other]
        };
        let (phase, meaning) = if flags & RST != 0 {
            conn.ended = true;
            let words = Words::new("aborts the connection", "强行中断连接");
            (Phase::Trouble, words)
        } else if flags & SYN != 0 && flags & ACK == 0 {
            let words =
                Words::new("handshake 1: connect?", "第一次握手：能连吗？");
            (Phase::Handshake, words)
        } else if flags & SYN != 0 {
            let words = Words::new(
                "handshake 2: ok, may I?",
                "第二次握手：能；我也要连你，行吗？",
            );
            (Phase::Handshake, words)
        } else if !conn.shaken && from_client && pure_ack {
            conn.shaken = true;
            let words = Words::new("handshake 3: ok", "第三次握手：行");
            (Phase::Handshake, words)
        } else if flags & FIN != 0 {
            conn.ended = true;
            conn.fin[me] = Some(rel_seq + len as u32);
            let data = match len {
                0 => Words::default(),
                _ => Words::new(
                    format!("{len} bytes of data; "),
                    format!("{len} 个字节的数据；"),
                ),
            };
            let words = if acks_fin(conn) {
                conn.fin_acked[other] = true;
                piggybacked.push(rows.len());
                Words::new(
                    format!(
                        "{}{} is done too, and ACKs the {}'s FIN",
                        data.en,
                        side(me),
                        side(other)
                    ),
                    format!(
                        "{}{}也说完了，并确认{}的 FIN",
                        data.zh,
                        side_zh(me),
                        side_zh(other)
                    ),
                )
            } else {
                Words::new(
                    format!("{}{} is done sending", data.en, side(me)),
                    format!("{}{}说完了，不再发送", data.zh, side_zh(me)),
                )
            };
            (Phase::Teardown, words)
        } else if len > 0 {
            let words = Words::new(
                format!("{len} bytes of data"),
                format!("{len} 个字节的数据"),
            );
            (Phase::Data, words)
        } else if acks_fin(conn) {
            conn.fin_acked[other] = true;
            if conn.fin[me].is_none() {
                alone.push(rows.len()); // and this side's FIN comes later
            }
            let words = Words::new("acknowledges the FIN", "确认对方的 FIN");
            (Phase::Teardown, words)
        } else if rel_ack > conn.last_ack[me] {
            let phase = if conn.ended {
                Phase::Teardown
            } else {
                Phase::Data
            };
            (phase, Words::new("acknowledges the data", "确认收到数据"))
        } else {
            let words = Words::new(
                "acknowledges nothing new (a window update)",
                "没有确认新数据（窗口更新）",
            );
            (Phase::Data, words)
        };
        conn.last_ack[me] = rel_ack.or(conn.last_ack[me]);
        let mut fields = vec![("seq", Some(rel_seq)), ("ack", rel_ack)];
        fields.push(("len", Some(len as u32)));
        rows.push(Row {
            time: frame.time,
            conn: conn.number,
            from_client,
            what: flag_names(flags),
            fields,
            label: None,
            meaning,
            phase,
            lost: false,
            again: false,
        });
    }
    let mut notes = vec![Words::new(
        "seq and ack are relative, as Wireshark shows them: each side counts \
         its bytes from its SYN (seq=0); ack is the next byte expected, and \
         SYN and FIN count as one byte each.",
        "seq（序号）和 ack（确认号）都是相对值，和 Wireshark 显示的一样：\
         双方各自从自己的 SYN（seq=0）开始数字节；ack 是期待收到的下一个\
         字节，SYN 和 FIN 各算一个字节。",
    )];
    let sides = |row: &Row| match row.from_client {
        true => (["client", "server"], ["客户端", "服务器"]),
        false => (["server", "client"], ["服务器", "客户端"]),
    };
    if let Some(&first) = piggybacked.first() {
        let row = &rows[first];
        let numbers: Vec<String> =
            piggybacked.iter().map(|i| (i + 1).to_string()).collect();
        let ([me, other], [me_zh, other_zh]) = sides(row);
        let packets = match numbers.len() {
            1 => format!("packet {}", numbers[0]),
            _ => format!("packets {}", numbers.join(", ")),
        };
        let packets_zh = format!("第 {} 个包", numbers.join("、"));
        let ack = row.field("ack").unwrap_or(0);
        notes.push(Words::new(
            format!(
                "Why 3 packets to close where the tutorial draws 4 \
                 ({packets}): FIN and ACK travel together. The {me}'s \
                 FIN-ACK carries both its own FIN and the ACK of the \
                 {other}'s FIN (ack={ack}). The {me} closed at once, so its \
                 kernel had no reason to send that ACK alone first; a side \
                 that waits before closing (the tutorial's client did) \
                 sends the ACK, then its FIN: 4 packets."
            ),
            format!(
                "教程画的四次挥手有 4 个包，这里关闭只用了 3 个（\
                 {packets_zh}），因为 FIN 和 ACK 一起走了：{me_zh}的 FIN-ACK \
                 既带着它自己的 FIN，也确认了{other_zh}的 FIN（ack={ack}）。\
                 {me_zh}马上就关闭了，它的系统没有理由先单独发那个 ACK；要是\
                 一方先等一会儿再关闭（教程里的客户端就是这样），就会先发 \
                 ACK，再发自己的 FIN：一共 4 个包。"
            ),
        ));
    }
    if let Some(&first) = alone.first() {
        let row = &rows[first];
        let ([me, other], [me_zh, other_zh]) = sides(row);
        let n = first + 1;
        notes.push(Words::new(
            format!(
                "The teardown takes 4 packets here, as the tutorial draws \
                 it: the {me} had not closed yet when the {other}'s FIN \
                 came, so its kernel acknowledged that FIN alone (packet \
                 {n}), and the {me}'s own FIN followed when it closed."
            ),
            format!(
                "这里的四次挥手用了 4 个包，和教程画的一样：{other_zh}的 FIN \
                 到的时候，{me_zh}还没有关闭，所以它的系统先单独确认了那个 \
                 FIN（第 {n} 个包），等{me_zh}自己关闭时，再发出它的 FIN。"
            ),
        ));
    }
    Run {
        names,
        relay: None,
        rows,
        notes,
        tftp: false,
    }
}

/// A TFTP datagram, decoded from its payload: the opcode is its first
/// two bytes (RFC 1350).
#[derive(Debug, PartialEq)]
enum Tftp {
    Request {
        write: bool,
        file: String,
        mode: String,
        options: String,
    },
    Data {
        block: u16,
        size: usize,
    },
    Ack {
        block: u16,
    },
    Error {
        code: u16,
        message: String,
    },
    Oack {
        options: String,
    },
    Other(u16),
}

/// Text from the network, fit to print: control characters become `?`.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn tftp_decode(payload: &[u8], len: usize) -> Tftp {
    let opcode = be16(payload, 0).unwrap_or(0);
    let strings = || -> Vec<String> {
        let body = payload.get(2..).unwrap_or_default();
        let body = body.strip_suffix(&[0]).unwrap_or(body);
        let parts = body.split(|b| *b == 0);
        parts.map(|s| clean(&String::from_utf8_lossy(s))).collect()
    };
    let pairs = |items: &[String]| -> String {
        let pairs = items.chunks(2).map(|pair| pair.join("="));
        pairs.collect::<Vec<_>>().join(" ")
    };
    match opcode {
        1 | 2 => {
            let items = strings();
            let get = |i: usize| items.get(i).cloned().unwrap_or_default();
            Tftp::Request {
                write: opcode == 2,
                file: get(0),
                mode: get(1),
                options: pairs(items.get(2..).unwrap_or_default()),
            }
        }
        3 => Tftp::Data {
            block: be16(payload, 2).unwrap_or(0),
            size: len.saturating_sub(4),
        },
        4 => Tftp::Ack {
            block: be16(payload, 2).unwrap_or(0),
        },
        5 => {
            // opcode, code, then the message up to its 0
            let text = payload.get(4..).unwrap_or_default();
            let end = text.iter().position(|b| *b == 0).unwrap_or(text.len());
            Tftp::Error {
                code: be16(payload, 2).unwrap_or(0),
                message: clean(&String::from_utf8_lossy(&text[..end])),
            }
        }
        6 => Tftp::Oack {
            options: pairs(&strings()),
        },
        other => Tftp::Other(other),
    }
}

/// A datagram as sent, and whether the relay passed it on.
struct Sent<'f> {
    frame: &'f Frame,
    from_client: bool,
    lost: bool,
}

/// The datagrams each end sent, in time order, each marked lost or not:
/// the relay passes datagrams on in the order they came, so each one
/// seen leaving the relay is the latest unmatched one with the same
/// payload that came in before it; those skipped over were lost.
fn through_relay(
    frames: &[Frame],
    relay_port: u16,
    server_port: u16,
) -> Result<Vec<Sent<'_>>, String> {
    let udp = |f: &&Frame| matches!(f.kind, Kind::Udp { .. });
    // the relay's own socket toward the server: what sends to its port
    let back = frames
        .iter()
        .filter(udp)
        .find(|f| f.dst.port() == server_port && f.src.port() != relay_port)
        .map(|f| f.src)
        .ok_or("no datagram reached the server")?;
    let payload = |f: &Frame| match &f.kind {
        Kind::Udp { payload, .. } => payload.clone(),
        Kind::Tcp { .. } => vec![],
    };
    // a client sends to the relay's port and hears from it
    let is_client_side = |f: &Frame, out: bool| match out {
        true => f.dst.port() == relay_port,
        false => f.src.port() == relay_port,
    };
    let is_server_side = |f: &Frame, out: bool| match out {
        true => f.src == back,
        false => f.dst == back,
    };
    let mut sent = vec![];
    // client -> relay -> server, then server -> relay -> client
    for from_client in [true, false] {
        let (ins, outs): (Vec<&Frame>, Vec<&Frame>) = match from_client {
            true => (
                frames.iter().filter(|f| is_client_side(f, true)).collect(),
                frames.iter().filter(|f| is_server_side(f, true)).collect(),
            ),
            false => (
                frames.iter().filter(|f| is_server_side(f, false)).collect(),
                frames.iter().filter(|f| is_client_side(f, false)).collect(),
            ),
        };
        let mut passed = vec![false; ins.len()];
        let mut next = 0; // the first datagram not matched or skipped yet
        for out in outs {
            let candidates = (next..ins.len())
                .take_while(|&i| ins[i].time <= out.time)
                .filter(|&i| payload(ins[i]) == payload(out));
            if let Some(i) = candidates.last() {
                passed[i] = true;
                next = i + 1;
            }
        }
        for (frame, passed) in ins.into_iter().zip(passed) {
            sent.push(Sent {
                frame,
                from_client,
                lost: !passed,
            });
        }
    }
    sent.sort_by(|a, b| a.frame.time.total_cmp(&b.frame.time));
    Ok(sent)
}

/// Seconds as a picture shows them: 0.21, or 1.0 from a second on.
fn seconds(time: f64) -> String {
    match time < 1.0 {
        true => format!("{time:.2}"),
        false => format!("{time:.1}"),
    }
}

/// What the relay loses (a percent, `9`, or packets by name, `DATA 4`
/// or `ACK 2,DATA 5`, as lossy-relay takes it), for its box, and a note
/// on it that names the packets lost (their numbers in the picture).
fn relay_loss(loss: &str, lost: &[usize]) -> (Words, Vec<Words>) {
    let numbers: Vec<String> = lost.iter().map(|n| n.to_string()).collect();
    let (en, zh) = match numbers.len() {
        1 => (
            format!("packet {}", numbers[0]),
            format!("第 {} 个包", numbers[0]),
        ),
        _ => (
            format!("packets {}", numbers.join(", ")),
            format!("第 {} 个包", numbers.join("、")),
        ),
    };
    let lost_note =
        Words::new(format!("Lost: {en}."), format!("丢掉的是{zh}。"));
    if let Ok(percent) = loss.parse::<u64>() {
        let how = Words::new(
            format!(
                "A relay between the two loses {percent}% of the datagrams \
                 each way, always the same ones (a fixed pseudo-random \
                 sequence), so every run looks alike. Whoever waits too \
                 long for an answer sends its last packet again."
            ),
            format!(
                "两端之间的中继每个方向丢掉 {percent}% 的数据报，每次丢的都是\
                 同样那几个（一个固定的伪随机序列），所以每次运行看起来都一\
                 样。谁等回答等得太久，谁就把自己最后发的包再发一遍。"
            ),
        );
        let notes = match lost.is_empty() {
            true => vec![how],
            false => vec![how, lost_note],
        };
        let name = Words::new(
            format!("loses {percent}%"),
            format!("丢 {percent}% 的包"),
        );
        return (name, notes);
    }
    let names: Vec<&str> = loss.split(',').map(str::trim).collect();
    let name = Words::new(
        format!("loses {}", names.join(", ")),
        format!("丢掉 {}", names.join("、")),
    );
    let how = match lost.is_empty() {
        true => Words::new(
            format!(
                "The relay would lose the first {}, but none passed.",
                names.join(", ")
            ),
            format!(
                "中继本来要丢掉第一个 {}，可是它没有出现。",
                names.join("、")
            ),
        ),
        false => Words::new(
            format!(
                "The relay passes every datagram on but the first {} \
                 ({en}): every run loses the same packet. Whoever waits too \
                 long for an answer sends its last packet again.",
                names.join(", ")
            ),
            format!(
                "中继把每个数据报都转发过去，只丢掉第一个 {}（{zh}）：每次\
                 运行丢的都是同一个包。谁等回答等得太久，谁就把自己最后发的\
                 包再发一遍。",
                names.join("、")
            ),
        ),
    };
    (name, vec![how])
}

fn tftp(
    frames: &[Frame],
    relay_port: u16,
    server_port: u16,
    names: [String; 2],
    loss: &str,
) -> Result<Run, String> {
    let sent = through_relay(frames, relay_port, server_port)?;
    let mut rows: Vec<Row> = vec![];
    let mut transfer = 0;
    let mut last_request: Option<Vec<u8>> = None;
    let mut blksize = 512;
    let mut earlier: Vec<(usize, bool, Vec<u8>)> = vec![]; // resend check
                                                           // each end's datagrams of this transfer, when they went out
    let mut times: [Vec<f64>; 2] = [vec![], vec![]];
    for Sent {
        frame,
        from_client,
        lost,
    } in sent
    {
        let Kind::Udp { len, payload } = &frame.kind else {
            continue;
        };
        let packet = tftp_decode(payload, *len);
        if let Tftp::Request { .. } = packet {
            if last_request.as_ref() != Some(payload) {
                transfer += 1;
                blksize = 512;
                last_request = Some(payload.clone());
                times = [vec![], vec![]];
            }
        }
        let me = usize::from(!from_client);
        let again = earlier.contains(&(transfer, from_client, payload.clone()));
        earlier.push((transfer, from_client, payload.clone()));
        // how long this end waited since its last datagram, and how long
        // that one took to be answered, its round trip, when known: the
        // time from the datagram before it to that one
        let waited = times[me].last().map_or(0.0, |t| frame.time - t);
        let round_trip = match times[me][..] {
            [.., before, last] => Some(last - before),
            _ => None,
        };
        times[me].push(frame.time);
        let first_answer = !from_client
            && !rows.iter().any(|r| r.conn == transfer && !r.from_client);
        let (what, label, mut meaning, phase) = match &packet {
            Tftp::Request {
                write,
                file,
                mode,
                options,
            } => {
                let what = if *write { "WRQ" } else { "RRQ" };
                let label = format!("{what} {file} {mode} {options}");
                let (verb, verb_zh) = match write {
                    true => ("write", "写"),
                    false => ("read", "读"),
                };
                let meaning = Words::new(
                    format!("{verb} request, to the server's port"),
                    format!("{verb_zh}请求，发往服务器的端口"),
                );
                (what.to_string(), label, meaning, Phase::Handshake)
            }
            Tftp::Oack { options } => {
                if let Some(size) =
                    options.split(' ').find_map(|o| o.strip_prefix("blksize="))
                {
                    blksize = size.parse().unwrap_or(512);
                }
                let label = format!("OACK {options}");
                let meaning = Words::new("options accepted", "接受这些选项");
                ("OACK".to_string(), label, meaning, Phase::Handshake)
            }
            Tftp::Data { block, size } => {
                let what = format!("DATA {block}");
                let label = format!("{what}: {size} bytes");
                let meaning = match *size < blksize {
                    true => Words::new(
                        format!(
                            "block {block}, less than {blksize} bytes: last"
                        ),
                        format!("第 {block} 块，不满 {blksize} 字节：最后一块"),
                    ),
                    false => Words::new(
                        format!("block {block}"),
                        format!("第 {block} 块"),
                    ),
                };
                (what, label, meaning, Phase::Data)
            }
            Tftp::Ack { block } => {
                let what = format!("ACK {block}");
                let meaning = match block {
                    0 => Words::new(
                        "options fine: send block 1",
                        "同意这些选项：请发第 1 块",
                    ),
                    _ => Words::new(
                        format!("got block {block}"),
                        format!("收到第 {block} 块"),
                    ),
                };
                (what.clone(), what, meaning, Phase::Data)
            }
            Tftp::Error { code, message } => {
                let what = format!("ERROR {code}");
                let label = format!("{what} {message}");
                let meaning = Words::new(
                    format!("error {code}: {message}; the end"),
                    format!("差错码 {code}：{message}；传输结束"),
                );
                (what, label, meaning, Phase::Trouble)
            }
            Tftp::Other(opcode) => {
                let what = format!("opcode {opcode}");
                let meaning = Words::new("not a TFTP packet", "不是 TFTP 的包");
                (what.clone(), what, meaning, Phase::Trouble)
            }
        };
        if first_answer && !matches!(packet, Tftp::Error { .. }) {
            meaning.en.push_str(", from a new port (the transfer ID)");
            meaning.zh.push_str("，来自一个新端口（传输标识）");
        }
        if again {
            // after a wait for an answer, or at once (an answer to a repeat)
            let timed_out =
                waited >= 0.3 || round_trip.is_some_and(|r| waited >= r);
            let (w, r) = (seconds(waited), round_trip.map(seconds));
            meaning = match (timed_out, r) {
                (false, _) => Words::new("sent again", "又发了一次"),
                (true, None) => Words::new(
                    format!("no answer for {w} s: sent again"),
                    format!("等了 {w} 秒没有回答：重发"),
                ),
                (true, Some(r)) => Words::new(
                    format!(
                        "no answer for {w} s: sent again (a round trip \
                         took {r} s)"
                    ),
                    format!("等了 {w} 秒没有回答：重发（一次往返用了 {r} 秒）"),
                ),
            };
        }
        if lost {
            meaning.en.push_str(" - lost by the relay");
            meaning.zh.push_str("——被中继丢掉了");
        }
        rows.push(Row {
            time: frame.time,
            conn: transfer,
            from_client,
            what,
            fields: vec![("len", Some(*len as u32))],
            label: Some(label.trim_end().to_string()),
            meaning,
            phase: if lost { Phase::Trouble } else { phase },
            lost,
            again,
        });
    }
    let lost: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].lost).collect();
    let numbers: Vec<usize> = lost.iter().map(|i| i + 1).collect();
    let (relay, notes) = relay_loss(loss, &numbers);
    Ok(Run {
        names,
        relay: Some(relay),
        rows,
        notes,
        tftp: true,
    })
}

// ---------------------------------------------------------------------
// 3. the table

/// How wide the table may be: a projector shows 80 columns.
const COLUMNS: usize = 80;

/// The table: one row per packet, its meaning in the last column, wrapped
/// inside that column (at spaces) where it would pass `COLUMNS`; then the
/// notes.
fn table(run: &Run) -> String {
    let mut out = String::new();
    let conn = if run.tftp { "xfer" } else { "conn" };
    let head = if run.tftp {
        format!(
            "{:>3}  {conn:>4}  {:<16}  {:<8} {:>5}  ",
            "No.", "direction", "packet", "len"
        )
    } else {
        format!(
            "{:>3}  {conn:>4}  {:<16}  {:<8} {:>5} {:>5} {:>5}  ",
            "No.", "direction", "flags", "seq", "ack", "len"
        )
    };
    let _ = writeln!(out, "{head}meaning");
    let column = columns(&head); // where every meaning starts
    for (i, row) in run.rows.iter().enumerate() {
        let dir = match row.from_client {
            true => "client -> server",
            false => "server -> client",
        };
        let value = |name: &str| match row.field(name) {
            Some(v) => v.to_string(),
            None => "-".to_string(),
        };
        let mut cells =
            format!("{:>3}  {:>4}  {dir}  {:<8} ", i + 1, row.conn, row.what);
        if !run.tftp {
            let _ = write!(cells, "{:>5} {:>5} ", value("seq"), value("ack"));
        }
        let _ = write!(cells, "{:>5}  ", value("len"));
        // a wide cell (a long flag name, a big number) pushes the first
        // line's meaning right: it has less room then
        let first = COLUMNS.saturating_sub(columns(&cells));
        let lines = wrap_from(&row.meaning.en, first, COLUMNS - column);
        let _ = writeln!(out, "{}", format!("{cells}{}", lines[0]).trim_end());
        for line in &lines[1..] {
            let _ = writeln!(out, "{}{line}", " ".repeat(column));
        }
    }
    for note in &run.notes {
        out.push('\n');
        out.push_str(&wrap(&note.en, 76).join("\n"));
        out.push('\n');
    }
    out
}

/// How many columns a terminal gives a string: two for a Chinese
/// character or a full-width form (text from the network may hold them).
fn columns(text: &str) -> usize {
    let wide = |c: char| {
        let wide = [
            0x1100..=0x115f,
            0x2e80..=0x303e,
            0x3041..=0x33ff,
            0x3400..=0x4dbf,
            0x4e00..=0x9fff,
            0xa000..=0xa4cf,
            0xac00..=0xd7a3,
            0xf900..=0xfaff,
            0xfe30..=0xfe4f,
            0xff00..=0xff60,
            0xffe0..=0xffe6,
            0x1f300..=0x1f64f,
            0x1f900..=0x1f9ff,
            0x20000..=0x3fffd,
        ];
        wide.iter().any(|range| range.contains(&u32::from(c)))
    };
    text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum()
}

/// Splits text into lines of at most `width` columns, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_from(text, width, width)
}

/// Splits text into lines at spaces: the first of at most `first`
/// columns, the others of at most `width`. A word wider than a line is
/// cut; one that only the first line has no room for starts the second.
fn wrap_from(text: &str, first: usize, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        loop {
            let room = if lines.is_empty() { first } else { width };
            let used = match line.is_empty() {
                true => 0,
                false => columns(&line) + 1,
            };
            if used + columns(&word) <= room {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() || columns(&word) <= width {
                lines.push(std::mem::take(&mut line)); // word to next line
                continue;
            }
            // a word wider than any line: what fits, the rest after it
            let mut fit = 0;
            for (at, c) in word.char_indices() {
                if columns(&word[..at + c.len_utf8()]) > room {
                    break;
                }
                fit = at + c.len_utf8();
            }
            if fit == 0 {
                match lines.is_empty() {
                    true => lines.push(String::new()), // no room at all
                    false => {
                        fit = word.chars().next().map_or(1, char::len_utf8)
                    }
                }
                if fit == 0 {
                    continue;
                }
            }
            lines.push(word[..fit].to_string());
            word = word[fit..].to_string();
        }
    }
    lines.push(line);
    lines
}

// ---------------------------------------------------------------------
// 4. the picture: a sequence diagram, plain SVG with its own text

const WIDTH: f64 = 900.0;
const CLIENT_X: f64 = 200.0;
const SERVER_X: f64 = 700.0;
const ROW: f64 = 86.0; // one packet
const TOP: f64 = 194.0; // the first packet's label
/// Monospace for Latin text; then fonts with Chinese glyphs, which a
/// browser takes for the characters the first ones lack.
const FONT: &str = "DejaVu Sans Mono, Menlo, Consolas, Noto Sans Mono CJK \
                    SC, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, \
                    monospace";
/// How wide a column of monospace text is, in em (DejaVu Sans Mono's).
const EM_PER_COLUMN: f64 = 0.61;
/// Text sizes, in px: big enough to read from the back of a classroom
/// when the 900 px picture is projected.
const LABEL_SIZE: f64 = 21.0;
const TEXT_SIZE: f64 = 19.0;
const SMALL_SIZE: f64 = 17.0;
const INK: &str = "#1f2328"; // the text
const MUTED: &str = "#424a53"; // numbers, subtitle, transfers, waits

fn colour(phase: Phase, lost: bool) -> &'static str {
    match (phase, lost) {
        (_, true) => "#424a53", // grey: it never arrived
        (Phase::Handshake, _) => "#0969da",
        (Phase::Data, _) => "#1a7f37",
        (Phase::Teardown, _) => "#bc4c00",
        (Phase::Trouble, _) => "#cf222e",
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// What the diagram's `<desc>` starts with; the normalised lines follow.
const SEQUENCE_HEADER: &str = "The packets of this run, normalised (no \
                               ports, no times; seq and ack relative), \
                               one line each:";

/// How wide a text is drawn at `size` px: a column of monospace per
/// Latin letter, 1 em per Chinese character.
fn text_width(text: &str, size: f64) -> f64 {
    let em = |c: char| match columns(&c.to_string()) {
        2 => 1.0, // a Chinese character, from a CJK font: 1 em
        _ => EM_PER_COLUMN,
    };
    text.chars().map(em).sum::<f64>() * size
}

/// The size that fits a text into `room` px: `size`, or smaller.
fn fit(text: &str, size: f64, room: f64) -> f64 {
    let width = text_width(text, size);
    match width > room {
        true => (size * room / width).floor(),
        false => size,
    }
}

/// Text with a white halo, so that it reads over the lifelines: at `size`
/// px, shrunk to fit `room` px if it is wider.
fn text(x: f64, y: f64, anchor: &str, style: &str, content: &str) -> String {
    format!(
        "<text x=\"{x:.0}\" y=\"{y:.0}\" text-anchor=\"{anchor}\" {style} \
         stroke=\"#ffffff\" stroke-width=\"5\" stroke-linejoin=\"round\" \
         paint-order=\"stroke\">{}</text>\n",
        escape(content)
    )
}

/// The style of a text of `size` px (fitted to `room`) and this colour.
fn sized(content: &str, size: f64, room: f64, rest: &str) -> String {
    let size = fit(content, size, room);
    format!("font-size=\"{size:.0}\" {rest}")
}

/// Where a line may break in Chinese text: between two Chinese
/// characters, but not before closing punctuation nor after opening.
fn breaks_before(previous: char, c: char) -> bool {
    let wide = |c: char| columns(&c.to_string()) == 2;
    let closing = "，。、；：？！）》」』”’";
    let opening = "（《「『“‘";
    (wide(previous) || wide(c))
        && !closing.contains(c)
        && !opening.contains(previous)
}

/// Splits text into lines at most `room` px wide at `size` px: at
/// spaces, and in Chinese between characters, but never before a number
/// (`DATA 4`, `RFC 6298` stay whole); a word wider than a line is cut.
fn wrap_text(text: &str, size: f64, room: f64) -> Vec<String> {
    // the pieces that stay together, each with the space before it
    let mut pieces: Vec<(bool, String)> = vec![];
    let mut space = false;
    let mut previous = ' ';
    for c in text.chars() {
        if c == ' ' {
            space = true;
        } else {
            let new = match (space, pieces.last_mut()) {
                (_, None) => true,
                (true, Some((_, piece))) if c.is_ascii_digit() => {
                    piece.push(' '); // a number stays with what it counts
                    false
                }
                (true, _) => true,
                (false, _) => breaks_before(previous, c),
            };
            match (new, pieces.last_mut()) {
                (false, Some((_, piece))) => piece.push(c),
                _ => pieces.push((space, c.to_string())),
            }
            space = false;
        }
        previous = c;
    }
    let fits = |line: &str| text_width(line, size) <= room;
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for (space, piece) in pieces {
        let joined = match (line.is_empty(), space) {
            (true, _) => piece.clone(),
            (false, true) => format!("{line} {piece}"),
            (false, false) => format!("{line}{piece}"),
        };
        if fits(&joined) || line.is_empty() {
            line = joined;
        } else {
            lines.push(std::mem::take(&mut line));
            line = piece;
        }
        // a piece wider than a line: what fits, then the rest
        while !fits(&line) {
            let mut cut = 0;
            for (at, c) in line.char_indices() {
                if !fits(&line[..at + c.len_utf8()]) {
                    break;
                }
                cut = at + c.len_utf8();
            }
            let cut = cut.max(line.chars().next().map_or(1, char::len_utf8));
            lines.push(line[..cut].to_string());
            line = line[cut..].to_string();
        }
    }
    lines.push(line);
    lines
}

/// The words of the picture that are not packets, in its language.
fn says(lang: Lang, en: &str) -> &str {
    if lang == Lang::En {
        return en;
    }
    match en {
        "client" => "客户端",
        "server" => "服务器",
        "relay" => "中继",
        "handshake" => "三次握手",
        "request, options" => "请求、选项",
        "data" => "数据",
        "teardown" => "四次挥手",
        "error, lost" => "错误、丢包",
        "reset" => "重置（RST）",
        other => other,
    }
}

/// The sequence diagram: the client's and the server's lifelines (and
/// the relay's, for TFTP), one arrow per packet, top to bottom in time
/// order; the normalised sequence goes into `<desc>`. The same packets
/// in either language; only the words differ.
fn svg(run: &Run, lang: Lang, title: &str, subtitle: &str) -> String {
    let middle = (CLIENT_X + SERVER_X) / 2.0;
    let room = WIDTH - 40.0; // a text's widest
    let many = !run.tftp && run.rows.iter().any(|r| r.conn > 1);
    let transfers = run.tftp && run.rows.iter().any(|r| r.conn > 1);
    let muted = |content: &str, size: f64| {
        sized(content, size, room, &format!("fill=\"{MUTED}\""))
    };
    let mut body = String::new();
    let mut y = TOP;
    for (i, row) in run.rows.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &run.rows[p]);
        let gap = previous.map_or(0.0, |p| row.time - p.time);
        // a long silence, or the wait before a packet is sent again
        if gap >= 0.3 || (row.again && gap >= 0.05) {
            let words = match lang {
                Lang::En => format!("{} s without a packet", seconds(gap)),
                Lang::Zh => format!("{} 秒内一个包也没有", seconds(gap)),
            };
            let words = format!("\u{22ee} {words} \u{22ee}");
            let style =
                format!("{} font-style=\"italic\"", muted(&words, TEXT_SIZE));
            body.push_str(&text(middle, y + 2.0, "middle", &style, &words));
            y += 40.0;
        }
        let transfer = |n: usize| match lang {
            Lang::En => format!("transfer {n}"),
            Lang::Zh => format!("第 {n} 次传输"),
        };
        if transfers && previous.is_none() {
            let words = transfer(row.conn);
            let style = muted(&words, SMALL_SIZE);
            body.push_str(&text(30.0, y - 22.0, "start", &style, &words));
        }
        if run.tftp && previous.is_some_and(|p| p.conn != row.conn) {
            let _ = writeln!(
                body,
                "<line x1=\"30\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" \
                 stroke=\"#8c959f\" stroke-dasharray=\"6 6\"/>",
                y - 14.0,
                WIDTH - 30.0,
                y - 14.0
            );
            let words = transfer(row.conn);
            let style = muted(&words, SMALL_SIZE);
            body.push_str(&text(30.0, y + 8.0, "start", &style, &words));
            y += 30.0;
        }
        let colour = colour(row.phase, row.lost);
        let (from, to) = match row.from_client {
            true => (CLIENT_X, SERVER_X),
            false => (SERVER_X, CLIENT_X),
        };
        let end = if row.lost { middle } else { to };
        // the number, and the connection when there are several
        let number = (i + 1).to_string();
        let style = muted(&number, TEXT_SIZE);
        body.push_str(&text(CLIENT_X - 70.0, y + 22.0, "end", &style, &number));
        if many {
            let conn = match lang {
                Lang::En => format!("conn {}", row.conn),
                Lang::Zh => format!("连接 {}", row.conn),
            };
            let style = muted(&conn, SMALL_SIZE);
            body.push_str(&text(
                CLIENT_X - 70.0,
                y + 42.0,
                "end",
                &style,
                &conn,
            ));
        }
        // the label over the arrow, the arrow, what it means under it
        let label = match &row.label {
            Some(label) => label.clone(),
            None => format!("{} {}", row.what, row.numbers()),
        };
        let label = match label.chars().count() > 56 {
            true => label.chars().take(55).collect::<String>() + "\u{2026}",
            false => label,
        };
        let rest = format!("font-weight=\"bold\" fill=\"{colour}\"");
        let style = sized(&label, LABEL_SIZE, room, &rest);
        // centred over its arrow, but inside the picture
        let half = text_width(&label, fit(&label, LABEL_SIZE, room)) / 2.0;
        let x = ((from + end) / 2.0).clamp(20.0 + half, WIDTH - 20.0 - half);
        body.push_str(&text(x, y, "middle", &style, &label));
        let dash = if row.lost {
            " stroke-dasharray=\"8 5\""
        } else {
            ""
        };
        let head = match row.lost {
            true => String::new(),
            false => format!(" marker-end=\"url(#head-{})\"", &colour[1..]),
        };
        let _ = writeln!(
            body,
            "<line x1=\"{from:.0}\" y1=\"{:.0}\" x2=\"{end:.0}\" y2=\"{:.0}\" \
             stroke=\"{colour}\" stroke-width=\"3\"{dash}{head}/>",
            y + 12.0,
            y + 24.0
        );
        if row.lost {
            let _ = writeln!(
                body,
                "<path d=\"M{:.0},{:.0} l18,18 m0,-18 l-18,18\" \
                 stroke=\"#cf222e\" stroke-width=\"4\"/>",
                end - 9.0,
                y + 9.0
            );
        }
        let meaning = row.meaning.get(lang);
        let style = sized(meaning, TEXT_SIZE, room, &format!("fill=\"{INK}\""));
        body.push_str(&text(middle, y + 52.0, "middle", &style, meaning));
        y += ROW;
    }
    let lifelines_end = y - 14.0;
    // notes under the diagram, then the colours' legend
    y += 14.0;
    for note in &run.notes {
        for line in wrap_text(note.get(lang), TEXT_SIZE, WIDTH - 60.0) {
            let style = format!("font-size=\"{TEXT_SIZE:.0}\" fill=\"{INK}\"");
            body.push_str(&text(30.0, y, "start", &style, &line));
            y += 27.0;
        }
        y += 10.0;
    }
    y += 8.0;
    let phases = [
        (
            Phase::Handshake,
            if run.tftp {
                "request, options"
            } else {
                "handshake"
            },
        ),
        (Phase::Data, "data"),
        (Phase::Teardown, "teardown"),
        (
            Phase::Trouble,
            if run.tftp { "error, lost" } else { "reset" },
        ),
    ];
    let mut x = 30.0;
    for (phase, name) in phases {
        if !run.rows.iter().any(|r| r.phase == phase) {
            continue;
        }
        let name = says(lang, name);
        let _ = writeln!(
            body,
            "<line x1=\"{x:.0}\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" \
             stroke=\"{}\" stroke-width=\"5\"/>",
            x + 30.0,
            colour(phase, false)
        );
        let style = format!("font-size=\"{TEXT_SIZE:.0}\" fill=\"{INK}\"");
        body.push_str(&text(x + 38.0, y + 6.0, "start", &style, name));
        x += 38.0 + text_width(name, TEXT_SIZE) + 30.0;
    }
    let height = y + 28.0;

    // the frame: title, the ends and their lifelines, then the rows
    let mut out = String::new();
    let xml_lang = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" \
         font-family=\"{FONT}\" xml:lang=\"{xml_lang}\" role=\"img\" \
         aria-labelledby=\"title\">"
    );
    let _ = writeln!(out, "<title id=\"title\">{}</title>", escape(title));
    let _ = writeln!(out, "<desc>{SEQUENCE_HEADER}");
    for row in &run.rows {
        let _ = writeln!(out, "{}", escape(&row.sequence_line()));
    }
    let _ = writeln!(out, "</desc>\n<defs>");
    for colour in ["#0969da", "#1a7f37", "#bc4c00", "#cf222e"] {
        let _ = writeln!(
            out,
            "<marker id=\"head-{}\" viewBox=\"0 0 10 10\" refX=\"9\" \
             refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" \
             orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" \
             fill=\"{colour}\"/></marker>",
            &colour[1..]
        );
    }
    let _ = writeln!(out, "</defs>");
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    let rest = format!("font-weight=\"bold\" fill=\"{INK}\"");
    let style = sized(title, 24.0, room, &rest);
    out.push_str(&text(WIDTH / 2.0, 38.0, "middle", &style, title));
    let style = muted(subtitle, TEXT_SIZE);
    out.push_str(&text(WIDTH / 2.0, 68.0, "middle", &style, subtitle));
    let mut ends = vec![
        (CLIENT_X, "client", run.names[0].as_str(), 280.0),
        (SERVER_X, "server", run.names[1].as_str(), 280.0),
    ];
    if let Some(relay) = &run.relay {
        ends.push((middle, "relay", relay.get(lang), 190.0));
    }
    for (x, role, name, w) in ends {
        let dash = match role {
            "relay" => " stroke-dasharray=\"4 6\"",
            _ => "",
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x:.0}\" y1=\"150\" x2=\"{x:.0}\" \
             y2=\"{lifelines_end:.0}\" stroke=\"#8c959f\" \
             stroke-width=\"2\"{dash}/>\n<rect x=\"{:.0}\" y=\"86\" \
             width=\"{w:.0}\" height=\"64\" rx=\"8\" fill=\"#f6f8fa\" \
             stroke=\"#8c959f\" stroke-width=\"1.5\"/>",
            x - w / 2.0
        );
        let role = says(lang, role);
        let rest = format!("font-weight=\"bold\" fill=\"{INK}\"");
        let style = sized(role, LABEL_SIZE, w - 16.0, &rest);
        out.push_str(&text(x, 112.0, "middle", &style, role));
        let style =
            sized(name, TEXT_SIZE, w - 16.0, &format!("fill=\"{INK}\""));
        out.push_str(&text(x, 138.0, "middle", &style, name));
    }
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

// ---------------------------------------------------------------------
// 5. comparing two runs

/// The lines of the normalised sequence kept in a diagram's `<desc>`.
fn sequence_of(svg: &str) -> Option<Vec<String>> {
    let start = svg.find("<desc>")? + "<desc>".len();
    let end = start + svg[start..].find("</desc>")?;
    let text = &svg[start..end];
    let mut lines = text.lines();
    lines
        .next()
        .filter(|first| first.starts_with("The packets"))?;
    let unescape = |l: &str| {
        l.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    Some(lines.map(unescape).filter(|l| !l.is_empty()).collect())
}

const CANONICAL: &str = "connections compared one by one; an ACK without \
                         data is left out where it carries nothing the \
                         same side does not send anyway";

/// Two runs of the same pair differ in timing, and on loopback that shows
/// in one place only: whether an acknowledgement goes alone or rides on
/// the next packet the same side sends (delayed ACK, or a side that closes
/// at once: the 3-packet teardown), and how the packets of two
/// connections interleave. So each connection is compared on its own,
/// and a TCP packet with no data, no SYN, FIN or RST (a pure ACK, but not
/// the handshake's third) is left out when the same side's next packet in
/// that connection acknowledges the same byte, or when it acknowledges
/// nothing that side had not acknowledged before. Every other packet must
/// match in order, flags, relative seq and ack, and length. TFTP lines
/// are compared as they are: the capture makes the relay lose a packet
/// that only one side is waiting for, so no two timers race.
fn canonical(lines: &[String]) -> Vec<Vec<String>> {
    let mut conns: Vec<(String, Vec<Vec<String>>)> = vec![];
    for line in lines {
        let words: Vec<String> =
            line.split_whitespace().map(String::from).collect();
        let Some(conn) = words.first().cloned() else {
            continue;
        };
        match conns.iter_mut().find(|(c, _)| *c == conn) {
            Some((_, packets)) => packets.push(words),
            None => conns.push((conn, vec![words])),
        }
    }
    let value = |words: &[String], name: &str| {
        let prefix = format!("{name}=");
        words
            .iter()
            .find_map(|w| w.strip_prefix(&prefix).map(String::from))
    };
    let is_tcp = |words: &[String]| {
        words.get(2).is_some_and(|w| {
            w.split('-').all(|f| {
                ["SYN", "FIN", "RST", "PSH", "ACK", "none"].contains(&f)
            })
        }) && value(words, "seq").is_some()
    };
    conns
        .into_iter()
        .map(|(_, packets)| {
            let mut kept = vec![];
            // the handshake's ACK: the first pure ACK after a SYN-ACK
            let (mut syn_ack, mut handshake_done) = (false, false);
            for (i, words) in packets.iter().enumerate() {
                syn_ack |= words.get(2).is_some_and(|w| w == "SYN-ACK");
                let pure_ack = is_tcp(words)
                    && words[2] == "ACK"
                    && value(words, "len").as_deref() == Some("0");
                if pure_ack && syn_ack && !handshake_done {
                    handshake_done = true;
                    kept.push(words.join(" "));
                    continue;
                }
                if pure_ack {
                    let dir = &words[1];
                    let ack = value(words, "ack");
                    let same_side = |w: &&Vec<String>| &w[1] == dir;
                    let next = packets[i + 1..].iter().find(same_side);
                    let before = packets[..i].iter().rev().find(same_side);
                    let carried = next.is_some_and(|n| value(n, "ack") == ack);
                    let nothing_new =
                        before.is_some_and(|b| value(b, "ack") == ack);
                    if carried || nothing_new {
                        continue;
                    }
                }
                kept.push(words.join(" "));
            }
            kept
        })
        .collect()
}

/// None when the two sequences are the same once normalised; else what
/// differs, connection by connection.
fn compare(stored: &[String], fresh: &[String]) -> Option<String> {
    let (old, new) = (canonical(stored), canonical(fresh));
    if old == new {
        return None;
    }
    let mut report = String::new();
    if old.len() != new.len() {
        let _ = writeln!(
            report,
            "{} connections (or transfers) stored, {} now",
            old.len(),
            new.len()
        );
    }
    for (i, (a, b)) in old.iter().zip(&new).enumerate() {
        if a == b {
            continue;
        }
        let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let _ = writeln!(
            report,
            "connection {}: differs at its packet {}",
            i + 1,
            at + 1
        );
        for line in &a[at..] {
            let _ = writeln!(report, "  stored: {line}");
        }
        for line in &b[at..] {
            let _ = writeln!(report, "  now:    {line}");
        }
    }
    Some(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pcap file of Ethernet frames holding IPv4 TCP/UDP packets.
    fn pcap(packets: &[(f64, [u16; 2], Vec<u8>)]) -> Vec<u8> {
        let mut out = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        out.extend([0; 8]);
        out.extend(65535u32.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        for (time, ports, transport) in packets {
            let mut ip = vec![0x45, 0];
            ip.extend(((20 + transport.len()) as u16).to_be_bytes());
            ip.extend([0, 0, 0x40, 0, 64]);
            let udp =
                usize::from(be16(transport, 4).unwrap()) == transport.len();
            ip.push(if udp { 17 } else { 6 });
            ip.extend([0, 0, 127, 0, 0, 1, 127, 0, 0, 1]);
            let mut t = transport.clone();
            t[0..2].copy_from_slice(&ports[0].to_be_bytes());
            t[2..4].copy_from_slice(&ports[1].to_be_bytes());
            ip.extend(t);
            let mut frame = vec![0; 12];
            frame.extend([0x08, 0x00]);
            frame.extend(ip);
            out.extend((*time as u32).to_le_bytes());
            out.extend((((time.fract()) * 1e6) as u32).to_le_bytes());
            out.extend((frame.len() as u32).to_le_bytes());
            out.extend((frame.len() as u32).to_le_bytes());
            out.extend(frame);
        }
        out
    }

    fn tcp_segment(seq: u32, ack: u32, flags: u8, len: usize) -> Vec<u8> {
        let mut t = vec![0, 0, 0, 0];
        t.extend(seq.to_be_bytes());
        t.extend(ack.to_be_bytes());
        t.extend([0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        t.extend(vec![b'x'; len]);
        t
    }

    fn udp_datagram(payload: &[u8]) -> Vec<u8> {
        let mut u = vec![0, 0, 0, 0];
        u.extend(((8 + payload.len()) as u16).to_be_bytes());
        u.extend([0, 0]);
        u.extend(payload);
        u
    }

    /// A client on 5000 and a server on 80: handshake, 5 bytes each way,
    /// a teardown in 3 packets.
    fn conversation() -> Vec<(f64, [u16; 2], Vec<u8>)> {
        let (c, s) = (1000, 9000); // initial sequence numbers
        vec![
            (1.0, [5000, 80], tcp_segment(c, 0, SYN, 0)),
            (1.1, [80, 5000], tcp_segment(s, c + 1, SYN | ACK, 0)),
            (1.2, [5000, 80], tcp_segment(c + 1, s + 1, ACK, 0)),
            (1.3, [5000, 80], tcp_segment(c + 1, s + 1, PSH | ACK, 5)),
            (1.4, [80, 5000], tcp_segment(s + 1, c + 6, ACK, 0)),
            (1.5, [80, 5000], tcp_segment(s + 1, c + 6, PSH | ACK, 5)),
            (1.6, [5000, 80], tcp_segment(c + 6, s + 6, FIN | ACK, 0)),
            (1.7, [80, 5000], tcp_segment(s + 6, c + 7, FIN | ACK, 0)),
            (1.8, [5000, 80], tcp_segment(c + 7, s + 7, ACK, 0)),
        ]
    }

    fn names() -> [String; 2] {
        ["05-tcp-client".into(), "08-tcp-server-multi".into()]
    }

    #[test]
    fn tcp_numbers_are_relative_as_in_wireshark() {
        let frames = read_pcap(&pcap(&conversation())).unwrap();
        let run = tcp(&frames, 80, names());
        let lines: Vec<String> =
            run.rows.iter().map(Row::sequence_line).collect();
        assert_eq!(
            lines[..3],
            [
                "1 client>server SYN seq=0 len=0",
                "1 server>client SYN-ACK seq=0 ack=1 len=0",
                "1 client>server ACK seq=1 ack=1 len=0",
            ]
        );
        assert_eq!(lines[7], "1 server>client FIN-ACK seq=6 ack=7 len=0");
        assert_eq!(run.rows[2].meaning.en, "handshake 3: ok");
        assert_eq!(run.rows[2].meaning.zh, "第三次握手：行");
        assert_eq!(
            run.rows[7].meaning,
            Words::new(
                "server is done too, and ACKs the client's FIN",
                "服务器也说完了，并确认客户端的 FIN"
            )
        );
        assert!(run.notes[1].en.starts_with(
            "Why 3 packets to close where the tutorial draws 4 (packet 8): \
             FIN and ACK travel together."
        ));
        assert!(run.notes[1].en.contains("(ack=7)"), "{:?}", run.notes[1]);
        assert!(run.notes[1].zh.starts_with(
            "教程画的四次挥手有 4 个包，这里关闭只用了 3 个（第 8 个包），"
        ));
        assert!(run.notes[1].zh.contains("（ack=7）"), "{:?}", run.notes[1]);
    }

    #[test]
    fn the_diagram_keeps_the_sequence_it_shows() {
        let frames = read_pcap(&pcap(&conversation())).unwrap();
        let run = tcp(&frames, 80, names());
        let picture = svg(&run, Lang::En, "a <test> & more", "a run");
        assert!(picture
            .contains("<title id=\"title\">a &lt;test&gt; &amp; more</title>"));
        let lines = sequence_of(&picture).unwrap();
        assert_eq!(lines.len(), 9);
        assert_eq!(lines[3], "1 client>server PSH-ACK seq=1 ack=1 len=5");
        assert!(picture.contains(">SYN-ACK seq=0 ack=1 len=0</text>"));
        assert!(picture.contains(">handshake 3: ok</text>"));
        assert!(!picture.contains("<script") && !picture.contains("@import"));
    }

    /// The Chinese picture: the same packets and labels, the words in
    /// Chinese, fonts with Chinese glyphs named.
    #[test]
    fn the_chinese_picture_shows_the_same_packets_in_chinese() {
        let frames = read_pcap(&pcap(&conversation())).unwrap();
        let run = tcp(&frames, 80, names());
        let en = svg(&run, Lang::En, "TCP: a and b", "a run");
        let zh = svg(&run, Lang::Zh, "TCP：a 和 b", "一次运行");
        assert_eq!(sequence_of(&en), sequence_of(&zh));
        assert!(zh.contains("xml:lang=\"zh-CN\""));
        assert!(zh.contains("Noto Sans CJK SC"));
        assert!(zh.contains("<title id=\"title\">TCP：a 和 b</title>"));
        for words in [
            ">SYN-ACK seq=0 ack=1 len=0</text>",
            ">第一次握手：能连吗？</text>",
            ">客户端</text>",
            ">三次握手</text>",
            ">四次挥手</text>",
        ] {
            assert!(zh.contains(words), "{words}");
        }
        for english in ["handshake", ">client<", "acknowledges", "Why 3"] {
            assert!(!zh.contains(english), "{english}");
        }
    }

    /// Every text of a picture fits its width, in either language: long
    /// notes wrap (Chinese between characters), a long label shrinks.
    #[test]
    fn pictures_keep_their_text_inside() {
        let frames = read_pcap(&pcap(&conversation())).unwrap();
        let mut run = tcp(&frames, 80, names());
        run.rows[4].meaning = Words::new("m".repeat(120), "长".repeat(70));
        for lang in [Lang::En, Lang::Zh] {
            let picture = svg(&run, lang, &"T".repeat(90), "a run");
            for element in picture.split("<text ").skip(1) {
                let number = |name: &str| -> f64 {
                    let at = element.find(&format!("{name}=\"")).unwrap();
                    let rest = &element[at + name.len() + 2..];
                    rest[..rest.find('"').unwrap()].parse().unwrap()
                };
                let (x, size) = (number("x"), number("font-size"));
                let content = &element[element.find('>').unwrap() + 1..];
                let content = &content[..content.find("</text>").unwrap()];
                let content = content.replace("&amp;", "&");
                let width = text_width(&content, size);
                let (left, right) = match element {
                    e if e.contains("\"middle\"") => {
                        (x - width / 2.0, x + width / 2.0)
                    }
                    e if e.contains("\"end\"") => (x - width, x),
                    _ => (x, x + width),
                };
                assert!(left >= 0.0 && right <= WIDTH, "{lang:?}: {element}");
            }
        }
    }

    #[test]
    fn chinese_wraps_between_characters_and_keeps_numbers_whole() {
        let size = 10.0; // a Chinese character 10 px, a letter 6.1 px
        assert_eq!(
            wrap_text("一二三四五六，七八", size, 60.0),
            ["一二三四五", "六，七八"]
        );
        // no closing punctuation at a line's start, no opening at its end
        assert_eq!(
            wrap_text("一二三四五，六七", size, 50.0),
            ["一二三四", "五，六七"]
        );
        assert_eq!(
            wrap_text("一二三四（五六）", size, 50.0),
            ["一二三四", "（五六）"]
        );
        // DATA 4 and RFC 6298 stay on one line; words break at spaces
        assert_eq!(
            wrap_text("重发 DATA 4 and RFC 6298", size, 70.0),
            ["重发 DATA 4", "and", "RFC 6298"]
        );
        // a word wider than a line is cut, nothing lost
        let cut = wrap_text(&"x".repeat(30), size, 61.0);
        assert_eq!(cut.concat(), "x".repeat(30));
        assert!(cut.iter().all(|l| text_width(l, size) <= 61.0), "{cut:?}");
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(|l| l.trim().to_string()).collect()
    }

    #[test]
    fn an_ack_that_rides_along_is_the_same_run() {
        let three = lines(
            "1 client>server FIN-ACK seq=6 ack=16 len=0
             1 server>client FIN-ACK seq=16 ack=7 len=0
             1 client>server ACK seq=7 ack=17 len=0",
        );
        let four = lines(
            "1 client>server FIN-ACK seq=6 ack=16 len=0
             1 server>client ACK seq=16 ack=7 len=0
             1 server>client FIN-ACK seq=16 ack=7 len=0
             1 client>server ACK seq=7 ack=17 len=0",
        );
        assert_eq!(compare(&three, &four), None);
        // but a missing last ACK, or another length, is a difference
        assert!(compare(&three, &three[..2]).is_some());
        let mut longer = three.clone();
        longer[0] = "1 client>server FIN-ACK seq=6 ack=17 len=0".into();
        assert!(compare(&three, &longer).is_some());
        // and connections are compared one by one, whatever interleaving
        let two = lines(
            "1 client>server SYN seq=0 len=0
             2 client>server SYN seq=0 len=0
             1 server>client RST-ACK seq=1 ack=1 len=0",
        );
        let other_order = lines(
            "1 client>server SYN seq=0 len=0
             1 server>client RST-ACK seq=1 ack=1 len=0
             2 client>server SYN seq=0 len=0",
        );
        assert_eq!(compare(&two, &other_order), None);
        assert!(compare(&two, &two[..2]).is_some());
    }

    #[test]
    fn the_handshake_ack_always_counts() {
        let with = lines(
            "1 client>server SYN seq=0 len=0
             1 server>client SYN-ACK seq=0 ack=1 len=0
             1 client>server ACK seq=1 ack=1 len=0
             1 client>server PSH-ACK seq=1 ack=1 len=5",
        );
        let mut without = with.clone();
        without.remove(2);
        assert!(compare(&with, &without).is_some());
    }

    /// A client (4000) asks the relay (6970), which passes to the server
    /// (6969, answering from 7000) from its own port (5000). The first
    /// request is lost; its identical resend goes through.
    #[test]
    fn tftp_losses_are_what_the_relay_did_not_pass_on() {
        let rrq = b"\x00\x01f.bin\x00octet\x00tsize\x000\x00".to_vec();
        let oack = b"\x00\x06tsize\x00600\x00".to_vec();
        let data1 = [&[0, 3, 0, 1][..], &[7; 512]].concat();
        let data2 = [&[0, 3, 0, 2][..], &[7; 88]].concat();
        let d = |p: &[u8]| udp_datagram(p);
        let capture = pcap(&[
            (1.0, [4000, 6970], d(&rrq)),
            (2.0, [4000, 6970], d(&rrq)),
            (2.001, [5000, 6969], d(&rrq)),
            (2.002, [7000, 5000], d(&oack)),
            (2.003, [6970, 4000], d(&oack)),
            (2.004, [4000, 6970], d(&[0, 4, 0, 0])),
            (2.005, [5000, 7000], d(&[0, 4, 0, 0])),
            (2.006, [7000, 5000], d(&data1)),
            (2.007, [6970, 4000], d(&data1)),
            (2.008, [4000, 6970], d(&[0, 4, 0, 1])),
            (2.009, [5000, 7000], d(&[0, 4, 0, 1])),
            (2.010, [7000, 5000], d(&data2)),
            (2.011, [6970, 4000], d(&data2)),
            (2.012, [4000, 6970], d(&[0, 4, 0, 2])),
            (2.013, [5000, 7000], d(&[0, 4, 0, 2])),
        ]);
        let frames = read_pcap(&capture).unwrap();
        let names = ["14-tftp-client".into(), "15-tftp-server".into()];
        let run = tftp(&frames, 6970, 6969, names, "9").unwrap();
        let got: Vec<String> =
            run.rows.iter().map(Row::sequence_line).collect();
        assert_eq!(
            got,
            [
                "1 client>server RRQ len=22 lost",
                "1 client>server RRQ len=22",
                "1 server>client OACK len=12",
                "1 client>server ACK 0 len=4",
                "1 server>client DATA 1 len=516",
                "1 client>server ACK 1 len=4",
                "1 server>client DATA 2 len=92",
                "1 client>server ACK 2 len=4",
            ]
        );
        assert_eq!(run.rows[1].meaning.en, "no answer for 1.0 s: sent again");
        assert_eq!(run.rows[1].meaning.zh, "等了 1.0 秒没有回答：重发");
        assert_eq!(
            run.rows[2].meaning.en,
            "options accepted, from a new port (the transfer ID)"
        );
        assert_eq!(
            run.rows[6].meaning.en,
            "block 2, less than 512 bytes: last"
        );
        assert_eq!(run.rows[6].meaning.zh, "第 2 块，不满 512 字节：最后一块");
        assert_eq!(
            run.rows[0].label.as_deref(),
            Some("RRQ f.bin octet tsize=0")
        );
        let table = table(&run);
        let lost = [
            "  1     1  client -> server  RRQ         22  read request, to the \
             server's port",
            "                                             - lost by the relay",
        ];
        assert!(table.contains(&lost.join("\n")), "{table}");
        for line in table.lines() {
            assert!(columns(line) <= 80, "{line:?}");
        }
    }

    /// A block lost after a round trip was measured: sent again after a
    /// wait that the picture shows, with the round trip beside it.
    #[test]
    fn tftp_shows_the_wait_and_the_round_trip_before_a_resend() {
        let rrq = b"\x00\x01f.bin\x00octet\x00".to_vec();
        let data1 = [&[0, 3, 0, 1][..], &[7; 512]].concat();
        let data2 = [&[0, 3, 0, 2][..], &[7; 100]].concat();
        let d = |p: &[u8]| udp_datagram(p);
        let capture = pcap(&[
            (1.0, [4000, 6970], d(&rrq)),
            (1.001, [5000, 6969], d(&rrq)),
            (1.002, [7000, 5000], d(&data1)),
            (1.052, [6970, 4000], d(&data1)),
            (1.053, [4000, 6970], d(&[0, 4, 0, 1])),
            (1.103, [5000, 7000], d(&[0, 4, 0, 1])),
            (1.104, [7000, 5000], d(&data2)),
            (1.404, [7000, 5000], d(&data2)),
            (1.454, [6970, 4000], d(&data2)),
            (1.455, [4000, 6970], d(&[0, 4, 0, 2])),
            (1.505, [5000, 7000], d(&[0, 4, 0, 2])),
        ]);
        let frames = read_pcap(&capture).unwrap();
        let names = ["tftp-hpa".into(), "15-tftp-server".into()];
        let run = tftp(&frames, 6970, 6969, names, "DATA 2").unwrap();
        let got: Vec<String> =
            run.rows.iter().map(Row::sequence_line).collect();
        assert_eq!(
            got,
            [
                "1 client>server RRQ len=14",
                "1 server>client DATA 1 len=516",
                "1 client>server ACK 1 len=4",
                "1 server>client DATA 2 len=104 lost",
                "1 server>client DATA 2 len=104",
                "1 client>server ACK 2 len=4",
            ]
        );
        assert_eq!(
            run.rows[4].meaning,
            Words::new(
                "no answer for 0.30 s: sent again (a round trip took 0.10 s)",
                "等了 0.30 秒没有回答：重发（一次往返用了 0.10 秒）"
            )
        );
        let lost = "第 2 块，不满 512 字节：最后一块——被中继丢掉了";
        assert_eq!(run.rows[3].meaning.zh, lost);
        assert!(run.notes[0].en.starts_with(
            "The relay passes every datagram on but the first DATA 2 \
             (packet 4): every run loses the same packet."
        ));
        assert!(run.notes[0].zh.contains("只丢掉第一个 DATA 2（第 4 个包）"));
        let picture = svg(&run, Lang::Zh, "t", "s");
        assert!(picture.contains(">\u{22ee} 0.30 秒内一个包也没有 \u{22ee}<"));
        assert!(picture.contains(">丢掉 DATA 2</text>"));
        let picture = svg(&run, Lang::En, "t", "s");
        assert!(picture.contains(">\u{22ee} 0.30 s without a packet \u{22ee}<"));
        assert!(picture.contains(">loses DATA 2</text>"));
    }

    /// The table fits an 80-column projector: a meaning too long for its
    /// column wraps inside it, at spaces, even after wide cells.
    #[test]
    fn the_table_fits_80_columns() {
        let frames = read_pcap(&pcap(&conversation())).unwrap();
        let mut run = tcp(&frames, 80, names());
        let table = table(&run);
        let piggybacked = [
            "  8     1  server -> client  FIN-ACK      6     7     0  server \
             is done too, and",
            "                                                         ACKs the \
             client's FIN",
            "  9     1  client -> server  ACK          7     7     0  \
             acknowledges the FIN",
        ];
        assert!(table.contains(&piggybacked.join("\n")), "{table}");
        // a flag name and numbers wider than their cells, a long word
        run.rows[3].what = "FIN-PSH-ACK".into();
        run.rows[3].fields[1].1 = Some(4_000_000_000);
        run.rows[4].meaning.en = format!("x {} y", "服".repeat(20));
        run.rows[5].meaning.en = "a".repeat(100);
        let table = super::table(&run);
        for line in table.lines() {
            assert!(columns(line) <= 80, "{line:?}");
        }
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[4].ends_with(" 4000000000     5  5 bytes of data"));
        let column = " ".repeat(57);
        assert_eq!(
            lines[5..8],
            [
                "  5     1  server -> client  ACK          1     6     0  x",
                &format!("{column}{}", "服".repeat(11)),
                &format!("{column}{} y", "服".repeat(9)),
            ]
        );
        assert!(lines[8].ends_with("     5  aaaaaaaaaaaaaaaaaaaaaaa"));
        assert_eq!(lines[12], format!("{column}aaaaaaaa"));
        // no room on the first line: the text starts on the second
        assert_eq!(wrap_from("ab cd", 1, 5), ["", "ab cd"]);
        assert_eq!(wrap_from("abcdefg", 2, 3), ["ab", "cde", "fg"]);
    }

    #[test]
    fn tftp_packets_are_read_from_their_bytes() {
        let error = b"\x00\x05\x00\x01file not found\x00";
        assert_eq!(
            tftp_decode(error, error.len()),
            Tftp::Error {
                code: 1,
                message: "file not found".into()
            }
        );
        let rrq = b"\x00\x01a\x1bb\x00octet\x00blksize\x00512\x00";
        assert_eq!(
            tftp_decode(rrq, rrq.len()),
            Tftp::Request {
                write: false,
                file: "a?b".into(),
                mode: "octet".into(),
                options: "blksize=512".into()
            }
        );
        let data = tftp_decode(b"\x00\x03\x00\x07", 4);
        assert_eq!(data, Tftp::Data { block: 7, size: 0 });
        assert_eq!(tftp_decode(b"\x00", 1), Tftp::Other(0));
    }

    #[test]
    fn not_a_capture_is_a_clear_error() {
        assert_eq!(
            read_pcap(b"hello").unwrap_err(),
            "too short for a pcap file"
        );
        let mut file = pcap(&conversation());
        file.truncate(file.len() - 3);
        assert_eq!(read_pcap(&file).unwrap_err(), "a packet is cut short");
    }
}
