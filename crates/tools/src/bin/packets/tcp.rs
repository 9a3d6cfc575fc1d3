//! Following TCP: each connection's handshake, data and teardown.
use super::*;

/// One TCP connection as it goes: what each side has said so far.
#[derive(Default)]
pub(crate) struct Conn {
    pub(crate) number: usize,
    pub(crate) isn: [Option<u32>; 2], // client, server
    pub(crate) shaken: bool,          // handshake 3 seen
    pub(crate) fin: [Option<u32>; 2], // relative seq of each side's FIN
    pub(crate) fin_acked: [bool; 2],  // each side's FIN acknowledged
    pub(crate) last_ack: [Option<u32>; 2], // what each side acknowledged last
    pub(crate) ended: bool,           // a FIN or RST seen
}

pub(crate) fn tcp(
    frames: &[Frame],
    server_port: u16,
    names: [String; 2],
) -> Run {
    let mut conns: Vec<(SocketAddr, Conn)> = vec![];
    let mut rows = vec![];
    let mut piggybacked = vec![]; // rows of a FIN that ACKs the other's
    let mut alone = vec![]; // rows of an ACK of a FIN, before its own FIN

    // each connection's packets together, in the order the connections
    // began: connections that overlap (18's) interleave differently on
    // every run, and the table and the picture would change with them
    let client = |f: &Frame| match f.dst.port() == server_port {
        true => f.src,
        false => f.dst,
    };
    let mut order: Vec<SocketAddr> = vec![];
    for frame in frames {
        if !order.contains(&client(frame)) {
            order.push(client(frame));
        }
    }
    let mut frames = frames.to_vec();
    frames.sort_by_key(|f| order.iter().position(|c| *c == client(f)));
    for frame in &frames {
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
                _ => words!("{len} bytes of data; ", "{len} 个字节的数据；"),
            };
            let ([i, you], [i_zh, you_zh]) = sides(from_client);
            let (data, data_zh) = (&data.en, &data.zh);
            let words = if acks_fin(conn) {
                conn.fin_acked[other] = true;
                piggybacked.push(rows.len());
                words!(
                    "{data}{i} is done too, and ACKs the {you}'s FIN",
                    "{data_zh}{i_zh}也说完了，并确认{you_zh}的 FIN"
                )
            } else {
                words!(
                    "{data}{i} is done sending",
                    "{data_zh}{i_zh}说完了，不再发送"
                )
            };
            (Phase::Teardown, words)
        } else if len > 0 {
            let words = words!("{len} bytes of data", "{len} 个字节的数据");
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
    if let Some(&first) = piggybacked.first() {
        let row = &rows[first];
        let numbers: Vec<String> =
            piggybacked.iter().map(|i| (i + 1).to_string()).collect();
        let ([me, other], [me_zh, other_zh]) = sides(row.from_client);
        let packets = match numbers.len() {
            1 => format!("packet {}", numbers[0]),
            _ => format!("packets {}", numbers.join(", ")),
        };
        let packets_zh = format!("第 {} 个包", numbers.join("、"));
        let ack = row.field("ack").unwrap_or(0);
        notes.push(words!(
            "Why 3 packets to close where the tutorial draws 4 \
                 ({packets}): FIN and ACK travel together. The {me}'s \
                 FIN-ACK carries both its own FIN and the ACK of the \
                 {other}'s FIN (ack={ack}). The {me} closed at once, so its \
                 kernel had no reason to send that ACK alone first; a side \
                 that waits before closing (the tutorial's client did) \
                 sends the ACK, then its FIN: 4 packets.",
            "教程画的四次挥手有 4 个包，这里关闭只用了 3 个（\
                 {packets_zh}），因为 FIN 和 ACK 一起走了：{me_zh}的 FIN-ACK \
                 既带着它自己的 FIN，也确认了{other_zh}的 FIN（ack={ack}）。\
                 {me_zh}马上就关闭了，它的系统没有理由先单独发那个 ACK；要是\
                 一方先等一会儿再关闭（教程里的客户端就是这样），就会先发 \
                 ACK，再发自己的 FIN：一共 4 个包。"
        ));
    }
    if let Some(&first) = alone.first() {
        let row = &rows[first];
        let ([me, other], [me_zh, other_zh]) = sides(row.from_client);
        let n = first + 1;
        notes.push(words!(
            "The teardown takes 4 packets here, as the tutorial draws \
                 it: the {me} had not closed yet when the {other}'s FIN \
                 came, so its kernel acknowledged that FIN alone (packet \
                 {n}), and the {me}'s own FIN followed when it closed.",
            "这里的四次挥手用了 4 个包，和教程画的一样：{other_zh}的 FIN \
                 到的时候，{me_zh}还没有关闭，所以它的系统先单独确认了那个 \
                 FIN（第 {n} 个包），等{me_zh}自己关闭时，再发出它的 FIN。"
        ));
    }
    Run::of(names, rows, notes)
}

/// The two ends, the sender first, in English and in Chinese.
fn sides(from_client: bool) -> ([&'static str; 2], [&'static str; 2]) {
    match from_client {
        true => (["client", "server"], ["客户端", "服务器"]),
        false => (["server", "client"], ["服务器", "客户端"]),
    }
}
