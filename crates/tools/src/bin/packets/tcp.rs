//! Following TCP: each connection's handshake, data and teardown.
use super::*;
use super::{pcap::Frame, table::sides};
use etherparse::TcpHeader;

/// What one TCP connection's two sides ([client, server]) said so far.
#[derive(Default)]
struct Conn {
    isn: [Option<u32>; 2],
    fin: [Option<u32>; 2], // the relative seq of each side's FIN
    last_ack: [Option<u32>; 2], // what each side acknowledged last
}

/// The rows of every packet to or from `server_port`, and the notes.
pub(crate) fn tcp(
    frames: &[Frame],
    server_port: u16,
) -> (Vec<Row>, Vec<Words>) {
    // (the capture keeps only the packets to or from the port: tcpdump's
    // filter, tcp port N)
    let client = |f: &Frame| match f.dst.port() == server_port {
        true => f.src,
        false => f.dst,
    };
    // each connection's packets together, in the order the connections
    // began: connections that overlap (18's) interleave differently on
    // every run, and the table and the picture would change with them
    let mut sorted: Vec<&Frame> = frames.iter().collect();
    sorted.sort_by_key(|f| frames.iter().position(|g| client(g) == client(f)));
    // the connection followed: its client, its number, what it said
    let (mut following, mut number, mut conn) = (None, 0, Conn::default());
    let mut rows = vec![];
    let mut piggybacked = vec![]; // rows of a FIN that ACKs the other's
    let mut alone = vec![]; // rows of an ACK of a FIN, before its own FIN
    for frame in sorted {
        let Some(tcp) = &frame.tcp else { continue };
        let from_client = frame.dst.port() == server_port;
        let (me, other) = if from_client { (0, 1) } else { (1, 0) };
        // (sorted: another client is the next connection)
        if following != Some(client(frame)) {
            following = Some(client(frame));
            (number, conn) = (number + 1, Conn::default());
        }
        let (seq, len) = (tcp.sequence_number, frame.payload.len());
        if tcp.syn {
            conn.isn[me] = Some(seq);
        }
        // no SYN seen (a capture started late): call this byte 1
        let isn = *conn.isn[me].get_or_insert(seq.wrapping_sub(1));
        let seq = seq.wrapping_sub(isn);
        let ack = conn.isn[other].filter(|_| tcp.ack);
        let ack = ack.map(|isn| tcp.acknowledgment_number.wrapping_sub(isn));
        let flags = flag_names(tcp);
        let pure_ack = !(tcp.syn || tcp.fin || tcp.rst) && len == 0;
        // the first packet of this side that acknowledges the other's FIN
        let acks_fin = conn.fin[other].is_some_and(|fin| ack == Some(fin + 1))
            && conn.last_ack[me] != ack;
        let [[i, you], [i_zh, you_zh]] = sides(from_client);
        use Phase::*;
        let (phase, meaning) = if tcp.rst {
            (Trouble, words!("aborts the connection", "强行中断连接"))
        } else if tcp.syn && !tcp.ack {
            let zh = "第一次握手：能连吗？";
            (Handshake, ["handshake 1: connect?".into(), zh.into()])
        } else if tcp.syn {
            let zh = "第二次握手：能；我也要连你，行吗？";
            (Handshake, ["handshake 2: ok, may I?".into(), zh.into()])
        } else if from_client && pure_ack && conn.last_ack[me].is_none() {
            // the client's first acknowledgement
            (Handshake, words!("handshake 3: ok", "第三次握手：行"))
        } else if tcp.fin {
            conn.fin[me] = Some(seq + len as u32);
            let [data, data_zh] = match len {
                0 => Words::default(),
                _ => words!("{len} bytes of data; ", "{len} 个字节的数据；"),
            };
            if acks_fin {
                piggybacked.push(rows.len());
            }
            let words = match acks_fin {
                true => words!(
                    "{data}{i} is done too, and ACKs the {you}'s FIN",
                    "{data_zh}{i_zh}也说完了，并确认{you_zh}的 FIN"
                ),
                false => words!(
                    "{data}{i} is done sending",
                    "{data_zh}{i_zh}说完了，不再发送"
                ),
            };
            (Teardown, words)
        } else if len > 0 {
            (Data, words!("{len} bytes of data", "{len} 个字节的数据"))
        } else if acks_fin {
            if conn.fin[me].is_none() {
                alone.push(rows.len()); // and this side's FIN comes later
            }
            (Teardown, words!("acknowledges the FIN", "确认对方的 FIN"))
        } else if ack > conn.last_ack[me] {
            let ended = conn.fin != [None, None];
            let phase = if ended { Teardown } else { Data };
            (phase, words!("acknowledges the data", "确认收到数据"))
        } else {
            let zh = "没有确认新数据（窗口更新）";
            let en = "acknowledges nothing new (a window update)";
            (Data, [en.into(), zh.into()])
        };
        conn.last_ack[me] = ack.or(conn.last_ack[me]);
        let mut row = Row::new(frame, number, from_client, flags, meaning);
        (row.seq, row.ack, row.phase) = (Some(seq), ack, phase);
        rows.push(row);
    }
    let mut notes = vec![words!(
        "seq and ack are relative, as Wireshark shows them: each side counts \
         its bytes from its SYN (seq=0); ack is the next byte expected, and \
         SYN and FIN count as one byte each.",
        "seq（序号）和 ack（确认号）都是相对值，和 Wireshark 显示的一样：\
         双方各自从自己的 SYN（seq=0）开始数字节；ack 是期待收到的下一个\
         字节，SYN 和 FIN 各算一个字节。"
    )];
    if let Some(&first) = piggybacked.first() {
        let row = &rows[first];
        let [packets, packets_zh] = packet_numbers(&piggybacked);
        let [[me, other], [me_zh, other_zh]] = sides(row.from_client);
        let ack = row.ack.unwrap_or(0);
        notes.push(words!(
            "Why 3 packets to close where the tutorial draws 4 \
                 ({packets}): FIN and ACK travel together. The {me}'s \
                 FIN-ACK carries both its own FIN and the ACK of the \
                 {other}'s FIN (ack={ack}). The {me} closed at once, so its \
                 kernel had no reason to send that ACK alone first; a side \
                 that waits before closing (the tutorial's client did) \
                 sends the ACK, then its FIN: 4 packets.",
            "教程画的四次挥手有 4 个包，这里关闭只用了 3 个（\
                 第 {packets_zh} 个包），因为 FIN 和 ACK 一起走了：{me_zh}的 FIN-ACK \
                 既带着它自己的 FIN，也确认了{other_zh}的 FIN（ack={ack}）。\
                 {me_zh}马上就关闭了，它的系统没有理由先单独发那个 ACK；要是\
                 一方先等一会儿再关闭（教程里的客户端就是这样），就会先发 \
                 ACK，再发自己的 FIN：一共 4 个包。"
        ));
    }
    if let Some(&first) = alone.first() {
        let [[me, other], [me_zh, other_zh]] = sides(rows[first].from_client);
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
    (rows, notes)
}

/// SYN-ACK, FIN-PSH-ACK ...: the flags set, ACK last, as Wireshark names
/// them.
fn flag_names(tcp: &TcpHeader) -> String {
    let flags = [tcp.syn, tcp.fin, tcp.rst, tcp.psh, tcp.ack];
    let names = ["SYN", "FIN", "RST", "PSH", "ACK"].into_iter().zip(flags);
    let set: Vec<&str> = names.filter(|f| f.1).map(|f| f.0).collect();
    if set.is_empty() {
        return "none".into();
    }
    set.join("-")
}
