//! Plain UDP (01 to 02, 12, 13): each datagram on its own, with its text.
use super::pcap::Frame;
use super::*;

/// Every datagram to or from `server_port`: sent, broadcast, or echoed.
pub(crate) fn udp(
    frames: &[Frame],
    server_port: u16,
) -> (Vec<Row>, Vec<Words>) {
    let mut rows: Vec<Row> = vec![];
    // what the client sent, for echoes (the capture keeps only the
    // datagrams to or from the port: tcpdump's filter, udp port N)
    let mut sent: Vec<&[u8]> = vec![];
    for frame in frames {
        let from_client = frame.dst.port() == server_port;
        let payload = frame.payload.as_slice();
        let broadcast = frame.dst.ip().octets()[3] == 255;
        let text = format!("\"{}\"", clean(&String::from_utf8_lossy(payload)));
        let meaning = if from_client && broadcast {
            words!(
                "{text} to every socket on the port (broadcast)",
                "{text}，发给这个端口上的每个套接字（广播）"
            )
        } else if from_client {
            sent.push(payload);
            words!("{text}, sent alone", "{text}，单独发出")
        } else if sent.contains(&payload) {
            words!("{text} back: the echo", "{text} 原样送回：回显")
        } else {
            [text.clone(), text]
        };
        rows.push(Row::new(frame, 1, from_client, "UDP".into(), meaning));
    }
    let notes = vec![words!(
        "UDP has no connection: no handshake before the first datagram, no \
         teardown after the last, and no ACK: nothing tells the sender that a \
         datagram arrived. Each one is a packet of its own, its text whole.",
        "UDP 没有连接：第一个数据报之前没有三次握手，最后一个之后没有四次挥手，\
         也没有 ACK：发送方不知道数据报到了没有。每个数据报都是单独的一个包，\
         里面的文字是完整的。"
    )];
    (rows, notes)
}
