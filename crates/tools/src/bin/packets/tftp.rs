//! TFTP through the lossy relay: decoding datagrams, naming what was sent
//! again and what was lost.
use super::pcap::Frame;
use super::*;

/// A datagram as the table and the picture show it: its name (`DATA 4`),
/// its label (the file and options; a DATA's size), its meaning and its
/// phase. Parsed by crates/tftp (the lessons' own parser), its text made
/// printable; an OACK's blksize is kept in `blksize`, which a DATA is
/// measured against.
pub(crate) fn describe(
    payload: &[u8],
    blksize: &mut usize,
) -> (String, String, Words, Phase) {
    use ::tftp::Packet;
    let pairs = |options: &[(String, String)]| {
        let pairs = options.iter().map(|(k, v)| clean(&format!("{k}={v}")));
        pairs.collect::<Vec<_>>().join(" ")
    };
    // the name, what the label adds to it, the meaning, the phase
    let (what, more, meaning, phase) = match Packet::parse(payload) {
        Ok(Packet::Request(request)) => {
            let (what, verb, verb_zh) = match request.write {
                true => ("WRQ", "write", "写"),
                false => ("RRQ", "read", "读"),
            };
            let (file, mode) = (clean(&request.file), clean(&request.mode));
            let options = pairs(&request.options);
            let meaning = words!(
                "{verb} request, to the server's port",
                "{verb_zh}请求，发往服务器的端口"
            );
            let more = format!(" {file} {mode} {options}");
            (what.to_string(), more, meaning, Phase::Handshake)
        }
        Ok(Packet::Oack { options }) => {
            if let Some((_, size)) = options.iter().find(|o| o.0 == "blksize") {
                *blksize = size.parse().unwrap_or(512);
            }
            let more = format!(" {}", pairs(&options));
            let meaning = words!("options accepted", "接受这些选项");
            ("OACK".to_string(), more, meaning, Phase::Handshake)
        }
        Ok(Packet::Data { block, data }) => {
            let (size, blksize) = (data.len(), *blksize);
            let meaning = match size < blksize {
                true => words!(
                    "block {block}, less than {blksize} bytes: last",
                    "第 {block} 块，不满 {blksize} 字节：最后一块"
                ),
                false => words!("block {block}", "第 {block} 块"),
            };
            let more = format!(": {size} bytes");
            (format!("DATA {block}"), more, meaning, Phase::Data)
        }
        Ok(Packet::Ack { block }) => {
            let meaning = match block {
                0 => words!(
                    "options fine: send block 1",
                    "同意这些选项：请发第 1 块"
                ),
                _ => words!("got block {block}", "收到第 {block} 块"),
            };
            (format!("ACK {block}"), String::new(), meaning, Phase::Data)
        }
        Ok(Packet::Error { code, message }) => {
            let message = clean(&message);
            let meaning = words!(
                "error {code}: {message}; the end",
                "差错码 {code}：{message}；传输结束"
            );
            let more = format!(" {message}");
            (format!("ERROR {code}"), more, meaning, Phase::Trouble)
        }
        Err(_) => {
            let opcode = payload
                .get(..2)
                .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
            let meaning = words!("not a TFTP packet", "不是 TFTP 的包");
            let what = format!("opcode {opcode}");
            (what, String::new(), meaning, Phase::Trouble)
        }
    };
    let label = format!("{what}{more}").trim_end().to_string();
    (what, label, meaning, phase)
}

/// Seconds as a picture shows them: 0.21, or 1.0 from a second on.
fn seconds(time: f64) -> String {
    let digits = if time < 1.0 { 2 } else { 1 };
    format!("{time:.digits$}")
}

/// The datagrams each end sent to the relay, in time order. The relay
/// loses the first datagram of each direction that LOSS names, and only
/// that one (its rule, which lossy-relay's tests check and its log shows).
pub(crate) fn tftp(
    frames: &[Frame],
    relay_port: u16,
    server_port: u16,
    loss: &str,
) -> Result<(Vec<Row>, Vec<Words>), String> {
    // the relay's own socket toward the server: what sends to its port
    let back = frames
        .iter()
        .find(|f| f.dst.port() == server_port && f.src.port() != relay_port)
        .ok_or("no datagram reached the server")?
        .src;
    let from_relay = |f: &Frame| f.src.port() == relay_port || f.src == back;
    let sent = frames.iter().filter(|f| !from_relay(f));
    let mut rows: Vec<Row> = vec![];
    let (mut transfer, mut blksize) = (0, 512);
    // each datagram so far, to tell one sent again (a request sent again
    // begins no transfer)
    let mut earlier: Vec<(usize, bool, &[u8])> = vec![];
    // each end's datagrams of this transfer, when they went out
    let mut times: [Vec<f64>; 2] = Default::default();
    for frame in sent {
        let from_client = frame.dst.port() == relay_port;
        let payload = frame.payload.as_slice();
        let (what, label, mut meaning, phase) = describe(payload, &mut blksize);
        let again = earlier.contains(&(transfer, from_client, payload));
        if (what == "RRQ" || what == "WRQ") && !again {
            (transfer, blksize) = (transfer + 1, 512);
            times = Default::default();
        }
        earlier.push((transfer, from_client, payload));
        let lost_before =
            rows.iter().any(|r| r.lost && r.from_client == from_client);
        let lost = what == loss && !lost_before;
        // how long this end waited since its last datagram, and how long
        // that one took to be answered, its round trip, when known: the
        // time from the datagram before it to that one
        let times = &mut times[usize::from(!from_client)];
        let waited = times.last().map_or(0.0, |t| frame.time - t);
        let round_trip = times.windows(2).last().map(|w| w[1] - w[0]);
        let first_answer = !from_client && times.is_empty();
        times.push(frame.time);
        if first_answer && !what.starts_with("ERROR") {
            meaning[0].push_str(", from a new port (the transfer ID)");
            meaning[1].push_str("，来自一个新端口（传输标识）");
        }
        if again {
            // after a wait for an answer, or at once (an answer to a repeat)
            let timed_out =
                waited >= 0.3 || round_trip.is_some_and(|r| waited >= r);
            let (w, r) = (seconds(waited), round_trip.map(seconds));
            meaning = match (timed_out, r) {
                (false, _) => words!("sent again", "又发了一次"),
                (true, None) => words!(
                    "no answer for {w} s: sent again",
                    "等了 {w} 秒没有回答：重发"
                ),
                (true, Some(r)) => words!(
                    "no answer for {w} s: sent again (a round trip \
                         took {r} s)",
                    "等了 {w} 秒没有回答：重发（一次往返用了 {r} 秒）"
                ),
            };
        }
        if lost {
            meaning[0].push_str(" - lost by the relay");
            meaning[1].push_str("——被中继丢掉了");
        }
        let mut row = Row::new(frame, transfer, from_client, what, meaning);
        row.phase = if lost { Phase::Trouble } else { phase };
        (row.label, row.lost) = (Some(label), lost);
        rows.push(row);
    }
    // the note on what the relay lost names the packets, by their numbers
    let lost: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].lost).collect();
    if lost.is_empty() {
        return Err(format!("the relay lost nothing: no {loss} passed it"));
    }
    let [en, zh] = packet_numbers(&lost);
    let note = words!(
        "The relay passes every datagram on but the first {loss} \
         ({en}): every run loses the same packet. Whoever waits \
         too long for an answer sends its last packet again.",
        "中继把每个数据报都转发过去，只丢掉第一个 {loss}（第 {zh} 个包）：\
         每次运行丢的都是同一个包。谁等回答等得太久，谁就把自己最后发的\
         包再发一遍。"
    );
    Ok((rows, vec![note]))
}
