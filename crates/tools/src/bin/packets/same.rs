//! Comparing two runs: the normalised sequences kept in two diagrams.

/// The lines of the normalised sequence kept in a diagram's `<desc>`.
pub(crate) fn sequence_of(svg: &str) -> Option<Vec<String>> {
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

pub(crate) const CANONICAL: &str =
    "connections compared one by one; an ACK without \
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
pub(crate) fn canonical(lines: &[String]) -> Vec<Vec<String>> {
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

/// None when the two sequences are the same once normalised; else how
/// they differ, as a unified diff of the normalised lines (`similar`).
pub(crate) fn compare(stored: &[String], fresh: &[String]) -> Option<String> {
    let (old, new) = (canonical(stored), canonical(fresh));
    let text = |conns: Vec<Vec<String>>| conns.concat().join("\n") + "\n";
    let (old, new) = (text(old), text(new));
    let diff = similar::TextDiff::from_lines(&old, &new);
    let report = diff.unified_diff().header("stored", "now").to_string();
    (old != new).then_some(report)
}
