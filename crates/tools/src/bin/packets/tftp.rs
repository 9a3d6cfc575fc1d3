//! TFTP through the lossy relay: decoding datagrams, matching each side
//! of the relay, naming what was lost.
use super::*;

/// Text from the network, fit to print: control characters become `?`.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A datagram as the table and the picture show it: its name (`DATA 4`),
/// its label (the file and options; a DATA's size on the wire: the
/// capture keeps only its first bytes), its meaning and its phase. Parsed
/// by crates/tftp (the lessons' own parser), its text made printable; an
/// OACK's blksize is kept in `blksize`, which a DATA is measured against.
pub(crate) fn describe(
    payload: &[u8],
    len: usize,
    blksize: &mut usize,
) -> (String, String, Words, Phase) {
    use ::tftp::Packet;
    let pairs = |options: &[(String, String)]| {
        let pairs = options.iter().map(|(k, v)| clean(&format!("{k}={v}")));
        pairs.collect::<Vec<_>>().join(" ")
    };
    match Packet::parse(payload) {
        Ok(Packet::Request(request)) => {
            let what = if request.write { "WRQ" } else { "RRQ" };
            let (file, mode) = (clean(&request.file), clean(&request.mode));
            let options = pairs(&request.options);
            let label = format!("{what} {file} {mode} {options}");
            let (verb, verb_zh) = match request.write {
                true => ("write", "写"),
                false => ("read", "读"),
            };
            let meaning = words!(
                "{verb} request, to the server's port",
                "{verb_zh}请求，发往服务器的端口"
            );
            (what.to_string(), label, meaning, Phase::Handshake)
        }
        Ok(Packet::Oack { options }) => {
            let options = pairs(&options);
            if let Some(size) =
                options.split(' ').find_map(|o| o.strip_prefix("blksize="))
            {
                *blksize = size.parse().unwrap_or(512);
            }
            let label = format!("OACK {options}");
            let meaning = Words::new("options accepted", "接受这些选项");
            ("OACK".to_string(), label, meaning, Phase::Handshake)
        }
        Ok(Packet::Data { block, .. }) => {
            let (size, blksize) = (len.saturating_sub(4), *blksize);
            let what = format!("DATA {block}");
            let label = format!("{what}: {size} bytes");
            let meaning = match size < blksize {
                true => words!(
                    "block {block}, less than {blksize} bytes: last",
                    "第 {block} 块，不满 {blksize} 字节：最后一块"
                ),
                false => words!("block {block}", "第 {block} 块"),
            };
            (what, label, meaning, Phase::Data)
        }
        Ok(Packet::Ack { block }) => {
            let what = format!("ACK {block}");
            let meaning = match block {
                0 => Words::new(
                    "options fine: send block 1",
                    "同意这些选项：请发第 1 块",
                ),
                _ => words!("got block {block}", "收到第 {block} 块"),
            };
            (what.clone(), what, meaning, Phase::Data)
        }
        Ok(Packet::Error { code, message }) => {
            let message = clean(&message);
            let what = format!("ERROR {code}");
            let label = format!("{what} {message}");
            let meaning = words!(
                "error {code}: {message}; the end",
                "差错码 {code}：{message}；传输结束"
            );
            (what, label, meaning, Phase::Trouble)
        }
        Err(_) => {
            let what = format!("opcode {}", be16(payload, 0).unwrap_or(0));
            let meaning = Words::new("not a TFTP packet", "不是 TFTP 的包");
            (what.clone(), what, meaning, Phase::Trouble)
        }
    }
}

/// A datagram as sent, and whether the relay passed it on.
pub(crate) struct Sent<'f> {
    pub(crate) frame: &'f Frame,
    pub(crate) from_client: bool,
    pub(crate) lost: bool,
}

/// The datagrams each end sent, in time order, each marked lost or not:
/// the relay passes datagrams on in the order they came, so each one
/// seen leaving the relay is the latest unmatched one with the same
/// payload that came in before it; those skipped over were lost.
pub(crate) fn through_relay(
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
pub(crate) fn seconds(time: f64) -> String {
    match time < 1.0 {
        true => format!("{time:.2}"),
        false => format!("{time:.1}"),
    }
}

/// What the relay loses (packets by name, `DATA 4` or `ACK 2,DATA 5`, as
/// lossy-relay takes them), for its box, and a note on it that names the
/// packets lost (their numbers in the picture).
pub(crate) fn relay_loss(loss: &str, lost: &[usize]) -> (Words, Vec<Words>) {
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
    let names: Vec<&str> = loss.split(',').map(str::trim).collect();
    let (names, names_zh) = (names.join(", "), names.join("、"));
    let how = match lost.is_empty() {
        true => words!(
            "The relay would lose the first {names}, but none passed.",
            "中继本来要丢掉第一个 {names_zh}，可是它没有出现。"
        ),
        false => words!(
            "The relay passes every datagram on but the first {names} \
             ({en}): every run loses the same packet. Whoever waits too \
             long for an answer sends its last packet again.",
            "中继把每个数据报都转发过去，只丢掉第一个 {names_zh}（{zh}）：每次\
             运行丢的都是同一个包。谁等回答等得太久，谁就把自己最后发的\
             包再发一遍。"
        ),
    };
    (words!("loses {names}", "丢掉 {names_zh}"), vec![how])
}

pub(crate) fn tftp(
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
    // resend check: each datagram seen so far
    let mut earlier: Vec<(usize, bool, Vec<u8>)> = vec![];
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
        let (what, label, mut meaning, phase) =
            describe(payload, *len, &mut blksize);
        let request = what == "RRQ" || what == "WRQ";
        if request && last_request.as_ref() != Some(payload) {
            transfer += 1;
            blksize = 512;
            last_request = Some(payload.clone());
            times = [vec![], vec![]];
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
        if first_answer && !what.starts_with("ERROR") {
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
