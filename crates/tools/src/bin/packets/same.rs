//! Checking a run against a stored picture: the normalised sequences of
//! their packets, the picture's kept in its `<desc>`.
use super::svg::SEQUENCE_HEADER;
use super::*;

/// How `canonical` normalises, for the report of a difference.
const CANONICAL: &str = "connections compared one by one; an ACK without \
                         data is left out where the same side sends the \
                         same ack in another packet";

/// Whether this run has the packets each stored picture keeps: `same
/// packets as PICTURE`, or how they differ (an error).
pub(crate) fn check(run: &Run, stored: &[&str]) -> Result<(), String> {
    let fresh: Vec<String> = run.rows.iter().map(Row::sequence_line).collect();
    for path in stored {
        let svg = std::fs::read_to_string(path)
            .map_err(|e| format!("{path}: {e}"))?;
        let lines = sequence_of(&svg)
            .ok_or(format!("{path}: no packet sequence in it"))?;
        if let Some(report) = compare(&lines, &fresh) {
            return Err(format!(
                "the packets differ from {path} (normalised: {CANONICAL}):\n\
                 {report}"
            ));
        }
        // (a reader that stops early is not an error)
        let _ = writeln!(std::io::stdout(), "same packets as {path}");
    }
    Ok(())
}

/// The lines of the normalised sequence kept in a diagram's `<desc>`.
pub(crate) fn sequence_of(svg: &str) -> Option<Vec<String>> {
    let desc = svg.split_once(SEQUENCE_HEADER)?.1.split_once("</desc>")?.0;
    // the only character escaped in a packet's line: the direction's >
    let unescape = |line: &str| line.replace("&gt;", ">");
    let lines = desc.lines().map(unescape).filter(|l| !l.is_empty());
    Some(lines.collect())
}

/// Two runs of the same pair differ in timing, and on loopback that shows
/// in one place only: whether an acknowledgement goes alone or rides on
/// the next packet the same side sends (delayed ACK, or a side that closes
/// at once: the 3-packet teardown), and how the packets of two
/// connections interleave. So each connection is compared on its own,
/// and a TCP packet with no data, no SYN, FIN or RST (a pure ACK, but not
/// the handshake's third, the one with ack=1) is left out when the same
/// side sends the same ack in another packet of that connection: it
/// acknowledges nothing that packet does not (a side's acks only grow).
/// Every other packet must match in order, flags, relative seq and ack,
/// and length. TFTP lines are compared as they are: the capture makes the
/// relay lose a packet that only one side is waiting for, so no two
/// timers race.
pub(crate) fn canonical(lines: &[String]) -> Vec<String> {
    // a line's words: connection, direction, flags, then seq= ack= len=;
    // the connections are numbered in the order they began
    let words = lines.iter().map(|line| line.split_whitespace().collect());
    let mut lines: Vec<Vec<&str>> = words.collect();
    lines.retain(|words| words.len() > 2);
    lines.sort_by_key(|words| words[0].parse::<usize>().ok());
    let left_out = |words: &Vec<&str>| {
        // (a TFTP ACK has 4 bytes, a UDP datagram no flags)
        let pure_ack = words[2] == "ACK" && words.last() == Some(&"len=0");
        let handshake = ack(words) == Some("ack=1");
        let same =
            |w: &&Vec<&str>| w[..2] == words[..2] && ack(w) == ack(words);
        pure_ack && !handshake && lines.iter().filter(same).count() > 1
    };
    let kept = lines.iter().filter(|words| !left_out(words));
    kept.map(|words| words.join(" ")).collect()
}

/// A packet line's `ack=` word, if it has one.
fn ack<'a>(words: &[&'a str]) -> Option<&'a str> {
    words.iter().find(|w| w.starts_with("ack=")).copied()
}

/// None when the two sequences are the same once normalised; else how
/// they differ, as a unified diff of the normalised lines (`similar`).
pub(crate) fn compare(stored: &[String], fresh: &[String]) -> Option<String> {
    let text = |lines| canonical(lines).join("\n") + "\n";
    let (old, new) = (text(stored), text(fresh));
    let diff = similar::TextDiff::from_lines(&old, &new);
    let report = diff.unified_diff().header("stored", "now").to_string();
    (old != new).then_some(report)
}
